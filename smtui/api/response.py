"""The outcome of one operation: what the seed's callback received, as one object.

Operations never raise for HTTP errors or network failures; they return an
unsuccessful :class:`Response` and the caller decides (``raise_for_error()`` turns
it into a :class:`~smtui.api.errors.ServiceError` or
:class:`~smtui.api.errors.TransportError`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Generic, NamedTuple, TypeVar

from smtui.api.errors import ServiceError, TransportError

T = TypeVar("T")

TRANSPORT_ERROR_CODES = frozenset(
    {
        "ConnectError",
        "Timeout",
        "TLSError",
        "ProxyError",
        "ProtocolError",
        "NetworkError",
        "TooManyRedirects",
        "RedirectError",
        "RedirectRefused",
        "ResponseTooLarge",
        "OutcomeUnknown",
        "InvalidURL",
        "Closed",
    }
)
"""Codes of our own for requests that got no usable HTTP answer."""

OUTCOME_UNKNOWN = "OutcomeUnknown"
"""Code of a POST/PUT/DELETE that went out but whose answer was lost: it may have been applied."""

INVALID_RESPONSE = "InvalidResponse"
"""Code of our own for a successful status whose body could not be parsed."""


class ErrorInfo(NamedTuple):
    """Code and message of a failed request (unpacks as ``code, message = resp.error``).

    Attributes:
        code: The service's ``<Code>`` (``ResourceNotFound`` …), or one of ours for
            failures without an HTTP answer (see :data:`TRANSPORT_ERROR_CODES`).
        message: The service's ``<Message>`` or our description.
    """

    code: str
    message: str


@dataclass(frozen=True)
class RequestOptions:
    """What was sent, for display and logs. Never carries keys or passwords.

    Attributes:
        method: HTTP method.
        url: Final URL (after redirects), including the query.
        headers: Request headers as sent.
    """

    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Response(Generic[T]):
    """The result of one operation.

    Attributes:
        status_code: HTTP status of the final answer, ``None`` if none arrived.
        response: The parsed model (or list of models) on success, else ``None``.
        error: Code and message on failure, else ``None``.
        body: Raw response body.
        headers: Response headers (lower-case names).
        request_options: Method, URL and headers sent (secrets never included).
        request_id: The ``x-ms-request-id`` — for asynchronous calls, the operation id to poll.
    """

    status_code: int | None
    response: T | None
    error: ErrorInfo | None
    body: bytes
    headers: Mapping[str, str]
    request_options: RequestOptions
    request_id: str | None

    @property
    def is_successful(self) -> bool:
        """True when the service answered 2xx and the body parsed."""
        return self.error is None and self.status_code is not None and 200 <= self.status_code < 300

    @property
    def is_transport_failure(self) -> bool:
        """True when no HTTP answer was obtained (connection, TLS, timeout, proxy, redirects)."""
        return self.status_code is None

    def raise_for_error(self) -> Response[T]:
        """Raise if unsuccessful, else return ``self`` (so ``.raise_for_error().response`` chains).

        Raises:
            TransportError: No HTTP answer was obtained.
            ServiceError: The service answered with an error (or an unparseable body).
        """
        if self.is_successful:
            return self
        error = self.error or ErrorInfo("UnknownError", "request failed")
        if self.status_code is None:
            raise TransportError(error.code, error.message)
        raise ServiceError(self.status_code, error.code, error.message, self.request_id)

    def result(self) -> T:
        """The parsed response of a successful call.

        Raises:
            TransportError: see :meth:`raise_for_error`.
            ServiceError: see :meth:`raise_for_error`, or the call has no response body.
        """
        self.raise_for_error()
        if self.response is None:
            raise ServiceError(
                self.status_code or 0, "NoBody", "this operation returns no body", self.request_id
            )
        return self.response
