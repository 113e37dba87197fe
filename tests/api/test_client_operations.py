"""Every operation on the wire: method, path, query, body root, success status, parsed answer.

Answers are real recorded bodies served by the TLS test server.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from smtui.api import models
from smtui.api.xml import local_name, parse_xml

from .conftest import SUBSCRIPTION, Canned, ClientFactory, TestServer, example, recorded

HS = "/services/hostedservices"
DEP = f"{HS}/svc/deployments/dep"
ROLE = f"{DEP}/roles/vm1"
OPS = f"{DEP}/roleinstances/vm1/Operations"
DISK = {"Lun": 1, "LogicalDiskSizeInGB": 20, "MediaLink": "https://acct.blob.core.windows.net/vhds/d1.vhd"}
ROLE_SPEC = {
    "RoleName": "vm1",
    "RoleSize": "Small",
    "OSVirtualHardDisk": {
        "SourceImageName": "img",
        "MediaLink": "https://acct.blob.core.windows.net/vhds/os.vhd",
    },
    "ConfigurationSets": [
        {
            "ConfigurationSetType": "LinuxProvisioningConfiguration",
            "HostName": "vm1",
            "UserName": "azureuser",
            "UserPassword": "Passw0rd!",
        },
        {
            "ConfigurationSetType": "NetworkConfiguration",
            "InputEndpoints": [{"Name": "ssh", "Protocol": "tcp", "Port": 22, "LocalPort": 22}],
        },
    ],
}
NETWORK_ONLY = {
    "RoleName": "vm1",
    "RoleSize": "Medium",
    "ConfigurationSets": [
        {
            "ConfigurationSetType": "NetworkConfiguration",
            "InputEndpoints": [{"Name": "web", "Protocol": "tcp", "Port": 80, "LocalPort": 8080}],
        }
    ],
}

Call = Callable[[Any], Awaitable[Any]]


@dataclass
class Case:
    name: str
    call: Call
    method: str
    path: str
    answer: Canned
    query: str = ""
    root: str | None = None
    check: Callable[[Any], bool] | None = None


CASES = [
    Case(
        "get_operation_status",
        lambda c: c.get_operation_status("abc"),
        "GET",
        "/operations/abc",
        recorded("azure-sdk-for-python/086-GetOperationStatus-Succeeded.json"),
        check=lambda r: isinstance(r, models.OperationStatus) and r.status == "Succeeded",
    ),
    Case(
        "get_os_image",
        lambda c: c.get_os_image("img"),
        "GET",
        "/services/images/img",
        recorded("azure-sdk-for-python/080-GetOSImage.json"),
        check=lambda r: bool(r.name),
    ),
    Case(
        "list_os_images",
        lambda c: c.list_os_images(),
        "GET",
        "/services/images",
        example("ListOSImages.response.xml"),
        check=lambda r: len(r) > 0 and isinstance(r[0], models.OSImage),
    ),
    Case(
        "create_os_image",
        lambda c: c.create_os_image("Linux", "myimg", "https://a.blob.core.windows.net/v/i.vhd"),
        "POST",
        "/services/images",
        recorded("azure-sdk-for-python/003-AddOSImage.json"),
        root="OSImage",
        check=lambda r: isinstance(r, models.OSImage),
    ),
    Case(
        "list_hosted_services",
        lambda c: c.list_hosted_services(),
        "GET",
        HS,
        recorded("azure-sdk-for-python/104-ListHostedServices.json"),
        check=lambda r: isinstance(r, list) and all(isinstance(x, models.HostedService) for x in r),
    ),
    Case(
        "get_hosted_service",
        lambda c: c.get_hosted_service("svc"),
        "GET",
        f"{HS}/svc",
        recorded("azure-sdk-for-python/069-GetHostedService.json"),
        check=lambda r: bool(r.service_name),
    ),
    Case(
        "get_hosted_service embed",
        lambda c: c.get_hosted_service("svc", embed_detail=True),
        "GET",
        f"{HS}/svc",
        recorded("azure-sdk-for-python/073-GetHostedServiceEmbedDetail.json"),
        query="embed-detail=true",
        check=lambda r: bool(r.deployments) and all(d.name and d.deployment_slot for d in r.deployments),
    ),
    Case(
        "create_hosted_service",
        lambda c: c.create_hosted_service("svc", {"Location": "West US"}),
        "POST",
        HS,
        recorded("azure-sdk-for-python/027-CreateHostedService.json"),
        root="CreateHostedService",
    ),
    Case(
        "delete_hosted_service",
        lambda c: c.delete_hosted_service("svc"),
        "DELETE",
        f"{HS}/svc",
        recorded("azure-sdk-for-python/041-DeleteHostedService.json"),
    ),
    Case(
        "delete_hosted_service media",
        lambda c: c.delete_hosted_service("svc", delete_media=True),
        "DELETE",
        f"{HS}/svc",
        Canned(202),
        query="comp=media",
    ),
    Case(
        "get_storage_account_keys",
        lambda c: c.get_storage_account_keys("acct"),
        "GET",
        "/services/storageservices/acct/keys",
        recorded("azure-sdk-for-python/096-GetStorageAccountKeys.json"),
        check=lambda r: r.storage_service_keys is not None,
    ),
    Case(
        "list_storage_accounts",
        lambda c: c.list_storage_accounts(),
        "GET",
        "/services/storageservices",
        recorded("azure-sdk-for-python/115-ListStorageAccounts.json"),
        check=lambda r: len(r) > 0,
    ),
    Case(
        "list_disks",
        lambda c: c.list_disks(),
        "GET",
        "/services/disks",
        recorded("azure-sdk-for-net/122-ListDisks.json"),
        check=lambda r: all(isinstance(d, models.Disk) for d in r),
    ),
    Case(
        "delete_disk",
        lambda c: c.delete_disk("xplattestdisk"),
        "DELETE",
        "/services/disks/xplattestdisk",
        recorded("azure-xplat-cli/050-DeleteDisk.json"),
    ),
    Case(
        "delete_disk media",
        lambda c: c.delete_disk("xplattestdisk", delete_media=True),
        "DELETE",
        "/services/disks/xplattestdisk",
        recorded("azure-xplat-cli/051-DeleteDisk.json"),
        query="comp=media",
    ),
    Case(
        "list_locations",
        lambda c: c.list_locations(),
        "GET",
        "/locations",
        recorded("azure-sdk-for-python/105-ListLocations.json"),
        check=lambda r: len(r) > 0 and r[0].name,
    ),
    Case(
        "list_role_sizes",
        lambda c: c.list_role_sizes(),
        "GET",
        "/rolesizes",
        recorded("azure-sdk-for-python/113-ListRoleSizes.json"),
        check=lambda r: len(r) > 0 and r[0].cores,
    ),
    Case(
        "get_deployment",
        lambda c: c.get_deployment("svc", "dep"),
        "GET",
        DEP,
        recorded("azure-sdk-for-python/054-GetDeployment.json"),
        check=lambda r: isinstance(r, models.Deployment) and r.name,
    ),
    Case(
        "get_deployment_by_slot",
        lambda c: c.get_deployment_by_slot("svc", "production"),
        "GET",
        f"{HS}/svc/deploymentslots/Production",
        recorded("azure-sdk-for-python/068-GetDeploymentBySlot.json"),
        check=lambda r: r.deployment_slot == "Production",
    ),
    Case(
        "create_deployment",
        lambda c: c.create_deployment("svc", "dep", ROLE_SPEC),
        "POST",
        f"{HS}/svc/deployments",
        recorded("azure-sdk-for-python/019-CreateDeployment.json"),
        root="Deployment",
    ),
    Case(
        "delete_deployment",
        lambda c: c.delete_deployment("svc", "dep", delete_media=True),
        "DELETE",
        DEP,
        Canned(202),
        query="comp=media",
    ),
    Case(
        "get_role",
        lambda c: c.get_role("svc", "dep", "vm1"),
        "GET",
        ROLE,
        recorded("azure-sdk-for-python/090-GetRole.json"),
        check=lambda r: isinstance(r, models.VMRole),
    ),
    Case(
        "add_role",
        lambda c: c.add_role("svc", "dep", ROLE_SPEC),
        "POST",
        f"{DEP}/roles",
        recorded("azure-sdk-for-python/005-AddRole.json"),
        root="PersistentVMRole",
    ),
    Case(
        "modify_role",
        lambda c: c.modify_role("svc", "dep", "vm1", NETWORK_ONLY),
        "PUT",
        ROLE,
        recorded("azure-sdk-for-python/136-UpdateRole.json"),
        root="PersistentVMRole",
    ),
    Case(
        "delete_role",
        lambda c: c.delete_role("svc", "dep", "vm1"),
        "DELETE",
        ROLE,
        recorded("azure-sdk-for-python/046-DeleteRole.json"),
    ),
    Case(
        "get_data_disk",
        lambda c: c.get_data_disk("svc", "dep", "vm1", 0),
        "GET",
        f"{ROLE}/DataDisks/0",
        recorded("azure-sdk-for-net/064-GetDataDisk.json"),
        check=lambda r: isinstance(r, models.DataDisk),
    ),
    Case(
        "add_data_disk",
        lambda c: c.add_data_disk("svc", "dep", "vm1", DISK),
        "POST",
        f"{ROLE}/DataDisks",
        recorded("azure-xplat-cli/000-AddDataDisk.json"),
        root="DataVirtualHardDisk",
    ),
    Case(
        "modify_data_disk",
        lambda c: c.modify_data_disk("svc", "dep", "vm1", 1, {"HostCaching": "ReadWrite"}),
        "PUT",
        f"{ROLE}/DataDisks/1",
        Canned(200),
        root="DataVirtualHardDisk",
    ),
    Case(
        "remove_data_disk",
        lambda c: c.remove_data_disk("svc", "dep", "vm1", 1, delete_media=True),
        "DELETE",
        f"{ROLE}/DataDisks/1",
        recorded("azure-xplat-cli/040-DeleteDataDisk.json"),
        query="comp=media",
    ),
    Case(
        "shutdown_role_instance",
        lambda c: c.shutdown_role_instance("svc", "dep", "vm1", "StoppedDeallocated"),
        "POST",
        OPS,
        recorded("azure-sdk-for-python/122-ShutdownRole.json"),
        root="ShutdownRoleOperation",
    ),
    Case(
        "start_role_instance",
        lambda c: c.start_role_instance("svc", "dep", "vm1"),
        "POST",
        OPS,
        recorded("azure-sdk-for-python/126-StartRole.json"),
        root="StartRoleOperation",
    ),
    Case(
        "restart_role_instance",
        lambda c: c.restart_role_instance("svc", "dep", "vm1"),
        "POST",
        OPS,
        recorded("azure-sdk-for-python/121-RestartRole.json"),
        root="RestartRoleOperation",
    ),
    Case(
        "capture_role_instance",
        lambda c: c.capture_role_instance(
            "svc", "dep", "vm1", {"PostCaptureAction": "Delete", "TargetImageName": "captured"}
        ),
        "POST",
        OPS,
        recorded("azure-sdk-for-python/010-CaptureRole.json"),
        root="CaptureRoleOperation",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_operation_on_the_wire(tls_server: TestServer, make_client: ClientFactory, case: Case) -> None:
    tls_server.on(case.method, f"/{SUBSCRIPTION}{case.path}", case.answer)
    resp = await case.call(make_client())
    assert resp.is_successful, resp.error
    assert resp.status_code == case.answer.status
    (seen,) = tls_server.seen()
    assert (seen.method, seen.path, seen.query) == (case.method, f"/{SUBSCRIPTION}{case.path}", case.query)
    if case.root is None:
        assert seen.body == b""
    else:
        assert seen.headers["content-type"] == "application/xml"
        root = parse_xml(seen.body)
        assert local_name(root) == case.root
        assert root.nsmap.get(None) == "http://schemas.microsoft.com/windowsazure"
    if case.check is not None:
        assert resp.response is not None and case.check(resp.response)
    if resp.request_id is not None:
        assert resp.request_id == resp.headers["x-ms-request-id"]


async def test_shutdown_body_matches_the_recording(
    tls_server: TestServer, make_client: ClientFactory
) -> None:
    tls_server.on("POST", f"/{SUBSCRIPTION}{OPS}", Canned(202))
    await make_client().shutdown_role_instance("svc", "dep", "vm1", "Stopped")
    body = tls_server.seen()[0].body
    assert b"<OperationType>ShutdownRoleOperation</OperationType>" in body
    assert b"<PostShutdownAction>Stopped</PostShutdownAction>" in body


async def test_create_hosted_service_defaults(tls_server: TestServer, make_client: ClientFactory) -> None:
    tls_server.on("POST", f"/{SUBSCRIPTION}{HS}", Canned(201))
    await make_client().create_hosted_service("mysvc", {"Location": "West US"})
    root = parse_xml(tls_server.seen()[0].body)
    values = {local_name(e): e.text for e in root}
    assert values["ServiceName"] == "mysvc"
    assert values["Label"] == "bXlzdmM="  # base64("mysvc"): Label = name, base64 on the wire
    assert values["Description"] == "Service host"
    assert list(values) == ["ServiceName", "Label", "Description", "Location"]


async def test_create_deployment_defaults(tls_server: TestServer, make_client: ClientFactory) -> None:
    tls_server.on("POST", f"/{SUBSCRIPTION}{HS}/svc/deployments", Canned(202))
    await make_client().create_deployment("svc", "dep", ROLE_SPEC)
    root = parse_xml(tls_server.seen()[0].body)
    children = [local_name(e) for e in root]
    assert children[:4] == ["Name", "DeploymentSlot", "Label", "RoleList"]
    assert root[1].text == "Production" and root[2].text == "dep"
    role = root[3][0]
    assert {local_name(e): e.text for e in role}["RoleType"] == "PersistentVMRole"
