"""Every mutating operation's status, ``x-ms-request-id`` and lock, pinned against SPEC.md §7/§9.

Each case builds its own hosted service and deployment at full speed, then slows the
emulator's clock down so that an asynchronous operation is still running when the test
looks: a ``202`` must leave its operation ``InProgress`` holding the deployment's lock, a
synchronous ``200``/``201`` must be complete (``Succeeded``) and hold nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from smtui.emulator.engine import lock_key
from tests.emulator import wire

NS_DECL = 'xmlns="http://schemas.microsoft.com/windowsazure"'
XML_BODY = {"Content-Type": wire.XML}
SLOW = 1e-4
"""Operation speed while a case's request runs: a 2-second operation then takes about 6 hours."""


@pytest.fixture(scope="module")
def emu(tmp_path_factory: pytest.TempPathFactory, emulator_certs: Any) -> Iterator[Any]:
    import shutil

    from smtui.emulator import Emulator

    data = tmp_path_factory.mktemp("status") / "data"
    shutil.copytree(emulator_certs, data / "certs")
    with Emulator.running(data, seed="empty", speed=1000) as running:
        with wire.client(running) as c:
            wire.create_storage(c)
        yield running


@dataclass(frozen=True)
class Case:
    """One operation: how to prepare, the request, and what RDFE answers."""

    name: str
    method: str
    path: str
    body: str = ""
    status: int = 202
    locks: str | None = "deployment"
    """``deployment``/``service`` when a 202 holds that lock; None for synchronous calls."""
    prepare: Callable[[httpx.Client, str], None] | None = None
    query: str = ""


def _deploy(c: httpx.Client, svc: str, roles: int = 1) -> None:
    assert wire.create_service(c, svc).status_code == 201
    wire.post_and_wait(
        c, f"/services/hostedservices/{svc}/deployments", wire.linux_deployment(svc, "vm1", image=wire.UBUNTU)
    )
    for i in range(1, roles):
        wire.post_and_wait(
            c,
            f"/services/hostedservices/{svc}/deployments/{svc}/roles",
            _role_body(svc, f"vm{i + 1}", 2200 + i),
        )


def _role_body(svc: str, role: str, port: int) -> bytes:
    body = wire.linux_role(role, image=wire.UBUNTU, port=port)
    return body.replace(f"/vhds/{role}.vhd".encode(), f"/vhds/{svc}-{role}.vhd".encode())


def _with_disk(c: httpx.Client, svc: str) -> None:
    _deploy(c, svc)
    wire.post_and_wait(c, f"{_role(svc)}/DataDisks", _DISK.format(svc=svc))


def _two_roles(c: httpx.Client, svc: str) -> None:
    _deploy(c, svc, roles=2)


def _stopped(c: httpx.Client, svc: str) -> None:
    _deploy(c, svc)
    wire.post_and_wait(c, f"{_dep(svc)}/roleinstances/vm1/Operations", _op("ShutdownRoleOperation"))


def _service_only(c: httpx.Client, svc: str) -> None:
    assert wire.create_service(c, svc).status_code == 201


def _dep(svc: str) -> str:
    return f"/services/hostedservices/{svc}/deployments/{svc}"


def _role(svc: str) -> str:
    return f"{_dep(svc)}/roles/vm1"


def _op(kind: str, extra: str = "") -> str:
    return f"<{kind} {NS_DECL}><OperationType>{kind}</OperationType>{extra}</{kind}>"


_DISK = (
    f"<DataVirtualHardDisk {NS_DECL}><HostCaching>ReadOnly</HostCaching><Lun>1</Lun>"
    "<LogicalDiskSizeInGB>10</LogicalDiskSizeInGB>"
    "<MediaLink>https://contosoportalvhds.blob.core.windows.net/vhds/{svc}-d1.vhd</MediaLink></DataVirtualHardDisk>"
)
_MODIFY_DISK = f"<DataVirtualHardDisk {NS_DECL}><HostCaching>ReadWrite</HostCaching></DataVirtualHardDisk>"
_MODIFY_ROLE = (
    f"<PersistentVMRole {NS_DECL}><RoleName>vm1</RoleName><RoleType>PersistentVMRole</RoleType>"
    "<RoleSize>Medium</RoleSize></PersistentVMRole>"
)
_CAPTURE = (
    "<PostCaptureAction>Delete</PostCaptureAction>"
    "<TargetImageLabel>cap</TargetImageLabel><TargetImageName>{svc}-img</TargetImageName>"
)

CASES = [
    Case("CreateHostedService", "POST", "/services/hostedservices", "", 201, None),
    Case(
        "UpdateHostedService",
        "PUT",
        "/services/hostedservices/{svc}",
        f"<UpdateHostedService {NS_DECL}><Label>bmV3</Label></UpdateHostedService>",
        200,
        None,
        _service_only,
    ),
    Case("DeleteHostedService", "DELETE", "/services/hostedservices/{svc}", "", 200, None, _service_only),
    Case(
        "DeleteHostedService-media",
        "DELETE",
        "/services/hostedservices/{svc}",
        "",
        202,
        "service",
        _deploy,
        "comp=media",
    ),  # fmt: skip
    Case(
        "CreateDeployment",
        "POST",
        "/services/hostedservices/{svc}/deployments",
        "",
        202,
        "deployment",
        _service_only,
    ),  # fmt: skip
    Case("DeleteDeployment", "DELETE", _dep("{svc}"), "", 202, "deployment", _deploy),
    Case(
        "DeleteDeploymentBySlot",
        "DELETE",
        "/services/hostedservices/{svc}/deploymentslots/Production",
        "",
        202,
        "deployment",
        _deploy,
    ),  # fmt: skip
    Case(
        "UpdateDeploymentStatus",
        "POST",
        _dep("{svc}"),
        f"<UpdateDeploymentStatus {NS_DECL}><Status>Suspended</Status></UpdateDeploymentStatus>",
        202,
        "deployment",
        _deploy,
        "comp=status",
    ),  # fmt: skip
    Case("AddRole", "POST", _dep("{svc}") + "/roles", "", 202, "deployment", _deploy),
    Case("ModifyRole", "PUT", _role("{svc}"), _MODIFY_ROLE, 202, "deployment", _deploy),
    Case("DeleteRole", "DELETE", _role("{svc}"), "", 202, "deployment", _two_roles),
    Case("AddDataDisk", "POST", _role("{svc}") + "/DataDisks", _DISK, 202, "deployment", _deploy),
    Case("ModifyDataDisk", "PUT", _role("{svc}") + "/DataDisks/1", _MODIFY_DISK, 200, None, _with_disk),
    Case("RemoveDataDisk", "DELETE", _role("{svc}") + "/DataDisks/1", "", 202, "deployment", _with_disk),
    Case(
        "ShutdownRoleInstance",
        "POST",
        _dep("{svc}") + "/roleinstances/vm1/Operations",
        _op("ShutdownRoleOperation"),
        202,
        "deployment",
        _deploy,
    ),  # fmt: skip
    Case(
        "StartRole",
        "POST",
        _dep("{svc}") + "/roleinstances/vm1/Operations",
        _op("StartRoleOperation"),
        202,
        "deployment",
        _stopped,
    ),  # fmt: skip
    Case(
        "RestartRoleInstance",
        "POST",
        _dep("{svc}") + "/roleinstances/vm1/Operations",
        _op("RestartRoleOperation"),
        202,
        "deployment",
        _deploy,
    ),  # fmt: skip
    Case(
        "CaptureRoleInstance",
        "POST",
        _dep("{svc}") + "/roleinstances/vm1/Operations",
        _op("CaptureRoleOperation", _CAPTURE),
        202,
        "deployment",
        _stopped,
    ),  # fmt: skip
    Case(
        "ShutdownRoles",
        "POST",
        _dep("{svc}") + "/roles/Operations",
        _op("ShutdownRolesOperation", "<Roles><Name>vm1</Name></Roles>"),
        202,
        "deployment",
        _deploy,
    ),  # fmt: skip
    Case(
        "AddDnsServer",
        "POST",
        _dep("{svc}") + "/dnsservers",
        f"<DnsServer {NS_DECL}><Name>dns1</Name><Address>10.0.0.4</Address></DnsServer>",
        202,
        "deployment",
        _deploy,
    ),  # fmt: skip
    Case(
        "CreateOSImage",
        "POST",
        "/services/images",
        f"<OSImage {NS_DECL}><Label>img</Label><MediaLink>https://contosoportalvhds.blob.core.windows.net/i/{{svc}}.vhd"
        "</MediaLink><Name>{svc}</Name><OS>Linux</OS></OSImage>",
        200,
        None,
    ),  # fmt: skip
    Case(
        "AddDisk",
        "POST",
        "/services/disks",
        f"<Disk {NS_DECL}><Label>d</Label><MediaLink>https://contosoportalvhds.blob.core.windows.net/d/{{svc}}.vhd"
        "</MediaLink><Name>{svc}</Name></Disk>",
        200,
        None,
    ),  # fmt: skip
]


def _body(case: Case, svc: str) -> str:
    if case.name == "CreateHostedService":
        return (
            f"<CreateHostedService {NS_DECL}><ServiceName>{svc}</ServiceName><Label>eA==</Label>"
            "<Location>West US</Location></CreateHostedService>"
        )
    if case.name == "CreateDeployment":
        return wire.linux_deployment(svc, "vm1", image=wire.UBUNTU).decode()
    if case.name == "AddRole":
        return _role_body(svc, "vm2", 2222).decode()
    return case.body.replace("{svc}", svc)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_status_request_id_and_lock(emu: Any, case: Case) -> None:
    svc = f"st-{case.name.lower()}"[:24].rstrip("-")
    with wire.client(emu) as c:
        if case.prepare is not None:
            case.prepare(c, svc)
        emu.engine.speed = SLOW
        try:
            headers = {"Content-Type": wire.XML} if case.method in ("POST", "PUT") else {}
            path = case.path.replace("{svc}", svc) + (f"?{case.query}" if case.query else "")
            r = c.request(case.method, path, content=_body(case, svc).encode(), headers=headers)
        finally:
            emu.engine.speed = 1000
        assert r.status_code == case.status, r.text
        request_id = r.headers["x-ms-request-id"]
        assert re.fullmatch(r"[0-9a-f]{32}", request_id)
        op = wire.xml(c.get(f"/operations/{request_id}"))
        sub = emu.subscription_id.lower()
        if case.locks is None:
            assert wire.text(op, "Status") == "Succeeded"
            assert wire.text(op, "HttpStatusCode") == "200"
            assert emu.engine.store.lock_holder(lock_key(sub, svc)) is None
        else:
            assert wire.text(op, "Status") == "InProgress"
            key = lock_key(sub, svc, svc) if case.locks == "deployment" else lock_key(sub, svc) + "/*"
            assert emu.engine.store.lock_holder(key) == request_id


def test_update_data_disk_is_complete_when_answered_and_the_next_call_goes_through(emu: Any) -> None:
    """The CLI and ASMC-generated clients go on at once after Update Data Disk (issue 9 §1)."""
    svc = "st-disk-then-role"
    with wire.client(emu) as c:
        _with_disk(c, svc)
        emu.engine.speed = SLOW
        try:
            r = c.put(f"{_role(svc)}/DataDisks/1", content=_MODIFY_DISK, headers={"Content-Type": wire.XML})
            assert r.status_code == 200 and r.content == b""
            disk = wire.xml(c.get(f"{_role(svc)}/DataDisks/1"))
            assert wire.text(disk, "HostCaching") == "ReadWrite"
            follow = c.put(_role(svc), content=_MODIFY_ROLE, headers={"Content-Type": wire.XML})
            assert follow.status_code == 202, follow.text
            # ...and now the deployment is busy: a second change is refused as RDFE did.
            busy = c.put(f"{_role(svc)}/DataDisks/1", content=_MODIFY_DISK, headers=XML_BODY)
            assert busy.status_code == 409 and wire.error(busy)[0] == "ConflictError"
        finally:
            emu.engine.speed = 1000


def test_deleting_the_last_role_is_refused(emu: Any) -> None:
    svc = "st-last-role"
    with wire.client(emu) as c:
        _deploy(c, svc)
        r = c.delete(_role(svc))
        assert r.status_code == 400
        code, message = wire.error(r)
        assert code == "BadRequest" and "only role present in the deployment" in message
        assert c.get(_role(svc)).status_code == 200


def test_capturing_a_running_instance_is_refused(emu: Any) -> None:
    svc = "st-capture-running"
    with wire.client(emu) as c:
        _deploy(c, svc)
        body = _op("CaptureRoleOperation", _CAPTURE.replace("{svc}", svc))
        r = c.post(f"{_dep(svc)}/roleinstances/vm1/Operations", content=body, headers=XML_BODY)
        assert r.status_code == 409
        assert wire.error(r)[0] == "ConflictError" and "must be stopped" in wire.error(r)[1]
        assert c.get(f"/services/images/{svc}-img").status_code == 404
