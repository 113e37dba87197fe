"""Client methods for what the emulator serves beyond the VM flow (issue 9 §3): VM images,
affinity groups and the subscription's quotas, against the demo seed over mTLS."""

from __future__ import annotations

from typing import Any

from tests.emulator.clients import make_client


async def test_list_vm_images(emulator: Any) -> None:
    async with make_client(emulator) as client:
        images = (await client.list_vm_images()).result()
    assert len(images) >= 5
    first = images[0]
    assert first.name and first.label and first.category
    assert first.os_disk_configuration is not None and first.os_disk_configuration.os in ("Linux", "Windows")


async def test_list_and_get_affinity_groups(emulator: Any) -> None:
    async with make_client(emulator) as client:
        groups = (await client.list_affinity_groups()).result()
        group = (await client.get_affinity_group("contoso-west")).result()
        missing = await client.get_affinity_group("no-such-group")
    assert "contoso-west" in [g.name for g in groups]
    listed = next(g for g in groups if g.name == "contoso-west")
    assert listed.label == "Contoso West" and listed.location == "West US" and not listed.hosted_services
    assert group.location == "West US" and group.description == "Contoso West US workloads"
    assert "northwind-db" in [s.service_name for s in group.hosted_services]
    assert "PersistentVMRole" in group.capabilities
    assert missing.status_code == 404 and missing.error is not None
    assert missing.error.message == "The affinity group does not exist."


async def test_get_subscription_quotas(emulator: Any) -> None:
    async with make_client(emulator) as client:
        sub = (await client.get_subscription()).result()
    assert sub.subscription_id == emulator.subscription_id
    assert sub.subscription_status == "Active"
    assert sub.max_core_count and sub.current_core_count is not None
    assert sub.current_core_count <= sub.max_core_count
    assert sub.current_hosted_services is not None and sub.current_hosted_services >= 5
    assert sub.max_storage_accounts == 100 and sub.current_storage_accounts is not None
