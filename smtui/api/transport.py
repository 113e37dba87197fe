"""HTTP transport: one pooled httpx client, proxy, redirects, retries, bounded concurrency.

Everything between "send these bytes with this method to this URL" and "here are the
status, headers and body that came back" lives here:

* one :class:`httpx.AsyncClient` per :class:`Transport` (keep-alive pool), created on
  first use and re-created only when the proxy changes;
* at most ``max_in_flight`` requests on the wire at once; below that ceiling the limit adapts
  (:class:`~smtui.api.limiter.InFlightLimit`: starts at 16, doubles while more in flight
  brings answers faster, holds where it does not, halves on 503/429/``Retry-After``/timeouts).
  Retries wait for their back-off *without* holding a slot;
* ``307``/``308`` redirects re-send the same method, headers and body to ``Location``
  (RDFE redirected to regional hosts), HTTPS only, a bounded number of hops, and only to
  the configured host, its subdomains, or hosts listed in ``redirect_hosts``; any other
  target is refused (``RedirectRefused``) before a byte is sent there;
* ``timeouts.total`` is a deadline for the whole call (pool wait, connect, every byte of
  the answer, retries and back-off included); a trickling server cannot stretch it;
* bodies are read incrementally and decoded (gzip/deflate) in bounded steps, stopping at
  ``max_response_bytes`` (a gzip bomb costs at most that much memory);
* a POST/PUT/DELETE whose answer is lost after the request went out fails with
  ``OutcomeUnknown``: it may have been applied, so it is never repeated by itself;
* idempotent requests (GET/HEAD) are retried on 429/500/502/503/504 and on connection
  failures, with exponential back-off and jitter, honouring ``Retry-After``. Other
  methods are never repeated by the transport — a lost POST might have been executed;
* ``HTTPS_PROXY`` (or an explicit URL) tunnels through an HTTP CONNECT proxy.

Failures without an HTTP answer raise :class:`~smtui.api.errors.TransportError` with a
code of our own; the client turns those into unsuccessful responses.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import os
import random
import ssl
import sys
import time
import zlib
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

# httpx's package __init__ imports its optional command-line client (httpx._main), which pulls in
# rich, click and pygments when they are installed (Textual brings rich). smtui.api must not load
# the TUI toolkit, so that optional import is made to fail; httpx then falls back to a stub.
if "httpx" not in sys.modules:
    sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

import httpx  # noqa: E402

from smtui.api.errors import TransportError, ValidationError
from smtui.api.limiter import InFlightLimit, Outcome
from smtui.api.pool import build_transport

logger = logging.getLogger("smtui.api")

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
"""Methods the transport may repeat on its own."""

THROTTLING_STATUSES = frozenset({429, 503, 504})
"""Answers that mean "too much load": the adaptive in-flight limit halves."""

REDIRECT_STATUSES = frozenset({307, 308})
"""Statuses that mean "send the same request there" (method and body preserved)."""


@dataclass(frozen=True)
class Timeouts:
    """Timeouts in seconds (``None`` = wait forever).

    Attributes:
        connect: TCP + TLS handshake (and proxy CONNECT).
        read: Waiting for the next response bytes.
        write: Sending the request.
        pool: Waiting for a free pooled connection.
        total: Deadline of a whole call: from the first wait for a slot to the last byte of
            the final answer, retries, back-off and redirects included.
    """

    connect: float | None = 10.0
    read: float | None = 60.0
    write: float | None = 60.0
    pool: float | None = 60.0
    total: float | None = 300.0

    def to_httpx(self) -> httpx.Timeout:
        """The equivalent :class:`httpx.Timeout`."""
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before repeating an idempotent request.

    Attributes:
        max_attempts: Total tries including the first (1 disables retries).
        backoff_initial: Base delay before the first retry, seconds.
        backoff_max: Upper bound of the computed delay, seconds.
        max_retry_after: Upper bound on a server's ``Retry-After``, seconds.
        retry_statuses: HTTP statuses worth retrying.
    """

    max_attempts: int = 4
    backoff_initial: float = 0.5
    backoff_max: float = 20.0
    max_retry_after: float = 60.0
    retry_statuses: frozenset[int] = frozenset({429, 500, 502, 503, 504})

    def backoff(self, retry_number: int) -> float:
        """Delay before retry ``retry_number`` (1-based): exponential with "equal jitter"."""
        ceiling = min(self.backoff_max, self.backoff_initial * 2.0 ** (retry_number - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)


NO_RETRIES = RetryPolicy(max_attempts=1)
"""A policy that never retries."""


DEFAULT_HOST = "management.core.windows.net"
"""Public Azure management endpoint."""

DEFAULT_API_VERSION = "2014-10-01"
"""``x-ms-version`` sent by default (what the recorded live traffic used)."""

SERIALIZE_TYPES = ("XML", "JSON")


@dataclass(frozen=True)
class ClientOptions:
    """Options of a :class:`~smtui.api.client.ServiceManagementClient`.

    Attributes:
        host: Management host, ``name`` or ``name:port``.
        apiversion: Sent as ``x-ms-version``.
        serializetype: ``"XML"`` (default) or ``"JSON"`` (the 2012 Node client's format).
        verify: Verify the server certificate (``True``), don't (``False``), or a CA bundle path.
        ca_bundle: PEM file of CAs trusted for the server instead of the system store.
        timeouts: Connect/read/write/pool timeouts.
        retry: Retry policy for idempotent requests.
        max_in_flight: Most requests on the wire at once (hard ceiling of the adaptive limit).
        adaptive: Adapt the in-flight limit below ``max_in_flight`` to the server's answers
            (``False``: always ``max_in_flight``).
        max_redirects: Most ``307`` hops followed per request.
        redirect_hosts: Hosts, besides the configured host and its subdomains, that a
            ``307``/``308`` may send the request (and its body) to: ``name`` (port 443),
            ``name:port``, or ``*.domain`` for every subdomain of ``domain``.
        max_response_bytes: Largest (decoded) response body accepted.
        user_agent: ``User-Agent`` header.
    """

    host: str = DEFAULT_HOST
    apiversion: str = DEFAULT_API_VERSION
    serializetype: str = "XML"
    verify: bool | str = True
    ca_bundle: str | None = None
    timeouts: Timeouts = field(default_factory=Timeouts)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_in_flight: int = 64
    adaptive: bool = True
    max_redirects: int = 5
    redirect_hosts: tuple[str, ...] = ()
    max_response_bytes: int = 64 * 1024 * 1024
    user_agent: str = "smtui"

    @classmethod
    def from_value(cls, value: ClientOptions | Mapping[str, Any] | None) -> ClientOptions:
        """Build options from ``None``, a :class:`ClientOptions`, or a mapping.

        Mapping keys are the attribute names plus shortcuts: ``timeout`` (one number for
        every timeout), ``retries`` (an int = number of *re*-tries, or a :class:`RetryPolicy`)
        and ``ca_bundle`` paths as :class:`os.PathLike`.

        Raises:
            ValidationError: Unknown key or invalid value (the field is named).
        """
        if value is None:
            return cls()
        if isinstance(value, ClientOptions):
            return value.validated()
        known = {f.name for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, item in value.items():
            if key == "timeout":
                number = _number(item, "timeout")
                kwargs["timeouts"] = Timeouts(number, number, number, number, number)
            elif key == "retries":
                if isinstance(item, RetryPolicy):
                    kwargs["retry"] = item
                else:
                    count = int(_number(item, "retries"))
                    kwargs["retry"] = replace(RetryPolicy(), max_attempts=max(1, count + 1))
            elif key == "timeouts" and isinstance(item, Mapping):
                kwargs["timeouts"] = Timeouts(**{k: _number(v, f"timeouts.{k}") for k, v in item.items()})
            elif key == "redirect_hosts":
                kwargs["redirect_hosts"] = _host_list(item)
            elif key == "ca_bundle" and item is not None:
                kwargs["ca_bundle"] = os.fspath(item)
            elif key in known:
                kwargs[key] = item
            else:
                raise ValidationError(key, f"unknown client option (known: {', '.join(sorted(known))})")
        return cls(**kwargs).validated()

    def validated(self) -> ClientOptions:
        """``self`` with ``serializetype`` normalised, after checking every field.

        Raises:
            ValidationError: A field is invalid.
        """
        if not isinstance(self.host, str) or not self.host.strip() or "/" in self.host:
            raise ValidationError("host", f"must be a host name or host:port, got {self.host!r}")
        _check_port(self.host.strip())
        if not isinstance(self.apiversion, str) or not self.apiversion.strip():
            raise ValidationError("apiversion", "must not be empty")
        kind = str(self.serializetype).upper()
        if kind not in SERIALIZE_TYPES:
            raise ValidationError("serializetype", f"must be XML or JSON, got {self.serializetype!r}")
        if not isinstance(self.max_in_flight, int) or self.max_in_flight < 1:
            raise ValidationError("max_in_flight", "must be a positive integer")
        if not isinstance(self.adaptive, bool):
            raise ValidationError("adaptive", "must be true or false")
        if not isinstance(self.max_redirects, int) or self.max_redirects < 0:
            raise ValidationError("max_redirects", "must be a non-negative integer")
        if not isinstance(self.max_response_bytes, int) or self.max_response_bytes < 1:
            raise ValidationError("max_response_bytes", "must be a positive integer")
        if self.retry.max_attempts < 1:
            raise ValidationError("retries", "max_attempts must be at least 1")
        return replace(
            self, host=self.host.strip(), serializetype=kind, redirect_hosts=_host_list(self.redirect_hosts)
        )

    @property
    def base_url(self) -> str:
        """``https://<host>``."""
        return f"https://{self.host}"


def _check_port(host: str) -> None:
    # An unusable port otherwise surfaces on every call as httpx.InvalidURL or an anyio
    # OverflowError, neither of which is an answer the client can turn into a Response.
    try:
        port = urlsplit(f"//{host}").port
    except ValueError:
        raise ValidationError("host", f"must be a host name or host:port, got {host!r}") from None
    if port is not None and not 1 <= port <= 65535:
        raise ValidationError("host", f"port must be 1-65535, got {host!r}")


def _host_list(value: object) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple | set | frozenset) or not all(isinstance(i, str) for i in items):
        raise ValidationError("redirect_hosts", f"must be a list of host names, got {value!r}")
    hosts = tuple(i.strip().lower() for i in items if i.strip())
    for host in hosts:
        if "/" in host or "@" in host:
            raise ValidationError("redirect_hosts", f"must be host names or host:port, got {host!r}")
    return hosts


def redirect_allowed(origin: str, target: str, allowed: tuple[str, ...] = ()) -> bool:
    """Whether a ``307``/``308`` from ``origin`` may re-send the request to ``target``.

    The request (its body may hold an ``AdminPassword``) only goes, over HTTPS, to the
    origin's own host or a subdomain of it (RDFE's regional ``ussouth.management…`` hosts),
    on any port (TLS still verifies that name), or to a host listed in ``allowed``.

    Args:
        origin: URL of the configured endpoint (``https://host[:port]/…``).
        target: Absolute URL of the ``Location``.
        allowed: Extra hosts: ``name`` (any port), ``name:port``, or ``*.domain``.
    """
    dst = urlsplit(target)
    try:
        dst_port = dst.port or 443
    except ValueError:
        return False
    name = (dst.hostname or "").lower().rstrip(".")
    home = (urlsplit(origin).hostname or "").lower().rstrip(".")
    if dst.scheme.lower() != "https" or not name or dst.username or dst.password:
        return False
    if name == home or name.endswith("." + home):
        return True
    for entry in allowed:
        host, _, port = entry.rpartition(":") if entry.count(":") == 1 else (entry, "", "")
        if port and (not port.isdigit() or int(port) != dst_port):
            continue
        if host == name or (host.startswith("*.") and name.endswith(host[1:])):
            return True
    return False


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(name, f"must be a number, got {value!r}")
    if value < 0:
        raise ValidationError(name, "must not be negative")
    return float(value)


@dataclass(frozen=True)
class HttpExchange:
    """One completed HTTP exchange (after redirects and retries).

    Attributes:
        method: Method sent.
        url: Final URL.
        status_code: Status of the final answer.
        headers: Response headers, names lower-cased.
        content: Response body.
        request_headers: Headers sent on the final attempt.
        attempts: Number of tries of the final URL.
        redirects: Number of redirects followed.
    """

    method: str
    url: str
    status_code: int
    headers: Mapping[str, str]
    content: bytes
    request_headers: Mapping[str, str] = field(default_factory=dict)
    attempts: int = 1
    redirects: int = 0


def normalize_proxy_url(url: str) -> str:
    """Turn ``HTTPS_PROXY``-style values into an ``http(s)://[user:pass@]host:port`` URL.

    Args:
        url: ``http://proxy:3128``, ``proxy:3128``, ``https://user:pw@proxy`` …

    Returns:
        The normalised URL, with an explicit port.

    Raises:
        ValidationError: No host could be parsed, or the scheme is not http/https.
    """
    raw = url.strip()
    if "://" not in raw:
        raw = "http://" + raw
    parts = urlsplit(raw)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ValidationError("proxy", f"unsupported proxy scheme {parts.scheme!r} (use http:// or https://)")
    try:
        port = parts.port
    except ValueError:
        raise ValidationError("proxy", f"invalid port in proxy URL {_safe_proxy(url)!r}") from None
    host = parts.hostname
    if not host:
        raise ValidationError("proxy", f"no host in proxy URL {_safe_proxy(url)!r}")
    if port is None:
        port = 443 if scheme == "https" else 80
    userinfo = parts.netloc.rpartition("@")[0]
    hostport = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return f"{scheme}://{userinfo + '@' if userinfo else ''}{hostport}"


def _safe_proxy(url: str) -> str:
    """The proxy URL without any password, for messages and logs."""
    parts = urlsplit(url if "://" in url else "http://" + url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return parts._replace(netloc=netloc).geturl()


def proxy_from_environment(environ: Mapping[str, str], host: str) -> str | None:
    """The proxy for ``host`` per ``HTTPS_PROXY``/``https_proxy``, honouring ``NO_PROXY``.

    Args:
        environ: Environment mapping.
        host: Target host (``name`` or ``name:port``).

    Returns:
        A normalised proxy URL, or ``None`` for a direct connection.
    """
    url = environ.get("HTTPS_PROXY") or environ.get("https_proxy")
    if not url:
        return None
    no_proxy = environ.get("NO_PROXY") or environ.get("no_proxy") or ""
    name = urlsplit("//" + host).hostname or host
    for entry in (e.strip().lower() for e in no_proxy.split(",")):
        if not entry:
            continue
        entry = entry.split(":")[0] if entry.count(":") == 1 else entry
        if entry == "*" or name == entry.lstrip(".") or name.endswith("." + entry.lstrip(".")):
            return None
    return normalize_proxy_url(url)


def _retry_after(headers: Mapping[str, str]) -> float | None:
    value = headers.get("retry-after")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """Seconds a ``Retry-After`` header (lower-case names) asks to wait; ``None`` without a usable one."""
    return _retry_after(headers)


def _ssl_cause(exc: BaseException) -> ssl.SSLError | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _load_signal(response: httpx.Response) -> Outcome:
    """What an answer says about the server's load, for the adaptive in-flight limit."""
    if response.status_code in THROTTLING_STATUSES or "retry-after" in response.headers:
        return Outcome.THROTTLED
    return Outcome.OK


_TLS_TRANSIENT = (ssl.SSLEOFError, ssl.SSLZeroReturnError, ssl.SSLWantReadError, ssl.SSLWantWriteError)


def classify_exception(exc: httpx.HTTPError) -> tuple[str, str, bool]:
    """Map an httpx failure to ``(code, message, retryable_if_idempotent)``."""
    detail = str(exc) or exc.__class__.__name__
    if isinstance(exc, httpx.ProxyError):
        return "ProxyError", f"proxy refused the tunnel: {detail}", False
    if isinstance(exc, httpx.TimeoutException):
        # Checked before the TLS cause: a timed-out TLS read carries an SSLError context.
        return "Timeout", f"{exc.__class__.__name__}: {detail}", not isinstance(exc, httpx.WriteTimeout)
    tls = _ssl_cause(exc)
    # An EOF/want-read inside TLS is a dropped connection, not a certificate problem.
    if tls is not None and not isinstance(tls, _TLS_TRANSIENT):
        reason = getattr(tls, "reason", None) or str(tls)
        return "TLSError", f"TLS failure: {reason}", False
    if isinstance(exc, httpx.ConnectError):
        return "ConnectError", f"cannot connect: {detail}", True
    if isinstance(exc, httpx.RemoteProtocolError):
        return "ProtocolError", f"connection dropped: {detail}", True
    if isinstance(exc, (httpx.ReadError, httpx.WriteError, httpx.CloseError)):
        return "NetworkError", f"connection reset: {detail}", True
    if isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        return "InvalidURL", detail, False
    return "NetworkError", f"{exc.__class__.__name__}: {detail}", False


_DECODE_STEP = 1024 * 1024
"""Most decoded bytes produced per decompression step, so a bomb never inflates at once."""


class _BodyDecoder:
    """Incremental ``Content-Encoding`` decoding whose every step is bounded in size."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        if encoding in ("", "identity"):
            self._zlib = None
        elif encoding in ("gzip", "x-gzip"):
            self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS)
        else:
            raise TransportError("ProtocolError", f"unsupported Content-Encoding {encoding[:40]!r}")
        self._started = False

    def feed(self, data: bytes) -> list[bytes]:
        """Decode one chunk; the returned pieces are each at most :data:`_DECODE_STEP` bytes."""
        if self._zlib is None:
            return [data] if data else []
        try:
            return list(self._inflate(data))
        except zlib.error:
            # Some servers send raw deflate (no zlib header) as "deflate"; httpx accepts it too.
            if self._encoding != "deflate" or self._started:
                raise TransportError("ProtocolError", f"corrupt {self._encoding} response body") from None
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            try:
                return list(self._inflate(data))
            except zlib.error:
                raise TransportError("ProtocolError", "corrupt deflate response body") from None

    def _inflate(self, data: bytes) -> Iterator[bytes]:
        assert self._zlib is not None
        while True:
            out = self._zlib.decompress(data, _DECODE_STEP)
            if out:
                self._started = True
                yield out
            data = self._zlib.unconsumed_tail
            if not data and len(out) < _DECODE_STEP:
                return


async def read_body(response: httpx.Response, limit: int) -> bytes:
    """Read and decode a streamed response body, failing as soon as it exceeds ``limit``.

    Raises:
        TransportError: ``ResponseTooLarge`` past ``limit`` decoded bytes; ``ProtocolError``
            for an unknown or corrupt ``Content-Encoding``.
    """
    declared = response.headers.get("content-length", "")
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if declared.isdigit() and int(declared) > limit and encoding in ("", "identity"):
        raise TransportError("ResponseTooLarge", f"the answer announces {declared} bytes (limit {limit})")
    decoder = _BodyDecoder(encoding)
    parts: list[bytes] = []
    size = 0
    raw: AsyncIterator[bytes] = response.aiter_raw()
    async for chunk in raw:
        for piece in decoder.feed(chunk):
            size += len(piece)
            if size > limit:
                parts.clear()
                raise TransportError(
                    "ResponseTooLarge",
                    f"the answer exceeds {limit} bytes once decoded ({encoding or 'identity'}); "
                    "reading stopped",
                )
            parts.append(piece)
    return b"".join(parts)


class _Progress:
    """What one call has done so far: when its deadline falls, whether a request went out."""

    def __init__(self, deadline: float | None) -> None:
        self.deadline = deadline
        self.sent = False

    def left(self) -> float | None:
        return None if self.deadline is None else self.deadline - asyncio.get_running_loop().time()

    async def trace(self, name: str, info: Mapping[str, Any]) -> None:
        # httpcore's trace hook: once the request headers start going out, the server may act.
        if "send_request_headers.started" in name:
            self.sent = True


def outcome_unknown(method: str, url: str, detail: str) -> TransportError:
    """The error of a mutating request that went out and whose answer was lost."""
    return TransportError(
        "OutcomeUnknown",
        f"{method} {url} was sent but its answer was lost ({detail}); it may or may not have "
        "been applied: check the resource (refresh) before sending it again",
    )


_ANSWER_LOST = frozenset({"Timeout", "ProtocolError", "NetworkError"})


class Transport:
    """Sends requests over one keep-alive connection pool.

    Args:
        ssl_context: Client TLS context (management certificate + server verification).
        headers: Headers sent on every request.
        timeouts: Per-request timeouts.
        retry: Retry policy for idempotent requests.
        max_in_flight: Most requests on the wire at once (also the pool size).
        adaptive: Adapt the in-flight limit below ``max_in_flight`` (see :mod:`smtui.api.limiter`).
        max_redirects: Most redirects followed per request.
        proxy_url: HTTP CONNECT proxy, or ``None`` for direct connections.
        redirect_hosts: Extra hosts redirects may go to (see :func:`redirect_allowed`).
        max_response_bytes: Largest decoded response body accepted.
    """

    def __init__(
        self,
        ssl_context: ssl.SSLContext,
        *,
        headers: Mapping[str, str] | None = None,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        max_in_flight: int = 64,
        max_redirects: int = 5,
        proxy_url: str | None = None,
        redirect_hosts: tuple[str, ...] = (),
        max_response_bytes: int = 64 * 1024 * 1024,
        adaptive: bool = True,
    ) -> None:
        if max_in_flight < 1:
            raise ValidationError("max_in_flight", "must be at least 1")
        self._ssl_context = ssl_context
        self._headers = dict(headers or {})
        self.timeouts = timeouts or Timeouts()
        self.retry = retry or RetryPolicy()
        self.max_in_flight = max_in_flight
        self.max_redirects = max_redirects
        self.redirect_hosts = redirect_hosts
        self.max_response_bytes = max_response_bytes
        # Only encodings decoded by read_body (bounded); httpx would also offer br/zstd when installed.
        self._headers.setdefault("Accept-Encoding", "gzip, deflate")
        self._proxy_url = normalize_proxy_url(proxy_url) if proxy_url else None
        self._limit = InFlightLimit(max_in_flight, adaptive=adaptive)
        self._backing_off = 0
        self._timeout_extension = self.timeouts.to_httpx().as_dict()
        self._client: httpx.AsyncClient | None = None
        self._pool: httpx.AsyncHTTPTransport | None = None  # the current client's transport
        self._retired: list[httpx.AsyncClient] = []
        self._closed = False

    @property
    def proxy_url(self) -> str | None:
        """The proxy in use (password masked), or ``None``."""
        return _safe_proxy(self._proxy_url) if self._proxy_url else None

    @property
    def in_flight(self) -> int:
        """Requests currently on the wire."""
        return self._limit.in_flight

    @property
    def limit(self) -> InFlightLimit:
        """The (adaptive) in-flight limit of this transport's subscription."""
        return self._limit

    @property
    def backing_off(self) -> int:
        """Requests waiting out a back-off or a ``Retry-After`` before their next attempt."""
        return self._backing_off

    def set_proxy_url(self, url: str | None) -> None:
        """Use ``url`` as CONNECT proxy from the next request on (``None``: direct).

        Raises:
            ValidationError: The URL has no host or an unsupported scheme.
        """
        new = normalize_proxy_url(url) if url else None
        if new == self._proxy_url:
            return
        self._proxy_url = new
        if self._client is not None:
            # Requests still running on the old pool finish there; it is closed in aclose().
            self._retired.append(self._client)
            self._client = None

    def _http(self) -> httpx.AsyncClient:
        if self._closed:
            raise TransportError("Closed", "the client has been closed")
        if self._client is None:
            # httpcore's own pool is quadratic in connections (see smtui.api.pool).
            self._pool = build_transport(
                self._ssl_context, proxy_url=self._proxy_url, max_connections=self.max_in_flight
            )
            self._client = httpx.AsyncClient(
                transport=self._pool,
                timeout=self.timeouts.to_httpx(),
                trust_env=False,  # proxy and CA come from our own options, not httpx's env lookup
                follow_redirects=False,
                headers=self._headers,
            )
        return self._client

    async def _exchange(
        self,
        method: str,
        url: str,
        content: bytes | None,
        headers: Mapping[str, str],
        progress: _Progress,
    ) -> httpx.Response:
        """One attempt, straight to the pool: the answer with its body still to be read.

        ``AsyncClient.send`` would add cookie extraction (a cookiejar pass per answer), auth and
        redirect generators and event hooks, none of which RDFE uses; on a fan-out they were a
        sixth of the client's CPU per request. The request is the one ``build_request`` makes:
        the client's headers (httpx's defaults and ours) updated by this request's.
        """
        http = self._http()
        merged = http.headers.copy()
        merged.update(headers)
        request = httpx.Request(
            method,
            url,
            content=content,
            headers=merged,
            extensions={"timeout": self._timeout_extension, "trace": progress.trace},
        )
        assert self._pool is not None  # made with the client by _http()
        response = await self._pool.handle_async_request(request)
        response.request = request
        return response

    async def aclose(self) -> None:
        """Close every connection. The transport cannot be used afterwards."""
        self._closed = True
        clients = [*self._retired, *([self._client] if self._client else [])]
        self._client = None
        self._retired.clear()
        for client in clients:
            await client.aclose()

    async def send(
        self,
        method: str,
        url: str,
        *,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> HttpExchange:
        """Send one request, following redirects and retrying what may be retried.

        Args:
            method: HTTP method.
            url: Absolute ``https://`` URL.
            content: Body (``None`` or ``b""`` sends ``Content-Length: 0`` on non-GET methods).
            headers: Extra headers for this request.

        Returns:
            The final exchange (any status, including 4xx/5xx).

        Raises:
            TransportError: No HTTP answer (code ``ConnectError``, ``Timeout``, ``TLSError``,
                ``ProxyError``, ``ProtocolError``, ``NetworkError``, ``TooManyRedirects``,
                ``RedirectError``, ``InvalidURL``).
        """
        method = method.upper()
        if content is None and method not in IDEMPOTENT_METHODS:
            content = b""
        extra = dict(headers or {})
        if not content and method not in IDEMPOTENT_METHODS:
            # httpx omits it for an empty DELETE; RDFE clients always sent it (SPEC §1).
            extra.setdefault("Content-Length", "0")
        total = self.timeouts.total
        loop = asyncio.get_running_loop()
        progress = _Progress(None if total is None else loop.time() + total)
        deadline = asyncio.timeout_at(progress.deadline)
        try:
            async with deadline:
                return await self._follow_redirects(method, url, content, extra, progress)
        except TimeoutError:
            if not deadline.expired():
                raise
            detail = f"no complete answer within the {total:g} s deadline of the call"
            if method not in IDEMPOTENT_METHODS and progress.sent:
                raise outcome_unknown(method, url, detail) from None
            raise TransportError("Timeout", f"{method} {url}: {detail}") from None

    async def _follow_redirects(
        self, method: str, url: str, content: bytes | None, extra: Mapping[str, str], progress: _Progress
    ) -> HttpExchange:
        origin = url
        redirects = 0
        while True:
            exchange = await self._send_with_retries(method, url, content, extra, progress)
            location = exchange.headers.get("location")
            if exchange.status_code not in REDIRECT_STATUSES or not location:
                return replace(exchange, redirects=redirects)
            redirects += 1
            if redirects > self.max_redirects:
                raise TransportError(
                    "TooManyRedirects", f"more than {self.max_redirects} redirects from {url}"
                )
            target = urljoin(url, location)
            if not redirect_allowed(origin, target, self.redirect_hosts):
                raise TransportError(
                    "RedirectRefused",
                    f"refused to follow the {exchange.status_code} redirect to {target[:200]}: not HTTPS on "
                    f"the configured host or its subdomains, nor a host allowed by redirect_hosts; "
                    "the request was not sent there",
                )
            logger.debug("%s %s redirected (%d) to %s", method, url, exchange.status_code, target)
            url = target

    async def _send_with_retries(
        self,
        method: str,
        url: str,
        content: bytes | None,
        headers: Mapping[str, str],
        progress: _Progress,
    ) -> HttpExchange:
        idempotent = method in IDEMPOTENT_METHODS
        attempt = 0
        while True:
            attempt += 1
            may_retry = idempotent and attempt < self.retry.max_attempts
            started = time.perf_counter()
            progress.sent = False
            try:
                ticket = await self._limit.acquire()
                outcome = Outcome.NEUTRAL
                try:
                    response = await self._exchange(method, url, content, headers, progress)
                    try:
                        body = await read_body(response, self.max_response_bytes)
                    finally:
                        await response.aclose()
                    outcome = _load_signal(response)
                except httpx.TimeoutException as exc:
                    # Waiting for our own pool says nothing about the server.
                    outcome = Outcome.NEUTRAL if isinstance(exc, httpx.PoolTimeout) else Outcome.TIMEOUT
                    raise
                finally:
                    self._limit.release(ticket, outcome)
            except httpx.HTTPError as exc:
                code, message, retryable = classify_exception(exc)
                if self._proxy_url and code in ("ConnectError", "ProxyError", "Timeout"):
                    message += f" (via proxy {self.proxy_url})"
                logger.debug("%s %s failed: %s %s (attempt %d)", method, url, code, message, attempt)
                if not idempotent and progress.sent and code in _ANSWER_LOST:
                    raise outcome_unknown(method, url, message) from exc
                if retryable and may_retry:
                    await self._wait_before_retry(method, url, self.retry.backoff(attempt), None, progress)
                    continue
                raise TransportError(code, message) from exc
            except httpx.InvalidURL as exc:  # not an HTTPError: raised while building the request
                raise TransportError("InvalidURL", str(exc)) from exc
            elapsed_ms = (time.perf_counter() - started) * 1000
            resp_headers = {k.lower(): v for k, v in response.headers.items()}
            logger.debug(
                "%s %s -> %d (x-ms-request-id %s, %.0f ms, attempt %d)",
                method,
                url,
                response.status_code,
                resp_headers.get("x-ms-request-id", "-"),
                elapsed_ms,
                attempt,
            )
            if may_retry and response.status_code in self.retry.retry_statuses:
                hinted = _retry_after(resp_headers)
                delay = (
                    min(hinted, self.retry.max_retry_after)
                    if hinted is not None
                    else self.retry.backoff(attempt)
                )
                await self._wait_before_retry(method, url, delay, response.status_code, progress)
                continue
            return HttpExchange(
                method=method,
                url=str(response.request.url),
                status_code=response.status_code,
                headers=resp_headers,
                content=body,
                request_headers=dict(response.request.headers.items()),
                attempts=attempt,
            )

    async def _wait_before_retry(
        self, method: str, url: str, delay: float, status: int | None, progress: _Progress
    ) -> None:
        """Sleep ``delay`` before a retry, or fail now if that would cross the call's deadline."""
        left = progress.left()
        if left is not None and delay >= left:
            why = (
                f"after HTTP {status} the server asked to wait {delay:g} s"
                if status
                else f"the retry waits {delay:.2f} s"
            )
            raise TransportError(
                "Timeout",
                f"{method} {url}: {why}, more than the {max(left, 0):.1f} s left of the call's "
                f"{self.timeouts.total:g} s deadline; giving up instead of waiting past it",
            )
        logger.debug("retrying %s %s in %.2f s (after %s)", method, url, delay, status or "a failure")
        self._backing_off += 1
        try:
            await asyncio.sleep(delay)
        finally:
            self._backing_off -= 1
