"""Proxying through a real HTTP CONNECT proxy (HTTPS_PROXY and set_proxy_url), mutual TLS end to end."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator

import pytest

from smtui.api.errors import ValidationError
from smtui.api.operations import ApiRequest
from smtui.api.transport import normalize_proxy_url, proxy_from_environment

from .conftest import SUBSCRIPTION, Canned, ClientFactory, TestServer

PROBE: ApiRequest[None] = ApiRequest("Probe", "GET", "/probe")


class ConnectProxy:
    """A minimal HTTP CONNECT proxy: opens the tunnel and pipes bytes both ways (it never sees TLS)."""

    def __init__(self) -> None:
        self.tunnels: list[str] = []
        self.port = 0
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()
            return
        method, target, _ = head.split(b"\r\n", 1)[0].decode().split(" ", 2)
        if method != "CONNECT":
            writer.write(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
            writer.close()
            return
        host, port = target.rsplit(":", 1)
        self.tunnels.append(target)
        up_reader, up_writer = await asyncio.open_connection(host, int(port))
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError, asyncio.CancelledError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            with contextlib.suppress(Exception):
                dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


@pytest.fixture
async def proxy() -> AsyncIterator[ConnectProxy]:
    server = ConnectProxy()
    await server.start()
    yield server
    await server.stop()


def _dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_https_proxy_environment_is_honoured(
    tls_server: TestServer, make_client: ClientFactory, proxy: ConnectProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    tls_server.on("GET", f"/{SUBSCRIPTION}/probe", Canned(200))
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    client = make_client()
    assert client.proxy_url == proxy.url
    resp = await client.execute(PROBE)
    assert resp.is_successful, resp.error
    assert proxy.tunnels == [tls_server.hostport]
    assert len(tls_server.seen()) == 1


async def test_lower_case_variable_and_bare_host_port(
    tls_server: TestServer, make_client: ClientFactory, proxy: ConnectProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    tls_server.on("GET", f"/{SUBSCRIPTION}/probe", Canned(200))
    monkeypatch.setenv("https_proxy", f"127.0.0.1:{proxy.port}")
    assert (await make_client().execute(PROBE)).is_successful
    assert proxy.tunnels == [tls_server.hostport]


async def test_set_proxy_url_overrides_the_environment(
    tls_server: TestServer, make_client: ClientFactory, proxy: ConnectProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    tls_server.on("GET", f"/{SUBSCRIPTION}/probe", Canned(200))
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{_dead_port()}")
    client = make_client()
    broken = await client.execute(PROBE)
    assert broken.error is not None and broken.error.code == "ConnectError"
    assert "proxy" in broken.error.message
    client.set_proxy_url(proxy.url)
    resp = await client.execute(PROBE)
    assert resp.is_successful
    assert proxy.tunnels == [tls_server.hostport]


async def test_set_proxy_url_none_goes_direct(
    tls_server: TestServer, make_client: ClientFactory, proxy: ConnectProxy
) -> None:
    tls_server.on("GET", f"/{SUBSCRIPTION}/probe", Canned(200))
    client = make_client()
    client.set_proxy_url(proxy.url)
    assert (await client.execute(PROBE)).is_successful
    client.set_proxy_url(None)
    assert client.proxy_url is None
    assert (await client.execute(PROBE)).is_successful
    assert len(proxy.tunnels) == 1
    assert len(tls_server.seen()) == 2


async def test_no_proxy_is_honoured(
    tls_server: TestServer, make_client: ClientFactory, proxy: ConnectProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    tls_server.on("GET", f"/{SUBSCRIPTION}/probe", Canned(200))
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    client = make_client()
    assert client.proxy_url is None
    assert (await client.execute(PROBE)).is_successful
    assert proxy.tunnels == []


async def test_proxy_refusing_the_tunnel_is_a_proxy_error(
    tls_server: TestServer, make_client: ClientFactory
) -> None:
    async def refuse(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(refuse, "127.0.0.1", 0)
    try:
        client = make_client()
        client.set_proxy_url(f"http://user:hunter2@127.0.0.1:{server.sockets[0].getsockname()[1]}")
        assert client.proxy_url is not None and "hunter2" not in client.proxy_url
        resp = await client.execute(PROBE)
        assert resp.error is not None and resp.error.code == "ProxyError"
        assert "hunter2" not in resp.error.message
    finally:
        server.close()
        await server.wait_closed()


def test_proxy_urls_are_normalised() -> None:
    assert normalize_proxy_url("proxy.corp:3128") == "http://proxy.corp:3128"
    assert normalize_proxy_url("http://proxy.corp") == "http://proxy.corp:80"
    assert normalize_proxy_url("https://u:p@proxy.corp") == "https://u:p@proxy.corp:443"
    assert normalize_proxy_url("http://[::1]:8080") == "http://[::1]:8080"
    with pytest.raises(ValidationError, match="scheme"):
        normalize_proxy_url("socks5://proxy:1080")
    with pytest.raises(ValidationError, match="no host"):
        normalize_proxy_url("http://:8080")


def test_proxy_from_environment() -> None:
    env = {"HTTPS_PROXY": "proxy:8080", "NO_PROXY": ".internal, example.org"}
    assert proxy_from_environment(env, "management.core.windows.net") == "http://proxy:8080"
    assert proxy_from_environment(env, "rdfe.internal:443") is None
    assert proxy_from_environment(env, "api.example.org") is None
    assert proxy_from_environment({}, "management.core.windows.net") is None
    assert proxy_from_environment({"https_proxy": "p:1", "NO_PROXY": "*"}, "x") is None
