"""TLS for the emulator that requests a client certificate and accepts any, as RDFE did.

RDFE asked for a client certificate, took whatever the client sent and decided per request:
a certificate that is not a management certificate of the subscription (or none at all) got
403 ForbiddenError. Python's ``ssl`` cannot do that: it has no verify callback, so a server
that asks for a client certificate must also verify it against a trust store, and an unknown
self-signed certificate fails the handshake. pyOpenSSL has the callback, so this module runs
TLS with pyOpenSSL over memory BIOs inside an asyncio protocol: the listening socket is plain
TCP, :class:`TlsProtocol` decrypts, and uvicorn's h11 protocol is fed plaintext through
:class:`_PlainTransport`. The application reads the peer certificate (DER, or None) and the
transport from the per-connection ASGI ``state``.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import h11
from cryptography.hazmat.primitives.serialization import Encoding
from OpenSSL import SSL
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger("smtui.emulator")

_READ = 256 * 1024


@dataclass(frozen=True)
class ServerLimits:
    """How long a connection may take over each phase, and how many may be open at once.

    A client that stays silent, trickles its headers or stalls its body is cut off when its phase
    runs out, so it cannot hold a connection (and its memory) forever while others are served.

    Attributes:
        handshake_timeout: Seconds from TCP accept to the end of the TLS handshake.
        idle_timeout: Seconds a connection may wait without a request (after the handshake or
            between keep-alive requests).
        header_timeout: Seconds from a request's first byte to the end of its headers.
        body_timeout: Seconds from the end of the headers to the end of the body.
        max_connections: Open connections per server; above it, idle keep-alive connections are
            closed to make room, and only when none is idle is a new connection refused.
    """

    # Generous for a handshake: under a burst (500 clients at once) the server itself is what is slow.
    handshake_timeout: float = 30.0
    idle_timeout: float = 15.0
    header_timeout: float = 15.0
    body_timeout: float = 30.0
    max_connections: int = 1024


def _accept_any(_conn: SSL.Connection, _cert: Any, _errno: int, _depth: int, _ok: int) -> bool:
    # Authorization is the application's job (403 ForbiddenError per request), not the handshake's.
    return True


def server_context(certfile: Path, keyfile: Path) -> SSL.Context:
    """A TLS 1.2/1.3 server context presenting ``certfile`` that requests, but does not judge, a
    client certificate.

    Args:
        certfile: PEM server certificate (chain).
        keyfile: PEM private key of ``certfile``.
    """
    ctx = SSL.Context(SSL.TLS_SERVER_METHOD)
    ctx.set_min_proto_version(SSL.TLS1_2_VERSION)
    ctx.use_certificate_chain_file(str(certfile))
    ctx.use_privatekey_file(str(keyfile))
    ctx.check_privatekey()
    # Without VERIFY_FAIL_IF_NO_PEER_CERT a client without a certificate still connects and gets 403,
    # as RDFE answered a browser.
    ctx.set_verify(SSL.VERIFY_PEER, _accept_any)
    # OpenSSL refuses to resume sessions of a verifying server without a session id context.
    ctx.set_session_id(b"smtui-emulator")
    ctx.set_options(SSL.OP_NO_COMPRESSION | SSL.OP_NO_RENEGOTIATION)
    return ctx


class _PlainTransport(asyncio.Transport):
    """What the h11 protocol writes to: plaintext in, TLS records out to the TCP transport."""

    def __init__(self, owner: TlsProtocol, extra: dict[str, Any]) -> None:
        super().__init__(extra)
        self._owner = owner
        self._closing = False
        self._pending: list[bytes] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        # h11 writes a response as headers, body and end-of-message: gathered until the loop's
        # next turn, they cost one TLS record and one send() instead of two or three.
        if self._closing or not data:
            return
        if not self._pending:
            self._owner.loop.call_soon(self._send_pending)
        self._pending.append(bytes(data))

    def _send_pending(self) -> None:
        if self._pending:
            data = b"".join(self._pending)
            self._pending.clear()
            self._owner.send_plain(data)

    def writelines(self, list_of_data: Any) -> None:
        self.write(b"".join(list_of_data))

    def can_write_eof(self) -> bool:
        return False

    def close(self) -> None:
        if not self._closing:
            self._send_pending()
            self._closing = True
            self._owner.close_tls()

    def abort(self) -> None:
        self._closing = True
        self._pending.clear()
        self._owner.tcp.abort()

    def is_closing(self) -> bool:
        return self._closing or self._owner.tcp.is_closing()

    def pause_reading(self) -> None:
        self._owner.tcp.pause_reading()

    def resume_reading(self) -> None:
        self._owner.tcp.resume_reading()

    def is_reading(self) -> bool:
        return self._owner.tcp.is_reading()

    def get_write_buffer_size(self) -> int:
        return self._owner.tcp.get_write_buffer_size() + sum(map(len, self._pending))

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._owner.tcp.set_write_buffer_limits(high, low)


class TlsProtocol(asyncio.Protocol):
    """Server side of one TLS connection; after the handshake it runs an :class:`H11Protocol`
    whose ``app_state`` carries ``peer_cert`` (DER bytes or None) and ``transport``.

    uvicorn builds it the way it builds any ``http`` protocol class; :func:`protocol_class` binds the
    :func:`server_context` to it.
    """

    context: SSL.Context
    limits: ServerLimits = ServerLimits()
    open_connections: ClassVar[set[TlsProtocol]]

    def __init__(
        self,
        config: Any,
        server_state: Any,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        self._config = config
        self._server_state = server_state
        self._app_state = app_state
        self.loop = _loop or asyncio.get_event_loop()
        self._conn = SSL.Connection(self.context, None)
        self._conn.set_accept_state()
        self.tcp: asyncio.Transport = None  # type: ignore[assignment]
        self._inner: H11Protocol | None = None
        self._plain: _PlainTransport | None = None
        self._timeout: asyncio.TimerHandle | None = None
        self._phase = ""

    # -- phases and their deadlines ------------------------------------------------------------------------
    def _arm(self, phase: str, seconds: float) -> None:
        """Start ``phase``'s deadline unless that phase is already running (trickled bytes do not
        extend it)."""
        if phase == self._phase:
            return
        self._disarm()
        self._phase = phase
        self._timeout = self.loop.call_later(seconds, self._expired)

    def _disarm(self) -> None:
        self._phase = ""
        if self._timeout is not None:
            self._timeout.cancel()
            self._timeout = None

    def _expired(self) -> None:
        self._timeout = None
        if self._phase != "idle":
            peer = self.tcp.get_extra_info("peername")
            log.info("closing connection from %s: %s not complete in time", _addr(peer), self._phase)
        self._phase = ""
        self.tcp.abort()

    def _watch(self) -> None:
        """Re-arm the deadline for the phase the request on this connection is in now."""
        inner = self._inner
        if inner is None:
            return
        conn = inner.conn
        theirs = conn.their_state
        if theirs is h11.IDLE and conn.our_state is h11.IDLE:
            if conn.trailing_data[0]:
                self._arm("headers", self.limits.header_timeout)
            elif inner.timeout_keep_alive_task is None:
                # uvicorn arms its own keep-alive timer only after a response.
                self._arm("idle", self.limits.idle_timeout)
            else:
                self._disarm()
        elif theirs is h11.SEND_BODY:
            self._arm("body", self.limits.body_timeout)
        else:
            self._disarm()  # the application has the request: its time is not the client's

    def is_idle(self) -> bool:
        """Whether this connection waits for a request with nothing received (it may be closed)."""
        inner = self._inner
        if inner is None or self.tcp is None or self.tcp.is_closing():
            return False
        conn = inner.conn
        return conn.their_state is h11.IDLE and conn.our_state is h11.IDLE and not conn.trailing_data[0]

    def _make_room(self) -> bool:
        """Keep the open connections under the cap: close an idle one; False if none could go."""
        opened = type(self).open_connections
        if len(opened) < self.limits.max_connections:
            return True
        for other in opened:
            if other.is_idle():
                other.tcp.close()
                opened.discard(other)
                return True
        return False

    # -- TCP side ----------------------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.tcp = transport
        if not self._make_room():
            log.warning("refusing a connection: %d connections open", self.limits.max_connections)
            transport.abort()
            return
        type(self).open_connections.add(self)
        sock = transport.get_extra_info("socket")
        if sock is not None:
            # h11 writes headers and body separately; without NODELAY, Nagle + delayed ACK add ~40 ms.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._arm("handshake", self.limits.handshake_timeout)

    def data_received(self, data: bytes) -> None:
        self._conn.bio_write(data)
        if self._inner is None and not self._handshake():
            return
        chunks: list[bytes] = []
        closed = False
        try:
            while True:
                chunks.append(self._conn.recv(_READ))
        except SSL.WantReadError:
            pass
        except SSL.ZeroReturnError:
            closed = True  # close_notify from the client
        except SSL.Error as exc:
            log.debug("TLS error: %s", exc)
            self._flush()
            self.tcp.abort()
            return
        self._flush()  # TLS 1.3 key updates and alerts
        if chunks and self._inner is not None:
            self._inner.data_received(b"".join(chunks))
            self._watch()
        if closed and self._plain is not None:
            self._plain.close()

    def eof_received(self) -> bool | None:
        if self._inner is not None:
            self._inner.eof_received()
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        type(self).open_connections.discard(self)
        if self._inner is not None:
            self._inner.connection_lost(exc)

    def pause_writing(self) -> None:
        if self._inner is not None:
            self._inner.pause_writing()

    def resume_writing(self) -> None:
        if self._inner is not None:
            self._inner.resume_writing()

    # -- TLS -------------------------------------------------------------------------------------------
    def _handshake(self) -> bool:
        try:
            self._conn.do_handshake()
        except SSL.WantReadError:
            self._flush()
            return False
        except SSL.Error as exc:
            log.debug("TLS handshake failed: %s", exc)
            self._flush()  # the alert
            self.tcp.abort()
            return False
        self._flush()
        self._disarm()
        peer = self._conn.get_peer_certificate(as_cryptography=True)
        der = None if peer is None else peer.public_bytes(Encoding.DER)
        plain = _PlainTransport(
            self,
            {
                "socket": self.tcp.get_extra_info("socket"),
                "peername": self.tcp.get_extra_info("peername"),
                "sockname": self.tcp.get_extra_info("sockname"),
                "sslcontext": self.context,
                "peercert_der": der,
            },
        )
        self._plain = plain
        state = {**self._app_state, "peer_cert": der, "transport": plain}
        self._inner = H11Protocol(self._config, self._server_state, state, _loop=self.loop)
        self._inner.connection_made(plain)
        self._watch()
        return True

    def _flush(self) -> None:
        out: list[bytes] = []
        try:
            while True:
                out.append(self._conn.bio_read(_READ))
        except SSL.WantReadError:
            pass
        if out and not self.tcp.is_closing():
            self.tcp.write(b"".join(out))

    def send_plain(self, data: bytes) -> None:
        """Encrypt ``data`` and write it to the TCP transport."""
        try:
            self._conn.sendall(data)
        except SSL.Error as exc:
            log.debug("TLS write failed: %s", exc)
            self.tcp.abort()
            return
        self._flush()

    def close_tls(self) -> None:
        """Send close_notify and close the TCP transport once it has written everything."""
        try:
            self._conn.shutdown()
        except SSL.Error:
            pass
        self._flush()
        self.tcp.close()


def _addr(peer: Any) -> str:
    return f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) and len(peer) >= 2 else "?"


def protocol_class(context: SSL.Context, limits: ServerLimits | None = None) -> type[TlsProtocol]:
    """The ``http`` protocol class to give uvicorn (with no ``ssl_*`` options) to serve over ``context``.

    Each class counts its own open connections against ``limits.max_connections``.
    """
    attrs = {"context": context, "limits": limits or ServerLimits(), "open_connections": set()}
    return type("BoundTlsProtocol", (TlsProtocol,), attrs)
