"""TLS session resumption: a fan-out pays one full handshake per server, and the server still knows
the certificate of every resumed connection."""

from __future__ import annotations

import time
from typing import Any

from smtui.api import ServiceManagementClient
from smtui.api.fleet import iter_service_details


def _client(emu: Any, cert: Any, key: Any, subscription: str, **options: Any) -> ServiceManagementClient:
    auth = {"keyfile": str(key), "certfile": str(cert)}
    return ServiceManagementClient(
        subscription, auth, {"host": emu.host, "ca_bundle": str(emu.ca_file), **options}
    )


def _resumed(client: ServiceManagementClient) -> list[bool]:
    pool = client.transport._http()._transport._pool  # type: ignore[attr-defined]
    streams = [c._connection._network_stream for c in pool.connections if c._connection is not None]
    return [s.get_extra_info("ssl_object").session_reused for s in streams]


async def test_a_cold_fan_out_resumes_every_connection_but_the_first(
    emulator: Any, no_proxy_env: None
) -> None:
    primary = _client(
        emulator,
        emulator.client_cert,
        emulator.client_key,
        emulator.subscription_id,
        max_in_flight=16,
        adaptive=False,
    )
    async with primary:
        names = ["svc"] * 48  # unknown names: 404s, still a request and an answer on each connection
        results = [r async for r in iter_service_details(primary, names)]
        assert {r.response.status_code for r in results} == {404}
        resumed = _resumed(primary)
        assert len(resumed) == 16
        assert resumed.count(False) == 1, resumed  # the connection that fetched the session

        listing = await primary.list_hosted_services()
        assert listing.status_code == 200  # a resumed connection is still the management certificate's


async def test_resumed_sessions_are_not_shared_with_another_certificate(
    emulator: Any, no_proxy_env: None
) -> None:
    primary = _client(emulator, emulator.client_cert, emulator.client_key, emulator.subscription_id)
    foreign = _client(
        emulator,
        emulator.foreign_cert,
        emulator.foreign_key,
        emulator.subscription_id,
        max_in_flight=4,
        adaptive=False,
    )
    async with primary, foreign:
        assert (await primary.list_hosted_services()).status_code == 200
        answers = [r async for r in iter_service_details(foreign, ["a", "b", "c", "d", "e", "f"])]
        assert {r.response.status_code for r in answers} == {403}
        assert (await foreign.list_hosted_services()).status_code == 403


async def test_new_connections_resume_before_the_first_answer_comes(
    emulator_factory: Any, no_proxy_env: None
) -> None:
    # The first connection's ticket comes right after its handshake; its answer half a second
    # later. The 15 other connections of a cold fan-out must not wait for that answer to begin
    # their own handshakes: all 16 answers come after one round trip, not two.
    emu = emulator_factory(seed="empty")
    emu.faults.latency = 0.5
    client = _client(
        emu, emu.client_cert, emu.client_key, emu.subscription_id, max_in_flight=16, adaptive=False
    )
    async with client:
        started = time.perf_counter()
        results = [r async for r in iter_service_details(client, ["svc"] * 16)]
        elapsed = time.perf_counter() - started
        assert {r.response.status_code for r in results} == {404}
        assert _resumed(client).count(False) == 1
    assert elapsed < 0.85, f"{elapsed:.2f} s: the other connections waited for the first answer"
