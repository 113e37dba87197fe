"""A keep-alive pool whose bookkeeping does not grow with the number of connections.

httpcore's :class:`~httpcore.AsyncConnectionPool` re-examines the whole pool each time a request
is queued and each time a response is closed, and part of that examination is quadratic: for
every idle connection it counts the idle connections again, and it asks every idle connection
whether its socket became readable (a ``poll`` plus several anyio attribute look-ups). With 64
connections a 505-service fan-out made 9-11 million ``is_idle`` calls, and the client's CPU per
request grew from 3 ms at 8 in flight to 35 ms at 128: more concurrency was slower. Even one
linear pass per examination (6 calls per connection) still made 128 in flight cost twice the CPU
per request of 16.

:class:`LinearPoolMixin` replaces only that examination (``_assign_requests_to_connections``):
connections freed by finished requests go on a stack, a new request takes the top one, and a
connection's socket is checked only when it is about to be reused. Queuing, waiting,
cancellation and release stay httpcore's. :func:`build_transport` makes an
:class:`httpx.AsyncHTTPTransport` use it, for direct connections and through an HTTP CONNECT proxy
alike; with an httpcore whose pool classes it does not know it leaves the stock pool in place
(correct, only slower).
"""

from __future__ import annotations

import ssl
from typing import TYPE_CHECKING, Any

import httpcore
import httpx

from smtui.api.resumption import ResumingBackend

__all__ = ["LinearPoolMixin", "build_transport", "uses_linear_pool"]


class LinearPoolMixin:
    """Overrides the pool examination of an httpcore async pool (see the module docstring).

    The pool remembers which connection each request was given; when a request leaves the pool
    (its response closed, or it failed), its connection goes on a stack of free connections. A
    queued request takes the most recently freed connection that is still usable, or a new one.
    Only when the pool is full and nothing is free does it look at every connection.
    """

    _connections: list[Any]
    _requests: list[Any]
    _max_connections: int
    _max_keepalive_connections: int
    _free: list[Any]
    _given: dict[Any, Any]

    if TYPE_CHECKING:

        def create_connection(self, origin: httpcore.Origin) -> Any:
            """Provided by the httpcore pool the mixin is combined with."""

    def _linear_init(self) -> None:
        self._free = []
        self._given = {}  # pool request -> the connection it was given

    def _assign_requests_to_connections(self) -> list[Any]:
        closing: list[Any] = []
        queued = [request for request in self._requests if request.connection is None]
        if len(self._given) > len(self._requests) - len(queued):
            self._collect_released()  # some request that was given a connection has left
        for pool_request in queued:
            origin = pool_request.request.url.origin
            connection = self._pop_free(origin, closing)
            if connection is None:
                if len(self._connections) >= self._max_connections and not self._make_room(closing):
                    break  # every connection is busy: the rest stay queued
                connection = self.create_connection(origin)
                self._connections.append(connection)
            pool_request.assign_to_connection(connection)
            self._given[pool_request] = connection
        return closing

    def _collect_released(self) -> None:
        """Free the connections of requests that left the pool since the last pass."""
        present = set(self._requests)
        for pool_request in [r for r in self._given if r not in present]:
            self._free.append(self._given.pop(pool_request))

    def _pop_free(self, origin: httpcore.Origin, closing: list[Any]) -> Any:
        """The most recently freed connection to ``origin`` that is still usable, or None."""
        free = self._free
        skipped: list[Any] = []
        found = None
        while free:
            connection = free.pop()
            if connection.is_closed():
                self._forget(connection)
            elif not connection.can_handle_request(origin):
                skipped.append(connection)
            elif not connection.is_available() or connection.has_expired():
                # Not available with no request on it: given to a request cancelled before it
                # connected, or left mid-exchange. has_expired() polls the socket, so it is asked
                # only of the connection about to be reused.
                self._forget(connection)
                closing.append(connection)
            else:
                found = connection
                break
        free.extend(reversed(skipped))
        return found

    def _make_room(self, closing: list[Any]) -> bool:
        """Pool full, nothing free: drop closed connections, or close one idle (other origin)."""
        self._connections = [c for c in self._connections if not c.is_closed()]
        if len(self._connections) < self._max_connections:
            return True
        busy = set(map(id, self._given.values()))
        spare = next((c for c in self._connections if id(c) not in busy and c.is_idle()), None)
        if spare is None:
            return False
        self._forget(spare)
        closing.append(spare)
        return True

    def _forget(self, connection: Any) -> None:
        if connection in self._connections:
            self._connections.remove(connection)
        if connection in self._free:
            self._free.remove(connection)


class LinearConnectionPool(LinearPoolMixin, httpcore.AsyncConnectionPool):
    """httpcore's direct-connection pool with linear bookkeeping."""


class LinearHTTPProxy(LinearPoolMixin, httpcore.AsyncHTTPProxy):
    """httpcore's CONNECT-proxy pool with linear bookkeeping."""


_LINEAR: dict[type, type] = {
    httpcore.AsyncConnectionPool: LinearConnectionPool,
    httpcore.AsyncHTTPProxy: LinearHTTPProxy,
}


def build_transport(
    ssl_context: ssl.SSLContext,
    *,
    proxy_url: str | None,
    max_connections: int,
    resume_sessions: bool = True,
) -> httpx.AsyncHTTPTransport:
    """An httpx transport over a linear pool of at most ``max_connections`` keep-alive connections.

    Every connection may stay alive (keep-alive limit = pool size), which the linear pool relies on:
    it never closes surplus idle connections, only expired, closed or (when full) other-origin ones.

    Args:
        ssl_context: Client TLS context (certificate, server verification).
        proxy_url: HTTP CONNECT proxy URL, or ``None`` for direct connections.
        max_connections: Pool size (also the number of connections kept alive).
        resume_sessions: Resume TLS sessions across connections (:mod:`smtui.api.resumption`).
    """
    transport = httpx.AsyncHTTPTransport(
        verify=ssl_context,
        proxy=proxy_url,
        limits=httpx.Limits(
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=30.0,
        ),
        trust_env=False,
    )
    pool = getattr(transport, "_pool", None)
    linear = _LINEAR.get(type(pool))
    if pool is not None and linear is not None:
        # Same instance layout plus two bookkeeping attributes: only the examination changes.
        pool.__class__ = linear
        pool._linear_init()
    backend = getattr(pool, "_network_backend", None)
    if pool is not None and isinstance(backend, httpcore.AsyncNetworkBackend) and resume_sessions:
        pool._network_backend = ResumingBackend(backend)  # one full TLS handshake per server
    return transport


def uses_linear_pool(transport: httpx.AsyncBaseTransport) -> bool:
    """Whether ``transport`` got the linear pool (false if httpx/httpcore changed underneath)."""
    return isinstance(getattr(transport, "_pool", None), LinearPoolMixin)
