"""The client against a hostile network: trickling servers, gzip bombs, foreign redirects, lost answers.

Each server here is a raw TLS socket server on 127.0.0.1 (it demands the test management
certificate like RDFE) that misbehaves in one precise way the emulator cannot.
"""

from __future__ import annotations

import asyncio
import ssl
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
import trustme

from smtui.api.errors import OperationTimeoutError
from smtui.api.operations import ApiRequest
from smtui.api.transport import RetryPolicy
from tests.api.conftest import SUBSCRIPTION, Canned, CertFiles, ClientFactory, TestServer

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]

OPERATION_IN_PROGRESS = (
    b'<Operation xmlns="http://schemas.microsoft.com/windowsazure"><ID>op</ID>'
    b"<Status>InProgress</Status></Operation>"
)


class RawServer:
    """A TLS server whose connections are handled by ``handler``; counts what it did."""

    def __init__(self) -> None:
        self.host = ""
        self.connections = 0
        self.requests: list[bytes] = []
        self.bytes_sent = 0
        self.handler: Handler | None = None

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            assert self.handler is not None
            await self.handler(reader, writer)
        except (ConnectionError, ssl.SSLError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.transport.abort()

    async def read_request(self, reader: asyncio.StreamReader) -> bytes:
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        body = await reader.readexactly(length) if length else b""
        self.requests.append(head + body)
        return head + body

    async def trickle(self, writer: asyncio.StreamWriter, data: bytes, pause: float) -> None:
        for index in range(len(data)):
            writer.write(data[index : index + 1])
            await writer.drain()
            self.bytes_sent += 1
            await asyncio.sleep(pause)


@pytest.fixture
async def raw_server(ca: trustme.CA) -> AsyncIterator[RawServer]:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(ctx)
    ca.configure_trust(ctx)
    ctx.verify_mode = ssl.CERT_REQUIRED
    backend = RawServer()
    server = await asyncio.start_server(backend.handle, "127.0.0.1", 0, ssl=ctx)
    backend.host = f"127.0.0.1:{server.sockets[0].getsockname()[1]}"
    yield backend
    server.close()
    await server.wait_closed()


def head(status: str, length: int, *extra: str) -> bytes:
    lines = [f"HTTP/1.1 {status}", "Content-Type: application/xml", f"Content-Length: {length}", *extra]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


LOCATIONS = b'<Locations xmlns="http://schemas.microsoft.com/windowsazure"></Locations>'

# ------------------------------------------------------------------ deadlines


async def test_a_trickled_body_cannot_outlast_the_deadline(
    raw_server: RawServer, make_client: ClientFactory
) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await raw_server.read_request(reader)
        writer.write(head("200 OK", len(LOCATIONS)))
        await raw_server.trickle(writer, LOCATIONS, 0.25)  # ~19 s for the whole body

    raw_server.handler = handler
    resp = await make_client({"host": raw_server.host, "timeout": 1.0}).list_locations()
    assert resp.error is not None and resp.error.code == "Timeout", resp.error
    assert "1 s deadline" in resp.error.message
    assert raw_server.bytes_sent < len(LOCATIONS)


async def test_trickled_headers_cannot_outlast_the_deadline(
    raw_server: RawServer, make_client: ClientFactory
) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await raw_server.read_request(reader)
        await raw_server.trickle(writer, head("200 OK", len(LOCATIONS)) + LOCATIONS, 0.25)

    raw_server.handler = handler
    resp = await make_client({"host": raw_server.host, "timeout": 1.0}).list_locations()
    assert resp.error is not None and resp.error.code == "Timeout", resp.error
    assert raw_server.bytes_sent < 40


async def test_retries_and_back_off_count_toward_the_deadline(
    raw_server: RawServer, make_client: ClientFactory
) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await raw_server.read_request(reader)
        await asyncio.sleep(0.4)
        writer.write(head("503 Service Unavailable", 0))
        await writer.drain()

    raw_server.handler = handler
    policy = RetryPolicy(max_attempts=50, backoff_initial=0.2, backoff_max=0.4)
    resp = await make_client({"host": raw_server.host, "timeout": 1.0, "retry": policy}).list_locations()
    assert resp.error is not None and resp.error.code == "Timeout", resp.error
    assert raw_server.connections < 5


async def test_a_retry_after_past_the_deadline_ends_the_call_with_a_clear_error(
    raw_server: RawServer, make_client: ClientFactory
) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await raw_server.read_request(reader)
        writer.write(head("503 Service Unavailable", 0, "Retry-After: 30"))
        await writer.drain()

    raw_server.handler = handler
    resp = await make_client({"host": raw_server.host, "timeout": 2.0}).list_locations()
    assert resp.error is not None and resp.error.code == "Timeout", resp.error
    assert "asked to wait 30 s" in resp.error.message and "deadline" in resp.error.message
    assert raw_server.connections == 1


async def test_wait_for_operation_timeout_bounds_a_trickled_status(
    raw_server: RawServer, make_client: ClientFactory
) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await raw_server.read_request(reader)
        writer.write(head("200 OK", len(OPERATION_IN_PROGRESS)))
        await raw_server.trickle(writer, OPERATION_IN_PROGRESS, 0.25)

    raw_server.handler = handler
    client = make_client({"host": raw_server.host, "timeout": 60.0})
    with pytest.raises(OperationTimeoutError, match="after 1 s"):
        await client.wait_for_operation("op", interval=0.1, timeout=1.0)
    assert raw_server.bytes_sent < len(OPERATION_IN_PROGRESS)


# ------------------------------------------------------------------ lost answers


async def test_a_create_whose_answer_is_lost_is_reported_as_unknown_and_not_repeated(
    raw_server: RawServer, make_client: ClientFactory
) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await raw_server.read_request(reader)  # the whole request arrives, then the line goes dead

    raw_server.handler = handler
    resp = await make_client({"host": raw_server.host}).create_hosted_service("svc", {"Location": "West US"})
    assert resp.is_transport_failure
    assert resp.error is not None and resp.error.code == "OutcomeUnknown", resp.error
    assert "may or may not have been applied" in resp.error.message
    assert len(raw_server.requests) == 1 and b"<ServiceName>svc</ServiceName>" in raw_server.requests[0]


async def test_a_create_that_never_reached_the_server_is_not_unknown(
    raw_server: RawServer, make_client: ClientFactory, cert_files: CertFiles
) -> None:
    host = raw_server.host.replace("127.0.0.1", "127.0.0.1")
    port = int(host.rsplit(":", 1)[1])
    closed = f"127.0.0.1:{port + 1 if port < 65535 else port - 1}"
    resp = await make_client({"host": closed}).create_hosted_service("svc", {"Location": "West US"})
    assert resp.error is not None and resp.error.code == "ConnectError", resp.error


async def test_a_get_whose_answer_is_lost_is_retried(
    raw_server: RawServer, make_client: ClientFactory
) -> None:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await raw_server.read_request(reader)
        if raw_server.connections > 1:
            writer.write(head("200 OK", len(LOCATIONS)) + LOCATIONS)
            await writer.drain()

    raw_server.handler = handler
    resp = await make_client({"host": raw_server.host}).list_locations()
    assert resp.is_successful, resp.error
    assert raw_server.connections == 2


# ------------------------------------------------------------------ gzip bomb

BOMB_PROBE = textwrap.dedent(
    """
    import asyncio, resource, ssl, sys, zlib
    from smtui.api import ServiceManagementClient

    key, cert, server_pem, ca, decoded_mb = sys.argv[1:6]

    def bomb() -> bytes:
        z = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        block = b"\\0" * (1 << 20)
        return b"".join(z.compress(block) for _ in range(int(decoded_mb))) + z.flush()

    async def main() -> None:
        payload = bomb()
        async def handle(reader, writer):
            await reader.readuntil(b"\\r\\n\\r\\n")
            writer.write(
                b"HTTP/1.1 200 OK\\r\\nContent-Type: application/xml\\r\\nContent-Encoding: gzip\\r\\n"
                + b"Content-Length: %d\\r\\n\\r\\n" % len(payload) + payload
            )
            await writer.drain()
            writer.close()
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(server_pem)
        ctx.load_verify_locations(ca)
        ctx.verify_mode = ssl.CERT_REQUIRED
        server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=ctx)
        port = server.sockets[0].getsockname()[1]
        client = ServiceManagementClient(
            "sub", {"keyfile": key, "certfile": cert}, {"host": f"127.0.0.1:{port}", "ca_bundle": ca}
        )
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        resp = await client.list_locations()
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        await client.aclose()
        server.close()
        print(len(payload), (after - before) // 1024, resp.error.code if resp.error else "ok")

    asyncio.run(main())
    """
)


def test_a_gzip_bomb_stops_at_the_cap_without_inflating(
    ca: trustme.CA, cert_files: CertFiles, tmp_path: Path
) -> None:
    server_pem = tmp_path / "server.pem"
    ca.issue_cert("127.0.0.1").private_key_and_cert_chain_pem.write_to_path(str(server_pem))
    probe = tmp_path / "bomb_probe.py"
    probe.write_text(BOMB_PROBE)
    args = [str(cert_files.key), str(cert_files.cert), str(server_pem), str(cert_files.ca), "256"]
    done = subprocess.run(
        [sys.executable, str(probe), *args], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    wire_bytes, growth_mb, code = done.stdout.split()
    assert int(wire_bytes) < 2 * 1024 * 1024  # ~1 MB on the wire decodes to 256 MB
    assert code == "ResponseTooLarge"
    assert int(growth_mb) < 100, f"the client grew by {growth_mb} MB"


# ------------------------------------------------------------------ redirects


async def test_a_307_to_another_host_is_refused_and_the_body_stays_home(
    tls_server: TestServer, make_client: ClientFactory
) -> None:
    # The test server answers as 127.0.0.1 and as localhost: "localhost" is another host name.
    target = f"https://localhost:{tls_server.port}/elsewhere/{SUBSCRIPTION}/services/hostedservices"
    tls_server.on(
        "POST", f"/{SUBSCRIPTION}/services/hostedservices", Canned(307, headers={"Location": target})
    )
    tls_server.on("POST", "/elsewhere/.*", Canned(201))
    body = b"<Deployment><AdminPassword>Sup3r-Secret!</AdminPassword></Deployment>"
    resp = await make_client().execute(ApiRequest("Create", "POST", "/services/hostedservices", body=body))
    assert resp.error is not None and resp.error.code == "RedirectRefused", resp.error
    assert target in resp.error.message
    assert [s.path for s in tls_server.seen()] == [f"/{SUBSCRIPTION}/services/hostedservices"]


async def test_a_host_allowed_by_the_options_is_followed(
    tls_server: TestServer, make_client: ClientFactory
) -> None:
    target = f"https://localhost:{tls_server.port}/elsewhere/thing"
    tls_server.on("POST", f"/{SUBSCRIPTION}/thing", Canned(307, headers={"Location": target}))
    tls_server.on("POST", "/elsewhere/thing", Canned(201))
    client = make_client({"redirect_hosts": ["localhost"]})
    resp = await client.execute(ApiRequest("Thing", "POST", "/thing", body=b"<x/>"))
    assert resp.status_code == 201, resp.error
    assert tls_server.seen()[1].body == b"<x/>"


@pytest.mark.parametrize(
    ("target", "allowed", "expected"),
    [
        ("https://management.core.windows.net/sub/x", (), True),
        ("https://ussouth.management.core.windows.net/sub/x", (), True),
        ("https://management.core.windows.net:8443/sub/x", (), True),
        ("http://ussouth.management.core.windows.net/sub/x", (), False),
        ("https://management.core.windows.net.evil.example/x", (), False),
        ("https://evilmanagement.core.windows.net/x", (), False),
        ("https://user:pw@management.core.windows.net/x", (), False),
        ("https://core.windows.net/x", (), False),
        ("https://regional.example.com/x", ("regional.example.com",), True),
        ("https://regional.example.com:444/x", ("regional.example.com:443",), False),
        ("https://a.b.example.com/x", ("*.example.com",), True),
        ("https://example.com.evil/x", ("*.example.com",), False),
    ],
)
def test_redirect_policy(target: str, allowed: tuple[str, ...], expected: bool) -> None:
    from smtui.api.transport import redirect_allowed

    assert redirect_allowed("https://management.core.windows.net/sub/x", target, allowed) is expected
