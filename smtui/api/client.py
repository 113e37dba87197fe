"""``ServiceManagementClient``: one subscription, one TLS identity, one connection pool.

Usage mirrors the seed (npm ``azure@0.6`` ``ServiceManagementService``), async::

    async with ServiceManagementClient(sub_id, {"keyfile": "priv.pem", "certfile": "pub.pem"}) as client:
        resp = await client.create_hosted_service("mysvc", {"Location": "West US"})
        if resp.is_successful:
            status = await client.wait_for_operation(resp.request_id)

Every operation method builds an :class:`~smtui.api.operations.ApiRequest` with the pure
builders of :mod:`smtui.api.operations_services` / :mod:`smtui.api.operations_compute`
(argument validation happens there, before anything is sent) and runs it with
:meth:`ServiceManagementClient.execute`, which never raises for HTTP or network failures:
it returns an unsuccessful :class:`~smtui.api.response.Response`.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, TypeVar

from smtui.api import codec
from smtui.api.auth import AuthValue, ClientCertificate, build_ssl_context, resolve_certificate
from smtui.api.errors import TransportError, XmlError
from smtui.api.operations import ApiRequest, require_text
from smtui.api.operations_client import OperationsMixin
from smtui.api.response import INVALID_RESPONSE, ErrorInfo, RequestOptions, Response
from smtui.api.transport import ClientOptions, HttpExchange, Transport, proxy_from_environment

logger = logging.getLogger("smtui.api")

T = TypeVar("T")

__all__ = ["MutationObserver", "RequestPreview", "ServiceManagementClient"]

MutationObserver = Callable[["ApiRequest[Any]", "Response[Any]"], None]
"""Called after every mutating (non-GET) request with the request and its answer (an audit log).

It runs on the caller's event loop and must not block; an exception from it is logged, never
raised to the caller: the request has been sent either way.
"""


@dataclass(frozen=True)
class RequestPreview:
    """Exactly what :meth:`ServiceManagementClient.execute` would send, secrets masked.

    Attributes:
        operation: Operation name.
        method: HTTP method.
        url: Full URL including the query.
        headers: Headers that will be sent.
        body: Body text with passwords replaced by ``********`` (``None`` without a body).
        reveal: Gives the body as sent, secrets included (for a "copy" the user asked to reveal);
            ``None`` without a body.
    """

    operation: str
    method: str
    url: str
    headers: Mapping[str, str]
    body: str | None
    reveal: Callable[[], str | None] | None = field(default=None, repr=False, compare=False)


class ServiceManagementClient(OperationsMixin):
    """Async client for the Azure Service Management API of one subscription.

    Args:
        subscription_id: The subscription GUID.
        auth: ``keyvalue``/``keyfile``/``certvalue``/``certfile`` (see :mod:`smtui.api.auth`
            for the fallbacks to the environment and the working directory).
        options: :class:`~smtui.api.transport.ClientOptions` or a mapping of its fields
            (``host``, ``apiversion``, ``serializetype``, ``verify``, ``ca_bundle``, ``timeout``/
            ``timeouts``, ``retries``/``retry``, ``max_in_flight``, ``adaptive``, ``max_redirects``,
            ``redirect_hosts``, ``max_response_bytes``, ``user_agent``).
        environ: Environment for ``CLIENT_AUTH_*`` and ``HTTPS_PROXY`` (defaults to ``os.environ``).
        on_mutation: A :data:`MutationObserver` (also settable later as :attr:`on_mutation`).

    Raises:
        ValidationError: Empty subscription id or invalid option.
        CertificateError: Key/certificate missing, unreadable, invalid or mismatched.
    """

    def __init__(
        self,
        subscription_id: str,
        auth: Mapping[str, AuthValue] | None = None,
        options: ClientOptions | Mapping[str, Any] | None = None,
        *,
        environ: Mapping[str, str] | None = None,
        on_mutation: MutationObserver | None = None,
    ) -> None:
        self.on_mutation = on_mutation
        self._subscription_id = require_text(subscription_id, "subscription_id").strip()
        self._options = ClientOptions.from_value(options)
        env = os.environ if environ is None else environ
        self._certificate = resolve_certificate(auth, environ=env)
        ssl_context = build_ssl_context(
            self._certificate, verify=self._options.verify, ca_bundle=self._options.ca_bundle
        )
        accept = "application/json" if self.serialize_type == "JSON" else "application/xml"
        self._transport = Transport(
            ssl_context,
            headers={
                "x-ms-version": self._options.apiversion,
                "User-Agent": self._options.user_agent,
                "Accept": accept,
            },
            timeouts=self._options.timeouts,
            retry=self._options.retry,
            max_in_flight=self._options.max_in_flight,
            adaptive=self._options.adaptive,
            max_redirects=self._options.max_redirects,
            redirect_hosts=self._options.redirect_hosts,
            max_response_bytes=self._options.max_response_bytes,
            proxy_url=proxy_from_environment(env, self._options.host),
        )

    # ------------------------------------------------------------------ properties & lifecycle

    @property
    def subscription_id(self) -> str:
        """The subscription this client manages."""
        return self._subscription_id

    @property
    def options(self) -> ClientOptions:
        """The effective options."""
        return self._options

    @property
    def host(self) -> str:
        """Management host (``name`` or ``name:port``)."""
        return self._options.host

    @property
    def base_url(self) -> str:
        """``https://<host>``."""
        return self._options.base_url

    @property
    def serialize_type(self) -> str:
        """``"XML"`` or ``"JSON"``."""
        return self._options.serializetype

    @property
    def certificate_thumbprint(self) -> str:
        """SHA-1 thumbprint of the management certificate (as the portal shows it)."""
        return self._certificate.thumbprint

    @property
    def certificate_subject(self) -> str:
        """Subject of the management certificate."""
        return self._certificate.subject

    @property
    def certificate_info(self) -> ClientCertificate:
        """The certificate in use (its ``repr`` never shows the key)."""
        return self._certificate

    @property
    def proxy_url(self) -> str | None:
        """The CONNECT proxy in use (password masked), or ``None``."""
        return self._transport.proxy_url

    @property
    def transport(self) -> Transport:
        """The underlying transport (pool, retries, concurrency)."""
        return self._transport

    def set_proxy_url(self, url: str | None) -> None:
        """Send requests through the HTTP CONNECT proxy ``url`` (overrides ``HTTPS_PROXY``).

        Args:
            url: ``http://host:port`` (``host:port`` is accepted); ``None`` for direct connections.

        Raises:
            ValidationError: The URL has no host or an unsupported scheme.
        """
        self._transport.set_proxy_url(url)

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._transport.aclose()

    async def __aenter__(self) -> ServiceManagementClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"ServiceManagementClient({self._subscription_id!r}, host={self.host!r})"

    # ------------------------------------------------------------------ execution

    def url_for(self, request: ApiRequest[Any]) -> str:
        """The full URL ``request`` goes to."""
        return f"{self.base_url}/{self._subscription_id}{request.path_and_query}"

    def _headers_for(self, request: ApiRequest[Any]) -> dict[str, str]:
        headers: dict[str, str] = dict(request.headers)
        content_type = request.content_type(self.serialize_type)
        if content_type:
            headers["Content-Type"] = content_type
        return headers

    def preview(self, request: ApiRequest[Any]) -> RequestPreview:
        """Describe what :meth:`execute` would send for ``request``, passwords masked."""
        headers = self._sent_headers(self._headers_for(request))
        serialize_type = self.serialize_type

        def reveal() -> str | None:
            body = request.render_body(serialize_type)
            return None if body is None else body.decode("utf-8", "replace")

        return RequestPreview(
            request.operation,
            request.method,
            self.url_for(request),
            headers,
            request.redacted_body(serialize_type),
            reveal,
        )

    async def execute(self, request: ApiRequest[T]) -> Response[T]:
        """Send ``request`` and parse the answer. Never raises for HTTP or network failures.

        Args:
            request: A request from a builder.

        Returns:
            A successful response with the parsed model, or an unsuccessful one with
            ``error`` set (service error code, or a transport code of our own).
        """
        url = self.url_for(request)
        headers = self._headers_for(request)
        body = request.render_body(self.serialize_type)
        response: Response[T]
        try:
            exchange = await self._transport.send(request.method, url, content=body, headers=headers)
        except TransportError as exc:
            logger.debug("%s %s %s: no answer (%s)", request.operation, request.method, url, exc.code)
            response = Response(
                status_code=None,
                response=None,
                error=ErrorInfo(exc.code, exc.message),
                body=b"",
                headers={},
                request_options=RequestOptions(request.method, url, self._sent_headers(headers)),
                request_id=None,
            )
        else:
            response = self._to_response(request, exchange)
        if self.on_mutation is not None and request.method.upper() != "GET":
            try:
                self.on_mutation(request, response)
            except Exception:  # an audit failure must not turn a sent request into an error
                logger.exception("the mutation observer failed for %s", request.operation)
        return response

    def _sent_headers(self, extra: Mapping[str, str]) -> dict[str, str]:
        return {
            "x-ms-version": self._options.apiversion,
            "User-Agent": self._options.user_agent,
            "Accept": "application/json" if self.serialize_type == "JSON" else "application/xml",
            **extra,
        }

    def _to_response(self, request: ApiRequest[T], exchange: HttpExchange) -> Response[T]:
        status = exchange.status_code
        request_id = exchange.headers.get("x-ms-request-id")
        options = RequestOptions(exchange.method, exchange.url, dict(exchange.request_headers))
        parsed: T | None = None
        error: ErrorInfo | None = None
        content_type = exchange.headers.get("content-type", "")
        if 200 <= status < 300:
            if status not in request.expected:
                logger.debug(
                    "%s answered %d, documented %s", request.operation, status, sorted(request.expected)
                )
            if request.parser is not None and exchange.content.strip():
                try:
                    parsed = request.parser.parse(exchange.content, content_type)
                # Any failure on an untrusted body (e.g. JSON whose root is not an object raises
                # AttributeError in the codec) is an unusable answer, never an exception out of here.
                except Exception as exc:
                    error = ErrorInfo(
                        INVALID_RESPONSE, f"cannot parse the {request.parser.name} answer: {exc}"
                    )
            elif request.parser is not None and status == 200:
                error = ErrorInfo(INVALID_RESPONSE, f"empty body where {request.parser.name} was expected")
        else:
            error = _error_from_body(status, exchange.content, content_type)
        return Response(
            status_code=status,
            response=parsed,
            error=error,
            body=exchange.content,
            headers=exchange.headers,
            request_options=options,
            request_id=request_id,
        )


def _error_from_body(status: int, body: bytes, content_type: str) -> ErrorInfo:
    """Code and message of an error answer, falling back to the HTTP status."""
    fallback = ErrorInfo(_status_code_name(status), f"HTTP {status} with no error body")
    if not body.strip():
        return fallback
    if "json" in content_type.lower():
        try:
            data = json.loads(body)
        except ValueError:
            return fallback
        if isinstance(data, dict):
            inner = data.get("Error", data)
            if isinstance(inner, dict):
                return ErrorInfo(str(inner.get("Code") or fallback.code), str(inner.get("Message") or ""))
        return fallback
    try:
        code, message = codec.parse_error(body)
    except (XmlError, ValueError):
        text = body[:200].decode("utf-8", "replace")
        return ErrorInfo(fallback.code, f"HTTP {status}: {text}")
    return ErrorInfo(code or fallback.code, message or "")


_STATUS_NAMES = {
    307: "TemporaryRedirect",
    400: "BadRequest",
    401: "AuthenticationFailed",
    403: "ForbiddenError",
    404: "ResourceNotFound",
    405: "InvalidHttpVerb",
    409: "ConflictError",
    412: "PreconditionError",
    429: "TooManyRequests",
    500: "InternalError",
    503: "ServerBusy",
}


def _status_code_name(status: int) -> str:
    return _STATUS_NAMES.get(status, f"Http{status}")
