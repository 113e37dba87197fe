"""A keep-alive pool whose bookkeeping stays linear in the number of connections.

httpcore's :class:`~httpcore.AsyncConnectionPool` re-examines the whole pool each time a request
is queued and each time a response is closed, and part of that examination is quadratic: for
every idle connection it counts the idle connections again, and it asks every idle connection
whether its socket became readable (a ``poll`` plus several anyio attribute look-ups). With 64
connections a 505-service fan-out made 9-11 million ``is_idle`` calls, and the client's CPU per
request grew from 3 ms at 8 in flight to 35 ms at 128: more concurrency was slower.

:class:`LinearPoolMixin` replaces only that examination (``_assign_requests_to_connections``)
with one pass over the connections and one over the queued requests; a connection's socket is
checked only when it is about to be reused. Queuing, waiting, cancellation and release stay
httpcore's. :func:`build_transport` makes an :class:`httpx.AsyncHTTPTransport` use it, for direct
connections and through an HTTP CONNECT proxy alike; with an httpcore whose pool classes it does
not know it leaves the stock pool in place (correct, only slower).
"""

from __future__ import annotations

import ssl
from typing import TYPE_CHECKING, Any

import httpcore
import httpx

__all__ = ["LinearPoolMixin", "build_transport", "uses_linear_pool"]


class LinearPoolMixin:
    """Overrides the pool examination of an httpcore async pool (see the module docstring)."""

    _connections: list[Any]
    _requests: list[Any]
    _max_connections: int
    _max_keepalive_connections: int

    if TYPE_CHECKING:

        def create_connection(self, origin: httpcore.Origin) -> Any:
            """Provided by the httpcore pool the mixin is combined with."""

    def _assign_requests_to_connections(self) -> list[Any]:
        queued = [request for request in self._requests if request.is_queued()]
        if not queued:
            # A response was closed and nobody waits: nothing to assign. Closed connections are
            # dropped on the next pass that has work (they hold nothing but a closed socket).
            return []
        closing: list[Any] = []
        kept: list[Any] = []
        idle: list[Any] = []
        for connection in self._connections:
            if connection.is_closed():
                continue
            kept.append(connection)
            if connection.is_idle():
                idle.append(connection)
        # Surplus idle connections beyond the keep-alive limit are closed, oldest first.
        while len(idle) > self._max_keepalive_connections:
            surplus = idle.pop(0)
            kept.remove(surplus)
            closing.append(surplus)
        self._connections = kept

        # Connections handed out in this pass are not available again until their request runs.
        available = [connection for connection in kept if connection.is_available()]
        for pool_request in queued:
            origin = pool_request.request.url.origin
            connection = self._reusable(available, origin, closing)
            if connection is not None and connection in idle:
                idle.remove(connection)  # assigned in this pass: no longer a spare to close
            if connection is None:
                if len(self._connections) >= self._max_connections:
                    spare = next((c for c in idle if c not in closing), None)
                    if spare is None:
                        break  # every connection is busy: the rest stay queued
                    idle.remove(spare)
                    if spare in available:
                        available.remove(spare)
                    self._connections.remove(spare)
                    closing.append(spare)
                connection = self.create_connection(origin)
                self._connections.append(connection)
            pool_request.assign_to_connection(connection)
        return closing

    def _reusable(self, available: list[Any], origin: httpcore.Origin, closing: list[Any]) -> Any:
        """The most recently used available connection to ``origin`` that is still open."""
        for index in range(len(available) - 1, -1, -1):
            connection = available[index]
            if not connection.can_handle_request(origin):
                continue
            del available[index]
            # has_expired() polls the socket: done only for the connection about to be reused.
            if connection.has_expired():
                self._connections.remove(connection)
                closing.append(connection)
                continue
            return connection
        return None


class LinearConnectionPool(LinearPoolMixin, httpcore.AsyncConnectionPool):
    """httpcore's direct-connection pool with linear bookkeeping."""


class LinearHTTPProxy(LinearPoolMixin, httpcore.AsyncHTTPProxy):
    """httpcore's CONNECT-proxy pool with linear bookkeeping."""


_LINEAR: dict[type, type] = {
    httpcore.AsyncConnectionPool: LinearConnectionPool,
    httpcore.AsyncHTTPProxy: LinearHTTPProxy,
}


def build_transport(
    ssl_context: ssl.SSLContext, *, proxy_url: str | None, max_connections: int
) -> httpx.AsyncHTTPTransport:
    """An httpx transport over a linear pool of at most ``max_connections`` keep-alive connections.

    Args:
        ssl_context: Client TLS context (certificate, server verification).
        proxy_url: HTTP CONNECT proxy URL, or ``None`` for direct connections.
        max_connections: Pool size (also the number of connections kept alive).
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
        # Same instance layout (the subclasses add no state): only the examination changes.
        pool.__class__ = linear
    return transport


def uses_linear_pool(transport: httpx.AsyncBaseTransport) -> bool:
    """Whether ``transport`` got the linear pool (false if httpx/httpcore changed underneath)."""
    return isinstance(getattr(transport, "_pool", None), LinearPoolMixin)
