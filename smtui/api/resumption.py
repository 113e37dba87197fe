"""TLS session resumption for the client's connections: one full handshake per server, not one per
connection.

A full mutual-TLS handshake costs both sides a private-key signature (the client proves its
management certificate, the server its own), certificate parsing and verification: measured
against the emulator, ~4-5 ms of client CPU and as much of the server's per connection, so a
fan-out opening 64 or 128 connections at once spent more on handshakes than on its requests. A
resumed TLS 1.3 handshake skips the signatures and certificates; the server still knows the
client's certificate (it travels inside the session ticket) and authorizes each request as before.

:class:`ResumingBackend` wraps httpcore's network backend. Per SSL context and server (name and
address) it keeps the newest resumable session a connection received and offers it on the next
handshake. While the first connection to a server is still waiting for its session ticket, the
other new connections to that server wait for it (as browsers do), bounded by their connect
timeout; then they resume. A server that refuses the ticket just gets a full handshake. Python's
:mod:`ssl` takes a session only as a ``wrap_bio`` argument, which anyio does not pass, so the
context's ``wrap_bio`` is shadowed (on that instance) by one that adds the session chosen for the
handshake being made (a context variable: set only around :meth:`start_tls`).
"""

from __future__ import annotations

import asyncio
import contextvars
import select
import socket
import ssl
import time
import weakref
from typing import Any

import httpcore

__all__ = ["ResumingBackend"]

_Key = tuple[str | None, Any]

_OFFER: contextvars.ContextVar[ssl.SSLSession | None] = contextvars.ContextVar(
    "smtui_tls_offer", default=None
)


class _Sessions:
    """The resumable sessions of one SSL context, by server, and who is fetching the first one."""

    def __init__(self) -> None:
        self.by_server: dict[_Key, ssl.SSLSession] = {}
        self.priming: dict[_Key, tuple[asyncio.AbstractEventLoop, asyncio.Event]] = {}

    def end_priming(self, key: _Key) -> None:
        """The connection fetching ``key``'s first session is done (with one or not)."""
        _loop, event = self.priming.pop(key, (None, None))
        if event is not None:
            event.set()


_CONTEXTS: weakref.WeakKeyDictionary[ssl.SSLContext, _Sessions] = weakref.WeakKeyDictionary()


def _sessions_of(context: ssl.SSLContext) -> _Sessions:
    sessions = _CONTEXTS.get(context)
    if sessions is None:
        sessions = _CONTEXTS[context] = _Sessions()
        owner = weakref.ref(context)  # the function lives on the context: no reference cycle

        def wrap_bio(
            incoming: ssl.MemoryBIO,
            outgoing: ssl.MemoryBIO,
            server_side: bool = False,
            server_hostname: str | bytes | None = None,
            session: ssl.SSLSession | None = None,
        ) -> ssl.SSLObject:
            offer = _OFFER.get() if session is None and not server_side else None
            this = owner()
            assert this is not None  # called through the context, so it is alive
            offered = session or offer
            return ssl.SSLContext.wrap_bio(this, incoming, outgoing, server_side, server_hostname, offered)

        # An instance attribute: anyio calls context.wrap_bio() and still sees a stdlib SSLContext.
        context.wrap_bio = wrap_bio  # type: ignore[method-assign]
    return sessions


def _resumable(ssl_object: ssl.SSLObject | None) -> ssl.SSLSession | None:
    if ssl_object is None:
        return None
    session = ssl_object.session
    if session is None:
        return None
    # TLS 1.3: resumable only once the server's NewSessionTicket has been read (after the handshake).
    if ssl_object.version() == "TLSv1.3" and not session.has_ticket:
        return None
    return session


def _readable(sock: socket.socket | None) -> bool:
    """Whether a read would not block: data or EOF waiting (a server that closed an idle connection)."""
    fd = -1 if sock is None else sock.fileno()
    if fd < 0:
        return True  # gone: as readable as a closed socket, so the pool drops the connection
    if not hasattr(select, "poll"):  # Windows
        return bool(select.select([fd], [], [], 0)[0])
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))


class _Stream(httpcore.AsyncNetworkStream):
    """A connection's stream; once TLS is up, it hands the session it receives to the cache."""

    def __init__(self, inner: httpcore.AsyncNetworkStream) -> None:
        self._inner = inner
        self._cache: _Sessions | None = None  # set while looking for this connection's session
        self._key: _Key = (None, None)
        self._leading = False
        self._socket: socket.socket | None = None
        self._watch: asyncio.Task[None] | None = None

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data = await self._inner.read(max_bytes, timeout)
        if self._cache is not None:
            self._keep_session(self._cache)
        return data

    def _keep_session(self, cache: _Sessions) -> None:
        # The server's ticket comes before its first answer: after the first read there is a
        # session to keep, or none will come (then the others stop waiting for it too).
        # Reading a session copies it (~0.2 ms): only when the one kept is missing or half-expired.
        kept = cache.by_server.get(self._key)
        if kept is None or time.time() - kept.time > kept.timeout / 2:
            session = _resumable(self._inner.get_extra_info("ssl_object"))
            if session is not None:
                cache.by_server[self._key] = session
        self._cache = None
        self._stop_leading(cache)

    def _stop_leading(self, cache: _Sessions) -> None:
        if self._leading:
            self._leading = False
            cache.end_priming(self._key)

    async def _watch_for_ticket(self, cache: _Sessions) -> None:
        """Hand the session on as soon as the server's ticket has been read, not at the first answer.

        A TLS 1.3 server sends its ticket right after the handshake; the first answer may come a
        server's whole processing time later (RDFE: 0.1-0.5 s), and every other new connection to
        it waits for the session until then. The pending read of the answer processes the ticket
        when it arrives, so it is enough to look now and then, for this one connection per server.
        """
        delay, waited = 0.001, 0.0
        while self._cache is not None and waited < 30.0:  # the first read ends it, or aclose()
            await asyncio.sleep(delay)
            waited += delay
            if self._cache is not None and _resumable(self._inner.get_extra_info("ssl_object")):
                self._keep_session(self._cache)
            delay = min(delay * 2, 0.05)

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._inner.write(buffer, timeout)

    async def aclose(self) -> None:
        if self._cache is not None:
            self._stop_leading(self._cache)
            self._cache = None
        if self._watch is not None:
            self._watch.cancel()
        await self._inner.aclose()

    async def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.AsyncNetworkStream:
        cache = _sessions_of(ssl_context)
        key: _Key = (server_hostname, self._inner.get_extra_info("server_addr"))
        session = cache.by_server.get(key)
        leading = False
        if session is None:
            loop = asyncio.get_running_loop()
            priming_loop, priming = cache.priming.get(key, (None, None))
            if priming is None or priming_loop is not loop:  # none, or left by another event loop
                cache.priming[key] = (loop, asyncio.Event())
                leading = True
            else:
                # Another connection is fetching this server's first session: resume it rather
                # than pay for one more full handshake (bounded by this connection's own timeout).
                try:
                    await asyncio.wait_for(priming.wait(), timeout)
                except TimeoutError:
                    pass
                session = cache.by_server.get(key)
        token = _OFFER.set(session)
        try:
            inner = await self._inner.start_tls(ssl_context, server_hostname, timeout)
        except BaseException:
            if leading:
                cache.end_priming(key)
            raise
        finally:
            _OFFER.reset(token)
        stream = _Stream(inner)
        stream._cache, stream._key, stream._leading = cache, key, leading
        if leading:
            stream._watch = asyncio.ensure_future(stream._watch_for_ticket(cache))
        return stream

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":
            # Asked before every reuse of a pooled connection; anyio rebuilds its whole attribute
            # table to find the socket each time, so the socket is looked up once.
            if self._socket is None:
                self._socket = self._inner.get_extra_info("socket")
            return _readable(self._socket)
        return self._inner.get_extra_info(info)


class ResumingBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend whose TLS connections resume sessions (module docstring)."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        return _Stream(stream)

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Any = None
    ) -> httpcore.AsyncNetworkStream:
        stream = await self._inner.connect_unix_socket(path, timeout, socket_options)
        return _Stream(stream)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
