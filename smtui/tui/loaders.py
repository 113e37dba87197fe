"""Load the children of a node with the client and turn them into :class:`Listing` objects.

One function per container kind. They never raise for service or network failures: a failed
response becomes a listing with ``error`` set (code, message and request id), which the
browser shows in place of the rows. No Textual import.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from smtui.tui.nodes import (
    CATEGORY_TITLES,
    COLUMNS,
    Item,
    Kind,
    Listing,
    NodeRef,
    Source,
    category,
    text,
)

if TYPE_CHECKING:
    # Annotations only: the 73 model classes load with the client, off the first frame's path.
    from smtui.api import models
    from smtui.api.client import ServiceManagementClient
    from smtui.api.response import Response

M = TypeVar("M", bound="models.WireObject")

CATEGORY_ABOUT: dict[Kind, str] = {
    Kind.SERVICES: "cloud services, their deployments, roles and VMs",
    Kind.IMAGES: "OS images you can create VMs from",
    Kind.DISKS: "OS and data disks registered in the subscription",
    Kind.STORAGE: "storage accounts (keys on demand)",
    Kind.LOCATIONS: "regions and what they offer",
    Kind.ROLE_SIZES: "VM sizes: cores, memory, data disks",
    Kind.VM_IMAGES: "VM images: an OS disk with its data disks",
    Kind.AFFINITY_GROUPS: "groups keeping services and storage together",
    Kind.QUOTAS: "the subscription's limits and what is used",
}


def describe_error(response: Response[Any]) -> str:  # any payload: only the error is read
    """``"404 ResourceNotFound: message (request id …)"`` for an unsuccessful response."""
    error = getattr(response, "error", None)
    code = getattr(error, "code", None) or "Error"
    message = getattr(error, "message", None) or "request failed"
    status = getattr(response, "status_code", None)
    head = f"{status} {code}" if status else code
    rid = getattr(response, "request_id", None)
    return f"{head}: {message}" + (f" (request id {rid})" if rid else "")


def request_line(response: Response[Any]) -> str:  # any payload: only the request is read
    """``GET …/services/hostedservices/x`` of the request behind a response ("" if unknown).

    The subscription id that starts every path is left out: the header shows it, and the
    part that says which request failed must fit a line.
    """
    options = getattr(response, "request_options", None)
    method, url = getattr(options, "method", "") or "", getattr(options, "url", "") or ""
    if not url:
        return ""
    parts = urlsplit(str(url))
    segments = parts.path.split("/", 2)
    path = f"…/{segments[2]}" if len(segments) == 3 and segments[2] else parts.path
    return f"{method} {path}" + (f"?{parts.query}" if parts.query else "")


def _failed(node: NodeRef, response: Response[Any]) -> Listing:
    # Say which request failed: a list can take several (a role's comes from its deployment).
    request = request_line(response)
    return Listing(
        node,
        COLUMNS[node.kind],
        [],
        time.monotonic(),
        source=Source(response),
        error=(f"{request} failed: " if request else "") + describe_error(response),
    )


def _list_items(node: NodeRef, response: Response[list[M]], make: Callable[[M, Source], Item]) -> Listing:
    if not response.is_successful:
        return _failed(node, response)
    items = [
        make(model, Source(response, ((type(model).__wire__, i),)))
        for i, model in enumerate(response.response or [])
    ]
    return Listing(node, COLUMNS[node.kind], items, time.monotonic(), source=Source(response))


def _named_items(
    node: NodeRef,
    response: Response[list[M]],
    kind: Kind,
    name_of: Callable[[M], str | None],
    cells_of: Callable[[M], tuple[str, ...]],
) -> Listing:
    """A top-level list: one ``kind`` item per model, named by ``name_of``; the name is the first cell."""

    def make(model: M, source: Source) -> Item:
        name = name_of(model) or ""
        return Item(NodeRef(kind, (name,), name), (name, *cells_of(model)), model, source)

    return _list_items(node, response, make)


async def load_subscription(client: ServiceManagementClient, node: NodeRef) -> Listing:
    """The fixed categories (no request)."""
    items = [Item(category(kind), (title, CATEGORY_ABOUT[kind])) for kind, title in CATEGORY_TITLES.items()]
    return Listing(node, COLUMNS[Kind.SUBSCRIPTION], items, time.monotonic())


async def load_services(client: ServiceManagementClient, node: NodeRef) -> Listing:
    """``List Hosted Services``."""
    return services_listing(node, await client.list_hosted_services())


def services_listing(node: NodeRef, response: Response[list[models.HostedService]]) -> Listing:
    """The hosted-services listing of a ``List Hosted Services`` response (the start-up probe)."""

    def cells(svc: models.HostedService) -> tuple[str, ...]:
        props = svc.hosted_service_properties
        return (
            text(props and (props.location or props.affinity_group)),
            text(props and props.status),
            text(props and props.label),
            text(props and props.date_created),
        )

    return _named_items(node, response, Kind.SERVICE, lambda svc: svc.service_name, cells)


def _instances_ready(deployment: models.Deployment) -> str:
    instances = deployment.role_instance_list
    ready = sum(1 for i in instances if i.instance_status == "ReadyRole")
    return f"{ready}/{len(instances)}"


async def load_service(client: ServiceManagementClient, node: NodeRef) -> Listing:
    """``Get Hosted Service`` with ``embed-detail=true``: the service and its deployments."""
    service = node.parts[0]
    response = await client.get_hosted_service(service, embed_detail=True)
    if not response.is_successful or response.response is None:
        return _failed(node, response)
    svc = response.response
    items = []
    for index, dep in enumerate(svc.deployments):
        name = dep.name or ""
        items.append(
            Item(
                NodeRef(Kind.DEPLOYMENT, (service, name), f"{name} ({dep.deployment_slot or '?'})"),
                (
                    name,
                    text(dep.deployment_slot),
                    text(dep.status),
                    str(len(dep.role_list)),
                    _instances_ready(dep),
                    text(dep.label),
                ),
                dep,
                Source(response, (("Deployments", 0), ("Deployment", index))),
            )
        )
    return Listing(node, COLUMNS[Kind.SERVICE], items, time.monotonic(), model=svc, source=Source(response))


def _instance_for(
    deployment: models.Deployment, role_name: str
) -> tuple[int, models.RoleInstance] | tuple[None, None]:
    for index, inst in enumerate(deployment.role_instance_list):
        if inst.role_name == role_name:
            return index, inst
    return None, None


async def load_deployment(client: ServiceManagementClient, node: NodeRef) -> Listing:
    """``Get Deployment``: the roles, with the state of their instance."""
    service, name = node.parts[:2]
    response = await client.get_deployment(service, name)
    if not response.is_successful or response.response is None:
        return _failed(node, response)
    dep = response.response
    items = []
    for index, role in enumerate(dep.role_list):
        role_name = role.role_name or ""
        _, inst = _instance_for(dep, role_name)
        os_disk = role.os_virtual_hard_disk
        items.append(
            Item(
                NodeRef(Kind.ROLE, (service, name, role_name), role_name),
                (
                    role_name,
                    text(role.role_size),
                    text(inst and inst.instance_status),
                    text(inst and inst.power_state),
                    text(inst and inst.ip_address),
                    text(os_disk and os_disk.os),
                ),
                role,
                Source(response, (("RoleList", 0), ("Role", index))),
            )
        )
    return Listing(
        node, COLUMNS[Kind.DEPLOYMENT], items, time.monotonic(), model=dep, source=Source(response)
    )


async def load_role(client: ServiceManagementClient, node: NodeRef) -> Listing:
    """``Get Deployment`` again (it is the one call with instance state): instance, OS disk, data disks."""
    service, dep_name, role_name = node.parts[:3]
    response = await client.get_deployment(service, dep_name)
    if not response.is_successful or response.response is None:
        return _failed(node, response)
    dep = response.response
    role_index, role = next(
        ((i, r) for i, r in enumerate(dep.role_list) if r.role_name == role_name), (None, None)
    )
    if role is None or role_index is None:
        listing = _failed(node, response)
        return Listing(
            node,
            listing.columns,
            [],
            listing.fetched_at,
            source=listing.source,
            error=f"ResourceNotFound: role {role_name} is not in deployment {dep_name}",
        )
    base = (service, dep_name, role_name)
    role_steps = (("RoleList", 0), ("Role", role_index))
    items: list[Item] = []
    inst_index, inst = _instance_for(dep, role_name)
    if inst is not None and inst_index is not None:
        iname = inst.instance_name or role_name
        items.append(
            Item(
                NodeRef(Kind.INSTANCE, (*base, iname), f"instance {iname}"),
                (
                    "Instance",
                    iname,
                    text(inst.instance_status),
                    f"power {text(inst.power_state)}  ip {text(inst.ip_address)}"
                    f"  size {text(inst.instance_size)}",
                ),
                inst,
                Source(response, (("RoleInstanceList", 0), ("RoleInstance", inst_index))),
            )
        )
    os_disk = role.os_virtual_hard_disk
    if os_disk is not None:
        dname = os_disk.disk_name or "OS disk"
        items.append(
            Item(
                NodeRef(Kind.OS_DISK, (*base, dname), f"OS disk {dname}"),
                (
                    "OS disk",
                    dname,
                    text(os_disk.os),
                    f"{text(os_disk.source_image_name)}  {text(os_disk.media_link)}",
                ),
                os_disk,
                Source(response, (*role_steps, ("OSVirtualHardDisk", 0))),
            )
        )
    for index, disk in enumerate(role.data_virtual_hard_disks):
        lun = text(disk.lun if disk.lun is not None else 0)
        items.append(
            Item(
                NodeRef(Kind.DATA_DISK, (*base, lun), f"data disk LUN {lun}"),
                (
                    "Data disk",
                    text(disk.disk_name),
                    f"LUN {lun}",
                    f"{text(disk.logical_disk_size_in_gb)} GB  caching {text(disk.host_caching)}"
                    f"  {text(disk.media_link)}",
                ),
                disk,
                Source(response, (*role_steps, ("DataVirtualHardDisks", 0), ("DataVirtualHardDisk", index))),
            )
        )
    return Listing(
        node, COLUMNS[Kind.ROLE], items, time.monotonic(), model=role, source=Source(response, role_steps)
    )


async def load_images(client: ServiceManagementClient, node: NodeRef) -> Listing:
    """``List OS Images``."""

    def make(img: models.OSImage, source: Source) -> Item:
        # The label first: platform image names share a long publisher prefix (see COLUMNS).
        name = img.name or ""
        cells = (
            text(img.label),
            name,
            text(img.os),
            text(img.category),
            text(img.logical_size_in_gb),
            text(img.published_date)[:10],  # the day: its time of day is always 07:00 / 08:00 UTC
        )
        return Item(NodeRef(Kind.IMAGE, (name,), name), cells, img, source)

    return _list_items(node, await client.list_os_images(), make)


async def load_disks(client: ServiceManagementClient, node: NodeRef) -> Listing:
    """``List Disks``."""

    def cells(disk: models.Disk) -> tuple[str, ...]:
        att = disk.attached_to
        attached = (
            "/".join(p for p in (att.hosted_service_name, att.deployment_name, att.role_name) if p)
            if att
            else ""
        )
        return (
            text(disk.os),
            text(disk.logical_disk_size_in_gb),
            attached,
            text(disk.location),
            text(disk.source_image_name),
        )

    return _named_items(node, await client.list_disks(), Kind.DISK, lambda disk: disk.name, cells)


async def load_storage(client: ServiceManagementClient, node: NodeRef) -> Listing:
    """``List Storage Accounts``."""

    def cells(acct: models.StorageAccount) -> tuple[str, ...]:
        props = acct.storage_service_properties
        return (
            text(props and (props.location or props.affinity_group)),
            text(props and props.status),
            text(props and props.account_type),
            text(props and props.label),
        )

    response = await client.list_storage_accounts()
    return _named_items(node, response, Kind.STORAGE_ACCOUNT, lambda acct: acct.service_name, cells)


async def load_locations(client: ServiceManagementClient, node: NodeRef) -> Listing:
    """``List Locations``."""

    def cells(loc: models.Location) -> tuple[str, ...]:
        return (text(loc.display_name), ", ".join(loc.available_services))

    return _named_items(node, await client.list_locations(), Kind.LOCATION, lambda loc: loc.name, cells)


async def load_role_sizes(client: ServiceManagementClient, node: NodeRef) -> Listing:
    """``List Role Sizes``."""

    def cells(size: models.RoleSize) -> tuple[str, ...]:
        return (
            text(size.label),
            text(size.cores),
            text(size.memory_in_mb),
            text(size.max_data_disk_count),
        )

    return _named_items(node, await client.list_role_sizes(), Kind.ROLE_SIZE, lambda size: size.name, cells)


async def load_vm_images(client: ServiceManagementClient, node: NodeRef) -> Listing:
    """``List VM Images``."""

    def cells(img: models.VMImage) -> tuple[str, ...]:
        os_disk = img.os_disk_configuration
        return (
            text(os_disk and os_disk.os),
            text(img.category),
            text(img.label),
            text(len(img.data_disk_configurations)),
            text(img.location),
        )

    return _named_items(node, await client.list_vm_images(), Kind.VM_IMAGE, lambda img: img.name, cells)


async def load_affinity_groups(client: ServiceManagementClient, node: NodeRef) -> Listing:
    """``List Affinity Groups``."""

    def cells(group: models.AffinityGroup) -> tuple[str, ...]:
        return (text(group.location), text(group.label), text(group.description))

    response = await client.list_affinity_groups()
    return _named_items(node, response, Kind.AFFINITY_GROUP, lambda group: group.name, cells)


_QUOTAS = (
    ("Cores", "current_core_count", "max_core_count"),
    ("Hosted services", "current_hosted_services", "max_hosted_services"),
    ("Storage accounts", "current_storage_accounts", "max_storage_accounts"),
    ("Reserved IPs", "current_reserved_ips", "max_reserved_ips"),
    ("Virtual network sites", None, "max_virtual_network_sites"),
    ("Local network sites", None, "max_local_network_sites"),
    ("DNS servers", None, "max_dns_servers"),
    ("Public IPs per deployment", None, "max_public_ip_count"),
)


async def load_quotas(client: ServiceManagementClient, node: NodeRef) -> Listing:
    """``Get Subscription``: one row per limit, with the current usage where the service reports it."""
    response = await client.get_subscription()
    if not response.is_successful or response.response is None:
        return _failed(node, response)
    sub = response.response
    source = Source(response)
    items = [
        Item(
            NodeRef(Kind.QUOTA, (name,), name),
            (name, text(getattr(sub, used)) if used else "", text(getattr(sub, limit))),
            sub,
            source,
        )
        for name, used, limit in _QUOTAS
    ]
    return Listing(node, COLUMNS[Kind.QUOTAS], items, time.monotonic(), model=sub, source=source)


LOADERS: dict[Kind, Callable[[ServiceManagementClient, NodeRef], Awaitable[Listing]]] = {
    Kind.SUBSCRIPTION: load_subscription,
    Kind.SERVICES: load_services,
    Kind.SERVICE: load_service,
    Kind.DEPLOYMENT: load_deployment,
    Kind.ROLE: load_role,
    Kind.IMAGES: load_images,
    Kind.DISKS: load_disks,
    Kind.STORAGE: load_storage,
    Kind.LOCATIONS: load_locations,
    Kind.ROLE_SIZES: load_role_sizes,
    Kind.VM_IMAGES: load_vm_images,
    Kind.AFFINITY_GROUPS: load_affinity_groups,
    Kind.QUOTAS: load_quotas,
}


async def load(client: ServiceManagementClient, node: NodeRef) -> Listing:
    """The children of ``node`` (a container kind).

    Raises:
        KeyError: ``node`` is not a container.
    """
    return await LOADERS[node.kind](client, node)
