"""The real service's placement and size rules (issue 9 §2), on the demo seed.

* A role size's ``MaxDataDiskCount`` caps its data disks (Add Data Disk, Add Role, Create
  Deployment, Update Role to a smaller size) — 400.
* A VHD (OS or data disk) must live in an existing storage account in the hosted service's
  region (its affinity group's region) — 400 otherwise; a User image likewise.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.emulator import wire

NS = 'xmlns="http://schemas.microsoft.com/windowsazure"'
XML = {"Content-Type": wire.XML}
MAX_DISKS = "The maximum number of data disks allowed to be attached to a VM of this size is"


@pytest.fixture
def c(emulator: Any) -> httpx.Client:
    with wire.client(emulator) as client:
        yield client


def _disk(lun: int, svc: str, storage: str = wire.DEMO_STORAGE) -> str:
    return (
        f"<DataVirtualHardDisk><Lun>{lun}</Lun><LogicalDiskSizeInGB>10</LogicalDiskSizeInGB>"
        f"<MediaLink>https://{storage}.blob.core.windows.net/vhds/{svc}-d{lun}.vhd</MediaLink></DataVirtualHardDisk>"
    )


def _with_disks(body: bytes, svc: str, count: int, size: str = "Small") -> bytes:
    disks = "".join(_disk(lun, svc) for lun in range(count))
    return body.replace(
        b"<OSVirtualHardDisk>",
        f"<DataVirtualHardDisks>{disks}</DataVirtualHardDisks><OSVirtualHardDisk>".encode(),
    ).replace(b"<RoleSize>Small</RoleSize>", f"<RoleSize>{size}</RoleSize>".encode())


def _deploy(c: httpx.Client, svc: str, **kw: Any) -> None:
    assert wire.create_service(c, svc).status_code == 201
    wire.post_and_wait(
        c,
        f"/services/hostedservices/{svc}/deployments",
        wire.linux_deployment(svc, "vm1", image=wire.UBUNTU, **kw),
    )


def _refused(r: httpx.Response, words: str) -> None:
    assert r.status_code == 400, r.text
    code, message = wire.error(r)
    assert code == "BadRequest" and words in message, message


def _no_disks_of(c: httpx.Client, svc: str) -> None:
    assert svc.encode() not in c.get("/services/disks").content


def test_add_data_disk_beyond_the_size_limit_is_refused(c: httpx.Client) -> None:
    svc = "rule-disk-count"
    _deploy(c, svc)  # Small: 2 data disks
    disks = f"/services/hostedservices/{svc}/deployments/{svc}/roles/vm1/DataDisks"
    for lun in (0, 1):
        wire.post_and_wait(
            c, disks, _disk(lun, svc).replace("<DataVirtualHardDisk>", f"<DataVirtualHardDisk {NS}>")
        )
    r = c.post(
        disks,
        content=_disk(2, svc).replace("<DataVirtualHardDisk>", f"<DataVirtualHardDisk {NS}>"),
        headers=XML,
    )
    _refused(r, f"{MAX_DISKS} 2.")
    assert c.get(f"{disks}/2").status_code == 404
    assert b"rule-disk-count-d2" not in c.get("/services/disks").content


def test_create_deployment_and_add_role_with_too_many_disks_are_refused(c: httpx.Client) -> None:
    svc = "rule-disk-create"
    assert wire.create_service(c, svc).status_code == 201
    body = _with_disks(wire.linux_deployment(svc, "vm1", image=wire.UBUNTU), svc, 2, size="ExtraSmall")
    r = c.post(f"/services/hostedservices/{svc}/deployments", content=body, headers=XML)
    _refused(r, f"{MAX_DISKS} 1.")
    _no_disks_of(c, svc)
    wire.post_and_wait(
        c,
        f"/services/hostedservices/{svc}/deployments",
        _with_disks(wire.linux_deployment(svc, "vm1", image=wire.UBUNTU), svc, 2),
    )
    role = wire.linux_role("vm2", image=wire.UBUNTU).replace(b"/vhds/vm2.vhd", b"/vhds/rule-disk-vm2-os.vhd")
    role = _with_disks(role, "rule-disk-vm2", 3)
    r = c.post(f"/services/hostedservices/{svc}/deployments/{svc}/roles", content=role, headers=XML)
    _refused(r, f"{MAX_DISKS} 2.")
    assert b"rule-disk-vm2" not in c.get("/services/disks").content


def test_update_role_to_a_size_with_fewer_disks_is_refused(c: httpx.Client) -> None:
    svc = "rule-disk-shrink"
    assert wire.create_service(c, svc).status_code == 201
    body = _with_disks(wire.linux_deployment(svc, "vm1", image=wire.UBUNTU), svc, 3, size="Medium")
    wire.post_and_wait(c, f"/services/hostedservices/{svc}/deployments", body)
    role = f"/services/hostedservices/{svc}/deployments/{svc}/roles/vm1"
    update = f"<PersistentVMRole {NS}><RoleName>vm1</RoleName><RoleSize>Small</RoleSize></PersistentVMRole>"
    _refused(c.put(role, content=update, headers=XML), f"{MAX_DISKS} 2.")
    assert wire.text(wire.xml(c.get(role)), "RoleSize") == "Medium"
    r = c.put(role, content=update.replace("Small", "Large"), headers=XML)
    assert r.status_code == 202


def test_vhd_in_another_region_is_refused(c: httpx.Client) -> None:
    svc = "rule-region-os"
    assert wire.create_service(c, svc, "North Europe").status_code == 201
    body = wire.linux_deployment(svc, "vm1", image=wire.UBUNTU)  # contosoportalvhds is in West US
    r = c.post(f"/services/hostedservices/{svc}/deployments", content=body, headers=XML)
    _refused(r, "The location or affinity group West US of the storage account where the VHD")
    assert "same affinity group or location as the cloud service North Europe." in wire.error(r)[1]
    _no_disks_of(c, svc)
    wire.post_and_wait(
        c,
        f"/services/hostedservices/{svc}/deployments",
        wire.linux_deployment(svc, "vm1", image=wire.UBUNTU, storage="fabrikamdata"),
    )
    disk = _disk(0, svc).replace("<DataVirtualHardDisk>", f"<DataVirtualHardDisk {NS}>")
    r = c.post(
        f"/services/hostedservices/{svc}/deployments/{svc}/roles/vm1/DataDisks", content=disk, headers=XML
    )
    _refused(r, "is not in the same location or affinity group as the specified cloud service")


def test_vhd_in_a_storage_account_that_does_not_exist_is_refused(c: httpx.Client) -> None:
    svc = "rule-no-account"
    assert wire.create_service(c, svc).status_code == 201
    body = wire.linux_deployment(svc, "vm1", image=wire.UBUNTU, storage="nosuchaccount")
    r = c.post(f"/services/hostedservices/{svc}/deployments", content=body, headers=XML)
    _refused(r, "The storage account 'nosuchaccount' was not found.")
    _no_disks_of(c, svc)


def test_service_in_an_affinity_group_uses_the_group_region(c: httpx.Client) -> None:
    svc = "rule-affinity"
    label = "YWc="
    group = (
        f"<CreateAffinityGroup {NS}><Name>rule-west</Name><Label>{label}</Label>"
        "<Location>West US</Location></CreateAffinityGroup>"
    )
    assert c.post("/affinitygroups", content=group, headers=XML).status_code == 201
    r = c.post(
        "/services/hostedservices",
        content=f"<CreateHostedService {NS}><ServiceName>{svc}</ServiceName><Label>{label}</Label>"
        "<AffinityGroup>rule-west</AffinityGroup></CreateHostedService>",
        headers=XML,
    )
    assert r.status_code == 201
    wire.post_and_wait(
        c, f"/services/hostedservices/{svc}/deployments", wire.linux_deployment(svc, "vm1", image=wire.UBUNTU)
    )
    body = wire.linux_role("vm2", image=wire.UBUNTU, storage="fabrikamdata").replace(
        b"/vm2.vhd", b"/aff-vm2.vhd"
    )
    r = c.post(f"/services/hostedservices/{svc}/deployments/{svc}/roles", content=body, headers=XML)
    _refused(r, "as the cloud service West US.")


def test_user_image_in_another_region_is_refused(c: httpx.Client) -> None:
    svc = "rule-image-region"
    assert wire.create_service(c, svc, "North Europe").status_code == 201
    windows = wire.linux_deployment(svc, "vm1", image="contoso-web-golden-2016", storage="fabrikamdata")
    r = c.post(f"/services/hostedservices/{svc}/deployments", content=windows, headers=XML)
    _refused(
        r,
        "The location or affinity group West US of the storage account where the source image "
        "contoso-web-golden-2016 resides is not in the same location or affinity group as the specified "
        "cloud service. The source image must reside in a storage account that has the same affinity group "
        "or location as the cloud service North Europe.",
    )


def test_default_media_link_needs_an_account_in_the_region(c: httpx.Client) -> None:
    svc = "rule-no-local-acct"
    assert wire.create_service(c, svc, "Southeast Asia").status_code == 201
    body = wire.linux_deployment(svc, "vm1", image=wire.UBUNTU).replace(
        f"<MediaLink>https://{wire.DEMO_STORAGE}.blob.core.windows.net/vhds/{svc}-vm1.vhd</MediaLink>".encode(),
        b"",
    )
    r = c.post(f"/services/hostedservices/{svc}/deployments", content=body, headers=XML)
    _refused(r, "no storage account of the subscription is in Southeast Asia")
