"""Fixtures for the client tests: real certificates, a real TLS server requiring client certs.

``tls_server`` is a Starlette app served by uvicorn over HTTPS in a background thread.
It demands a client certificate signed by the test CA (as RDFE demands a management
certificate), records every request, and answers from per-test rules (canned or
recorded responses). One server per test session; its rules and log are reset for
every test.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import ssl
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import trustme
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response as StarletteResponse
from starlette.routing import Route

from tests.reference import EXAMPLES, RECORDINGS

SUBSCRIPTION = "0c61b9b5-3e4f-4c8e-9d43-000000000042"
ERROR_XML = (
    '<Error xmlns="http://schemas.microsoft.com/windowsazure" '
    'xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><Code>{code}</Code><Message>{message}</Message></Error>'
)


@dataclass
class Canned:
    """One response the test server gives."""

    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0

    def to_starlette(self, request_id: str) -> StarletteResponse:
        body = self.body.encode() if isinstance(self.body, str) else self.body
        headers = {"x-ms-request-id": request_id, **self.headers}
        if body and "content-type" not in {k.lower() for k in headers}:
            headers["Content-Type"] = "application/xml; charset=utf-8"
        return StarletteResponse(content=body, status_code=self.status, headers=headers)


def error(status: int, code: str, message: str, **headers: str) -> Canned:
    """A canned RDFE error response."""
    return Canned(status, ERROR_XML.format(code=code, message=message), dict(headers))


def recorded(relative: str, **overrides: Any) -> Canned:
    """A canned response taken from a real recording (``source/NNN-Op.json``)."""
    data = json.loads((RECORDINGS / relative).read_text())
    headers = {
        k: v
        for k, v in data["response_headers"].items()
        if k.lower() in ("content-type", "location", "retry-after", "x-ms-request-id")
    }
    canned = Canned(data["status"], data["response_body"] or b"", headers)
    for key, value in overrides.items():
        setattr(canned, key, value)
    return canned


def example(name: str, status: int = 200) -> Canned:
    """A canned response whose body is ``tests/fixtures/asm/examples/<name>`` (comments stripped)."""
    text = (EXAMPLES / name).read_text()
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL).strip()
    return Canned(status, text)


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes


Responder = Canned | list[Canned] | Callable[[Seen], Canned]


class TestServer:
    """The programmable HTTPS endpoint behind ``tls_server``."""

    __test__ = False

    def __init__(self) -> None:
        self.rules: list[tuple[str, re.Pattern[str], Responder]] = []
        self.requests: list[Seen] = []
        self.host = ""
        self.port = 0
        self._counter = 0
        self._lock = threading.Lock()
        self.active = 0
        self.max_active = 0
        self.client_ports: list[int] = []

    @property
    def base_url(self) -> str:
        return f"https://{self.host}:{self.port}"

    @property
    def hostport(self) -> str:
        return f"{self.host}:{self.port}"

    def reset(self) -> None:
        with self._lock:
            self.rules.clear()
            self.requests.clear()
            self.active = self.max_active = 0
            self.client_ports.clear()

    def on(self, method: str, path_regex: str, responder: Responder) -> None:
        """Answer ``method`` requests whose path fully matches ``path_regex``.

        A list of responses is consumed in order (the last one repeats).
        """
        with self._lock:
            self.rules.insert(0, (method.upper(), re.compile(path_regex), responder))

    def seen(self, method: str | None = None, path_regex: str | None = None) -> list[Seen]:
        with self._lock:
            return [
                r
                for r in self.requests
                if (method is None or r.method == method.upper())
                and (path_regex is None or re.fullmatch(path_regex, r.path))
            ]

    async def handle(self, request: Request) -> StarletteResponse:
        seen = Seen(
            request.method,
            request.url.path,
            request.url.query,
            {k.lower(): v for k, v in request.headers.items()},
            await request.body(),
        )
        with self._lock:
            self.requests.append(seen)
            self.client_ports.append(request.client.port if request.client else 0)
            self._counter += 1
            request_id = f"{self._counter:032x}"
            responder: Responder | None = None
            for method, pattern, candidate in self.rules:
                if method == seen.method and pattern.fullmatch(seen.path):
                    responder = candidate
                    break
            if isinstance(responder, list):
                canned = responder.pop(0) if len(responder) > 1 else responder[0]
                responder = canned
        if responder is None:
            canned = error(404, "ResourceNotFound", f"no rule for {seen.method} {seen.path}")
        elif isinstance(responder, Canned):
            canned = responder
        else:
            canned = responder(seen)
        if canned.delay:
            with self._lock:
                self.active += 1
                self.max_active = max(self.max_active, self.active)
            try:
                await asyncio.sleep(canned.delay)
            finally:
                with self._lock:
                    self.active -= 1
        return canned.to_starlette(request_id)


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="session")
def client_identity(ca: trustme.CA) -> trustme.LeafCert:
    """The management certificate (issued by the test CA, which the server trusts)."""
    return ca.issue_cert("smtui-test-client@example.invalid")


@dataclass(frozen=True)
class CertFiles:
    key: Path
    cert: Path
    ca: Path
    key_pem: str
    cert_pem: str


@pytest.fixture(scope="session")
def cert_files(
    ca: trustme.CA, client_identity: trustme.LeafCert, tmp_path_factory: pytest.TempPathFactory
) -> CertFiles:
    base = tmp_path_factory.mktemp("certs")
    key, cert, ca_file = base / "priv.pem", base / "pub.pem", base / "ca.pem"
    key_pem = client_identity.private_key_pem.bytes().decode()
    cert_pem = client_identity.cert_chain_pems[0].bytes().decode()
    key.write_text(key_pem)
    key.chmod(0o600)
    cert.write_text(cert_pem)
    ca.cert_pem.write_to_path(str(ca_file))
    return CertFiles(key, cert, ca_file, key_pem, cert_pem)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def _server(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestServer]:
    base = tmp_path_factory.mktemp("server")
    server_cert = ca.issue_cert("127.0.0.1", "localhost")
    server_cert.private_key_and_cert_chain_pem.write_to_path(str(base / "server.pem"))
    ca.cert_pem.write_to_path(str(base / "ca.pem"))
    backend = TestServer()
    app = Starlette(routes=[Route("/{path:path}", backend.handle, methods=["GET", "POST", "PUT", "DELETE"])])
    port = _free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
        ssl_certfile=str(base / "server.pem"),
        ssl_ca_certs=str(base / "ca.pem"),
        ssl_cert_reqs=ssl.CERT_REQUIRED,
        timeout_keep_alive=30,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="tls-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("test TLS server did not start")
        time.sleep(0.01)
    backend.host, backend.port = "127.0.0.1", port
    yield backend
    server.should_exit = True
    thread.join(5)


@pytest.fixture
def tls_server(_server: TestServer) -> Iterator[TestServer]:
    """The HTTPS test endpoint (client certificate required), with fresh rules and log."""
    _server.reset()
    yield _server
    _server.reset()


@pytest.fixture
def auth(cert_files: CertFiles) -> dict[str, str]:
    """``auth`` for the client: the test management certificate, by file."""
    return {"keyfile": str(cert_files.key), "certfile": str(cert_files.cert)}


@pytest.fixture
def no_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make sure a proxy configured on the machine does not leak into the test."""
    for name in (
        "HTTPS_PROXY",
        "https_proxy",
        "NO_PROXY",
        "no_proxy",
        "CLIENT_AUTH_KEYFILE",
        "CLIENT_AUTH_CERTFILE",
    ):
        monkeypatch.delenv(name, raising=False)


ClientFactory = Callable[..., Any]


@pytest.fixture
async def make_client(
    tls_server: TestServer, auth: dict[str, str], cert_files: CertFiles, no_proxy_env: None
) -> AsyncIterator[ClientFactory]:
    """Factory of clients pointed at ``tls_server`` (closed at teardown).

    Keyword arguments become client options (fast retries by default).
    """
    from smtui.api import ServiceManagementClient
    from smtui.api.transport import RetryPolicy

    created: list[Any] = []

    def factory(options: Mapping[str, Any] | None = None, **kwargs: Any) -> Any:
        opts: dict[str, Any] = {
            "host": tls_server.hostport,
            "ca_bundle": str(cert_files.ca),
            "retry": RetryPolicy(max_attempts=3, backoff_initial=0.01, backoff_max=0.05),
            "timeout": 10.0,
        }
        opts.update(options or {})
        client = ServiceManagementClient(
            kwargs.pop("subscription_id", SUBSCRIPTION), kwargs.pop("auth", auth), opts
        )
        created.append(client)
        return client

    yield factory
    for client in created:
        await client.aclose()
    await asyncio.sleep(0)
