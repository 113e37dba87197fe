"""Building and updating VM roles from request bodies, with their disks and endpoints.

Semantic rules live here: role names unique in a deployment, endpoint names/ports unique,
LUN 0-15 unique per role, OS disks from an image / an existing disk / a VM image, data disks
by name, by media link + size, or from a source blob, all registered in the disk repository.
Admin passwords are validated and then dropped: they are never stored or echoed.
"""

from __future__ import annotations

import random
import time
from typing import cast
from urllib.parse import urlsplit

from smtui.emulator import lifecycle
from smtui.emulator import validate as v
from smtui.emulator.engine import Engine, bad_request, conflict, iso, not_found
from smtui.emulator.nodes import Node

MAX_LUN = 15
_SECRET_FIELDS = ("AdminPassword", "UserPassword")


def _stamp(ts: float) -> str:
    lt = time.gmtime(ts)
    return time.strftime("%Y%m%d%H%M%S", lt) + f"{int((ts % 1) * 10000):04d}"


def _storage_host(engine: Engine, sub: str, location: str) -> str:
    """Where RDFE put a VHD the request gave no MediaLink for: an account in the service's region."""
    accounts = engine.store.list("storage", sub)
    local = [a for a in accounts if str(a.get("Location", "")).lower() == location.lower()]
    if not local:
        raise bad_request(
            f"A MediaLink is required: no storage account of the subscription is in {location}, "
            "the location of the cloud service."
        )
    return f"https://{local[0]['ServiceName']}.blob.core.windows.net"


def media_account(media: str) -> str:
    """The storage account name of a blob URL (``https://<account>.blob.core.windows.net/…``)."""
    host = urlsplit(media).hostname or ""
    if not host.endswith(".blob.core.windows.net"):
        raise bad_request(f"The MediaLink {media} is not a valid blob URL of a storage account.")
    return host.split(".", 1)[0]


def check_media_location(engine: Engine, sub: str, media: str, location: str) -> None:
    """Refuse (400) a VHD whose storage account does not exist or is in another region than the service."""
    name = media_account(media)
    account = engine.store.get("storage", sub, name)
    if account is None:
        raise bad_request(f"The storage account '{name}' was not found.")
    region = str(account.get("Location") or "")
    if region.lower() != location.lower():
        # Worded after the service's message for a source image in another region (Azure
        # PowerShell issue #60); RDFE said the same of a disk's VHD.
        raise bad_request(
            f"The location or affinity group {region} of the storage account where the VHD {media} resides "
            "is not in the same location or affinity group as the specified cloud service. The VHD must "
            "reside in a storage account that has the same affinity group or location as the cloud service "
            f"{location}."
        )


def check_data_disk_count(engine: Engine, size: str, count: int) -> None:
    """Refuse (400) more data disks than the role size allows (``MaxDataDiskCount``)."""
    limit = int(engine.catalog.size_by_name[size.lower()].get("MaxDataDiskCount") or MAX_LUN + 1)
    if count > limit:
        raise bad_request(
            f"The maximum number of data disks allowed to be attached to a VM of this size is {limit}."
        )


def clean_endpoints(raw: object) -> list[Node]:
    """Validate ``InputEndpoints`` of a network configuration set."""
    out: list[Node] = []
    names: set[str] = set()
    ports: set[tuple[str, int]] = set()
    for item in v.as_list(raw, "InputEndpoints"):
        ep = v.as_dict(item, "InputEndpoint")
        name = v.text(ep, "Name", required=True)
        assert name is not None
        protocol = v.choice(ep, "Protocol", ("tcp", "udp"), required=True)
        assert protocol is not None
        local = v.integer(ep, "LocalPort", 1, 65535, required=True)
        port = v.integer(ep, "Port", 1, 65535)
        assert local is not None
        if port is None:
            # RDFE picked a free public port when none was given (the .NET SDK relies on it for RDP).
            port = next(p for p in range(57000, 65536) if (protocol, p) not in ports)
        if name.lower() in names:
            raise bad_request(f"The endpoint name {name} (InputEndpoint Name) is used more than once.")
        lb_set = v.text(ep, "LoadBalancedEndpointSetName")
        if (protocol, port) in ports and not lb_set:
            raise bad_request(
                f"Port {port} (InputEndpoint Port) is used by more than one endpoint of this role."
            )
        names.add(name.lower())
        ports.add((protocol, port))
        clean: Node = {}
        if lb_set:
            clean["LoadBalancedEndpointSetName"] = lb_set
        clean.update({"LocalPort": str(local), "Name": name, "Port": str(port)})
        if isinstance(ep.get("LoadBalancerProbe"), dict):
            clean["LoadBalancerProbe"] = ep["LoadBalancerProbe"]
        clean["Protocol"] = protocol
        clean["EnableDirectServerReturn"] = v.boolean(ep, "EnableDirectServerReturn") or "false"
        if isinstance(ep.get("EndpointAcl"), dict):
            clean["EndpointAcl"] = ep["EndpointAcl"]
        if v.text(ep, "LoadBalancerName"):
            clean["LoadBalancerName"] = v.text(ep, "LoadBalancerName")
        clean["IdleTimeoutInMinutes"] = str(v.integer(ep, "IdleTimeoutInMinutes", 4, 30) or 4)
        out.append(clean)
    return out


def config_sets(raw: Node) -> list[Node]:
    """The ``ConfigurationSets`` of a role node.

    The 2012 Node.js client's Update Role puts ``SubnetNames`` (items named ``string``) inside
    ``ConfigurationSets`` instead of inside the network set; they are moved where they belong.
    """
    sets = v.as_list(raw.get("ConfigurationSets"), "ConfigurationSets")
    stray = [s for s in sets if isinstance(s, list)]
    sets = [s for s in sets if not isinstance(s, list)]
    if stray:
        for cs in sets:
            if isinstance(cs, dict) and _set_type(cs) == "NetworkConfiguration":
                cs.setdefault("SubnetNames", [str(n) for group in stray for n in group])
    return sets


def network_from(sets: list[Node]) -> Node | None:
    """The ``NetworkConfiguration`` set of a list of configuration sets, validated."""
    for raw in sets:
        cs = v.as_dict(raw, "ConfigurationSet")
        if _set_type(cs) == "NetworkConfiguration":
            subnets = [str(s) for s in v.as_list(cs.get("SubnetNames"), "SubnetNames") if s]
            net: Node = {
                "ConfigurationSetType": "NetworkConfiguration",
                "InputEndpoints": clean_endpoints(cs.get("InputEndpoints")),
                "SubnetNames": subnets,
            }
            if v.text(cs, "StaticVirtualNetworkIPAddress"):
                net["StaticVirtualNetworkIPAddress"] = v.text(cs, "StaticVirtualNetworkIPAddress")
            return net
    return None


def _set_type(cs: Node) -> str:
    declared = v.text(cs, "ConfigurationSetType")
    if declared:
        return declared
    # Clients that send i:type (.NET, PowerShell, docs) may omit the child element.
    itype = str(cs.get("@type", ""))
    return itype.removesuffix("Set") if itype else ""


def provisioning_from(sets: list[Node]) -> Node | None:
    """The Windows/Linux provisioning set, validated, with passwords removed."""
    for raw in sets:
        cs = v.as_dict(raw, "ConfigurationSet")
        kind = _set_type(cs)
        if kind == "WindowsProvisioningConfiguration":
            v.text(cs, "ComputerName", required=True, max_len=15)
            v.text(cs, "AdminPassword", required=True, max_len=123)
            v.text(cs, "AdminUsername", required=True, max_len=20)
        elif kind == "LinuxProvisioningConfiguration":
            v.text(cs, "HostName", required=True, max_len=64)
            v.text(cs, "UserName", required=True, max_len=32)
            password = v.text(cs, "UserPassword", max_len=72)
            if password is not None and len(password) < 6:
                raise bad_request("The UserPassword must be between 6 and 72 characters long.")
        elif kind not in ("NetworkConfiguration", ""):
            raise bad_request(f"The ConfigurationSetType '{kind}' is invalid.")
        else:
            continue
        kept = {k: val for k, val in cs.items() if k not in _SECRET_FIELDS and k != "@type"}
        kept["ConfigurationSetType"] = kind
        return kept
    return None


def check_deployment_ports(roles: list[Node]) -> str | None:
    """The RDFE failure message when two roles of a deployment share a public port, else None."""
    seen: dict[tuple[str, str], str | None] = {}
    for role in roles:
        for ep in _endpoints(role):
            key = (ep.get("Protocol", "tcp"), ep["Port"])
            lb = ep.get("LoadBalancedEndpointSetName")
            if key in seen and (lb is None or seen[key] != lb):
                return (
                    f"Port {ep['Port']} is already in use by one of the endpoints in this deployment. "
                    "Ensure that the port numbers are unique across endpoints within a deployment."
                )
            seen[key] = lb
    return None


def _endpoints(role: Node) -> list[Node]:
    for cs in role.get("ConfigurationSets", []):
        if cs.get("ConfigurationSetType") == "NetworkConfiguration":
            return list(cs.get("InputEndpoints", []))
    return []


class DiskPlanner:
    """Creates/attaches repository disks for one role (call inside a transaction)."""

    def __init__(
        self,
        engine: Engine,
        sub: str,
        service: str,
        deployment: str,
        role: str,
        location: str | None,
        *,
        check_media: bool = True,
    ) -> None:
        self.engine = engine
        self.check_media = check_media
        self.sub = sub
        self.service = service
        self.deployment = deployment
        self.role = role
        self.location = location or "West US"
        self.now = engine.clock()
        self._seq = 0

    def _attached(self) -> dict[str, str]:
        return {"DeploymentName": self.deployment, "HostedServiceName": self.service, "RoleName": self.role}

    def _disk_name(self, lun: int | None = None) -> str:
        self._seq += 1
        # The OS disk is "-0-"; a data disk is "-<LUN + 1>-", so one added later to a role (a new
        # planner) is never named like the role's OS disk.
        index = self._seq - 1 if lun is None else lun + 1
        return f"{self.service}-{self.role}-{index}-{_stamp(self.now + self._seq / 1000)}"

    def _check_media_free(self, media: str) -> None:
        if not self.check_media:
            return
        for disk in self.engine.store.list("disk", self.sub):
            if disk.get("MediaLink", "").lower() == media.lower():
                raise conflict(
                    f"A disk with the media link {media} is already registered (disk {disk['Name']})."
                )

    def attach_existing(self, name: str, want_os: bool) -> Node:
        """Attach a registered disk by name."""
        disk = self.engine.store.get("disk", self.sub, name)
        field = "OSVirtualHardDisk DiskName" if want_os else "DataVirtualHardDisk DiskName"
        if disk is None:
            raise bad_request(f"The disk {name} ({field}) does not exist.")
        if disk.get("AttachedTo"):
            at = disk["AttachedTo"]
            raise bad_request(
                f"A disk with name {disk['Name']} is currently in use by virtual machine {at['RoleName']} running "  # noqa: E501
                f"within hosted service {at['HostedServiceName']}, deployment {at['DeploymentName']}."
            )
        if want_os != bool(disk.get("OS")):
            kind = "an operating system" if want_os else "a data"
            raise bad_request(f"The disk {name} ({field}) is not {kind} disk.")
        disk["AttachedTo"] = self._attached()
        self.engine.store.put("disk", self.sub, disk["Name"], disk)
        return disk

    def new_disk(
        self, media: str, size: int, os_name: str | None, source_image: str | None, label: str | None,
        *, lun: int | None = None,
    ) -> Node:
        """Register a new disk blob (``lun``: a data disk's, which its name carries)."""
        self._check_media_free(media)
        if self.check_media:
            check_media_location(self.engine, self.sub, media, self.location)
        disk: Node = {"AttachedTo": self._attached()}
        if os_name:
            disk["OS"] = os_name
        if label:
            disk["Label"] = label
        disk.update(
            {
                "Location": self.location,
                "LogicalDiskSizeInGB": str(size),
                "MediaLink": media,
                "Name": self._disk_name(lun),
            }
        )
        if source_image:
            disk["SourceImageName"] = source_image
        disk.update({"IsPremium": "false", "CreatedTime": iso(self.now), "IOType": "Standard"})
        self.engine.store.put("disk", self.sub, disk["Name"], disk)
        return disk

    def _check_image_region(self, image: Node) -> None:
        if not self.check_media or image.get("Category") != "User":
            return
        region = str(image.get("Location") or "")
        if region and region.lower() != self.location.lower():
            # The service's wording (quoted in Azure PowerShell issue #60).
            raise bad_request(
                f"The location or affinity group {region} of the storage account where the source image "
                f"{image['Name']} resides is not in the same location or affinity group as the specified "
                "cloud service. The source image must reside in a storage account that has the same affinity "
                f"group or location as the cloud service {self.location}."
            )

    def os_disk(self, raw: Node, vm_image: str | None) -> Node:
        """The role's ``OSVirtualHardDisk`` from a request."""
        caching = v.choice(raw, "HostCaching", ("None", "ReadOnly", "ReadWrite")) or "ReadWrite"
        name = v.text(raw, "DiskName")
        image_name = v.text(raw, "SourceImageName")
        media = v.text(raw, "MediaLink")
        if vm_image and not image_name:
            image = self.engine.catalog.vm_by_name.get(vm_image.lower()) or self.engine.store.get(
                "vmimage", self.sub, vm_image
            )
            if image is None:
                raise bad_request(f"The VM image {vm_image} (VMImageName) does not exist.")
            cfg = image.get("OSDiskConfiguration") or {}
            host = _storage_host(self.engine, self.sub, self.location) if not media else ""
            media = media or f"{host}/vhds/{self.service}-{self.role}-os.vhd"
            disk = self.new_disk(
                media, int(cfg.get("LogicalDiskSizeInGB", 30)), cfg.get("OS", "Linux"), None, None
            )
            return {
                "HostCaching": caching,
                "DiskLabel": "",
                "DiskName": disk["Name"],
                "MediaLink": media,
                "OS": disk["OS"],
                "IOType": "Standard",
            }
        if image_name:
            image = self.engine.catalog.os_by_name.get(image_name.lower()) or self.engine.store.get(
                "image", self.sub, image_name
            )
            if image is None:
                raise bad_request(f"The image {image_name} (SourceImageName) does not exist.")
            self._check_image_region(image)
            media = (
                media
                or f"{_storage_host(self.engine, self.sub, self.location)}/vhds/{self.service}-{self.role}-{_stamp(self.now)}.vhd"  # noqa: E501
            )
            label = v.text(raw, "DiskLabel") or media.rsplit("/", 1)[-1]
            size = int(image.get("LogicalSizeInGB", 30))
            disk = self.new_disk(media, size, image["OS"], image["Name"], None)
            return {
                "HostCaching": caching,
                "DiskLabel": label,
                "DiskName": disk["Name"],
                "MediaLink": media,
                "SourceImageName": image["Name"],
                "OS": image["OS"],
                "IOType": "Standard",
            }
        if name:
            disk = self.attach_existing(name, want_os=True)
            return {
                "HostCaching": caching,
                "DiskLabel": v.text(raw, "DiskLabel") or disk.get("Label", ""),
                "DiskName": disk["Name"],
                "MediaLink": disk["MediaLink"],
                "SourceImageName": disk.get("SourceImageName", ""),
                "OS": disk["OS"],
                "IOType": "Standard",
            }
        raise bad_request("The OSVirtualHardDisk must specify SourceImageName or DiskName.")

    def data_disk(self, raw: Node, taken: set[int]) -> Node:
        """A ``DataVirtualHardDisk`` from a request (one of the three creation modes)."""
        lun = v.integer(raw, "Lun", 0, MAX_LUN)
        if lun is None:
            lun = next((n for n in range(MAX_LUN + 1) if n not in taken), None)
            if lun is None:
                raise bad_request("No free Lun is left on this role (Lun must be between 0 and 15).")
        if lun in taken:
            raise conflict(f"A data disk is already attached at Lun {lun}.")
        caching = v.choice(raw, "HostCaching", ("None", "ReadOnly", "ReadWrite")) or "ReadOnly"
        name = v.text(raw, "DiskName")
        media = v.text(raw, "MediaLink")
        source = v.text(raw, "SourceMediaLink")
        label = v.text(raw, "DiskLabel")
        size = v.integer(raw, "LogicalDiskSizeInGB", 1, 1023)
        if name:
            disk = self.attach_existing(name, want_os=False)
        elif source:
            media = media or source
            disk = self.new_disk(media, size or 30, None, None, label, lun=lun)
        elif media:
            if size is None:
                raise bad_request("The value for parameter 'LogicalDiskSizeInGB' is null or empty.")
            disk = self.new_disk(media, size, None, None, label, lun=lun)
        else:
            if size is None:
                raise bad_request(
                    "A data disk needs DiskName, SourceMediaLink, or MediaLink with LogicalDiskSizeInGB."
                )
            media = f"{_storage_host(self.engine, self.sub, self.location)}/vhds/{self.service}-{self.role}-{lun}-{_stamp(self.now)}.vhd"  # noqa: E501
            disk = self.new_disk(media, size, None, None, label, lun=lun)
        out: Node = {"HostCaching": caching}
        if label or disk.get("Label"):
            out["DiskLabel"] = label or disk.get("Label")
        out.update(
            {
                "DiskName": disk["Name"],
                "Lun": str(lun),
                "LogicalDiskSizeInGB": disk["LogicalDiskSizeInGB"],
                "MediaLink": disk["MediaLink"],
                "IOType": "Standard",
            }
        )
        return out


def build_role(
    engine: Engine,
    sub: str,
    service: str,
    deployment: str,
    raw: Node,
    location: str | None,
    existing: list[str],
    *,
    check_media: bool = True,
) -> Node:
    """A stored role document from an AddRole/CreateDeployment role node."""
    name = v.role_name(v.text(raw, "RoleName"))
    if name.lower() in (e.lower() for e in existing):
        raise conflict(f"A role with the name {name} (RoleName) already exists in the deployment.")
    role_type = v.text(raw, "RoleType") or "PersistentVMRole"
    if role_type != "PersistentVMRole":
        raise bad_request(f"The RoleType '{role_type}' is invalid; only PersistentVMRole is supported.")
    size = v.text(raw, "RoleSize") or "Small"
    if size.lower() not in engine.catalog.size_by_name:
        raise bad_request(f"The role size {size} (RoleSize) is invalid.")
    size = engine.catalog.size_by_name[size.lower()]["Name"]
    sets = config_sets(raw)
    network = network_from(sets) or {
        "ConfigurationSetType": "NetworkConfiguration",
        "InputEndpoints": [],
        "SubnetNames": [],
    }
    provisioning = provisioning_from(sets)
    vm_image = v.text(raw, "VMImageName")
    os_raw = raw.get("OSVirtualHardDisk")
    planner = DiskPlanner(engine, sub, service, deployment, name, location, check_media=check_media)
    if os_raw is None and not vm_image:
        raise bad_request("The value for parameter 'OSVirtualHardDisk' is null or empty.")
    os_node = v.as_dict(os_raw, "OSVirtualHardDisk") if os_raw is not None else {}
    from_image = bool(v.text(os_node, "SourceImageName")) or bool(vm_image)
    if from_image and provisioning is None and not vm_image:
        raise bad_request(
            "A ProvisioningConfiguration set (Windows or Linux) is required when creating from an image."
        )
    os_disk = planner.os_disk(os_node, vm_image)
    expected = (
        "WindowsProvisioningConfiguration" if os_disk["OS"] == "Windows" else "LinuxProvisioningConfiguration"
    )
    if provisioning is not None and provisioning["ConfigurationSetType"] != expected:
        raise bad_request(
            f"The ConfigurationSetType {provisioning['ConfigurationSetType']} does not match the {os_disk['OS']} image."  # noqa: E501
        )
    taken: set[int] = set()
    data: list[Node] = []
    for item in v.as_list(raw.get("DataVirtualHardDisks"), "DataVirtualHardDisks"):
        disk = planner.data_disk(v.as_dict(item, "DataVirtualHardDisk"), taken)
        taken.add(int(disk["Lun"]))
        data.append(disk)
    check_data_disk_count(engine, size, len(data))
    role: Node = {"RoleName": name, "RoleType": "PersistentVMRole", "ConfigurationSets": [network]}
    if provisioning is not None:
        role["ConfigurationSets"].append(provisioning)
    for field in ("AvailabilitySetName", "VMImageName"):
        if v.text(raw, field):
            role[field] = v.text(raw, field)
    if isinstance(raw.get("ResourceExtensionReferences"), list) and raw["ResourceExtensionReferences"]:
        role["ResourceExtensionReferences"] = raw["ResourceExtensionReferences"]
    role["DataVirtualHardDisks"] = data
    role["OSVirtualHardDisk"] = os_disk
    role["RoleSize"] = size
    if os_disk["OS"] == "Windows":
        role["DefaultWinRmCertificateThumbprint"] = f"{random.getrandbits(160):040X}"
    guest = v.boolean(raw, "ProvisionGuestAgent")
    if guest is not None:
        role["ProvisionGuestAgent"] = guest
    host = (provisioning or {}).get("ComputerName") or (provisioning or {}).get("HostName") or name
    role["HostName"] = str(host)
    return role


def update_role(engine: Engine, role: Node, raw: Node, url_name: str) -> Node:
    """Apply an UpdateRole body: elements sent replace, elements left out keep their value."""
    sent_name = v.text(raw, "RoleName")
    if sent_name and sent_name.lower() != url_name.lower():
        raise bad_request(
            f"The RoleName {sent_name} in the body does not match the role {url_name} in the URL."
        )
    updated = dict(role)
    if "ConfigurationSets" in raw:
        sets = config_sets(raw)
        network = network_from(sets)
        if network is not None:
            others = [
                c
                for c in role["ConfigurationSets"]
                if c.get("ConfigurationSetType") != "NetworkConfiguration"
            ]
            updated["ConfigurationSets"] = [network, *others]
    if "RoleSize" in raw:
        size = v.text(raw, "RoleSize", required=True)
        assert size is not None
        if size.lower() not in engine.catalog.size_by_name:
            raise bad_request(f"The role size {size} (RoleSize) is invalid.")
        updated["RoleSize"] = engine.catalog.size_by_name[size.lower()]["Name"]
        check_data_disk_count(engine, updated["RoleSize"], len(role.get("DataVirtualHardDisks", [])))
    if "AvailabilitySetName" in raw:
        updated["AvailabilitySetName"] = v.text(raw, "AvailabilitySetName") or ""
    if "ProvisionGuestAgent" in raw:
        updated["ProvisionGuestAgent"] = v.boolean(raw, "ProvisionGuestAgent") or "false"
    if "ResourceExtensionReferences" in raw:
        updated["ResourceExtensionReferences"] = v.as_list(
            raw.get("ResourceExtensionReferences"), "ResourceExtensionReferences"
        )
    if isinstance(raw.get("OSVirtualHardDisk"), dict):
        caching = v.choice(raw["OSVirtualHardDisk"], "HostCaching", ("None", "ReadOnly", "ReadWrite"))
        if caching:
            updated["OSVirtualHardDisk"] = {**role["OSVirtualHardDisk"], "HostCaching": caching}
    if "DataVirtualHardDisks" in raw:
        by_lun = {d["Lun"]: d for d in role.get("DataVirtualHardDisks", [])}
        for item in v.as_list(raw.get("DataVirtualHardDisks"), "DataVirtualHardDisks"):
            node = v.as_dict(item, "DataVirtualHardDisk")
            lun = v.integer(node, "Lun", 0, MAX_LUN)
            caching = v.choice(node, "HostCaching", ("None", "ReadOnly", "ReadWrite"))
            if lun is not None and str(lun) in by_lun and caching:
                by_lun[str(lun)] = {**by_lun[str(lun)], "HostCaching": caching}
        updated["DataVirtualHardDisks"] = list(by_lun.values())
    return updated


def find_role(dep: Node, name: str) -> Node:
    """A role of a deployment by case-insensitive name, or 404."""
    for role in dep["Roles"]:
        if role["RoleName"].lower() == name.lower():
            return cast(Node, role)
    raise not_found(f"Role {name} was not found in the currently deployed service.")


def new_ip(rng: random.Random | None = None) -> str:
    """A private address like the ones RDFE handed out."""
    r = rng or random
    return f"100.{r.randint(64, 127)}.{r.randint(0, 255)}.{r.randint(1, 254)}"


def new_vip(rng: random.Random | None = None) -> str:
    """A public virtual IP."""
    r = rng or random
    return f"{r.choice((23, 40, 104, 137, 191))}.{r.randint(96, 127)}.{r.randint(0, 255)}.{r.randint(1, 254)}"


def add_instance(dep: Node, role: Node, ts: float) -> None:
    """Register a new role's instance: CreatingVM, with a private IP address and its host name."""
    lifecycle.set_instance(dep, role["RoleName"], "CreatingVM", "Stopped", ts)
    dep["Instances"][role["RoleName"]].update(IpAddress=new_ip(), HostName=role["HostName"])
