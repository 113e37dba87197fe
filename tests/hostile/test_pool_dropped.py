"""The keep-alive pool when the server drops connections mid-fan-out: nothing leaks, every GET answers."""

from __future__ import annotations

import asyncio
from typing import Any

from smtui.api import ServiceManagementClient
from smtui.api.fleet import iter_service_details


async def test_dropped_connections_are_replaced_and_never_reused(emulator_factory: Any) -> None:
    emu = emulator_factory(seed="empty", scale=30)
    auth = {"keyfile": str(emu.client_key), "certfile": str(emu.client_cert)}
    options = {"host": emu.host, "ca_bundle": str(emu.ca_file), "max_in_flight": 4, "adaptive": False,
               "retries": 8}
    async with ServiceManagementClient(emu.subscription_id, auth, options, environ={}) as client:
        names = [s.service_name or "" for s in (await client.list_hosted_services()).result()]
        emu.faults.drop_rate = 0.15
        first = [r async for r in iter_service_details(client, names)]
        emu.faults.drop_rate = 0.0
        second = [r async for r in iter_service_details(client, names)]  # over what the pool kept
        pool = client.transport._http()._transport._pool  # type: ignore[attr-defined]

        assert all(r.ok for r in first + second), [r.response.error for r in first + second if not r.ok]
        assert len([c for c in pool.connections if not c.is_closed()]) <= 4
        assert client.transport.in_flight == 0


async def test_requests_cancelled_before_their_connection_opened_leave_no_dead_slots(
    emulator: Any,
) -> None:
    auth = {"keyfile": str(emulator.client_key), "certfile": str(emulator.client_cert)}
    options = {"host": emulator.host, "ca_bundle": str(emulator.ca_file), "max_in_flight": 2,
               "adaptive": False, "timeout": 20}
    async with ServiceManagementClient(emulator.subscription_id, auth, options, environ={}) as client:
        for _ in range(4):
            # Cancelled at once: each call is given a new connection that never connects.
            calls = [asyncio.ensure_future(client.list_hosted_services()) for _ in range(2)]
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            for call in calls:
                call.cancel()
            await asyncio.gather(*calls, return_exceptions=True)
        answer = await asyncio.wait_for(client.list_hosted_services(), 30)
        assert answer.is_successful, answer.error
