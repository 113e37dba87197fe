"""smtui's client (engineer B) against the emulator over real mTLS: every operation, including failures.

The client's codec and the emulator's renderers are independent implementations; each
checks the other here.
"""

from __future__ import annotations

from typing import Any

import pytest

from smtui.api import ServiceManagementClient, ValidationError
from tests.emulator.clients import make_client
from tests.emulator.wire import UBUNTU


def linux_role(name: str, port: int, media: str) -> dict[str, Any]:
    return {
        "RoleName": name,
        "RoleSize": "Small",
        "OSVirtualHardDisk": {"SourceImageName": UBUNTU, "MediaLink": f"{media}/{name}-os.vhd"},
        "ConfigurationSets": [
            {
                "ConfigurationSetType": "LinuxProvisioningConfiguration",
                "HostName": name,
                "UserName": "azureuser",
                "UserPassword": "Secret-Passw0rd!",
            },
            {
                "ConfigurationSetType": "NetworkConfiguration",
                "InputEndpoints": [{"Name": "ssh", "Protocol": "tcp", "Port": str(port), "LocalPort": "22"}],
            },
        ],
    }


async def settle(client: ServiceManagementClient, resp: Any, status: int = 202) -> Any:
    resp.raise_for_error()
    assert resp.status_code == status and resp.request_id
    final = await client.wait_for_operation(resp.request_id, interval=0.01, timeout=30)
    assert final.status == "Succeeded", final
    return final


async def test_catalog_and_read_operations(emulator: Any) -> None:
    async with make_client(emulator) as client:
        images = (await client.list_os_images()).result()
        assert len(images) >= 40 and any(i.category == "User" for i in images)
        image = (await client.get_os_image(UBUNTU)).result()
        assert image.name == UBUNTU and image.os == "Linux"
        services = (await client.list_hosted_services()).result()
        assert {"contoso-web", "fabrikam-api"} <= {s.service_name for s in services}
        detail = (await client.get_hosted_service("contoso-web", embed_detail=True)).result()
        assert detail.hosted_service_properties is not None
        assert detail.hosted_service_properties.label == "contoso-web"  # base64 decoded by the client
        assert sorted(d.deployment_slot for d in detail.deployments) == ["Production", "Staging"]
        staging = (await client.get_deployment_by_slot("contoso-web", "Staging")).result()
        assert staging.name == "contoso-web-staging"
        prod = (await client.get_deployment("contoso-web", "contoso-web-prod")).result()
        assert [r.role_name for r in prod.role_list] == ["web01", "web02", "web03"]
        statuses = {i.role_name: i.instance_status for i in prod.role_instance_list}
        assert statuses["web03"] == "StoppedDeallocated"
        role = (await client.get_role("contoso-web", "contoso-web-prod", "web01")).result()
        assert role.role_size == "Medium"
        disk = (await client.get_data_disk("contoso-web", "contoso-web-prod", "web01", 0)).result()
        assert disk.logical_disk_size_in_gb == 128
        accounts = (await client.list_storage_accounts()).result()
        assert len(accounts) >= 3
        keys = (await client.get_storage_account_keys(accounts[0].service_name)).result()
        assert keys.storage_service_keys is not None and len(keys.storage_service_keys.primary or "") == 88
        disks = (await client.list_disks()).result()
        assert any(d.attached_to is None for d in disks)
        assert (await client.get_disk(disks[0].name)).result().name == disks[0].name
        assert "West US" in {loc.name for loc in (await client.list_locations()).result()}
        assert "Standard_D2" in {s.name for s in (await client.list_role_sizes()).result()}


async def test_every_mutating_operation(emulator: Any) -> None:
    svc = "e2e-every-op"
    media = "https://contosoportalvhds.blob.core.windows.net/vhds"
    async with make_client(emulator) as client:
        created = await client.create_hosted_service(svc, {"Location": "West US", "Description": "e2e"})
        assert created.status_code == 201
        dup = await client.create_hosted_service(svc, {"Location": "West US"})
        assert dup.status_code == 409 and dup.error is not None and dup.error.code == "ConflictError"
        options = {"DeploymentSlot": "Production", "Label": "e2e deployment"}
        await settle(client, await client.create_deployment(svc, svc, linux_role("vm1", 22, media), options))
        await settle(client, await client.add_role(svc, svc, linux_role("vm2", 2222, media)))
        await settle(
            client, await client.modify_role(svc, svc, "vm2", {"RoleName": "vm2", "RoleSize": "Medium"})
        )
        assert (await client.get_role(svc, svc, "vm2")).result().role_size == "Medium"
        data_disk = {
            "Lun": 2,
            "LogicalDiskSizeInGB": 20,
            "DiskLabel": "logs",
            "MediaLink": f"{media}/{svc}-d2.vhd",
        }
        await settle(client, await client.add_data_disk(svc, svc, "vm1", data_disk))
        clash = await client.add_data_disk(
            svc, svc, "vm1", {**data_disk, "MediaLink": f"{media}/{svc}-x.vhd"}
        )
        assert clash.status_code == 409
        await settle(
            client, await client.modify_data_disk(svc, svc, "vm1", 2, {"HostCaching": "ReadWrite"}), 200
        )
        assert (await client.get_data_disk(svc, svc, "vm1", 2)).result().host_caching == "ReadWrite"
        await settle(client, await client.remove_data_disk(svc, svc, "vm1", 2, delete_media=True))
        assert (await client.get_data_disk(svc, svc, "vm1", 2)).status_code == 404
        await settle(client, await client.shutdown_role_instance(svc, svc, "vm1", "StoppedDeallocated"))
        instances = (await client.get_deployment(svc, svc)).result().role_instance_list
        assert {i.role_name: i.instance_status for i in instances}["vm1"] == "StoppedDeallocated"
        await settle(client, await client.start_role_instance(svc, svc, "vm1"))
        await settle(client, await client.restart_role_instance(svc, svc, "vm1"))
        await settle(client, await client.shutdown_role_instance(svc, svc, "vm2", "Stopped"))
        capture = {
            "PostCaptureAction": "Delete",
            "TargetImageName": f"{svc}-img",
            "TargetImageLabel": "e2e image",
        }
        await settle(client, await client.capture_role_instance(svc, svc, "vm2", capture))
        assert (await client.get_os_image(f"{svc}-img")).result().category == "User"
        assert (await client.get_role(svc, svc, "vm2")).status_code == 404
        last = await client.delete_role(svc, svc, "vm1")
        assert last.status_code == 400 and last.error is not None and "only role" in last.error.message
        await settle(client, await client.delete_deployment(svc, svc, delete_media=True))
        assert (await client.get_deployment(svc, svc)).status_code == 404
        deleted = await client.delete_hosted_service(svc)
        assert deleted.status_code == 200
        status = (await client.get_operation_status(deleted.request_id or "")).result()
        assert status.status == "Succeeded"
        image = await client.create_os_image(
            "Linux", f"{svc}-own", f"{media}/{svc}-own.vhd", {"Label": "own"}
        )
        assert image.status_code == 200 and image.result().name == f"{svc}-own"
        again = await client.create_os_image(
            "Linux", f"{svc}-own", f"{media}/{svc}-own.vhd", {"Label": "own"}
        )
        assert again.status_code == 409


async def test_delete_disk_refuses_an_attached_disk_then_deletes_it_detached(emulator: Any) -> None:
    svc = "e2e-delete-disk"
    media = "https://contosoportalvhds.blob.core.windows.net/vhds"
    async with make_client(emulator) as client:
        (await client.create_hosted_service(svc, {"Location": "West US"})).raise_for_error()
        await settle(client, await client.create_deployment(svc, svc, linux_role("vm1", 22, media)))
        disk = {"Lun": 1, "LogicalDiskSizeInGB": 10, "MediaLink": f"{media}/{svc}-d1.vhd"}
        await settle(client, await client.add_data_disk(svc, svc, "vm1", disk))
        name = (await client.get_data_disk(svc, svc, "vm1", 1)).result().disk_name
        assert name
        attached = await client.delete_disk(name)
        assert attached.status_code == 400 and attached.error is not None
        assert "currently in use by virtual machine vm1" in attached.error.message
        await settle(client, await client.remove_data_disk(svc, svc, "vm1", 1))
        deleted = await client.delete_disk(name, delete_media=True)
        assert deleted.status_code == 200 and deleted.error is None
        assert (await client.get_disk(name)).status_code == 404
        assert (await client.delete_disk(name)).status_code == 404
        await settle(client, await client.delete_deployment(svc, svc, delete_media=True))
        assert (await client.delete_hosted_service(svc)).status_code == 200


async def test_failures_404_409_400_403(emulator: Any, emulator_factory: Any) -> None:
    async with make_client(emulator) as client:
        missing = await client.get_hosted_service("no-such-service")
        assert missing.status_code == 404 and missing.error is not None
        assert missing.error.message == "The hosted service does not exist."
        bad = await client.create_hosted_service("bad_name", {"Location": "West US"})
        assert bad.status_code == 400 and bad.error is not None and bad.error.code == "BadRequest"
        with pytest.raises(ValidationError, match="Lun"):  # the client's own validation stops it first
            await client.add_data_disk(
                "x",
                "x",
                "x",
                {"Lun": 16, "LogicalDiskSizeInGB": 1, "MediaLink": "https://a.blob.core.windows.net/v/x.vhd"},
            )
    async with make_client(emulator, foreign=True) as client:
        forbidden = await client.list_hosted_services()
        assert forbidden.status_code == 403 and forbidden.error is not None
        assert forbidden.error.code == "ForbiddenError"
    slow = emulator_factory(seed="demo", speed=4)
    async with make_client(slow) as client:
        first = await client.shutdown_role_instance("fabrikam-api", "fabrikam-api", "api01", "Stopped")
        assert first.status_code == 202
        second = await client.restart_role_instance("fabrikam-api", "fabrikam-api", "api02")
        assert second.status_code == 409 and second.error is not None
        assert second.error.code == "ConflictError" and (first.request_id or "") in second.error.message
        await client.wait_for_operation(first.request_id or "", interval=0.05, timeout=30)


async def test_json_serialization_end_to_end(emulator: Any) -> None:
    async with make_client(emulator, serializetype="JSON") as client:
        services = await client.list_hosted_services()
        assert services.is_successful, services.error
        assert "contoso-web" in {s.service_name for s in services.result()}
        created = await client.create_hosted_service("e2e-json-svc", {"Location": "West US"})
        assert created.status_code == 201, created.error
        props = (await client.get_hosted_service("e2e-json-svc")).result().hosted_service_properties
        assert props is not None and props.label == "e2e-json-svc"
        assert (await client.delete_hosted_service("e2e-json-svc")).status_code == 200
