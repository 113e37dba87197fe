"""Initial content: the believable ``demo`` subscription and the ``--scale N`` benchmark subscription.

Roles are built through the same code path as CreateDeployment/AddRole requests, so the
seeded state obeys the same rules (disks registered, names unique, LUNs valid).
"""

from __future__ import annotations

import random
import uuid

from smtui.emulator import roles as r
from smtui.emulator.engine import Engine, iso
from smtui.emulator.lookups import new_storage_key
from smtui.emulator.nodes import Node

WINDOWS = "a699494373c04fc0bc8f2bb1389d6106__Windows-Server-2012-Datacenter-201503.01-en.us-127GB.vhd"
UBUNTU = "b39f27a8b8c64d52b05eac6a62ebad85__Ubuntu-14_04-LTS-amd64-server-20140414-en-us-30GB"
UBUNTU_15 = "b39f27a8b8c64d52b05eac6a62ebad85__Ubuntu-15_04-amd64-server-20150616.1-en-us-30GB"
DAY = 86400.0


def _endpoint(name: str, port: int, local: int | None = None) -> dict[str, str]:
    return {"LocalPort": str(local or port), "Name": name, "Port": str(port), "Protocol": "tcp"}


def _role_node(
    name: str, image: str, storage: str, size: str, endpoints: list[dict[str, str]], disks: list[int]
) -> Node:
    windows = image == WINDOWS
    provisioning: Node = (
        {
            "ConfigurationSetType": "WindowsProvisioningConfiguration",
            "ComputerName": name[:15],
            "AdminPassword": "unused-Passw0rd",
            "AdminUsername": "azureadmin",
        }
        if windows
        else {
            "ConfigurationSetType": "LinuxProvisioningConfiguration",
            "HostName": name,
            "UserName": "azureuser",
            "UserPassword": "unused-Passw0rd",
        }
    )
    network = {"ConfigurationSetType": "NetworkConfiguration", "InputEndpoints": endpoints, "SubnetNames": []}
    return {
        "RoleName": name,
        "RoleType": "PersistentVMRole",
        "ConfigurationSets": [provisioning, network],
        "DataVirtualHardDisks": [
            {
                "Lun": str(lun),
                "LogicalDiskSizeInGB": str(size_gb),
                "MediaLink": f"https://{storage}.blob.core.windows.net/vhds/{name}-data{lun}.vhd",
                "DiskLabel": f"{name}-data{lun}",
            }
            for lun, size_gb in ((lun, (128, 256, 512, 1023)[lun % 4]) for lun in disks)
        ],
        "OSVirtualHardDisk": {
            "MediaLink": f"https://{storage}.blob.core.windows.net/vhds/{name}-os.vhd",
            "SourceImageName": image,
        },
        "RoleSize": size,
        "ProvisionGuestAgent": "true",
    }


class Seeder:
    """Writes seed content straight into the store (inside one transaction)."""

    def __init__(self, engine: Engine, sub: str, rng: random.Random) -> None:
        self.engine = engine
        self.sub = sub
        self.rng = rng
        self.now = engine.clock()

    def storage(
        self, name: str, location: str, account_type: str, description: str | None, age_days: float
    ) -> None:
        self.engine.store.put(
            "storage",
            self.sub,
            name,
            {
                "ServiceName": name,
                "Label": name,
                "Description": description,
                "Location": location,
                "AffinityGroup": None,
                "Status": "Created",
                "CreationTime": iso(self.now - age_days * DAY),
                "AccountType": account_type,
                "ExtendedProperties": [
                    {"Name": "ResourceGroup", "Value": f"Default-Storage-{location.replace(' ', '')}"},
                    {"Name": "ResourceLocation", "Value": location},
                ],
                "Primary": new_storage_key(),
                "Secondary": new_storage_key(),
            },
        )

    def service(
        self,
        name: str,
        location: str | None,
        description: str | None,
        age_days: float,
        group: str | None = None,
    ) -> None:
        created = iso(self.now - age_days * DAY)
        self.engine.store.put(
            "service",
            self.sub,
            name,
            {
                "ServiceName": name,
                "Label": name,
                "Description": description,
                "Location": location,
                "AffinityGroup": group,
                "Status": "Created",
                "DateCreated": created,
                "DateLastModified": created,
                "ExtendedProperties": [
                    {"Name": "ResourceGroup", "Value": name},
                    {"Name": "ResourceLocation", "Value": location or "West US"},
                ],
            },
        )

    def deployment(
        self,
        service: str,
        name: str,
        slot: str,
        location: str,
        storage: str,
        vms: list[tuple[Node, str, str]],
        age_days: float,
        *,
        check_media: bool = True,
    ) -> None:
        dep: Node = {
            "Name": name,
            "ServiceName": service,
            "DeploymentSlot": slot,
            "PrivateID": uuid.UUID(int=self.rng.getrandbits(128)).hex,
            "Status": "Running",
            "Label": name,
            "CreatedTime": iso(self.now - age_days * DAY),
            "LastModifiedTime": iso(self.now - age_days * DAY / 3),
            "VirtualIP": r.new_vip(self.rng),
            "DnsZone": self.rng.randint(1, 9),
            "Roles": [],
            "Instances": {},
        }
        for node, status, power in vms:
            role = r.build_role(
                self.engine,
                self.sub,
                service,
                name,
                node,
                location,
                [x["RoleName"] for x in dep["Roles"]],
                check_media=check_media,
            )
            dep["Roles"].append(role)
            inst = {
                "InstanceStatus": status,
                "PowerState": power,
                "IpAddress": r.new_ip(self.rng),
                "HostName": role["HostName"],
                "Since": iso(self.now - 3600),
            }
            dep["Instances"][role["RoleName"]] = inst
        self.engine.save_deployment(self.sub, dep)


def seed_demo(engine: Engine, sub: str) -> None:
    """A small, believable subscription: services with deployments in both slots, VMs in various states."""
    s = Seeder(engine, sub, random.Random(20150702))
    s.storage("contosoportalvhds", "West US", "Standard_GRS", "VM disks of the Contoso web farm", 410)
    s.storage("fabrikamdata", "North Europe", "Standard_LRS", None, 220)
    s.storage("tailspinbackups", "East US 2", "Standard_RAGRS", "nightly backups", 95)
    engine.store.put(
        "affinity",
        sub,
        "contoso-west",
        {
            "Name": "contoso-west",
            "Label": "Contoso West",
            "Description": "Contoso West US workloads",
            "Location": "West US",
            "CreatedTime": iso(s.now - 500 * DAY),
        },
    )
    engine.store.put(
        "image",
        sub,
        "contoso-web-golden-2016",
        {
            "Category": "User",
            "Label": "Contoso web golden image",
            "Location": "West US",
            "LogicalSizeInGB": "127",
            "MediaLink": "https://contosoportalvhds.blob.core.windows.net/vhds/contoso-web-golden-2016.vhd",
            "Name": "contoso-web-golden-2016",
            "OS": "Windows",
            "IsPremium": "false",
            "OSState": "Generalized",
            "IOType": "Standard",
        },
    )
    web = [_endpoint("http", 80), _endpoint("https", 443), _endpoint("RemoteDesktop", 3389)]
    s.service("contoso-web", "West US", "Contoso public web farm", 400)
    s.deployment(
        "contoso-web",
        "contoso-web-prod",
        "Production",
        "West US",
        "contosoportalvhds",
        [
            (_role_node("web01", WINDOWS, "contosoportalvhds", "Medium", web, [0]), "ReadyRole", "Started"),
            (
                _role_node(
                    "web02",
                    WINDOWS,
                    "contosoportalvhds",
                    "Medium",
                    [_endpoint("RemoteDesktop", 53389, 3389)],
                    [0],
                ),
                "ReadyRole",
                "Started",
            ),
            (
                _role_node(
                    "web03",
                    WINDOWS,
                    "contosoportalvhds",
                    "Medium",
                    [_endpoint("RemoteDesktop", 53390, 3389)],
                    [],
                ),
                "StoppedDeallocated",
                "Stopped",
            ),
        ],
        120,
    )
    s.deployment(
        "contoso-web",
        "contoso-web-staging",
        "Staging",
        "West US",
        "contosoportalvhds",
        [(_role_node("web-stg01", WINDOWS, "contosoportalvhds", "Small", web, []), "StoppedVM", "Stopped")],
        12,
    )
    ssh = [_endpoint("SSH", 22)]
    s.service("fabrikam-api", "North Europe", None, 260)
    s.deployment(
        "fabrikam-api",
        "fabrikam-api",
        "Production",
        "North Europe",
        "fabrikamdata",
        [
            (
                _role_node(
                    "api01",
                    UBUNTU,
                    "fabrikamdata",
                    "Standard_D2",
                    [*ssh, _endpoint("https", 443, 8443)],
                    [0, 1],
                ),
                "ReadyRole",
                "Started",
            ),
            (
                _role_node(
                    "api02", UBUNTU, "fabrikamdata", "Standard_D2", [_endpoint("SSH", 50022, 22)], [0]
                ),
                "RoleStateUnknown",
                "Started",
            ),
            (
                _role_node(
                    "worker01", UBUNTU_15, "fabrikamdata", "Standard_D1", [_endpoint("SSH", 50023, 22)], []
                ),
                "StoppedVM",
                "Stopped",
            ),
        ],
        60,
    )
    s.deployment(
        "fabrikam-api",
        "fabrikam-api-canary",
        "Staging",
        "North Europe",
        "fabrikamdata",
        [(_role_node("api-canary", UBUNTU_15, "fabrikamdata", "Small", ssh, []), "ReadyRole", "Started")],
        3,
    )
    s.service("northwind-db", None, "Northwind SQL servers", 520, group="contoso-west")
    s.deployment(
        "northwind-db",
        "northwind-db",
        "Production",
        "West US",
        "contosoportalvhds",
        [
            (
                _role_node(
                    "sql01",
                    WINDOWS,
                    "contosoportalvhds",
                    "Large",
                    [_endpoint("RemoteDesktop", 3389), _endpoint("sql", 1433)],
                    [0, 1, 2, 3],
                ),
                "ReadyRole",
                "Started",
            )
        ],
        300,
    )
    s.service("tailspin-ci", "East US 2", "Build agents", 45)
    s.deployment(
        "tailspin-ci",
        "tailspin-ci",
        "Production",
        "East US 2",
        "tailspinbackups",
        [
            (
                _role_node("build01", UBUNTU, "tailspinbackups", "Basic_A2", ssh, [0]),
                "StoppedDeallocated",
                "Stopped",
            )
        ],
        30,
    )
    s.service("adventure-works", "Southeast Asia", "reserved name, nothing deployed yet", 7)
    planner = r.DiskPlanner(engine, sub, "spare", "spare", "spare", "West US")
    for name, size in (("orphan-data-01", 256), ("old-logs-disk", 64)):
        disk = planner.new_disk(
            f"https://contosoportalvhds.blob.core.windows.net/vhds/{name}.vhd", size, None, None, name
        )
        disk.pop("AttachedTo")
        engine.store.delete("disk", sub, disk["Name"])
        disk["Name"] = name
        engine.store.put("disk", sub, name, disk)


def seed_scale(engine: Engine, sub: str, count: int) -> None:
    """``count`` hosted services, each with a Production deployment of one to three VMs (for benchmarks)."""
    s = Seeder(engine, sub, random.Random(count))
    s.storage("scalevhds", "West US", "Standard_LRS", None, 100)
    states = (
        ("ReadyRole", "Started"),
        ("ReadyRole", "Started"),
        ("StoppedVM", "Stopped"),
        ("StoppedDeallocated", "Stopped"),
    )
    for i in range(count):
        name = f"svc{i:05d}"
        s.service(name, "West US", None, 100 - i % 90)
        vms = []
        for k in range(1 + i % 3):
            image = WINDOWS if (i + k) % 2 else UBUNTU
            node = _role_node(
                f"{name}vm{k}",
                image,
                "scalevhds",
                "Small",
                [_endpoint("ssh", 22 + 1000 * k, 22)],
                [0] if k == 0 else [],
            )
            status, power = states[(i + k) % len(states)]
            vms.append((node, status, power))
        s.deployment(name, name, "Production", "West US", "scalevhds", vms, 50, check_media=False)
