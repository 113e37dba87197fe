# ruff: noqa: E501  (request bodies are literal wire text)
"""Every body shape the 2012 Node.js client (SPEC.md source N06) builds, in JSON and in XML.

N06's ``servicemanagementserialize.js`` sends, with ``serializetype: 'JSON'`` (its default),
the root element's members as a JSON object (``RegenerateKeys`` alone keeps its root key),
roles and disks exactly as the caller wrote them (numbers and booleans unquoted, often
without ``ConfigurationSetType`` in a Capture Role's provisioning set, which it puts under
``LinuxProvisioningConfigurationSet``/``WindowsProvisioningConfigurationSet``), and in XML an
XML declaration, both namespaces, and a few shapes of its own (Capture Role's bare
``ConfigurationSet``; Update Role's root ``Role`` with ``SubnetNames``/``string`` misplaced
under ``ConfigurationSets``). Each builder is replayed here in both formats.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.emulator import wire

NS = 'xmlns="http://schemas.microsoft.com/windowsazure" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"'
STORAGE = "nodevhds"


@pytest.fixture(scope="module")
def emu(tmp_path_factory: pytest.TempPathFactory, emulator_certs: Any) -> Iterator[Any]:
    import shutil

    from smtui.emulator import Emulator

    data = tmp_path_factory.mktemp("n06") / "data"
    shutil.copytree(emulator_certs, data / "certs")
    with Emulator.running(data, seed="empty", speed=1000) as running:
        with wire.client(running) as c:
            body = (
                f"<CreateStorageServiceInput {NS}><ServiceName>{STORAGE}</ServiceName>"
                "<Label>bg==</Label><Location>West US</Location></CreateStorageServiceInput>"
            )
            wire.post_and_wait(c, "/services/storageservices", body)
        yield running


def _make_pfx() -> str:
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "n06")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1)).sign(key, hashes.SHA256())
    )  # fmt: skip
    encryption = serialization.BestAvailableEncryption(b"Pfx-Passw0rd")
    return base64.b64encode(pkcs12.serialize_key_and_certificates(b"n06", key, cert, None, encryption)).decode()


PFX = _make_pfx()
"""N06 ``buildAddCertificate``: the PFX base64-encoded, its password in clear (over TLS)."""


def _xml(root: str, inner: str) -> str:
    return f'<?xml version="1.0" encoding="utf-8"?><{root} {NS}>{inner}</{root}>'


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _vhd(name: str) -> str:
    return f"https://{STORAGE}.blob.core.windows.net/vhds/{name}.vhd"


def _role_json(name: str, port: int) -> dict[str, Any]:
    """A role object as N06's callers wrote it (N06 sends it as-is in JSON mode)."""
    return {
        "RoleName": name,
        "RoleType": "PersistentVMRole",
        "ConfigurationSets": [
            {
                "ConfigurationSetType": "LinuxProvisioningConfiguration",
                "HostName": name,
                "UserName": "azureuser",
                "UserPassword": "Secret-Passw0rd",
                "DisableSshPasswordAuthentication": False,
            },
            {
                "ConfigurationSetType": "NetworkConfiguration",
                "InputEndpoints": [{"LocalPort": 22, "Name": "ssh", "Port": port, "Protocol": "tcp"}],
            },
        ],
        "OSVirtualHardDisk": {"MediaLink": _vhd(name), "SourceImageName": wire.UBUNTU},
        "RoleSize": "Small",
    }


def _role_xml(name: str, port: int) -> str:
    """The same role through N06's roleschema.json (XML mode)."""
    return (
        f"<RoleName>{name}</RoleName><RoleType>PersistentVMRole</RoleType><ConfigurationSets>"
        "<ConfigurationSet><ConfigurationSetType>LinuxProvisioningConfiguration</ConfigurationSetType>"
        f"<HostName>{name}</HostName><UserName>azureuser</UserName><UserPassword>Secret-Passw0rd</UserPassword>"
        "<DisableSshPasswordAuthentication>false</DisableSshPasswordAuthentication></ConfigurationSet>"
        "<ConfigurationSet><ConfigurationSetType>NetworkConfiguration</ConfigurationSetType><InputEndpoints>"
        f"<InputEndpoint><LocalPort>22</LocalPort><Name>ssh</Name><Port>{port}</Port><Protocol>tcp</Protocol>"
        "</InputEndpoint></InputEndpoints></ConfigurationSet></ConfigurationSets>"
        f"<OSVirtualHardDisk><MediaLink>{_vhd(name)}</MediaLink><SourceImageName>{wire.UBUNTU}</SourceImageName>"
        "</OSVirtualHardDisk><RoleSize>Small</RoleSize>"
    )


@dataclass(frozen=True)
class Shape:
    """One N06 builder: the request for a fresh name ``n`` in each format, and its answer."""

    name: str
    method: str
    path: Callable[[str], str]
    as_json: Callable[[str], Any]
    as_xml: Callable[[str], str]
    status: int
    prepare: str = ""
    """``service``, ``storage``, ``deployment``, ``disk`` or ``stopped``: what must exist first."""
    check: Callable[[httpx.Client, str], None] | None = None


def _dep(n: str) -> str:
    return f"/services/hostedservices/{n}/deployments/{n}"


def _ops(n: str) -> str:
    return f"{_dep(n)}/roleinstances/vm1/operations"


def _simple_op(kind: str) -> tuple[Callable[[str], Any], Callable[[str], str]]:
    return (lambda n: {"OperationType": kind}), (
        lambda n: _xml(kind, f"<OperationType>{kind}</OperationType>")
    )


def _linux_set() -> dict[str, Any]:
    return {"HostName": "recap", "UserName": "azureuser", "UserPassword": "Secret-Passw0rd"}


def _captured(c: httpx.Client, n: str) -> None:
    image = wire.xml(c.get(f"/services/images/{n}-img"))
    assert wire.text(image, "Category") == "User"


def _capture(os_key: str) -> tuple[Callable[[str], Any], Callable[[str], str]]:
    def js(n: str) -> Any:
        provisioning = _linux_set() if os_key == "Linux" else {
            "ComputerName": "recap", "AdminPassword": "Secret-Passw0rd", "AdminUsername": "azureuser"}  # fmt: skip
        return {
            "OperationType": "CaptureRoleOperation",
            "PostCaptureAction": "Reprovision",
            f"{os_key}ProvisioningConfigurationSet": provisioning,
            "TargetImageLabel": "captured",
            "TargetImageName": f"{n}-img",
        }

    def xml(n: str) -> str:
        cs = (
            "<ConfigurationSet><ConfigurationSetType>LinuxProvisioningConfiguration</ConfigurationSetType>"
            "<HostName>recap</HostName><UserName>azureuser</UserName><UserPassword>Secret-Passw0rd</UserPassword>"
            "</ConfigurationSet>"
        )
        return _xml(
            "CaptureRoleOperation",
            "<OperationType>CaptureRoleOperation</OperationType><PostCaptureAction>Reprovision</PostCaptureAction>"
            f"{cs}<TargetImageLabel>captured</TargetImageLabel><TargetImageName>{n}-img</TargetImageName>",
        )

    return js, xml


_DISK_JSON = {"HostCaching": "ReadOnly", "DiskLabel": "data", "Lun": 1, "LogicalDiskSizeInGB": 10}

SHAPES = [
    Shape(
        "CreateHostedService", "POST", lambda n: "/services/hostedservices",
        lambda n: {"ServiceName": n, "Label": _b64(n), "Description": "Service host", "Location": "West US"},
        lambda n: _xml("CreateHostedService", f"<ServiceName>{n}</ServiceName><Label>{_b64(n)}</Label>"
                       "<Description>Service host</Description><Location>West US</Location>"),
        201,
    ),
    Shape(
        "CreateStorageAccount", "POST", lambda n: "/services/storageservices",
        lambda n: {"ServiceName": n.replace("-", ""), "Label": _b64(n), "Location": "West US"},
        lambda n: _xml("CreateStorageServiceInput", f"<ServiceName>{n.replace('-', '')}</ServiceName>"
                       f"<Label>{_b64(n)}</Label><Location>West US</Location>"),
        202,
    ),
    Shape(
        "UpdateStorageAccount", "PUT", lambda n: f"/services/storageservices/{n.replace('-', '')}",
        lambda n: {"ServiceName": n.replace("-", ""), "Label": _b64("new"), "GeoReplicationEnabled": "true"},
        lambda n: _xml("UpdateStorageServiceInput", f"<ServiceName>{n.replace('-', '')}</ServiceName>"
                       f"<Label>{_b64('new')}</Label><GeoReplicationEnabled>true</GeoReplicationEnabled>"),
        200, "storage",
    ),
    Shape(
        "RegenerateStorageKeys", "POST", lambda n: f"/services/storageservices/{n.replace('-', '')}/keys?action=regenerate",  # noqa: E501
        lambda n: {"RegenerateKeys": {"KeyType": "Primary"}},
        lambda n: _xml("RegenerateKeys", "<KeyType>Primary</KeyType>"),
        200, "storage",
    ),
    Shape(
        "CreateOSImage", "POST", lambda n: "/services/images",
        lambda n: {"Label": n, "MediaLink": _vhd(f"img-{n}"), "Name": n, "OS": "Linux"},
        lambda n: _xml("OSImage", f"<Label>{n}</Label><MediaLink>{_vhd(f'img-{n}')}</MediaLink><Name>{n}</Name>"
                       "<OS>Linux</OS>"),
        200,
    ),
    Shape(
        "AddDisk", "POST", lambda n: "/services/disks",
        lambda n: {"Name": n, "MediaLink": _vhd(f"disk-{n}"), "HasOperatingSystem": "true", "Label": n,
                   "OS": "Linux"},
        lambda n: _xml("Disk", f"<HasOperatingSystem>true</HasOperatingSystem><OS>Linux</OS><Label>{n}</Label>"
                       f"<MediaLink>{_vhd(f'disk-{n}')}</MediaLink><Name>{n}</Name>"),
        200,
    ),
    Shape(
        "CreateDeployment", "POST", lambda n: f"/services/hostedservices/{n}/deployments",
        lambda n: {"Name": n, "DeploymentSlot": "Production", "Label": _b64(n), "UpgradeDomainCount": 1,
                   "RoleList": [_role_json("vm1", 22)]},
        lambda n: _xml("Deployment", f"<Name>{n}</Name><DeploymentSlot>Production</DeploymentSlot>"
                       f"<Label>{_b64(n)}</Label><UpgradeDomainCount>1</UpgradeDomainCount>"
                       f"<RoleList><Role>{_role_xml('vm1', 22)}</Role></RoleList>"),
        202, "service",
    ),
    Shape(
        "AddRole", "POST", lambda n: f"{_dep(n)}/roles",
        lambda n: _role_json("vm2", 2222),
        lambda n: _xml("PersistentVMRole", _role_xml("vm2", 2222)),
        202, "deployment",
    ),
    Shape(
        "ModifyRole", "PUT", lambda n: f"{_dep(n)}/roles/vm1",
        lambda n: {"RoleName": "vm1", "RoleType": "PersistentVMRole", "ConfigurationSets": [
            {"ConfigurationSetType": "NetworkConfiguration",
             "InputEndpoints": [{"LocalPort": 80, "Name": "web", "Port": 80, "Protocol": "tcp"}]}],
            "RoleSize": "Medium"},
        lambda n: _xml("Role", "<RoleName>vm1</RoleName><RoleType>PersistentVMRole</RoleType><ConfigurationSets>"
                       "<ConfigurationSet><ConfigurationSetType>NetworkConfiguration</ConfigurationSetType>"
                       "<InputEndpoints><InputEndpoint><LocalPort>80</LocalPort><Name>web</Name><Port>80</Port>"
                       "<Protocol>tcp</Protocol></InputEndpoint></InputEndpoints></ConfigurationSet>"
                       "<SubnetNames/></ConfigurationSets><RoleSize>Medium</RoleSize>"),
        202, "deployment",
        lambda c, n: None if wire.text(wire.xml(c.get(f"{_dep(n)}/roles/vm1")), "RoleSize") == "Medium" else pytest.fail("size"),  # noqa: E501
    ),
    Shape(
        "AddDataDisk", "POST", lambda n: f"{_dep(n)}/roles/vm1/datadisks",
        lambda n: {**_DISK_JSON, "MediaLink": _vhd(f"{n}-d1")},
        lambda n: _xml("DataVirtualHardDisk", "<HostCaching>ReadOnly</HostCaching><DiskLabel>data</DiskLabel>"
                       f"<Lun>1</Lun><LogicalDiskSizeInGB>10</LogicalDiskSizeInGB><MediaLink>{_vhd(f'{n}-d1')}"
                       "</MediaLink>"),
        202, "deployment",
    ),
    Shape(
        "ModifyDataDisk", "PUT", lambda n: f"{_dep(n)}/roles/vm1/datadisks/1",
        lambda n: {"DiskLabel": "renamed"},
        lambda n: _xml("DataVirtualHardDisk", "<DiskLabel>renamed</DiskLabel>"),
        200, "disk",
        lambda c, n: None if wire.text(wire.xml(c.get(f"{_dep(n)}/roles/vm1/datadisks/1")), "DiskLabel") == "renamed" else pytest.fail("label"),  # noqa: E501
    ),
    Shape("ShutdownRole", "POST", _ops, *_simple_op("ShutdownRoleOperation"), 202, "deployment"),
    Shape("StartRole", "POST", _ops, *_simple_op("StartRoleOperation"), 202, "stopped"),
    Shape("RestartRole", "POST", _ops, *_simple_op("RestartRoleOperation"), 202, "deployment"),
    Shape("CaptureRole-Linux", "POST", _ops, *_capture("Linux"), 202, "stopped", _captured),
    Shape(
        "AddCertificate", "POST", lambda n: f"/services/hostedservices/{n}/certificates",
        lambda n: {"Data": PFX, "CertificateFormat": "pfx", "Password": "Pfx-Passw0rd"},
        lambda n: _xml("CertificateFile", f"<Data>{PFX}</Data><CertificateFormat>pfx</CertificateFormat>"
                       "<Password>Pfx-Passw0rd</Password>"),
        202, "service",
    ),
]  # fmt: skip
CAPTURE_WINDOWS_JSON = _capture("Windows")[0]


def _prepare(c: httpx.Client, what: str, n: str) -> None:
    if what == "storage":
        body = f"<CreateStorageServiceInput {NS}><ServiceName>{n.replace('-', '')}</ServiceName><Label>bg==</Label>"
        wire.post_and_wait(
            c, "/services/storageservices", body + "<Location>West US</Location></CreateStorageServiceInput>"
        )
        return
    if what:
        assert wire.create_service(c, n).status_code == 201
    if what in ("deployment", "disk", "stopped"):
        body = _xml(
            "Deployment",
            f"<Name>{n}</Name><DeploymentSlot>Production</DeploymentSlot><Label>{n}</Label>"
            f"<RoleList><Role>{_role_xml('vm1', 22).replace('/vm1.vhd', f'/{n}-vm1.vhd')}</Role></RoleList>",
        )
        wire.post_and_wait(c, f"/services/hostedservices/{n}/deployments", body)
    if what == "disk":
        wire.post_and_wait(
            c,
            f"{_dep(n)}/roles/vm1/datadisks",
            _xml(
                "DataVirtualHardDisk",
                f"<Lun>1</Lun><LogicalDiskSizeInGB>10</LogicalDiskSizeInGB><MediaLink>{_vhd(f'{n}-d1')}</MediaLink>",
            ),
        )
    if what == "stopped":
        wire.post_and_wait(c, _ops(n), _simple_op("ShutdownRoleOperation")[1](n))  # fmt: skip


def _send(c: httpx.Client, shape: Shape, n: str, fmt: str) -> httpx.Response:
    if fmt == "json":
        body = (
            json.dumps(shape.as_json(n))
            .replace('"vm2.vhd', f'"{n}-vm2.vhd')
            .replace("/vm2.vhd", f"/{n}-vm2.vhd")
        )
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
    else:
        body = shape.as_xml(n).replace("/vm2.vhd", f"/{n}-vm2.vhd")
        headers = {"Content-Type": "application/xml", "Accept": "application/xml"}
    body = body.replace("/vm1.vhd", f"/{n}-vm1.vhd")
    return c.request(shape.method, shape.path(n), content=body.encode(), headers=headers)


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("shape", SHAPES, ids=[s.name for s in SHAPES])
def test_node_client_body_is_accepted(emu: Any, shape: Shape, fmt: str) -> None:
    n = f"n6{fmt[0]}-{shape.name.lower()}"[:22].rstrip("-")
    with wire.client(emu) as c:
        _prepare(c, shape.prepare, n)
        r = _send(c, shape, n, fmt)
        assert r.status_code == shape.status, r.text
        if r.status_code == 202:
            op = wire.wait_op(c, r.headers["x-ms-request-id"])
            assert wire.text(op, "Status") == "Succeeded", wire.text(op, "Error/Message")
        if shape.check is not None:
            shape.check(c, n)


def test_capture_windows_json_names_the_set_by_its_key(emu: Any) -> None:
    n = "n6j-capture-win"
    with wire.client(emu) as c:
        assert wire.create_service(c, n).status_code == 201
        role = _role_xml("vm1", 3389).replace("/vm1.vhd", f"/{n}-vm1.vhd")
        role = role.replace(wire.UBUNTU, wire.WINDOWS).replace(
            "<ConfigurationSet><ConfigurationSetType>LinuxProvisioningConfiguration</ConfigurationSetType>"
            "<HostName>vm1</HostName><UserName>azureuser</UserName><UserPassword>Secret-Passw0rd</UserPassword>"
            "<DisableSshPasswordAuthentication>false</DisableSshPasswordAuthentication></ConfigurationSet>",
            "<ConfigurationSet><ConfigurationSetType>WindowsProvisioningConfiguration</ConfigurationSetType>"
            "<ComputerName>vm1</ComputerName><AdminPassword>Secret-Passw0rd</AdminPassword>"
            "<AdminUsername>azureuser</AdminUsername></ConfigurationSet>",
        )
        body = _xml("Deployment", f"<Name>{n}</Name><DeploymentSlot>Production</DeploymentSlot><Label>{n}</Label>"
                    f"<RoleList><Role>{role}</Role></RoleList>")  # fmt: skip
        wire.post_and_wait(c, f"/services/hostedservices/{n}/deployments", body)
        wire.post_and_wait(c, _ops(n), _simple_op("ShutdownRoleOperation")[1](n))
        r = c.post(
            _ops(n),
            content=json.dumps(CAPTURE_WINDOWS_JSON(n)).encode(),
            headers={"Content-Type": "application/json"},
        )
        assert r.status_code == 202, r.text
        assert wire.text(wire.wait_op(c, r.headers["x-ms-request-id"]), "Status") == "Succeeded"
        _captured(c, n)


def test_capture_reprovision_without_any_provisioning_set_is_still_refused(emu: Any) -> None:
    n = "n6j-capture-none"
    with wire.client(emu) as c:
        _prepare(c, "stopped", n)
        body = CAPTURE_WINDOWS_JSON(n)
        del body["WindowsProvisioningConfigurationSet"]
        r = c.post(_ops(n), content=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
        assert r.status_code == 400
        assert "ProvisioningConfiguration is required" in wire.error(r)[1]
