"""The one exception hierarchy of smtui.api.

Every error the library raises derives from :class:`SmError`. HTTP failures and
network failures are *not* raised by operations: they come back as unsuccessful
:class:`~smtui.api.response.Response` objects, and ``Response.raise_for_error()``
turns them into :class:`ServiceError` / :class:`TransportError` on demand.
"""

from __future__ import annotations


class SmError(Exception):
    """Base class of every error raised by smtui.api."""


class ValidationError(SmError, ValueError):
    """An argument is invalid; raised before any request is sent.

    Attributes:
        field: The wire or argument name of the offending field (e.g. ``"Lun"``).
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class CertificateError(SmError):
    """The management certificate or its key could not be loaded, or they do not match."""


class XmlError(SmError):
    """An XML document could not be parsed."""


class UnsafeXmlError(XmlError):
    """An XML document used a forbidden feature (DTD, entities, oversize input)."""


class ServiceError(SmError):
    """The service answered with an HTTP error status.

    Attributes:
        status_code: The HTTP status code.
        code: The ``<Code>`` of the error body (``ResourceNotFound``, ``ConflictError`` …).
        message: The ``<Message>`` of the error body.
        request_id: The ``x-ms-request-id`` of the failed request, if any.
    """

    def __init__(self, status_code: int, code: str, message: str, request_id: str | None = None) -> None:
        rid = f" (request id {request_id})" if request_id else ""
        super().__init__(f"{status_code} {code}: {message}{rid}")
        self.status_code = status_code
        self.code = code
        self.message = message
        self.request_id = request_id


class TransportError(SmError):
    """The request did not get an HTTP answer (connection, TLS, timeout, proxy).

    Attributes:
        code: A code of our own: ``ConnectError``, ``Timeout``, ``TLSError``, ``ProxyError`` …
        message: A human readable description.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class OperationFailedError(SmError):
    """A long-running operation ended ``Failed``."""

    def __init__(self, request_id: str, status_code: int | None, code: str, message: str) -> None:
        super().__init__(f"operation {request_id} failed: {status_code} {code}: {message}")
        self.request_id = request_id
        self.status_code = status_code
        self.code = code
        self.message = message


class OperationTimeoutError(SmError):
    """Waiting for a long-running operation took longer than the timeout given."""

