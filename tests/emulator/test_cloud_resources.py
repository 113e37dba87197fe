# ruff: noqa: E501  (request bodies are literal wire text)
"""Wire tests for what issue 9 §3 added to the emulator: service certificates, extensions,
reserved IPs, load-balanced endpoint sets, VM image capture, OS image replication, package
deployments by slot and the maintenance operation."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from tests.emulator import wire
from tests.emulator.wire import NS

X = 'xmlns="http://schemas.microsoft.com/windowsazure"'
XML = {"Content-Type": wire.XML}


@pytest.fixture
def c(emulator: Any) -> httpx.Client:
    with wire.client(emulator) as client:
        yield client


def _pfx(password: bytes) -> tuple[str, str]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "svc cert")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1)).sign(key, hashes.SHA256())
    )  # fmt: skip
    pfx = pkcs12.serialize_key_and_certificates(
        b"svc", key, cert, None, serialization.BestAvailableEncryption(password)
    )
    thumb = hashlib.sha1(cert.public_bytes(serialization.Encoding.DER)).hexdigest().upper()  # noqa: S324
    return base64.b64encode(pfx).decode(), thumb


def _deploy(c: httpx.Client, svc: str, body: bytes | None = None) -> None:
    assert wire.create_service(c, svc).status_code == 201
    wire.post_and_wait(
        c,
        f"/services/hostedservices/{svc}/deployments",
        body or wire.linux_deployment(svc, "vm1", image=wire.UBUNTU),
    )


def test_service_certificates_add_list_get_delete(c: httpx.Client) -> None:
    svc = "cloud-certs"
    assert wire.create_service(c, svc).status_code == 201
    data, thumb = _pfx(b"Pfx-Passw0rd")
    base = f"/services/hostedservices/{svc}/certificates"
    body = (
        f"<CertificateFile {X}><Data>{data}</Data><CertificateFormat>pfx</CertificateFormat>"
        "<Password>Pfx-Passw0rd</Password></CertificateFile>"
    )
    wire.post_and_wait(c, base, body)
    assert c.post(base, content=body, headers=XML).status_code == 409
    listed = wire.xml(c.get(base))
    assert wire.text(listed, "Certificate/Thumbprint") == thumb
    assert wire.text(listed, "Certificate/ThumbprintAlgorithm") == "sha1"
    assert wire.text(listed, "Certificate/CertificateUrl").endswith(f"/certificates/sha1-{thumb}")
    got = c.get(f"{base}/sha1-{thumb}")
    assert wire.shape(wire.xml(got)) == ["Data"]
    der = base64.b64decode(wire.text(wire.xml(got), "Data"))
    assert x509.load_der_x509_certificate(der).subject.rfc4514_string() == "CN=svc cert"
    assert b"Pfx-Passw0rd" not in c.get(base).content
    r = c.delete(f"{base}/sha1-{thumb}")
    assert r.status_code == 202
    wire.wait_op(c, r.headers["x-ms-request-id"])
    missing = c.get(f"{base}/sha1-{thumb}")
    assert missing.status_code == 404 and wire.error(missing)[1] == "The certificate was not found."
    wrong = body.replace("<Password>Pfx-Passw0rd</Password>", "<Password>nope</Password>")
    bad = c.post(base, content=wrong, headers=XML)
    assert bad.status_code == 400 and "password" in wire.error(bad)[1]


def test_extensions_add_list_delete(c: httpx.Client) -> None:
    svc = "cloud-ext"
    assert wire.create_service(c, svc).status_code == 201
    base = f"/services/hostedservices/{svc}/extensions"
    body = (
        f"<Extension {X}><ProviderNameSpace>Microsoft.Windows.Azure.Extensions</ProviderNameSpace><Type>RDP</Type>"
        "<Id>rdp1</Id><PublicConfiguration>cHVi</PublicConfiguration>"
        "<PrivateConfiguration>c2VjcmV0</PrivateConfiguration><Version>*</Version></Extension>"
    )
    wire.post_and_wait(c, base, body)
    listed = c.get(base)
    assert wire.text(wire.xml(listed), "Extension/Id") == "rdp1" and b"c2VjcmV0" not in listed.content
    r = c.delete(f"{base}/rdp1")
    assert r.status_code == 202
    wire.wait_op(c, r.headers["x-ms-request-id"])
    assert wire.xml(c.get(base)).find(NS + "Extension") is None


def test_reserved_ips(c: httpx.Client) -> None:
    base = "/services/networking/reservedips"
    body = (
        f"<ReservedIP {X}><Name>cloud-ip1</Name><Label>lbl</Label><Location>West US</Location></ReservedIP>"
    )
    wire.post_and_wait(c, base, body)
    got = wire.xml(c.get(f"{base}/cloud-ip1"))
    assert wire.shape(got) == ["Name", "Address", "Id", "Label", "State", "Location"]  # as recorded
    assert wire.text(got, "State") == "Created"
    assert "cloud-ip1" in [e.text for e in wire.xml(c.get(base)).iter(NS + "Name")]
    r = c.delete(f"{base}/cloud-ip1")
    wire.wait_op(c, r.headers["x-ms-request-id"])
    assert c.get(f"{base}/cloud-ip1").status_code == 404


def test_update_load_balanced_endpoint_set(c: httpx.Client) -> None:
    svc = "cloud-lbset"
    body = wire.linux_deployment(svc, "vm1", image=wire.UBUNTU).replace(
        b"<InputEndpoint><LocalPort>22</LocalPort>",
        b"<InputEndpoint><LoadBalancedEndpointSetName>web</LoadBalancedEndpointSetName><LocalPort>80</LocalPort>"
        b"<Name>http</Name><Port>80</Port><Protocol>tcp</Protocol></InputEndpoint>"
        b"<InputEndpoint><LocalPort>22</LocalPort>",
    )
    _deploy(c, svc, body)
    update = (
        f"<LoadBalancedEndpointList {X}><InputEndpoint><LoadBalancedEndpointSetName>web</LoadBalancedEndpointSetName>"
        "<LocalPort>8080</LocalPort><Name>ignored</Name><Port>80</Port><Protocol>tcp</Protocol>"
        "<IdleTimeoutInMinutes>10</IdleTimeoutInMinutes></InputEndpoint></LoadBalancedEndpointList>"
    )
    dep = f"/services/hostedservices/{svc}/deployments/{svc}"
    r = c.post(dep, params={"comp": "UpdateLbSet"}, content=update, headers=XML)
    assert r.status_code == 202, r.text
    wire.wait_op(c, r.headers["x-ms-request-id"])
    role = wire.xml(c.get(f"{dep}/roles/vm1"))
    eps = {e.findtext(NS + "Name"): e for e in role.iter(NS + "InputEndpoint")}
    assert (
        eps["http"].findtext(NS + "LocalPort") == "8080"
        and eps["http"].findtext(NS + "IdleTimeoutInMinutes") == "10"
    )
    assert eps["ssh"].findtext(NS + "LocalPort") == "22"


def test_capture_role_as_vm_image_keeps_a_specialized_vm_running(c: httpx.Client) -> None:
    svc = "cloud-vmimg"
    _deploy(c, svc)
    body = (
        f"<CaptureRoleAsVMImageOperation {X}><OperationType>CaptureRoleAsVMImageOperation</OperationType>"
        "<OSState>Specialized</OSState><VMImageName>cloud-vmimg-img</VMImageName>"
        "<VMImageLabel>captured</VMImageLabel></CaptureRoleAsVMImageOperation>"
    )
    path = f"/services/hostedservices/{svc}/deployments/{svc}/roleinstances/vm1/Operations"
    op = wire.post_and_wait(c, path, body)
    assert wire.text(op, "Status") == "Succeeded"
    images = {i.findtext(NS + "Name"): i for i in wire.xml(c.get("/services/vmimages")).iter(NS + "VMImage")}
    image = images["cloud-vmimg-img"]
    assert image.findtext(f"{NS}OSDiskConfiguration/{NS}OSState") == "Specialized"
    assert image.findtext(NS + "Category") == "User" and image.findtext(NS + "RoleName") == "vm1"
    assert c.get(f"/services/hostedservices/{svc}/deployments/{svc}/roles/vm1").status_code == 200
    generalized = body.replace("Specialized", "Generalized").replace("cloud-vmimg-img", "cloud-vmimg-gen")
    r = c.post(path, content=generalized, headers=XML)
    assert r.status_code == 409 and "must be stopped" in wire.error(r)[1]


def test_maintenance_with_nothing_pending_answers_as_rdfe(c: httpx.Client) -> None:
    svc = "cloud-maint"
    _deploy(c, svc)
    body = (
        f"<PerformMaintenanceOnRoleOperation {X}><OperationType>PerformMaintenanceOnRoleOperation</OperationType>"
        "</PerformMaintenanceOnRoleOperation>"
    )
    r = c.post(
        f"/services/hostedservices/{svc}/deployments/{svc}/roleinstances/vm1/Operations",
        content=body,
        headers=XML,
    )
    assert r.status_code == 400
    assert wire.error(r) == (
        "BadRequest",
        "User initiated maintenance on the Virtual Machine was successfully completed. ",
    )


def test_replicate_os_image_answers_the_public_name(c: httpx.Client) -> None:
    body = (
        f"<ReplicationInput {X}><TargetLocations><Region>West US</Region><Region>North Europe</Region>"
        "</TargetLocations></ReplicationInput>"
    )
    r = c.put("/services/images/contoso-web-golden-2016/replicate", content=body, headers=XML)
    assert r.status_code == 200
    root = wire.xml(r)
    assert root.tag == "{http://schemas.microsoft.com/2003/10/Serialization/}string"
    assert (root.text or "").endswith("__contoso-web-golden-2016")
    assert c.put("/services/images/nope/replicate", content=body, headers=XML).status_code == 404


def test_package_deployment_by_slot(c: httpx.Client) -> None:
    svc = "cloud-paas"
    assert wire.create_service(c, svc).status_code == 201
    cscfg = (
        '<ServiceConfiguration serviceName="x" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/'
        'ServiceConfiguration"><Role name="WebRole1"><Instances count="2" /></Role>'
        '<Role name="WorkerRole1"><Instances count="1" /></Role></ServiceConfiguration>'
    )
    body = (
        f"<CreateDeployment {X}><Name>paas1</Name><PackageUrl>https://contosoportalvhds.blob.core.windows.net/p/a.cspkg"
        f"</PackageUrl><Label>{base64.b64encode(b'paas').decode()}</Label>"
        f"<Configuration>{base64.b64encode(cscfg.encode()).decode()}</Configuration>"
        "<StartDeployment>true</StartDeployment></CreateDeployment>"
    )
    wire.post_and_wait(c, f"/services/hostedservices/{svc}/deploymentslots/Staging", body)
    dep = wire.xml(c.get(f"/services/hostedservices/{svc}/deploymentslots/staging"))
    assert wire.text(dep, "Name") == "paas1" and wire.text(dep, "Status") == "Running"
    names = [e.text for e in dep.iter(NS + "InstanceName")]
    assert names == ["WebRole1_IN_0", "WebRole1_IN_1", "WorkerRole1_IN_0"]
    assert base64.b64decode(wire.text(dep, "Configuration")).decode() == cscfg
    again = c.post(f"/services/hostedservices/{svc}/deploymentslots/Staging", content=body, headers=XML)
    assert again.status_code == 409
