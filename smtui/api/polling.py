"""Waiting for long-running (``202 Accepted``) operations.

RDFE answers mutating calls with ``202`` and an ``x-ms-request-id``; the work is done
when ``GET /<sub>/operations/<id>`` reports ``Succeeded`` or ``Failed``. This module
polls at a fixed interval until then, never prints, can be cancelled (it is plain
``await asyncio.sleep``), and reports every poll to an optional callback.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

from smtui.api.errors import OperationFailedError, OperationTimeoutError, ValidationError
from smtui.api.response import Response

logger = logging.getLogger("smtui.api")

IN_PROGRESS = "InProgress"
SUCCEEDED = "Succeeded"
FAILED = "Failed"


class _OperationErrorLike(Protocol):
    @property
    def code(self) -> str | None: ...

    @property
    def message(self) -> str | None: ...


class OperationStatusLike(Protocol):
    """What polling needs of an ``OperationStatus`` model."""

    @property
    def status(self) -> str | None: ...

    @property
    def http_status_code(self) -> int | None: ...

    @property
    def error(self) -> _OperationErrorLike | None: ...


S = TypeVar("S", bound=OperationStatusLike)

PollCallback = Callable[[S], object]
"""Called with each polled status; may be a plain function or a coroutine function."""


def is_finished(status: OperationStatusLike) -> bool:
    """True once the operation left ``InProgress`` (or reported an error)."""
    return (status.status or IN_PROGRESS) != IN_PROGRESS or status.error is not None


async def wait_for_operation(
    get_status: Callable[[str], Awaitable[Response[S]]],
    request_id: str,
    *,
    interval: float = 5.0,
    timeout: float | None = 600.0,
    on_poll: Callable[[S], object] | None = None,
    raise_on_failure: bool = False,
) -> S:
    """Poll ``get_status(request_id)`` until the operation finishes.

    Args:
        get_status: Performs Get Operation Status (e.g. ``client.get_operation_status``).
        request_id: The ``x-ms-request-id`` of the accepted call.
        interval: Seconds between polls.
        timeout: Give up after this many seconds, status requests included (``None``: never).
        on_poll: Called with every status polled (sync or async).
        raise_on_failure: Raise :class:`OperationFailedError` when the operation ``Failed``
            instead of returning its status.

    Returns:
        The final status (``Succeeded`` or ``Failed``).

    Raises:
        OperationTimeoutError: Not finished (or no status answer) within ``timeout``.
        OperationFailedError: The operation failed and ``raise_on_failure`` is set.
        ServiceError: Get Operation Status itself failed (e.g. unknown id, 404).
        TransportError: The status could not be fetched (after the transport's retries).
        ValidationError: ``request_id`` is empty or ``interval`` is negative.
        asyncio.CancelledError: The waiting task was cancelled.
    """
    if not request_id:
        raise ValidationError("request_id", "is required")
    if interval < 0:
        raise ValidationError("interval", "must not be negative")
    # The timeout bounds the whole wait, status requests included: a status endpoint that
    # trickles its answer cannot keep the caller waiting past it (issue 10).
    deadline = asyncio.timeout(timeout)
    polls = 0
    last: str | None = None
    try:
        async with deadline:
            while True:
                polls += 1
                status = (await get_status(request_id)).result()
                last = status.status or IN_PROGRESS
                logger.debug("operation %s poll %d: %s", request_id, polls, status.status)
                if on_poll is not None:
                    outcome = on_poll(status)
                    if inspect.isawaitable(outcome):
                        await outcome
                if is_finished(status):
                    if raise_on_failure and status.status == FAILED:
                        err = status.error
                        raise OperationFailedError(
                            request_id,
                            status.http_status_code,
                            (err.code if err else None) or "Failed",
                            (err.message if err else None) or "the operation failed",
                        )
                    return status
                await asyncio.sleep(interval)
    except TimeoutError:
        if not deadline.expired():
            raise
        state = f"still {last}" if last else "without a status answer"
        raise OperationTimeoutError(
            f"operation {request_id} {state} after {timeout:g} s ({polls} polls)"
        ) from None
