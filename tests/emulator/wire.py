"""Raw mTLS helpers for wire-level emulator tests (httpx, no smtui client)."""

from __future__ import annotations

import ssl
import time
from pathlib import Path
from typing import Any

import httpx
from lxml import etree

from smtui.api.xml import parse_xml

NS = "{http://schemas.microsoft.com/windowsazure}"
VERSION = "2014-10-01"
XML = "application/xml"
ATOM = "application/atom+xml;type=entry;charset=utf-8"


def ssl_context(emu: Any, cert: Path | None = None, key: Path | None = None) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=str(emu.ca_file))
    ctx.load_cert_chain(str(cert or emu.client_cert), str(key or emu.client_key))
    return ctx


def client(
    emu: Any, *, sub: str | None = None, cert: Path | None = None, key: Path | None = None
) -> httpx.Client:
    """An httpx client rooted at ``/<subscription>`` sending ``x-ms-version``."""
    return httpx.Client(
        verify=ssl_context(emu, cert, key),
        base_url=f"{emu.base_url}/{sub or emu.subscription_id}",
        headers={"x-ms-version": VERSION},
        timeout=10,
    )


def xml(response: httpx.Response) -> etree._Element:
    return parse_xml(response.content)


def text(element: etree._Element, path: str) -> str:
    """Text at a ``/``-separated path of local names (namespace added)."""
    found = element.find("/".join(NS + p for p in path.split("/")))
    assert found is not None, f"{path} missing in {etree.tostring(element)[:300]!r}"
    return found.text or ""


def error(response: httpx.Response) -> tuple[str, str]:
    root = xml(response)
    return text(root, "Code"), text(root, "Message")


def wait_op(c: httpx.Client, request_id: str, timeout: float = 10.0) -> etree._Element:
    """Poll ``/operations/<id>`` until it is no longer InProgress."""
    deadline = time.monotonic() + timeout
    while True:
        root = xml(c.get(f"/operations/{request_id}"))
        if text(root, "Status") != "InProgress":
            return root
        assert time.monotonic() < deadline, f"operation {request_id} still InProgress"
        time.sleep(0.01)


def post_and_wait(c: httpx.Client, path: str, body: bytes | str) -> etree._Element:
    """POST an XML ``body`` that starts an operation (``202``) and wait for the operation to end."""
    r = c.post(path, content=body, headers={"Content-Type": XML})
    assert r.status_code == 202, r.text
    return wait_op(c, r.headers["x-ms-request-id"])


def shape(element: etree._Element) -> list[Any]:
    """Element names in document order, nested (namespace-free) — what replay compares."""
    out: list[Any] = []
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child).localname
        kids = shape(child)
        out.append((name, kids) if kids else name)
    return out


DEMO_STORAGE = "contosoportalvhds"
"""The demo seed's West US storage account: VHDs must live in the hosted service's region."""


def create_storage(c: httpx.Client, name: str = DEMO_STORAGE, location: str = "West US") -> None:
    """Create a storage account (and wait for it) unless it exists."""
    if c.get(f"/services/storageservices/{name}").status_code == 200:
        return
    body = (
        '<CreateStorageServiceInput xmlns="http://schemas.microsoft.com/windowsazure">'
        f"<ServiceName>{name}</ServiceName><Label>c3RvcmFnZQ==</Label><Location>{location}</Location>"
        "</CreateStorageServiceInput>"
    )
    post_and_wait(c, "/services/storageservices", body)


def linux_deployment(
    name: str, role: str, *, image: str, storage: str = DEMO_STORAGE, port: int = 22
) -> bytes:
    """A Python-SDK-shaped CreateDeployment body (Linux VM)."""
    return f"""<Deployment xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.microsoft.com/windowsazure"><Name>{name}</Name><DeploymentSlot>Production</DeploymentSlot><Label>{name}</Label><RoleList><Role><RoleName>{role}</RoleName><RoleType>PersistentVMRole</RoleType><ConfigurationSets><ConfigurationSet><ConfigurationSetType>LinuxProvisioningConfiguration</ConfigurationSetType><HostName>{role}</HostName><UserName>azureuser</UserName><UserPassword>Secret-Passw0rd</UserPassword><DisableSshPasswordAuthentication>false</DisableSshPasswordAuthentication></ConfigurationSet><ConfigurationSet><ConfigurationSetType>NetworkConfiguration</ConfigurationSetType><InputEndpoints><InputEndpoint><LocalPort>22</LocalPort><Name>ssh</Name><Port>{port}</Port><Protocol>tcp</Protocol></InputEndpoint></InputEndpoints><SubnetNames/></ConfigurationSet></ConfigurationSets><OSVirtualHardDisk><MediaLink>https://{storage}.blob.core.windows.net/vhds/{name}-{role}.vhd</MediaLink><SourceImageName>{image}</SourceImageName></OSVirtualHardDisk><RoleSize>Small</RoleSize></Role></RoleList></Deployment>""".encode()  # noqa: E501


def linux_role(role: str, *, image: str, storage: str = DEMO_STORAGE, port: int = 2222) -> bytes:
    """A Python-SDK-shaped AddRole body (Linux VM)."""
    return f"""<PersistentVMRole xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.microsoft.com/windowsazure"><RoleName>{role}</RoleName><RoleType>PersistentVMRole</RoleType><ConfigurationSets><ConfigurationSet><ConfigurationSetType>LinuxProvisioningConfiguration</ConfigurationSetType><HostName>{role}</HostName><UserName>azureuser</UserName><UserPassword>Secret-Passw0rd</UserPassword></ConfigurationSet><ConfigurationSet><ConfigurationSetType>NetworkConfiguration</ConfigurationSetType><InputEndpoints><InputEndpoint><LocalPort>22</LocalPort><Name>ssh</Name><Port>{port}</Port><Protocol>tcp</Protocol></InputEndpoint></InputEndpoints></ConfigurationSet></ConfigurationSets><OSVirtualHardDisk><MediaLink>https://{storage}.blob.core.windows.net/vhds/{role}.vhd</MediaLink><SourceImageName>{image}</SourceImageName></OSVirtualHardDisk><RoleSize>Small</RoleSize></PersistentVMRole>""".encode()  # noqa: E501


UBUNTU = "b39f27a8b8c64d52b05eac6a62ebad85__Ubuntu-14_04-LTS-amd64-server-20140414-en-us-30GB"
WINDOWS = "a699494373c04fc0bc8f2bb1389d6106__Windows-Server-2012-Datacenter-201503.01-en.us-127GB.vhd"


def create_service(c: httpx.Client, name: str, location: str = "West US") -> httpx.Response:
    import base64

    label = base64.b64encode(name.encode()).decode()
    body = (
        '<CreateHostedService xmlns="http://schemas.microsoft.com/windowsazure">'
        f"<ServiceName>{name}</ServiceName><Label>{label}</Label><Location>{location}</Location>"
        "</CreateHostedService>"
    )
    return c.post("/services/hostedservices", content=body, headers={"Content-Type": XML})
