"""TLS session resumption against servers that do not play along: no tickets, refused tickets."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import trustme

from smtui.api import ServiceManagementClient
from smtui.api.fleet import iter_service_details

ANSWER = (
    b"HTTP/1.1 404 Not Found\r\nContent-Type: application/xml\r\nContent-Length: 0\r\n"
    b"x-ms-request-id: r\r\n\r\n"
)


async def _serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while await reader.readuntil(b"\r\n\r\n"):
            writer.write(ANSWER)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, ssl.SSLError):
        pass
    finally:
        writer.close()


@pytest.fixture
async def ticketless_server(ca: trustme.CA) -> AsyncIterator[str]:
    """A TLS 1.3 server that issues no session ticket: nothing can be resumed."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    context.num_tickets = 0
    server = await asyncio.start_server(_serve, "127.0.0.1", 0, ssl=context)
    host, port = server.sockets[0].getsockname()[:2]
    yield f"{host}:{port}"
    server.close()


async def test_a_server_without_tickets_still_gets_every_connection(
    ticketless_server: str, auth: dict[str, str], cert_files: Any, no_proxy_env: None
) -> None:
    # The first connection's answer carries no session: the others, which waited for it, go on
    # with full handshakes at once instead of sitting out their 60 s connect timeout.
    options = {
        "host": ticketless_server,
        "ca_bundle": str(Path(cert_files.ca)),
        "max_in_flight": 6,
        "adaptive": False,
        "timeouts": {"connect": 60, "read": 60, "write": 60, "pool": 60, "total": 120},
    }
    async with ServiceManagementClient("sub", auth, options) as client:
        results = await asyncio.wait_for(_all(client, [f"s{i}" for i in range(18)]), 30)
        assert [r.response.status_code for r in results] == [404] * 18
        pool = client.transport._http()._transport._pool  # type: ignore[attr-defined]
        streams = [c._connection._network_stream for c in pool.connections if c._connection is not None]
        assert len(streams) == 6
        assert not any(s.get_extra_info("ssl_object").session_reused for s in streams)


async def _all(client: ServiceManagementClient, names: list[str]) -> list[Any]:
    return [r async for r in iter_service_details(client, names)]
