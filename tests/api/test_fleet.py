"""Fleet fan-out against the demo emulator: every deployment and instance, one call per service."""

from __future__ import annotations

import gc
from typing import Any

from smtui.api import ServiceManagementClient
from smtui.api.fleet import ServiceResult, deployment_rows, instance_rows, iter_service_details
from tests.fan_out import CountingClient


def _client(emu: Any) -> ServiceManagementClient:
    auth = {"keyfile": str(emu.client_key), "certfile": str(emu.client_cert)}
    options = {"host": emu.host, "ca_bundle": str(emu.ca_file)}
    return ServiceManagementClient(emu.subscription_id, auth, options)


async def _service_names(client: ServiceManagementClient) -> list[str]:
    services = (await client.list_hosted_services()).raise_for_error().response or []
    return [s.service_name or "" for s in services]


async def test_every_service_answers_once_and_rows_match_the_deployments(
    emulator: Any, no_proxy_env: None
) -> None:
    async with _client(emulator) as client:
        names = await _service_names(client)
        results = [r async for r in iter_service_details(client, [*names, "no-such-service"])]

    assert sorted(r.service_name for r in results) == sorted([*names, "no-such-service"])
    missing = next(r for r in results if r.service_name == "no-such-service")
    assert not missing.ok and missing.response.error is not None
    assert missing.response.error.code == "ResourceNotFound"

    ok = [r for r in results if r.ok]
    deployments = [row for r in ok for row in deployment_rows(r.service)]
    instances = [row for r in ok for row in instance_rows(r.service)]
    assert deployments and instances
    for row in deployments:
        assert row.service in names and row.deployment and row.slot in ("Production", "Staging")
        assert 0 <= row.instances_ready <= row.instances_total == len(
            [i for i in instances if (i.service, i.deployment) == (row.service, row.deployment)])
        assert row.roles and row.location
    assert all(i.role and i.status for i in instances)


async def test_leaving_the_loop_early_cancels_the_pending_calls(emulator: Any, no_proxy_env: None) -> None:
    async with _client(emulator) as client:
        names = await _service_names(client)
        stream = iter_service_details(client, names * 5)
        first = await anext(stream)
        await stream.aclose()
        assert first.service_name in names
        # the client is still usable: nothing left holding its in-flight slots
        assert (await client.list_hosted_services()).is_successful


async def test_a_big_fan_out_starts_calls_as_answers_come_and_keeps_no_answer(
    emulator: Any, no_proxy_env: None
) -> None:
    # 300 calls with 4 in flight: at most 8 started ahead of the answers (twice the limit), and the
    # answers already yielded are not kept alive by the fan-out (a 5000-service fleet would keep
    # them all).
    auth = {"keyfile": str(emulator.client_key), "certfile": str(emulator.client_cert)}
    options = {"host": emulator.host, "ca_bundle": str(emulator.ca_file)}
    options |= {"max_in_flight": 4, "adaptive": False}
    async with CountingClient(emulator.subscription_id, auth, options) as client:
        names = (await _service_names(client)) * 60
        seen = 0
        async for result in iter_service_details(client, names[:300]):
            seen += 1
            del result
            if seen == 150:
                gc.collect()
                alive = sum(isinstance(o, ServiceResult) for o in gc.get_objects())
                assert alive <= 8, alive
        assert seen == 300 and client.answered == 300
        assert client.most_started_ahead <= 8, client.most_started_ahead
