"""The TLS layer takes any client certificate (as RDFE did); authorization is the per-request 403."""

from __future__ import annotations

import re
import socket
import ssl
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme

from smtui.api.client import ServiceManagementClient
from smtui.emulator import tls
from tests.emulator import wire

FORBIDDEN = (
    "The server failed to authenticate the request. Verify that the certificate is valid and is "
    "associated with this subscription."
)


def _stranger(directory: Path) -> tuple[Path, Path]:
    """A client certificate issued by a CA the emulator has never seen."""
    leaf = trustme.CA().issue_cert("stranger@example.com")
    cert, key = directory / "stranger.pem", directory / "stranger.key"
    leaf.cert_chain_pems[0].write_to_path(str(cert))
    leaf.private_key_pem.write_to_path(str(key))
    return cert, key


async def test_smtui_client_with_an_unknown_certificate_gets_forbidden(emulator: Any, tmp_path: Path) -> None:
    cert, key = _stranger(tmp_path)
    client = ServiceManagementClient(
        emulator.subscription_id,
        {"certfile": str(cert), "keyfile": str(key)},
        {"host": emulator.host, "ca_bundle": str(emulator.ca_file)},
    )
    client.set_proxy_url(None)
    async with client:
        resp = await client.list_hosted_services()
    assert not resp.is_successful and resp.status_code == 403
    assert resp.error is not None
    assert (resp.error.code, resp.error.message) == ("ForbiddenError", FORBIDDEN)
    assert resp.request_id is not None and re.fullmatch(r"[0-9a-f]{32}", resp.request_id)


@pytest.mark.parametrize(
    "version", [ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3], ids=["tls1.2", "tls1.3"]
)
def test_tls_versions_and_server_certificate(emulator: Any, tmp_path: Path, version: ssl.TLSVersion) -> None:
    stranger = _stranger(tmp_path)
    for (cert, key), status in (((emulator.client_cert, emulator.client_key), 200), (stranger, 403)):
        # create_default_context verifies the server certificate against our CA and 127.0.0.1.
        ctx = wire.ssl_context(emulator, cert, key)
        ctx.minimum_version = ctx.maximum_version = version
        with httpx.Client(verify=ctx, headers={"x-ms-version": wire.VERSION}) as c:
            r = c.get(f"{emulator.base_url}/{emulator.subscription_id}/services/hostedservices")
            assert r.status_code == status
            assert r.extensions["network_stream"].get_extra_info("ssl_object").version() == (
                "TLSv1.2" if version is ssl.TLSVersion.TLSv1_2 else "TLSv1.3"
            )
            # keep-alive over our TLS layer: a second request on the same connection
            assert (
                c.get(f"{emulator.base_url}/{emulator.subscription_id}/services/hostedservices").status_code
                == status
            )


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    sock.settimeout(seconds)
    try:
        while sock.recv(4096):
            pass  # a TLS alert may come before the end of the stream
    except ConnectionResetError:
        pass
    except TimeoutError:
        return False
    return True


def test_plaintext_http_is_dropped(emulator: Any) -> None:
    with socket.create_connection(("127.0.0.1", emulator.port)) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert _closed_within(sock, 5)


def test_silent_connection_is_closed_after_the_handshake_timeout(emulator_factory: Any) -> None:
    emu = emulator_factory(limits=tls.ServerLimits(handshake_timeout=0.2))
    with socket.create_connection(("127.0.0.1", emu.port)) as sock:
        assert _closed_within(sock, 5)  # the default timeout is 30 s


def test_close_notify_is_answered(emulator: Any) -> None:
    ctx = wire.ssl_context(emulator)
    raw = socket.create_connection(("127.0.0.1", emulator.port), timeout=5)
    with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls_sock:
        tls_sock.sendall(
            f"GET /{emulator.subscription_id}/services/hostedservices HTTP/1.1\r\nHost: x\r\n"
            f"x-ms-version: {wire.VERSION}\r\n\r\n".encode()
        )
        response = b""
        while b"\r\n\r\n" not in response:
            response += tls_sock.recv(65536)
        head, body = response.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 200 ")
        found = re.search(rb"(?i)content-length: (\d+)", head)
        assert found is not None
        length = int(found.group(1))
        while len(body) < length:
            body += tls_sock.recv(65536)
        # a clean TLS shutdown: unwrap() returns only once the server's close_notify arrived
        tls_sock.unwrap().close()
