"""Wire shapes of OS/VM images, disks, storage accounts, affinity groups, the subscription and
certificates."""

from __future__ import annotations

from smtui.emulator.nodes import Node
from smtui.emulator.render_compute import MANAGEMENT_URL, ROLE_SIZES_WEB, b64

OS_IMAGE_ORDER = (
    "AffinityGroup",
    "Category",
    "Label",
    "Location",
    "LogicalSizeInGB",
    "MediaLink",
    "Name",
    "OS",
    "Eula",
    "Description",
    "ImageFamily",
    "ShowInGui",
    "PublishedDate",
    "IsPremium",
    "IconUri",
    "PrivacyUri",
    "RecommendedVMSize",
    "PublisherName",
    "PricingDetailLink",
    "SmallIconUri",
    "Language",
    "OSState",
    "IOType",
)
DISK_ORDER = (
    "AffinityGroup",
    "AttachedTo",
    "OS",
    "Label",
    "IsCorrupted",
    "Location",
    "LogicalDiskSizeInGB",
    "MediaLink",
    "Name",
    "SourceImageName",
    "IsPremium",
    "PricingDetailLink",
    "CreatedTime",
    "IOType",
)
VM_IMAGE_ORDER = (
    "Name",
    "Label",
    "Category",
    "Description",
    "OSDiskConfiguration",
    "DataDiskConfigurations",
    "ServiceName",
    "DeploymentName",
    "RoleName",
    "AffinityGroup",
    "Location",
    "CreatedTime",
    "ModifiedTime",
    "Language",
    "ImageFamily",
    "RecommendedVMSize",
    "IsPremium",
    "Eula",
    "IconUri",
    "SmallIconUri",
    "PrivacyUri",
    "PublisherName",
    "PublishedDate",
    "ShowInGui",
    "PricingDetailLink",
    "VMImageState",
    "RoleStateOnCapture",
    "RoleSizeOnCapture",
)


def ordered(doc: Node, order: tuple[str, ...]) -> Node:
    """The keys of ``doc`` named in ``order``, in that order (internal bookkeeping keys are dropped)."""
    return {k: doc[k] for k in order if k in doc}


def os_image(doc: Node) -> Node:
    """An ``OSImage``."""
    return ordered(doc, OS_IMAGE_ORDER)


def vm_image(doc: Node) -> Node:
    """A ``VMImage``."""
    return ordered(doc, VM_IMAGE_ORDER)


def disk(doc: Node) -> Node:
    """A ``Disk`` of the disk repository."""
    node = ordered(doc, DISK_ORDER)
    attached = doc.get("AttachedTo")
    if attached:
        node["AttachedTo"] = {
            "DeploymentName": attached["DeploymentName"],
            "HostedServiceName": attached["HostedServiceName"],
            "RoleName": attached["RoleName"],
        }
    else:
        node.pop("AttachedTo", None)
    return node


def storage_service(sub: str, doc: Node, *, detail: bool) -> Node:
    """A ``StorageService`` (list entry, or Get Storage Account Properties when ``detail``)."""
    name = doc["ServiceName"]
    props: Node = {"Description": doc.get("Description")}
    if doc.get("AffinityGroup"):
        props["AffinityGroup"] = doc["AffinityGroup"]
    else:
        props["Location"] = doc.get("Location", "")
    geo_redundant = doc.get("AccountType", "Standard_GRS") in ("Standard_GRS", "Standard_RAGRS")
    props.update(
        {
            "Label": b64(doc.get("Label") or name),
            "Status": doc.get("Status", "Created"),
            "Endpoints": [
                f"https://{name}.{kind}.core.windows.net/" for kind in ("blob", "queue", "table", "file")
            ],
            "GeoPrimaryRegion": doc.get("Location") or doc.get("GeoPrimaryRegion", ""),
            "StatusOfPrimary": "Available" if doc.get("Status", "Created") == "Created" else "",
            "GeoSecondaryRegion": doc.get("GeoSecondaryRegion", "East US") if geo_redundant else "",
            "StatusOfSecondary": "Available"
            if geo_redundant and doc.get("Status", "Created") == "Created"
            else "",
            "CreationTime": doc["CreationTime"],
            "CustomDomains": [],
            "AccountType": doc.get("AccountType", "Standard_GRS"),
        }
    )
    node: Node = {
        "Url": f"{MANAGEMENT_URL}/{sub}/services/storageservices/{name}",
        "ServiceName": name,
        "StorageServiceProperties": props,
        "ExtendedProperties": [dict(p) for p in doc.get("ExtendedProperties", [])],
    }
    if detail:
        node["Capabilities"] = ["PersistentVMRole"]
    return node


def storage_keys(sub: str, doc: Node) -> Node:
    """``StorageService`` with ``StorageServiceKeys``."""
    return {
        "Url": f"{MANAGEMENT_URL}/{sub}/services/storageservices/{doc['ServiceName']}",
        "StorageServiceKeys": {"Primary": doc["Primary"], "Secondary": doc["Secondary"]},
    }


def affinity_group(
    sub: str,
    doc: Node,
    vm_sizes: list[str],
    services: list[str] | None = None,
    storage: list[str] | None = None,
) -> Node:
    """An ``AffinityGroup``: list form, or the Get form when ``services``/``storage`` are given."""
    node: Node = {
        "Name": doc["Name"],
        "Label": b64(doc.get("Label") or doc["Name"]),
        "Description": doc.get("Description") or "",
        "Location": doc["Location"],
    }
    if services is not None:
        node["HostedServices"] = [
            {"Url": f"{MANAGEMENT_URL}/{sub}/services/hostedservices/{s}", "ServiceName": s} for s in services
        ]
        node["StorageServices"] = [
            {"Url": f"{MANAGEMENT_URL}/{sub}/services/storageservices/{s}", "ServiceName": s}
            for s in storage or []
        ]
    node["Capabilities"] = ["PersistentVMRole", "HighMemory"]
    node["CreatedTime"] = doc["CreatedTime"]
    if services is None:
        node["ComputeCapabilities"] = {
            "WebWorkerRoleSizes": list(ROLE_SIZES_WEB),
            "VirtualMachinesRoleSizes": vm_sizes,
        }
    return node


def subscription(doc: Node, counts: dict[str, int]) -> Node:
    """The ``Subscription`` (Get Subscription), with live usage counters."""
    return {
        "SubscriptionID": doc["id"],
        "SubscriptionName": doc["name"],
        "SubscriptionStatus": "Active",
        "AccountAdminLiveEmailId": doc.get("admin", "admin@example.com"),
        "ServiceAdminLiveEmailId": doc.get("admin", "admin@example.com"),
        "MaxCoreCount": str(doc.get("max_cores", 200)),
        "MaxStorageAccounts": "100",
        "MaxHostedServices": str(doc.get("max_services", 200)),
        "CurrentCoreCount": str(counts.get("cores", 0)),
        "CurrentHostedServices": str(counts.get("services", 0)),
        "CurrentStorageAccounts": str(counts.get("storage", 0)),
        "MaxVirtualNetworkSites": "50",
        "MaxLocalNetworkSites": "20",
        "MaxDnsServers": "20",
        "OfferCategories": "Azure_Platform_All;Azure_Paid;Azure_Consumption",
        "AADTenantID": doc.get("tenant", "72f988bf-86f1-41af-91ab-2d7cd011db47"),
        "CreatedTime": doc.get("created", "2014-01-01T00:00:00Z"),
        "MaxReservedIPs": "20",
        "CurrentReservedIPs": "0",
        "MaxPublicIPCount": "5",
        "CurrentNetworkSecurityGroups": "0",
        "MaxNetworkSecurityGroups": "100",
        "MaxNetworkSecurityRulesPerGroup": "200",
        "MaxRouteTables": "100",
        "MaxRoutesPerRouteTable": "100",
    }


def management_certificate(thumb: str, public_key_b64: str, data_b64: str, created: str) -> Node:
    """A ``SubscriptionCertificate``."""
    return {
        "SubscriptionCertificatePublicKey": public_key_b64,
        "SubscriptionCertificateThumbprint": thumb,
        "SubscriptionCertificateData": data_b64,
        "Created": created,
    }
