"""Fleet fan-out against the demo emulator: every deployment and instance, one call per service."""

from __future__ import annotations

from typing import Any

from smtui.api import ServiceManagementClient
from smtui.api.fleet import deployment_rows, instance_rows, iter_service_details


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
