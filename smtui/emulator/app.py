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
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
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
from smtui.emulator.nodes import to_json, to_xml
from smtui.emulator.routing import Ctx, Reply, Router

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
        # Rendered answers of read-only requests, valid while the store's version is unchanged.
        self._cache: dict[tuple[str, ...], tuple[int, int, str, bytes, dict[str, str]]] = {}
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
        state: dict[str, Any] = request.scope.get("state") or {}
        if self.faults.active:
            injected = await self._inject(request, request_id, state)
            if injected is not None:
                return injected
        try:
            reply = await self._dispatch(request, request_id, state)
        except ApiError as exc:
            reply = Reply(exc.status, "Error", rc.error(exc.code, exc.message))
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

    async def _inject(self, request: Request, request_id: str, state: dict[str, Any]) -> Response | None:
        if self.faults.latency:
            await asyncio.sleep(self.faults.latency)
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

    async def _dispatch(self, request: Request, request_id: str, state: dict[str, Any]) -> Reply:
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
        body = await request.body() if request.method in ("POST", "PUT", "PATCH", "DELETE") else b""
        ctx = Ctx(
            engine=self.engine,
            sub=sub,
            request_id=request_id,
            method=request.method,
            query={k.lower(): v for k, v in request.query_params.items()},
            body=body,
            content_type=request.headers.get("content-type", "application/xml"),
            version=version,
            continuation=request.headers.get("x-ms-continuation-token", ""),
        )
        self.engine.advance()
        if not mutating:
            return self._cached_read(request, ctx, handler, params)
        with self.engine.store.tx():
            reply = handler(ctx, **params)
        reply.node = versions.for_version(reply.node, version, reply.tag or "")
        if segments[1:2] and segments[1].lower() == "certificates":
            self.reload_certs()
        return reply

    def _cached_read(self, request: Request, ctx: Ctx, handler: Any, params: dict[str, str]) -> Reply:
        as_json = "application/json" in request.headers.get("accept", "").lower()
        key = (
            ctx.sub,
            request.url.path.lower(),
            str(sorted(ctx.query.items())),
            "json" if as_json else "xml",
            ctx.version,
            ctx.continuation,
        )
        version = self.engine.store.version
        hit = self._cache.get(key)
        if hit is not None and hit[0] == version:
            return Reply(hit[1], raw=hit[3], raw_type=hit[2], headers=dict(hit[4]))
        try:
            reply = handler(ctx, **params)
        except ApiError as exc:
            reply = Reply(exc.status, "Error", rc.error(exc.code, exc.message))
        reply.node = versions.for_version(reply.node, ctx.version, reply.tag or "")
        body, media_type = self._render(request, reply)
        if len(self._cache) > 4096:
            self._cache.clear()
        self._cache[key] = (version, reply.status, media_type, body, dict(reply.headers))
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
