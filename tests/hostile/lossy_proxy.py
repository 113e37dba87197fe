"""A TLS front for a running emulator that loses chosen answers after the emulator applied them.

It stands for the network failure "applied, answer lost": the request reaches the emulator
(which commits it), then the connection to the client is dropped before any answer byte.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable
from typing import Any

import httpx

_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "host"}


class LossyProxy:
    """Forwards every request to ``emu``; drops the answer of those ``lose(method, path)`` picks."""

    def __init__(self, emu: Any, lose: Callable[[str, str], bool]) -> None:
        self.emu = emu
        self.lose = lose
        self.seen: list[tuple[str, str]] = []
        self.lost: list[tuple[str, str]] = []
        self.hostport = ""
        self._server: asyncio.AbstractServer | None = None
        self._upstream: httpx.AsyncClient | None = None

    async def start(self) -> LossyProxy:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(self.emu.cert_dir / "server.pem", self.emu.cert_dir / "server.key")
        upstream = ssl.create_default_context(cafile=str(self.emu.ca_file))
        upstream.load_cert_chain(self.emu.client_cert, self.emu.client_key)
        self._upstream = httpx.AsyncClient(base_url=self.emu.base_url, verify=upstream)
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0, ssl=ctx)
        self.hostport = f"127.0.0.1:{self._server.sockets[0].getsockname()[1]}"
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        if self._upstream is not None:
            await self._upstream.aclose()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                line, *header_lines = head.decode("latin-1").split("\r\n")
                method, target, _ = line.split(" ", 2)
                headers = {}
                for item in header_lines:
                    if ":" in item:
                        name, _, value = item.partition(":")
                        headers[name.strip()] = value.strip()
                length = int(next((v for k, v in headers.items() if k.lower() == "content-length"), "0"))
                body = await reader.readexactly(length) if length else b""
                self.seen.append((method, target))
                assert self._upstream is not None
                answer = await self._upstream.request(
                    method,
                    target,
                    content=body,
                    headers={k: v for k, v in headers.items() if k.lower() not in _HOP_BY_HOP},
                )
                if self.lose(method, target):
                    self.lost.append((method, target))
                    writer.transport.abort()  # applied upstream; the answer never reaches the client
                    return
                out = [f"HTTP/1.1 {answer.status_code} {answer.reason_phrase}"]
                out += [f"{k}: {v}" for k, v in answer.headers.items() if k.lower() not in _HOP_BY_HOP]
                out.append(f"Content-Length: {len(answer.content)}")
                writer.write(("\r\n".join(out) + "\r\n\r\n").encode("latin-1") + answer.content)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
            writer.transport.abort()
