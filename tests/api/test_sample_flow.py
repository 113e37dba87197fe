"""The seed's sample flow (npm azure@0.6 examples/servicemanagement), translated to Python.

create hosted service → create a VM deployment (OS disk, data disk, Linux provisioning and
network sets) → poll the operation → get the deployment → add / modify / remove a data disk →
shut down / start / restart the VM → delete the deployment → delete the hosted service.

It runs against the TLS test server (canned answers from recordings) and, when engineer C's
emulator fixture is available, against the emulator (real state, real progress).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from smtui.api import ServiceManagementClient, models
from smtui.api.response import Response

from .conftest import SUBSCRIPTION, Canned, ClientFactory, Seen, TestServer, example, recorded


@dataclass
class FlowInputs:
    service: str
    location: str
    image: str
    media_base: str
    interval: float
    polls: list[str] = field(default_factory=list)


def vm_role(inputs: FlowInputs) -> dict[str, Any]:
    """The seed's VMRole object, with its PascalCase keys, line by line."""
    os_disk = {"SourceImageName": inputs.image, "MediaLink": f"{inputs.media_base}/{inputs.service}-os.vhd"}
    data_disk1 = {
        "LogicalDiskSizeInGB": 10,
        "Lun": 0,
        "MediaLink": f"{inputs.media_base}/{inputs.service}-d0.vhd",
    }
    linux_provisioning_configuration_set = {
        "ConfigurationSetType": "LinuxProvisioningConfiguration",
        "HostName": "testJSlinux",
        "UserName": "rduser",
        "UserPassword": "Abc123!xyz",
        "DisableSshPasswordAuthentication": "false",
    }
    endpoint_linux = {"Name": "endpnameL", "Protocol": "tcp", "Port": "59913", "LocalPort": "3394"}
    network_configuration_set = {
        "ConfigurationSetType": "NetworkConfiguration",
        "InputEndpoints": [endpoint_linux],
    }
    return {
        "RoleName": "testjsRole",
        "RoleSize": "Small",
        "OSVirtualHardDisk": os_disk,
        "DataVirtualHardDisks": [data_disk1],
        "ConfigurationSets": [linux_provisioning_configuration_set, network_configuration_set],
    }


async def settle(client: ServiceManagementClient, resp: Response[Any], inputs: FlowInputs) -> None:
    """Fail with the service's error, then wait for the asynchronous operation (if any)."""
    resp.raise_for_error()
    if resp.status_code == 202:
        assert resp.request_id, "an accepted call must carry x-ms-request-id"
        final = await client.wait_for_operation(
            resp.request_id,
            interval=inputs.interval,
            timeout=60,
            on_poll=lambda s: inputs.polls.append(s.status or ""),
        )
        assert final.status == "Succeeded", (final.status, final.error)


async def run_sample_flow(client: ServiceManagementClient, inputs: FlowInputs) -> models.Deployment:
    svc = inputs.service
    deployment_options = {"DeploymentSlot": "Production", "Label": "testjsDeployLabel"}

    created = await client.create_hosted_service(svc, {"Location": inputs.location})
    created.raise_for_error()
    assert created.status_code == 201

    await settle(
        client, await client.create_deployment(svc, svc, vm_role(inputs), deployment_options), inputs
    )

    deployment = (await client.get_deployment(svc, svc)).result()
    assert deployment.name == svc
    role = deployment.role_list[0]
    assert role.role_name == "testjsRole"
    assert role.os_virtual_hard_disk is not None
    # RDFE omits <Lun> when it is 0 (DataContract EmitDefaultValue=false), as the recordings show.
    assert [d.lun or 0 for d in role.data_virtual_hard_disks] == [0]

    data_disk = {
        "Lun": 1,
        "LogicalDiskSizeInGB": 20,
        "DiskLabel": "disklabel",
        "MediaLink": f"{inputs.media_base}/{svc}-d1.vhd",
    }
    await settle(client, await client.add_data_disk(svc, svc, "testjsRole", data_disk), inputs)
    disk = (await client.get_data_disk(svc, svc, "testjsRole", 1)).result()
    assert disk.lun == 1 and disk.logical_disk_size_in_gb == 20

    await settle(
        client, await client.modify_data_disk(svc, svc, "testjsRole", 1, {"HostCaching": "ReadWrite"}), inputs
    )
    await settle(client, await client.remove_data_disk(svc, svc, "testjsRole", 1), inputs)

    await settle(client, await client.shutdown_role_instance(svc, svc, "testjsRole", "Stopped"), inputs)
    await settle(client, await client.start_role_instance(svc, svc, "testjsRole"), inputs)
    await settle(client, await client.restart_role_instance(svc, svc, "testjsRole"), inputs)

    await settle(client, await client.delete_deployment(svc, svc), inputs)
    await settle(client, await client.delete_hosted_service(svc), inputs)
    gone = await client.get_hosted_service(svc)
    assert gone.status_code == 404 and gone.error is not None and gone.error.code == "ResourceNotFound"
    assert "InProgress" in inputs.polls or "Succeeded" in inputs.polls
    return deployment


# ------------------------------------------------------------------ against the TLS test server

DATA_DISK_1 = (
    '<DataVirtualHardDisk xmlns="http://schemas.microsoft.com/windowsazure" '
    'xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><HostCaching>ReadOnly</HostCaching>'
    "<DiskLabel>disklabel</DiskLabel><DiskName>testJSsvc-testjsRole-1-201507021215</DiskName><Lun>1</Lun>"
    "<LogicalDiskSizeInGB>20</LogicalDiskSizeInGB>"
    "<MediaLink>https://acct.blob.core.windows.net/vhds/testJSsvc-d1.vhd</MediaLink><IOType>Standard</IOType>"
    "</DataVirtualHardDisk>"
)


def operation_answers() -> Callable[[Seen], Canned]:
    """Each operation id polls InProgress once, then Succeeded (recorded bodies, id rewritten)."""
    polled: set[str] = set()
    in_progress = recorded("azure-sdk-for-python/084-GetOperationStatus-InProgress.json")
    succeeded = recorded("azure-sdk-for-python/086-GetOperationStatus-Succeeded.json")

    def answer(seen: Seen) -> Canned:
        rid = seen.path.rsplit("/", 1)[1]
        template = succeeded if rid in polled else in_progress
        polled.add(rid)
        guid = f"{rid[:8]}-{rid[8:12]}-{rid[12:16]}-{rid[16:20]}-{rid[20:]}"
        body = re.sub(r"<ID>[^<]*</ID>", f"<ID>{guid}</ID>", str(template.body))
        return Canned(200, body)

    return answer


async def test_sample_flow_against_the_tls_test_server(
    tls_server: TestServer, make_client: ClientFactory
) -> None:
    svc = "testJSsvc"
    base = f"/{SUBSCRIPTION}/services/hostedservices"
    role = f"{base}/{svc}/deployments/{svc}/roles/testjsRole"
    deleted: list[bool] = []
    deployment = example("GetDeployment.response.xml")
    assert isinstance(deployment.body, str)
    deployment.body = (
        deployment.body.replace("<Name>myvmsvc</Name>", f"<Name>{svc}</Name>")
        .replace(">myvm<", ">testjsRole<")
        .replace("<Lun>1</Lun>", "<Lun>0</Lun>")
    )
    tls_server.on("POST", base, recorded("azure-sdk-for-python/027-CreateHostedService.json"))
    tls_server.on("POST", f"{base}/{svc}/deployments", Canned(202))
    tls_server.on("GET", f"/{SUBSCRIPTION}/operations/[0-9a-f]{{32}}", operation_answers())
    tls_server.on("GET", f"{base}/{svc}/deployments/{svc}", deployment)
    tls_server.on("POST", f"{role}/DataDisks", Canned(202))
    tls_server.on("GET", f"{role}/DataDisks/1", Canned(200, DATA_DISK_1))
    tls_server.on("PUT", f"{role}/DataDisks/1", Canned(202))
    tls_server.on("DELETE", f"{role}/DataDisks/1", Canned(202))
    tls_server.on("POST", f"{base}/{svc}/deployments/{svc}/roleinstances/testjsRole/Operations", Canned(202))
    tls_server.on("DELETE", f"{base}/{svc}/deployments/{svc}", Canned(202))

    def delete_service(seen: Seen) -> Canned:
        deleted.append(True)
        return Canned(200)

    def get_service(seen: Seen) -> Canned:
        if deleted:
            return recorded("azure-sdk-for-python/071-GetHostedService-404.json")
        return recorded("azure-sdk-for-python/069-GetHostedService.json")

    tls_server.on("DELETE", f"{base}/{svc}", delete_service)
    tls_server.on("GET", f"{base}/{svc}", get_service)

    inputs = FlowInputs(svc, "West US", "img", "https://acct.blob.core.windows.net/vhds", interval=0.01)
    await run_sample_flow(make_client(), inputs)

    calls = [
        (s.method, s.path.replace(f"/{SUBSCRIPTION}", ""))
        for s in tls_server.seen()
        if "/operations/" not in s.path
    ]
    assert [m for m, _ in calls] == [
        "POST",
        "POST",
        "GET",
        "POST",
        "GET",
        "PUT",
        "DELETE",
        "POST",
        "POST",
        "POST",
        "DELETE",
        "DELETE",
        "GET",
    ]
    bodies = [s.body for s in tls_server.seen("POST") if s.path.endswith("/Operations")]
    assert [re.search(rb"<(\w+Operation) ", b).group(1) for b in bodies] == [  # type: ignore[union-attr]
        b"ShutdownRoleOperation",
        b"StartRoleOperation",
        b"RestartRoleOperation",
    ]
    create = tls_server.seen("POST")[1].body
    for part in (
        b"<DeploymentSlot>Production</DeploymentSlot>",
        b"<Label>testjsDeployLabel</Label>",
        b"<RoleType>PersistentVMRole</RoleType>",
        b"<Lun>0</Lun>",
        b"<HostName>testJSlinux</HostName>",
        b"<SourceImageName>img</SourceImageName>",
        b"<Port>59913</Port>",
    ):
        assert part in create, part
    assert len(tls_server.seen("GET", r".*/operations/.*")) == 2 * 8  # eight 202s, polled twice each


# ------------------------------------------------------------------ against the emulator


async def _flow_on(emu: Any) -> None:
    auth = {"keyfile": str(emu.client_key), "certfile": str(emu.client_cert)}
    options = {"host": emu.host, "ca_bundle": str(emu.ca_file)}
    async with ServiceManagementClient(emu.subscription_id, auth, options) as client:
        images = (await client.list_os_images()).result()
        image = next(i for i in images if i.os == "Linux")
        accounts = (await client.list_storage_accounts()).result()
        # VHDs must live in a storage account in the hosted service's region (issue 9 §2).
        props = accounts[0].storage_service_properties
        location = props.location if props is not None else None
        media_base = f"https://{accounts[0].service_name}.blob.core.windows.net/vhds"
        inputs = FlowInputs("smtuiflow", str(location), str(image.name), media_base, interval=0.05)
        await run_sample_flow(client, inputs)


async def test_sample_flow_against_the_emulator(
    request: pytest.FixtureRequest, tmp_path: Path, no_proxy_env: None
) -> None:
    try:
        emu = request.getfixturevalue("emulator")
    except pytest.FixtureLookupError:
        emu = None
    if emu is not None:
        await _flow_on(emu)
        return
    # Until the shared fixture lands, start the emulator here (same public API).
    from smtui.emulator import Emulator

    with Emulator.running(data_dir=tmp_path, seed="demo", speed=1000, port=0) as started:
        await _flow_on(started)
