"""The linear keep-alive pool under a fan-out: bounded connections, reused, every answer back."""

from __future__ import annotations

from typing import Any

from smtui.api import ServiceManagementClient
from smtui.api.fleet import iter_service_details
from smtui.api.pool import uses_linear_pool


def _client(emu: Any, **options: Any) -> ServiceManagementClient:
    auth = {"keyfile": str(emu.client_key), "certfile": str(emu.client_cert)}
    options = {"host": emu.host, "ca_bundle": str(emu.ca_file), **options}
    return ServiceManagementClient(emu.subscription_id, auth, options)


async def test_fan_out_opens_at_most_max_in_flight_connections_and_reuses_them(
    emulator: Any, no_proxy_env: None
) -> None:
    async with _client(emulator, max_in_flight=4, adaptive=False) as client:
        names = [s.service_name or "" for s in (await client.list_hosted_services()).result()]
        transport = client.transport._http()._transport
        assert uses_linear_pool(transport)
        pool = transport._pool  # type: ignore[attr-defined]
        created = 0
        create = pool.create_connection

        def counting(origin: Any) -> Any:
            nonlocal created
            created += 1
            return create(origin)

        pool.create_connection = counting
        results = [r async for r in iter_service_details(client, names * 6)]

        assert len(results) == len(names) * 6 and all(r.ok for r in results)
        assert 1 <= created <= 4 and len(pool.connections) <= 4
        assert client.transport.in_flight == 0


async def test_the_proxy_pool_is_linear_too(emulator: Any, no_proxy_env: None) -> None:
    async with _client(emulator) as client:
        client.transport.set_proxy_url("http://127.0.0.1:9")
        assert uses_linear_pool(client.transport._http()._transport)
