"""Long-running operations, state machines and semantic rules, over real mTLS."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from tests.emulator import wire
from tests.emulator.wire import NS, UBUNTU, WINDOWS

DEP = "/services/hostedservices/{svc}/deployments/{svc}"


def _instances(c: httpx.Client, svc: str) -> dict[str, tuple[str, str]]:
    root = wire.xml(c.get(DEP.format(svc=svc)))
    return {
        i.findtext(NS + "RoleName") or "": (
            i.findtext(NS + "InstanceStatus") or "",
            i.findtext(NS + "PowerState") or "",
        )
        for i in root.iter(NS + "RoleInstance")
    }


def _deploy(c: httpx.Client, svc: str, role: str = "vm1") -> str:
    assert wire.create_service(c, svc).status_code == 201
    r = c.post(
        f"/services/hostedservices/{svc}/deployments",
        content=wire.linux_deployment(svc, role, image=UBUNTU),
        headers={"Content-Type": wire.ATOM},
    )
    assert r.status_code == 202, r.text
    assert r.content == b"" and r.headers["content-length"] == "0"
    return r.headers["x-ms-request-id"]


def _ready(c: httpx.Client, svc: str, role: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while _instances(c, svc).get(role) != ("ReadyRole", "Started"):
        assert time.monotonic() < deadline, _instances(c, svc)
        time.sleep(0.01)


def _post_op(c: httpx.Client, svc: str, role: str, body: str) -> httpx.Response:
    return c.post(
        f"{DEP.format(svc=svc)}/roleinstances/{role}/Operations",
        content=body,
        headers={"Content-Type": wire.XML},
    )


def _op_body(kind: str, extra: str = "") -> str:
    return f'<{kind} xmlns="http://schemas.microsoft.com/windowsazure"><OperationType>{kind}</OperationType>{extra}</{kind}>'


@pytest.fixture
def slow(emulator_factory: Any) -> Any:
    """An emulator slow enough to observe InProgress (a VM needs ~0.5 s to be created)."""
    emu = emulator_factory(seed="empty", speed=6)
    with wire.client(emu) as c:
        wire.create_storage(c)
    return emu


def test_operation_progresses_in_progress_then_succeeded(slow: Any) -> None:
    with wire.client(slow) as c:
        op_id = _deploy(c, "life-progress")
        first = wire.xml(c.get(f"/operations/{op_id}"))
        assert (
            wire.text(first, "ID") == f"{op_id[:8]}-{op_id[8:12]}-{op_id[12:16]}-{op_id[16:20]}-{op_id[20:]}"
        )
        assert wire.text(first, "Status") == "InProgress"
        assert first.find(NS + "HttpStatusCode") is None
        assert _instances(c, "life-progress")["vm1"] == ("CreatingVM", "Stopped")
        assert wire.text(wire.xml(c.get(DEP.format(svc="life-progress"))), "Status") == "Deploying"
        # A second mutating call on the busy deployment is refused like RDFE did.
        busy = _post_op(c, "life-progress", "vm1", _op_body("RestartRoleOperation"))
        assert busy.status_code == 409
        code, message = wire.error(busy)
        assert code == "ConflictError" and op_id in message and "exclusive access" in message
        done = wire.wait_op(c, op_id)
        assert wire.text(done, "Status") == "Succeeded" and wire.text(done, "HttpStatusCode") == "200"
        seen = set()
        deadline = time.monotonic() + 10
        while ("ReadyRole", "Started") not in seen:
            seen.add(_instances(c, "life-progress")["vm1"])
            assert time.monotonic() < deadline
            time.sleep(0.02)
        assert ("Provisioning", "Started") in seen or ("RoleStateUnknown", "Starting") in seen
        assert wire.text(wire.xml(c.get(DEP.format(svc="life-progress"))), "Status") == "Running"


def test_shutdown_start_restart_deallocate(emulator: Any) -> None:
    with wire.client(emulator) as c:
        wire.wait_op(c, _deploy(c, "life-power"))
        _ready(c, "life-power", "vm1")
        r = _post_op(
            c,
            "life-power",
            "vm1",
            _op_body("ShutdownRoleOperation", "<PostShutdownAction>Stopped</PostShutdownAction>"),
        )
        assert r.status_code == 202
        assert wire.text(wire.wait_op(c, r.headers["x-ms-request-id"]), "Status") == "Succeeded"
        assert _instances(c, "life-power")["vm1"] == ("StoppedVM", "Stopped")
        r = _post_op(c, "life-power", "vm1", _op_body("StartRoleOperation"))
        wire.wait_op(c, r.headers["x-ms-request-id"])
        _ready(c, "life-power", "vm1")
        r = _post_op(c, "life-power", "vm1", _op_body("RestartRoleOperation"))
        wire.wait_op(c, r.headers["x-ms-request-id"])
        _ready(c, "life-power", "vm1")
        body = _op_body(
            "ShutdownRoleOperation", "<PostShutdownAction>StoppedDeallocated</PostShutdownAction>"
        )
        wire.wait_op(c, _post_op(c, "life-power", "vm1", body).headers["x-ms-request-id"])
        assert _instances(c, "life-power")["vm1"] == ("StoppedDeallocated", "Stopped")
        xml = c.get(DEP.format(svc="life-power")).content
        assert b"<InstanceStatus>StoppedDeallocated</InstanceStatus><PowerState>Stopped</PowerState>" in xml
        bad = _post_op(
            c,
            "life-power",
            "vm1",
            _op_body("ShutdownRoleOperation", "<PostShutdownAction>Off</PostShutdownAction>"),
        )
        assert bad.status_code == 400 and "PostShutdownAction" in wire.error(bad)[1]
        assert _post_op(c, "life-power", "nope", _op_body("StartRoleOperation")).status_code == 404


def test_add_update_delete_role_and_last_role_refused(emulator: Any) -> None:
    with wire.client(emulator) as c:
        wire.wait_op(c, _deploy(c, "life-roles"))
        roles = f"{DEP.format(svc='life-roles')}/roles"
        r = c.post(roles, content=wire.linux_role("vm2", image=UBUNTU), headers={"Content-Type": wire.ATOM})
        assert r.status_code == 202
        wire.wait_op(c, r.headers["x-ms-request-id"])
        dup = c.post(
            roles, content=wire.linux_role("VM2", image=UBUNTU, port=2223), headers={"Content-Type": wire.XML}
        )
        assert dup.status_code == 409
        role = wire.xml(c.get(f"{roles}/vm2"))
        assert role.tag == NS + "PersistentVMRole" and wire.text(role, "RoleSize") == "Small"
        update = (
            '<PersistentVMRole xmlns="http://schemas.microsoft.com/windowsazure"><RoleName>vm2</RoleName>'
            "<ConfigurationSets><ConfigurationSet><ConfigurationSetType>NetworkConfiguration</ConfigurationSetType>"
            "<InputEndpoints><InputEndpoint><LocalPort>5555</LocalPort><Name>endupdate</Name><Port>50055</Port>"
            "<Protocol>tcp</Protocol></InputEndpoint></InputEndpoints></ConfigurationSet></ConfigurationSets>"
            "<RoleSize>Medium</RoleSize></PersistentVMRole>"
        )
        r = c.put(f"{roles}/vm2", content=update, headers={"Content-Type": wire.XML})
        assert r.status_code == 202
        wire.wait_op(c, r.headers["x-ms-request-id"])
        role = wire.xml(c.get(f"{roles}/vm2"))
        assert wire.text(role, "RoleSize") == "Medium"
        assert [e.text for e in role.iter(NS + "Name")] == ["endupdate"]
        assert wire.text(role, "OSVirtualHardDisk/SourceImageName") == UBUNTU  # kept: not sent
        # a port already used by another role: accepted, then the operation fails like RDFE's
        clash = c.post(
            roles, content=wire.linux_role("vm3", image=UBUNTU, port=22), headers={"Content-Type": wire.XML}
        )
        assert clash.status_code == 202
        failed = wire.wait_op(c, clash.headers["x-ms-request-id"])
        assert wire.text(failed, "Status") == "Failed" and wire.text(failed, "HttpStatusCode") == "400"
        assert wire.text(failed, "Error/Message").startswith("Port 22 is already in use")
        assert c.get(f"{roles}/vm3").status_code == 404
        r = c.delete(f"{roles}/vm2", params={"comp": "media"})
        assert r.status_code == 202
        wire.wait_op(c, r.headers["x-ms-request-id"])
        assert c.get(f"{roles}/vm2").status_code == 404
        last = c.delete(f"{roles}/vm1")
        assert last.status_code == 400
        assert "is the only role present in the deployment" in wire.error(last)[1]


def test_data_disks_luns_and_disk_repository(emulator: Any) -> None:
    with wire.client(emulator) as c:
        wire.wait_op(c, _deploy(c, "life-disks"))
        disks = f"{DEP.format(svc='life-disks')}/roles/vm1/DataDisks"

        def add(lun: int, size: int = 10) -> httpx.Response:
            body = (
                '<DataVirtualHardDisk xmlns="http://schemas.microsoft.com/windowsazure"><HostCaching>ReadOnly</HostCaching>'
                f"<DiskLabel>d{lun}</DiskLabel><Lun>{lun}</Lun><LogicalDiskSizeInGB>{size}</LogicalDiskSizeInGB>"
                f"<MediaLink>https://contosoportalvhds.blob.core.windows.net/vhds/life-disks-{lun}-{size}.vhd</MediaLink>"
                "</DataVirtualHardDisk>"
            )
            return c.post(disks, content=body, headers={"Content-Type": wire.XML})

        for lun in (0, 3):
            r = add(lun)
            assert r.status_code == 202
            wire.wait_op(c, r.headers["x-ms-request-id"])
        assert add(3, 20).status_code == 409
        too_big = add(16)
        assert too_big.status_code == 400 and "Lun" in wire.error(too_big)[1]
        zero = c.get(f"{disks}/0")
        assert zero.status_code == 200 and b"<Lun>" not in zero.content  # RDFE omitted Lun 0
        assert wire.text(wire.xml(c.get(f"{disks}/3")), "Lun") == "3"
        name = wire.text(wire.xml(c.get(f"{disks}/3")), "DiskName")
        disk = wire.xml(c.get(f"/services/disks/{name}"))
        assert wire.text(disk, "AttachedTo/RoleName") == "vm1"
        busy = c.delete(f"/services/disks/{name}")
        assert busy.status_code == 400 and "currently in use" in wire.error(busy)[1]
        body = '<DataVirtualHardDisk xmlns="http://schemas.microsoft.com/windowsazure"><HostCaching>None</HostCaching></DataVirtualHardDisk>'
        r = c.put(f"{disks}/3", content=body, headers={"Content-Type": wire.XML})
        assert r.status_code == 200  # synchronous (issue 9 §1)
        assert wire.text(wire.xml(c.get(f"{disks}/3")), "HostCaching") == "None"
        r = c.delete(f"{disks}/3")
        wire.wait_op(c, r.headers["x-ms-request-id"])
        assert c.get(f"{disks}/3").status_code == 404
        assert wire.xml(c.get(f"/services/disks/{name}")).find(NS + "AttachedTo") is None  # kept, detached
        assert c.delete(f"/services/disks/{name}").status_code == 200
        zero_name = wire.text(wire.xml(c.get(f"{disks}/0")), "DiskName")
        r = c.delete(f"{disks}/0", params={"comp": "media"})
        wire.wait_op(c, r.headers["x-ms-request-id"])
        assert c.get(f"/services/disks/{zero_name}").status_code == 404


def test_capture_creates_image_and_deletes_role(emulator: Any) -> None:
    with wire.client(emulator) as c:
        wire.wait_op(c, _deploy(c, "life-capture"))
        _ready(c, "life-capture", "vm1")
        capture = _op_body(
            "CaptureRoleOperation",
            "<PostCaptureAction>Delete</PostCaptureAction><TargetImageLabel>captured</TargetImageLabel>"
            "<TargetImageName>life-capture-img</TargetImageName>",
        )
        running = _post_op(c, "life-capture", "vm1", capture)
        assert running.status_code == 409  # must be stopped first
        stop = _post_op(c, "life-capture", "vm1", _op_body("ShutdownRoleOperation"))
        wire.wait_op(c, stop.headers["x-ms-request-id"])
        r = _post_op(c, "life-capture", "vm1", capture)
        assert r.status_code == 202
        assert wire.text(wire.wait_op(c, r.headers["x-ms-request-id"]), "Status") == "Succeeded"
        image = wire.xml(c.get("/services/images/life-capture-img"))
        assert wire.text(image, "Category") == "User" and wire.text(image, "Label") == "captured"
        assert wire.text(image, "OS") == "Linux"
        assert c.get(DEP.format(svc="life-capture")).status_code == 404  # its only role went away


def test_delete_deployment_and_service_with_media(emulator: Any) -> None:
    with wire.client(emulator) as c:
        wire.wait_op(c, _deploy(c, "life-delete"))
        os_disk = wire.text(
            wire.xml(c.get(f"{DEP.format(svc='life-delete')}/roles/vm1")), "OSVirtualHardDisk/DiskName"
        )
        assert c.delete("/services/hostedservices/life-delete").status_code == 409  # has deployments
        r = c.delete(DEP.format(svc="life-delete"))
        assert r.status_code == 202
        wire.wait_op(c, r.headers["x-ms-request-id"])
        assert c.get(DEP.format(svc="life-delete")).status_code == 404
        assert c.get(f"/services/disks/{os_disk}").status_code == 200  # without comp=media the disk stays
        c.delete(f"/services/disks/{os_disk}")
        wire.wait_op(c, _deploy_again(c, "life-delete"))
        r = c.delete("/services/hostedservices/life-delete", params={"comp": "media"})
        assert r.status_code == 202
        wire.wait_op(c, r.headers["x-ms-request-id"])
        assert c.get("/services/hostedservices/life-delete").status_code == 404


def _deploy_again(c: httpx.Client, svc: str) -> str:
    r = c.post(
        f"/services/hostedservices/{svc}/deployments",
        content=wire.linux_deployment(svc, "vm9", image=UBUNTU),
        headers={"Content-Type": wire.XML},
    )
    assert r.status_code == 202, r.text
    return r.headers["x-ms-request-id"]


def test_deployment_rules(emulator: Any) -> None:
    with wire.client(emulator) as c:
        wire.wait_op(c, _deploy(c, "life-rules"))
        again = c.post(
            "/services/hostedservices/life-rules/deployments",
            content=wire.linux_deployment("other", "vmx", image=UBUNTU),
            headers={"Content-Type": wire.XML},
        )
        assert again.status_code == 409  # Production slot occupied
        assert wire.create_service(c, "life-rules2").status_code == 201
        bad_image = c.post(
            "/services/hostedservices/life-rules2/deployments",
            content=wire.linux_deployment("life-rules2", "vm1", image="no-such-image"),
            headers={"Content-Type": wire.XML},
        )
        assert bad_image.status_code == 400 and "SourceImageName" in wire.error(bad_image)[1]
        windows_with_linux_config = c.post(
            "/services/hostedservices/life-rules2/deployments",
            content=wire.linux_deployment("life-rules2", "vm1", image=WINDOWS),
            headers={"Content-Type": wire.XML},
        )
        assert windows_with_linux_config.status_code == 400
        assert c.get("/services/hostedservices/life-rules2/deploymentslots/Production").status_code == 404
        disks = c.get("/services/disks").content
        assert b"life-rules2" not in disks  # the refused requests left nothing behind


def test_dns_servers_and_vm_images(emulator: Any) -> None:
    with wire.client(emulator) as c:
        wire.wait_op(c, _deploy(c, "life-extras"))
        dns = f"{DEP.format(svc='life-extras')}/dnsservers"
        body = '<DnsServer xmlns="http://schemas.microsoft.com/windowsazure"><Name>dns1</Name><Address>{}</Address></DnsServer>'
        r = c.post(dns, content=body.format("10.0.0.4"), headers={"Content-Type": wire.XML})
        wire.wait_op(c, r.headers["x-ms-request-id"])
        assert (
            c.post(dns, content=body.format("10.0.0.5"), headers={"Content-Type": wire.XML}).status_code
            == 409
        )
        bad = c.put(f"{dns}/dns1", content=body.format("not-an-ip"), headers={"Content-Type": wire.XML})
        assert bad.status_code == 400 and "Address" in wire.error(bad)[1]
        dep = wire.xml(c.get(DEP.format(svc="life-extras")))
        assert wire.text(dep, "Dns/DnsServers/DnsServer/Address") == "10.0.0.4"
        r = c.delete(f"{dns}/dns1")
        wire.wait_op(c, r.headers["x-ms-request-id"])
        assert wire.xml(c.get(DEP.format(svc="life-extras"))).find(NS + "Dns") is None
        image = (
            '<VMImage xmlns="http://schemas.microsoft.com/windowsazure"><Name>life-vmimage</Name><Label>golden</Label>'
            "<OSDiskConfiguration><OSState>Generalized</OSState><OS>Linux</OS>"
            "<MediaLink>https://contosoportalvhds.blob.core.windows.net/vmimages/golden.vhd</MediaLink></OSDiskConfiguration>"
            "</VMImage>"
        )
        r = c.post("/services/vmimages", content=image, headers={"Content-Type": wire.XML})
        assert r.status_code == 202
        wire.wait_op(c, r.headers["x-ms-request-id"])
        names = [e.text for e in wire.xml(c.get("/services/vmimages")).iter(NS + "Name")]
        assert "life-vmimage" in names
        role = (
            wire.linux_role("vm2", image=UBUNTU, port=2200)
            .replace(f"<SourceImageName>{UBUNTU}</SourceImageName>".encode(), b"")
            .replace(b"<OSVirtualHardDisk>", b"<VMImageName>life-vmimage</VMImageName><OSVirtualHardDisk>")
        )
        r = c.post(f"{DEP.format(svc='life-extras')}/roles", content=role, headers={"Content-Type": wire.XML})
        assert r.status_code == 202, r.text
        wire.wait_op(c, r.headers["x-ms-request-id"])
        got = wire.xml(c.get(f"{DEP.format(svc='life-extras')}/roles/vm2"))
        assert wire.text(got, "VMImageName") == "life-vmimage"
        r = c.delete("/services/vmimages/life-vmimage")
        assert r.status_code == 202
