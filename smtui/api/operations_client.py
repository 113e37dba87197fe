"""The operation methods of :class:`~smtui.api.client.ServiceManagementClient`.

Each operation is declared once, as its pure builder in :mod:`smtui.api.operations_services`
or :mod:`smtui.api.operations_compute`, where one line beside the builders
(``get_disk = operation(get_disk)`` in :class:`~smtui.api.operations_services.ServiceOperations`
/ :class:`~smtui.api.operations_compute.ComputeOperations`) makes it the client method of the
same name: the builder's parameters and docstring, ``Response[T]`` for ``ApiRequest[T]``
(see :func:`smtui.api.operations.operation`). Only methods that do more than build-and-execute
(paging, polling) are written out here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from typing import TypeVar

from smtui.api import models
from smtui.api import operations_services as services
from smtui.api.operations import ApiRequest
from smtui.api.operations_compute import ComputeOperations
from smtui.api.operations_services import ServiceOperations
from smtui.api.polling import wait_for_operation
from smtui.api.response import Response

T = TypeVar("T")


class OperationsMixin(ServiceOperations, ComputeOperations):
    """Async operation methods; needs ``execute`` from the client."""

    async def execute(self, request: ApiRequest[T]) -> Response[T]:  # pragma: no cover - overridden
        raise NotImplementedError

    async def wait_for_operation(
        self,
        request_id: str,
        *,
        interval: float = 5.0,
        timeout: float | None = 600.0,
        on_poll: Callable[[models.OperationStatus], object] | None = None,
        raise_on_failure: bool = False,
    ) -> models.OperationStatus:
        """Poll until the operation leaves ``InProgress``; see :func:`smtui.api.polling.wait_for_operation`.

        Args:
            request_id: ``x-ms-request-id`` of the accepted call.
            interval: Seconds between polls.
            timeout: Seconds before :class:`~smtui.api.errors.OperationTimeoutError` (``None``: never).
            on_poll: Called (sync or async) with each polled status.
            raise_on_failure: Raise :class:`~smtui.api.errors.OperationFailedError` on ``Failed``.

        Returns:
            The final :class:`~smtui.api.models.OperationStatus`.
        """
        getter: Callable[[str], Awaitable[Response[models.OperationStatus]]] = self.get_operation_status
        return await wait_for_operation(
            getter,
            request_id,
            interval=interval,
            timeout=timeout,
            on_poll=on_poll,
            raise_on_failure=raise_on_failure,
        )

    # ------------------------------------------------------------------ hosted services

    async def list_hosted_services(self) -> Response[list[models.HostedService]]:
        """Every hosted (cloud) service, without deployments.

        Follows ``x-ms-continuation-token`` pages transparently: the answer holds every page's
        services (headers and request id of the last page); a failed page is returned as is.
        """
        services_so_far: list[models.HostedService] = []
        last: Response[list[models.HostedService]] | None = None
        async for page in self.list_hosted_services_pages():
            if not page.is_successful:
                return page
            services_so_far.extend(page.response or [])
            last = page
        assert last is not None
        return replace(last, response=services_so_far)

    async def list_hosted_services_pages(self) -> AsyncIterator[Response[list[models.HostedService]]]:
        """List Hosted Services page by page (``x-ms-continuation-token``), for large subscriptions.

        Yields each page's response; stops after the last page, a failed page, or a token the
        service already sent (a server repeating itself must not loop us forever).
        """
        token: str | None = None
        seen: set[str] = set()
        while True:
            page = await self.execute(services.list_hosted_services(token))
            yield page
            token = page.headers.get(services.CONTINUATION_HEADER) if page.is_successful else None
            if not token or token in seen:
                return
            seen.add(token)
