"""Wire shapes of hosted services, deployments, roles, role instances, data disks and operations.

Each function turns a stored document into a node whose key order is the order RDFE
emitted (taken from the recordings, see SPEC "What the real wire format shows"). The
stored documents keep labels decoded; base64 happens here, where the wire needs it.
"""

from __future__ import annotations

import base64

from smtui.emulator.nodes import Node

MANAGEMENT_URL = "https://management.core.windows.net"
ROLE_SIZES_WEB = [
    "A10",
    "A11",
    "A5",
    "A6",
    "A7",
    "A8",
    "A9",
    "ExtraLarge",
    "ExtraSmall",
    "Large",
    "Medium",
    "Small",
    "Standard_D1",
    "Standard_D11",
    "Standard_D12",
    "Standard_D13",
    "Standard_D14",
    "Standard_D2",
    "Standard_D3",
    "Standard_D4",
]


def b64(text: str) -> str:
    """Base64 of the UTF-8 bytes of ``text`` (how RDFE returns labels)."""
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def dashed(op_id: str) -> str:
    """A 32-hex request id as the dashed GUID ``GET /operations`` reports in ``ID``."""
    h = op_id.lower()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def operation(
    op_id: str, status: str, http_status: int | None, code: str | None, message: str | None
) -> Node:
    """The ``Operation`` body."""
    node: Node = {"ID": dashed(op_id), "Status": status}
    if status != "InProgress" and http_status is not None:
        node["HttpStatusCode"] = str(http_status)
    if status == "Failed":
        node["Error"] = {"Code": code or "InternalError", "Message": message or ""}
    return node


def error(code: str, message: str) -> Node:
    """The ``Error`` body."""
    return {"Code": code, "Message": message}


def service_properties(svc: Node) -> Node:
    """``HostedServiceProperties``."""
    props: Node = {"Description": svc.get("Description")}
    if svc.get("AffinityGroup"):
        props["AffinityGroup"] = svc["AffinityGroup"]
    else:
        props["Location"] = svc.get("Location") or ""
    props["Label"] = b64(svc.get("Label") or svc["ServiceName"])
    props["Status"] = svc.get("Status", "Created")
    props["DateCreated"] = svc["DateCreated"]
    props["DateLastModified"] = svc["DateLastModified"]
    props["ExtendedProperties"] = [dict(p) for p in svc.get("ExtendedProperties", [])]
    if svc.get("ReverseDnsFqdn"):
        props["ReverseDnsFqdn"] = svc["ReverseDnsFqdn"]
    return props


def hosted_service(
    sub: str,
    svc: Node,
    deployments: list[Node] | None = None,
    vm_sizes: list[str] | None = None,
) -> Node:
    """A ``HostedService``: ``deployments`` given → embed-detail form; ``vm_sizes`` given → list form."""
    name = svc["ServiceName"]
    node: Node = {
        "Url": f"{MANAGEMENT_URL}/{sub}/services/hostedservices/{name}",
        "ServiceName": name,
        "HostedServiceProperties": service_properties(svc),
    }
    if deployments is not None:
        node["Deployments"] = [deployment(d) for d in deployments]
    if vm_sizes is not None:
        node["ComputeCapabilities"] = {
            "WebWorkerRoleSizes": list(ROLE_SIZES_WEB),
            "VirtualMachinesRoleSizes": vm_sizes,
        }
    return node


def _configuration(dep: Node) -> str:
    if dep.get("PaasConfiguration"):
        return b64(dep["PaasConfiguration"])
    roles = "".join(
        f'  <Role name="{r["RoleName"]}">\r\n    <Instances count="1" />\r\n  </Role>\r\n'
        for r in dep["Roles"]
    )
    doc = (
        '<ServiceConfiguration xmlns:xsd="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration">\r\n'
        f"{roles}</ServiceConfiguration>"
    )
    return b64(doc)


def _endpoint(ep: Node, vip: str | None) -> Node:
    node: Node = {}
    if ep.get("LoadBalancedEndpointSetName"):
        node["LoadBalancedEndpointSetName"] = ep["LoadBalancedEndpointSetName"]
    node["LocalPort"] = ep["LocalPort"]
    node["Name"] = ep["Name"]
    node["Port"] = ep["Port"]
    if ep.get("LoadBalancerProbe"):
        node["LoadBalancerProbe"] = ep["LoadBalancerProbe"]
    node["Protocol"] = ep.get("Protocol", "tcp")
    if vip is not None:
        node["Vip"] = vip
    node["EnableDirectServerReturn"] = ep.get("EnableDirectServerReturn", "false")
    if ep.get("EndpointAcl"):
        node["EndpointAcl"] = ep["EndpointAcl"]
    if ep.get("LoadBalancerName"):
        node["LoadBalancerName"] = ep["LoadBalancerName"]
    node["IdleTimeoutInMinutes"] = ep.get("IdleTimeoutInMinutes", "4")
    return node


def _network(role: Node) -> Node:
    """The stored network configuration set of a role (empty if it has none)."""
    sets = role.get("ConfigurationSets", [])
    return next((c for c in sets if c.get("ConfigurationSetType") == "NetworkConfiguration"), {})


def network_set(role: Node, vip: str | None, subnets_always: bool) -> Node:
    """The echoed ``NetworkConfigurationSet`` of a role (provisioning sets are never returned)."""
    net = _network(role)
    node: Node = {"@type": "NetworkConfigurationSet", "ConfigurationSetType": "NetworkConfiguration"}
    endpoints = net.get("InputEndpoints") or []
    if endpoints:
        node["InputEndpoints"] = [_endpoint(e, vip) for e in endpoints]
    subnets = net.get("SubnetNames") or []
    if subnets or subnets_always:
        node["SubnetNames"] = list(subnets)
    if net.get("StaticVirtualNetworkIPAddress"):
        node["StaticVirtualNetworkIPAddress"] = net["StaticVirtualNetworkIPAddress"]
    return node


def data_disk(disk: Node) -> Node:
    """A ``DataVirtualHardDisk`` (``Lun`` 0 is omitted, as RDFE's DataContract did)."""
    node: Node = {"HostCaching": disk.get("HostCaching", "ReadOnly")}
    if disk.get("DiskLabel"):
        node["DiskLabel"] = disk["DiskLabel"]
    node["DiskName"] = disk["DiskName"]
    if str(disk.get("Lun", "0")) != "0":
        node["Lun"] = str(disk["Lun"])
    node["LogicalDiskSizeInGB"] = str(disk["LogicalDiskSizeInGB"])
    node["MediaLink"] = disk["MediaLink"]
    node["IOType"] = disk.get("IOType", "Standard")
    return node


def os_disk(disk: Node) -> Node:
    """An ``OSVirtualHardDisk``."""
    node: Node = {
        "HostCaching": disk.get("HostCaching", "ReadWrite"),
        "DiskLabel": disk.get("DiskLabel", ""),
        "DiskName": disk["DiskName"],
        "MediaLink": disk["MediaLink"],
    }
    if disk.get("SourceImageName"):
        node["SourceImageName"] = disk["SourceImageName"]
    node["OS"] = disk["OS"]
    node["IOType"] = disk.get("IOType", "Standard")
    return node


def role(r: Node, vip: str | None, *, root: bool = False) -> Node:
    """A VM role: ``Role i:type=PersistentVMRole`` inside ``RoleList``, or the ``GetRole`` root."""
    node: Node = {} if root else {"@type": "PersistentVMRole"}
    node["RoleName"] = r["RoleName"]
    node["OsVersion"] = ""
    node["RoleType"] = "PersistentVMRole"
    node["ConfigurationSets"] = [network_set(r, None if root else vip, subnets_always=not root)]
    if r.get("ResourceExtensionReferences"):
        node["ResourceExtensionReferences"] = r["ResourceExtensionReferences"]
    if r.get("VMImageName"):
        node["VMImageName"] = r["VMImageName"]
    if r.get("AvailabilitySetName"):
        node["AvailabilitySetName"] = r["AvailabilitySetName"]
    node["DataVirtualHardDisks"] = [data_disk(d) for d in sorted(r.get("DataVirtualHardDisks", []), key=_lun)]
    node["OSVirtualHardDisk"] = os_disk(r["OSVirtualHardDisk"])
    node["RoleSize"] = r.get("RoleSize", "Small")
    winrm = r.get("DefaultWinRmCertificateThumbprint")
    guest = r.get("ProvisionGuestAgent")
    if root:
        if guest is not None:
            node["ProvisionGuestAgent"] = guest
        if winrm:
            node["DefaultWinRmCertificateThumbprint"] = winrm
    else:
        if winrm:
            node["DefaultWinRmCertificateThumbprint"] = winrm
        if guest is not None:
            node["ProvisionGuestAgent"] = guest
    return node


def _lun(disk: Node) -> int:
    return int(disk.get("Lun", 0))


def role_instance(r: Node, inst: Node, vip: str) -> Node:
    """A ``RoleInstance`` in the shape its state calls for."""
    status = inst["InstanceStatus"]
    power = inst["PowerState"]
    node: Node = {"RoleName": r["RoleName"], "InstanceName": r["RoleName"], "InstanceStatus": status}
    thumb = inst.get("RemoteAccessCertificateThumbprint")
    if status == "StoppedDeallocated":
        node["PowerState"] = power
        if thumb:
            node["RemoteAccessCertificateThumbprint"] = thumb
        return node
    node["InstanceUpgradeDomain"] = str(inst.get("UpgradeDomain", 0))
    node["InstanceFaultDomain"] = str(inst.get("FaultDomain", 0))
    node["InstanceSize"] = r.get("RoleSize", "Small")
    node["InstanceStateDetails"] = ""
    node["IpAddress"] = inst.get("IpAddress", "")
    endpoints = _network(r).get("InputEndpoints") or []
    if endpoints:
        node["InstanceEndpoints"] = [
            {
                "Name": e["Name"],
                "Vip": vip,
                "PublicPort": e["Port"],
                "LocalPort": e["LocalPort"],
                "Protocol": e.get("Protocol", "tcp"),
                "IdleTimeoutInMinutes": e.get("IdleTimeoutInMinutes", "4"),
            }
            for e in endpoints
        ]
    node["PowerState"] = power
    if power == "Started" and inst.get("HostName"):
        node["HostName"] = inst["HostName"]
    if thumb and power == "Started":
        node["RemoteAccessCertificateThumbprint"] = thumb
    if str(r.get("ProvisionGuestAgent", "")).lower() == "true":
        ready = status == "ReadyRole"
        node["GuestAgentStatus"] = {
            "ProtocolVersion": "1.0",
            "Timestamp": inst.get("Since", ""),
            "GuestAgentVersion": "2.7.1198.778" if ready else "Unknown",
            "Status": "Ready" if ready else "NotReady",
            "FormattedMessage": {
                "Language": "en-US",
                "Message": "GuestAgent is running and accepting new configurations."
                if ready
                else f"Status not available for role {r['RoleName']}.",
            },
        }
    return node


def _paas_instance(inst: Node) -> Node:
    """A cloud-service (web/worker role) instance: no VM parts, just its state."""
    return {
        "RoleName": inst["RoleName"],
        "InstanceName": inst["InstanceName"],
        "InstanceStatus": inst["InstanceStatus"],
        "InstanceUpgradeDomain": inst["InstanceUpgradeDomain"],
        "InstanceFaultDomain": inst["InstanceFaultDomain"],
        "InstanceSize": inst.get("InstanceSize", "Small"),
        "InstanceStateDetails": "",
        "IpAddress": inst["IpAddress"],
        "PowerState": inst["PowerState"],
    }


def deployment(dep: Node) -> Node:
    """A ``Deployment`` (Get Deployment, by slot, or embedded in a hosted service)."""
    service = dep["ServiceName"]
    vip = dep["VirtualIP"]
    node: Node = {
        "Name": dep["Name"],
        "DeploymentSlot": dep["DeploymentSlot"],
        "PrivateID": dep["PrivateID"],
        "Status": dep["Status"],
        "Label": b64(dep.get("Label") or dep["Name"]),
        "Url": f"http://{service}.cloudapp.net/"
        if dep["DeploymentSlot"] == "Production"
        else f"http://{dep['PrivateID']}.cloudapp.net/",
        "Configuration": _configuration(dep),
        "RoleInstanceList": [role_instance(r, dep["Instances"][r["RoleName"]], vip) for r in dep["Roles"]]
        + [_paas_instance(i) for i in dep.get("PaasInstances", [])],
        "UpgradeDomainCount": "1",
        "RoleList": [role(r, vip) for r in dep["Roles"]]
        + [{"RoleName": n, "OsVersion": "*", "ConfigurationSets": []} for n in dep.get("PaasRoles", [])],
        "SdkVersion": "",
        "Locked": "false",
        "RollbackAllowed": "false",
    }
    if dep.get("VirtualNetworkName"):
        node["VirtualNetworkName"] = dep["VirtualNetworkName"]
    node["CreatedTime"] = dep["CreatedTime"]
    node["LastModifiedTime"] = dep["LastModifiedTime"]
    node["ExtendedProperties"] = [dict(p) for p in dep.get("ExtendedProperties", [])]
    if dep.get("Dns"):
        node["Dns"] = dep["Dns"]
    node["VirtualIPs"] = [{"Address": vip, "IsDnsProgrammed": "true", "Name": f"{service}ContractContract"}]
    if dep.get("ReservedIPName"):
        node["ReservedIPName"] = dep["ReservedIPName"]
    node["InternalDnsSuffix"] = f"{service}.d{dep.get('DnsZone', 7)}.internal.cloudapp.net"
    node["LoadBalancers"] = []
    return node
