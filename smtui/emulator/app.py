"""The ASGI application: authentication, version check, faults, routing and response headers.

Client certificates: the TLS layer (:mod:`smtui.emulator.tls`) accepts any client certificate,
or none, and hands it over in the connection's ``state``; every request whose certificate is not
a management certificate of the subscription in its path gets RDFE's 403 ForbiddenError.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from smtui.emulator import (
    handlers_catalog,
    handlers_cloud,
    handlers_extras,
    handlers_network,
    handlers_roles,
    handlers_services,
    versions,
)
from smtui.emulator import render_compute as rc
from smtui.emulator.engine import ApiError, Engine, new_request_id
from smtui.emulator.faults import Faults
from smtui.emulator.nodes import Node, Value, parse_body, to_json, to_xml
from smtui.emulator.routing import Ctx, Handler, Reply, Router

log = logging.getLogger("smtui.emulator")

SERVER_HEADER = "1.0.6198.243 (rd_rdfe_stable.150618-1025) Microsoft-HTTPAPI/2.0"
REGION = "ussouth3"
_FORBIDDEN = (
    "The server failed to authenticate the request. Verify that the certificate is valid and is associated with "  # noqa: E501
    "this subscription."
)
_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MIN_VERSION = "2012-03-01"
MAX_VERSION = "2017-01-01"
_VERSIONS = """
2012-03-01 2012-08-01 2013-03-01 2013-06-01 2013-08-01 2013-10-01 2013-11-01 2014-02-01 2014-04-01
2014-05-01 2014-06-01 2014-07-01 2014-10-01 2015-02-01 2015-03-01 2015-04-01 2015-06-01 2015-07-01
2015-09-01 2015-10-01 2015-12-01 2016-03-01 2016-06-01 2016-09-01 2016-11-01 2017-01-01
"""
KNOWN_VERSIONS = frozenset(_VERSIONS.split())
"""x-ms-version values RDFE shipped between the IaaS launch and the last recorded SDK."""

_TOO_LARGE = "The request body is too large and exceeds the maximum permissible limit."
MAX_BODY = 4 * 1024 * 1024
"""Largest request body accepted, of any content type (the largest real request is a few hundred KB)."""
PARSE_IN_THREAD = 64 * 1024
"""Bodies above this size are parsed off the event loop, which keeps serving other clients meanwhile."""
CACHE_BYTES = 32 * 1024 * 1024
"""What the read cache may hold in rendered bodies."""


class _QueryView(dict[str, str]):
    """A request's query parameters that remember which of them the handler looked at.

    A read's answer depends on the stored state and on the parameters the handler read; keying the
    cache by those alone means parameters a route ignores (cache busters, typos) create no entries.
    """

    def __init__(self, items: dict[str, str]) -> None:
        super().__init__(items)
        self.read: set[str] = set()
        self.read_all = False

    def get(self, key: str, default: Any = None) -> Any:  # Any: dict.get's own overloads
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> str:
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.read.add(str(key))
        return super().__contains__(key)

    def __iter__(self) -> Iterator[str]:
        self.read_all = True
        return super().__iter__()

    # Any: the views dict returns (dict_keys …) have no public name to annotate with.
    def keys(self) -> Any:
        self.read_all = True
        return super().keys()

    def values(self) -> Any:
        self.read_all = True
        return super().values()

    def items(self) -> Any:
        self.read_all = True
        return super().items()

    def __len__(self) -> int:
        self.read_all = True
        return super().__len__()


_MAX_VARIANTS = 8

_CacheKey = tuple[tuple[str, ...], tuple[str, ...], tuple[str | None, ...]]
"""(path, representation, version …), names of the query parameters read, their values."""


class _ReadCache:
    """Rendered answers of reads, valid while the store's version is unchanged, bounded by bytes.

    Entries are keyed by the request's path, representation and version header plus the values of
    the query parameters the handler read when it rendered the entry.
    """

    def __init__(self, max_bytes: int = CACHE_BYTES, max_paths: int = 8192) -> None:
        self.max_bytes = max_bytes
        self.max_paths = max_paths
        self.size = 0
        self._version = -1
        self._read_keys: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        self._entries: OrderedDict[_CacheKey, tuple[int, str, bytes, dict[str, str]]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def _sync(self, version: int) -> None:
        if version != self._version:  # any write invalidates every rendered answer
            self._entries.clear()
            self._read_keys.clear()
            self.size = 0
            self._version = version

    def get(
        self, version: int, base: tuple[str, ...], query: dict[str, str]
    ) -> tuple[int, str, bytes, dict[str, str]] | None:
        self._sync(version)
        for names in self._read_keys.get(base, ()):
            key = (base, names, tuple(query.get(n) for n in names))
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
                return hit
        return None

    def put(
        self,
        version: int,
        base: tuple[str, ...],
        query: _QueryView,
        entry: tuple[int, str, bytes, dict[str, str]],
    ) -> None:
        self._sync(version)
        size = len(entry[2]) + 256
        if size > self.max_bytes // 8:
            return
        names = tuple(sorted(query.read if not query.read_all else dict.keys(query)))
        if len(self._read_keys) >= self.max_paths and base not in self._read_keys:
            self._sync(-1)  # paths seen (404s of made-up names too) are bounded as well
            self._version = version
        variants = self._read_keys.setdefault(base, [])
        if names not in variants:
            if len(variants) >= _MAX_VARIANTS:
                return  # a route reading every parameter: do not let each new one add a variant
            variants.append(names)
        key = (base, names, tuple(dict.get(query, n) for n in names))
        old = self._entries.pop(key, None)
        if old is not None:
            self.size -= len(old[2]) + 256
        self._entries[key] = entry
        self.size += size
        while self.size > self.max_bytes and self._entries:
            _, evicted = self._entries.popitem(last=False)
            self.size -= len(evicted[2]) + 256


def build_router() -> Router:
    """The route table of every supported operation."""
    router = Router()
    handlers_catalog.register(router)
    handlers_services.register(router)
    handlers_roles.register(router)
    handlers_extras.register(router)
    handlers_cloud.register(router)
    handlers_network.register(router)
    return router


class EmulatorApp:
    """Holds the engine and routing; ``asgi`` is the Starlette application to serve."""

    def __init__(self, engine: Engine, faults: Faults) -> None:
        self.engine = engine
        self.faults = faults
        self.router = build_router()
        self.redirect_port: int | None = None
        self._thumb_subs: dict[str, set[str]] = {}
        self._der_thumb: dict[bytes, str] = {}
        self.max_body = MAX_BODY
        self._cache = _ReadCache()
        self.reload_certs()
        methods = ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS"]
        self.asgi = Starlette(routes=[Route("/{path:path}", self.endpoint, methods=methods)])

    def reload_certs(self) -> None:
        """Refresh the thumbprint → subscriptions map from the store."""
        mapping: dict[str, set[str]] = {}
        for sub, thumb, _pem, _created in self.engine.store.certs():
            mapping.setdefault(thumb, set()).add(sub)
        self._thumb_subs = mapping

    def _thumb(self, der: bytes) -> str:
        thumb = self._der_thumb.get(der)
        if thumb is None:
            thumb = hashlib.sha1(der).hexdigest().upper()
            if len(self._der_thumb) > 1024:
                self._der_thumb.clear()
            self._der_thumb[der] = thumb
        return thumb

    async def endpoint(self, request: Request) -> Response:
        """Handle one request (the single Starlette route)."""
        request_id = new_request_id()
        state: Node = request.scope.get("state") or {}
        if self.faults.active:
            injected = await self._inject(request, request_id, state)
            if injected is not None:
                return injected
        try:
            reply = await self._dispatch(request, request_id, state)
        except ApiError as exc:
            reply = Reply(exc.status, "Error", rc.error(exc.code, exc.message))
        except ClientDisconnect:
            # Nobody is left to answer: one line, not an internal error with a traceback.
            peer = request.client
            log.info(
                "client %s disconnected before its request body was complete (%s %s)",
                f"{peer.host}:{peer.port}" if peer else "?",
                request.method,
                request.url.path,
            )
            return Response(b"", status_code=400)
        except Exception:
            log.exception("internal error handling %s %s", request.method, request.url.path)
            reply = Reply(
                500,
                "Error",
                rc.error(
                    "InternalError", "The server encountered an internal error. Please retry the request."
                ),
            )
        return self._respond(request, request_id, reply)

    async def _inject(self, request: Request, request_id: str, state: Node) -> Response | None:
        if self.faults.latency:
            await asyncio.sleep(self.faults.latency)
        if self.faults.operation_latency and _is_operation_status(request):
            await asyncio.sleep(self.faults.operation_latency)
        on_redirect_port = self.redirect_port is not None and request.url.port == self.redirect_port
        fault = None if on_redirect_port else self.faults.decide()
        if fault == "drop":
            transport = state.get("transport")
            if transport is not None:
                transport.abort()
            return Response(b"", status_code=200)
        if fault == "error":
            headers = {} if self.faults.retry_after is None else {"Retry-After": str(self.faults.retry_after)}
            reply = Reply(
                503,
                "Error",
                rc.error("TooManyRequests", "Too many requests received. Retry after some time."),
                headers,
            )
            return self._respond(request, request_id, reply)
        if fault == "redirect" and self.redirect_port is not None:
            target = request.url.replace(port=self.redirect_port)
            return Response(
                b"",
                status_code=307,
                headers={"Location": str(target), "Server": SERVER_HEADER, "x-ms-servedbyregion": "usnorth"},
            )
        return None

    async def _dispatch(self, request: Request, request_id: str, state: Node) -> Reply:
        segments = [s for s in request.url.path.split("/") if s]
        if not segments:
            raise ApiError(
                404, "ResourceNotFound", "The requested URI does not represent any resource on the server."
            )
        sub = segments[0].lower()
        der = state.get("peer_cert")
        if not der or sub not in self._thumb_subs.get(self._thumb(der), ()):
            raise ApiError(403, "ForbiddenError", _FORBIDDEN)
        version = request.headers.get("x-ms-version", "")
        if version not in KNOWN_VERSIONS:
            raise ApiError(
                400,
                "MissingOrIncorrectVersionHeader",
                "The versioning header is not specified or was specified incorrectly.",
            )
        found = self.router.match(request.method, segments[1:])
        if found is None:
            raise ApiError(
                404, "ResourceNotFound", "The requested URI does not represent any resource on the server."
            )
        if found is False:
            raise ApiError(
                400, "InvalidHttpVerb", "The HTTP verb specified was not recognized by the server."
            )
        assert not isinstance(found, bool)
        handler, params, mutating = found
        body = await self._read_body(request) if request.method in ("POST", "PUT", "PATCH", "DELETE") else b""
        content_type = request.headers.get("content-type", "application/xml")
        ctx = Ctx(
            engine=self.engine,
            sub=sub,
            request_id=request_id,
            method=request.method,
            query=_QueryView({k.lower(): v for k, v in request.query_params.items()}),
            body=body,
            content_type=content_type,
            version=version,
            continuation=request.headers.get("x-ms-continuation-token", ""),
        )
        if len(body) > PARSE_IN_THREAD:
            ctx.parsed = await asyncio.to_thread(_parse_or_error, body, content_type)
        self.engine.advance()
        if not mutating:
            return self._cached_read(request, ctx, handler, params)
        with self.engine.store.tx():
            reply = handler(ctx, **params)
        reply.node = versions.for_version(reply.node, version, reply.tag or "")
        if segments[1:2] and segments[1].lower() == "certificates":
            self.reload_certs()
        if self.faults.active and self.faults.answer_lost():
            # Applied and committed above; the client never learns it (a timeout on a real network).
            transport = state.get("transport")
            if transport is not None:
                transport.abort()
        return reply

    async def _read_body(self, request: Request) -> bytes:
        """The request body, refused with 413 as soon as it is known to exceed :attr:`max_body`
        (by its Content-Length, or while counting what arrives)."""
        too_large = ApiError(413, "RequestBodyTooLarge", _TOO_LARGE)
        declared = request.headers.get("content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > self.max_body:
            raise too_large
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > self.max_body:
                raise too_large
            chunks.append(chunk)
        return b"".join(chunks)

    def _cached_read(self, request: Request, ctx: Ctx, handler: Handler, params: dict[str, str]) -> Reply:
        as_json = "application/json" in request.headers.get("accept", "").lower()
        base = (
            ctx.sub,
            request.url.path.lower(),
            "json" if as_json else "xml",
            ctx.version,
            ctx.continuation,
        )
        version = self.engine.store.version
        query = ctx.query
        assert isinstance(query, _QueryView)
        hit = self._cache.get(version, base, query)
        if hit is not None:
            return Reply(hit[0], raw=hit[2], raw_type=hit[1], headers=dict(hit[3]))
        try:
            reply = handler(ctx, **params)
        except ApiError as exc:
            reply = Reply(exc.status, "Error", rc.error(exc.code, exc.message))
        reply.node = versions.for_version(reply.node, ctx.version, reply.tag or "")
        body, media_type = self._render(request, reply)
        if self.engine.store.version == version:  # rendering wrote nothing: the answer is the state's
            self._cache.put(version, base, query, (reply.status, media_type, body, dict(reply.headers)))
        return Reply(reply.status, raw=body, raw_type=media_type, headers=reply.headers)

    def _render(self, request: Request, reply: Reply) -> tuple[bytes, str]:
        if reply.raw is not None:
            return reply.raw, reply.raw_type
        if reply.tag is None:
            return b"", ""
        if "application/json" in request.headers.get("accept", "").lower():
            return to_json(reply.tag, reply.node), "application/json; charset=utf-8"
        return to_xml(reply.tag, reply.node), "application/xml; charset=utf-8"

    def _respond(self, request: Request, request_id: str, reply: Reply) -> Response:
        headers = {
            "Cache-Control": "no-cache",
            "Server": SERVER_HEADER,
            "x-ms-servedbyregion": REGION,
            "x-ms-request-id": request_id,
            **reply.headers,
        }
        body, media_type = self._render(request, reply)
        if not media_type:
            return Response(b"", status_code=reply.status, headers=headers)
        return Response(body, status_code=reply.status, headers=headers, media_type=media_type)


def _is_operation_status(request: Request) -> bool:
    segments = [x for x in request.url.path.split("/") if x]
    return request.method == "GET" and len(segments) == 3 and segments[1].lower() == "operations"


def _parse_or_error(body: bytes, content_type: str) -> tuple[str, Value] | Exception:
    """:func:`parse_body` for a worker thread: its error is returned for the handler to report."""
    try:
        return parse_body(body, content_type)
    except Exception as exc:  # reported by Ctx.node as the 400 it would have raised in-line
        return exc
