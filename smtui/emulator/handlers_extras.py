"""VM images (register/update/delete) and DNS servers of deployments."""

from __future__ import annotations

import html
import ipaddress
import uuid

from smtui.emulator import validate as v
from smtui.emulator.engine import bad_request, conflict, iso, not_found
from smtui.emulator.lookups import get_deployment, lock_deployment
from smtui.emulator.nodes import Node
from smtui.emulator.routing import Ctx, Reply, Router

_VM_TEXT = ("Description", "Language", "ImageFamily", "RecommendedVMSize", "Eula", "IconUri", "SmallIconUri",
            "PrivacyUri", "PublishedDate")  # fmt: skip


def _vm_fields(node: Node, doc: Node) -> None:
    v.update_texts(node, doc, _VM_TEXT)
    if v.boolean(node, "ShowInGui") is not None:
        doc["ShowInGui"] = v.boolean(node, "ShowInGui")
    if "DataDiskConfigurations" in node:
        doc["DataDiskConfigurations"] = v.as_list(
            node.get("DataDiskConfigurations"), "DataDiskConfigurations"
        )


def create_vm_image(ctx: Ctx) -> Reply:
    node = ctx.node("VMImage")
    name = v.text(node, "Name", required=True)
    label = v.text(node, "Label", required=True, max_len=100)
    assert name is not None and label is not None
    if ctx.engine.store.get("vmimage", ctx.sub, name) or name.lower() in ctx.engine.catalog.vm_by_name:
        raise conflict(f"A VM image with the name {name} already exists.")
    os_cfg = v.as_dict(node.get("OSDiskConfiguration"), "OSDiskConfiguration")
    now = ctx.engine.clock()
    doc: Node = {
        "Name": name,
        "Label": label,
        "Category": "User",
        "OSDiskConfiguration": {
            "Name": f"{name}-os-{iso(now)[:10]}",
            "HostCaching": v.choice(os_cfg, "HostCaching", ("None", "ReadOnly", "ReadWrite")) or "ReadWrite",
            "OSState": v.choice(os_cfg, "OSState", ("Generalized", "Specialized"), required=True),
            "OS": v.choice(os_cfg, "OS", ("Linux", "Windows"), required=True),
            "MediaLink": v.text(os_cfg, "MediaLink", required=True),
            "LogicalDiskSizeInGB": "30",
            "IOType": "Standard",
        },
        "DataDiskConfigurations": [],
        "Location": "West US",
        "CreatedTime": iso(now),
        "ModifiedTime": iso(now),
        "IsPremium": "false",
        "VMImageState": "VMImageReadyForUse",
    }
    _vm_fields(node, doc)
    ctx.engine.store.put("vmimage", ctx.sub, name, doc)
    op = ctx.engine.begin(ctx.sub, ctx.request_id)
    ctx.engine.finish_at(ctx.sub, op, 2.0)
    return Reply(202)


def _vm_image(ctx: Ctx, name: str) -> Node:
    doc = ctx.engine.store.get("vmimage", ctx.sub, name)
    if doc is None:
        raise not_found("The VM image with the specified name does not exist.")
    return doc


def update_vm_image(ctx: Ctx, name: str) -> Reply:
    node = ctx.node("VMImage")
    doc = _vm_image(ctx, name)
    label = v.text(node, "Label", max_len=100)
    if label:
        doc["Label"] = label
    _vm_fields(node, doc)
    if isinstance(node.get("OSDiskConfiguration"), dict):
        caching = v.choice(node["OSDiskConfiguration"], "HostCaching", ("None", "ReadOnly", "ReadWrite"))
        if caching:
            doc["OSDiskConfiguration"]["HostCaching"] = caching
    doc["ModifiedTime"] = iso(ctx.engine.clock())
    ctx.engine.store.put("vmimage", ctx.sub, doc["Name"], doc)
    ctx.engine.done(ctx.sub, ctx.request_id)
    return Reply(200)


def delete_vm_image(ctx: Ctx, name: str) -> Reply:
    doc = _vm_image(ctx, name)
    ctx.engine.store.delete("vmimage", ctx.sub, doc["Name"])
    op = ctx.engine.begin(ctx.sub, ctx.request_id)
    ctx.engine.finish_at(ctx.sub, op, 2.0)
    return Reply(202)


def _dns_server(node: Node) -> dict[str, str]:
    name = v.text(node, "Name", required=True, max_len=64)
    address = v.text(node, "Address", required=True)
    assert name is not None and address is not None
    try:
        ipaddress.ip_address(address)
    except ValueError:
        raise bad_request(f"The Address {address} of DNS server {name} is not a valid IP address.") from None
    return {"Name": name, "Address": address}


def _servers(dep: Node) -> list[dict[str, str]]:
    return list((dep.get("Dns") or {}).get("DnsServers") or [])


def _save_dns(ctx: Ctx, dep: Node, servers: list[dict[str, str]]) -> Reply:
    key = lock_deployment(ctx.engine, ctx.sub, dep)
    if servers:
        dep["Dns"] = {"DnsServers": servers}
    else:
        dep.pop("Dns", None)
    ctx.engine.save_deployment(ctx.sub, dep)
    op = ctx.engine.begin(ctx.sub, ctx.request_id, key)
    ctx.engine.finish_at(ctx.sub, op, 2.0)
    return Reply(202)


def add_dns(ctx: Ctx, service: str, deployment: str) -> Reply:
    server = _dns_server(ctx.node("DnsServer"))
    dep = get_deployment(ctx.engine, ctx.sub, service, deployment)
    servers = _servers(dep)
    if any(s["Name"].lower() == server["Name"].lower() for s in servers):
        raise conflict(f"A DNS server named {server['Name']} already exists in the deployment.")
    return _save_dns(ctx, dep, [*servers, server])


def _find_dns(dep: Node, name: str) -> list[dict[str, str]]:
    servers = _servers(dep)
    if not any(s["Name"].lower() == name.lower() for s in servers):
        raise not_found(f"The DNS server {name} was not found in the deployment.")
    return servers


def update_dns(ctx: Ctx, service: str, deployment: str, name: str) -> Reply:
    server = _dns_server(ctx.node("DnsServer"))
    dep = get_deployment(ctx.engine, ctx.sub, service, deployment)
    servers = [server if s["Name"].lower() == name.lower() else s for s in _find_dns(dep, name)]
    return _save_dns(ctx, dep, servers)


def delete_dns(ctx: Ctx, service: str, deployment: str, name: str) -> Reply:
    dep = get_deployment(ctx.engine, ctx.sub, service, deployment)
    servers = [s for s in _find_dns(dep, name) if s["Name"].lower() != name.lower()]
    return _save_dns(ctx, dep, servers)


_SERIALIZATION_NS = "http://schemas.microsoft.com/2003/10/Serialization/"


def replicate_os_image(ctx: Ctx, name: str) -> Reply:
    """``PUT /services/images/<name>/replicate`` (``ReplicationInput``) → 200 with the public name.

    RDFE answered with a bare WCF ``<string>`` holding ``<publisher id>__<image name>`` (recorded).
    The emulator's subscription counts as a registered publisher; the image must be a User image.
    """
    node = ctx.node("ReplicationInput")
    regions = [str(r) for r in v.as_list(node.get("TargetLocations"), "TargetLocations") if r]
    v.require(bool(regions), "The value for parameter 'TargetLocations' is null or empty.")
    for region in regions:
        if region.lower() not in ctx.engine.catalog.location_names:
            raise bad_request(f"The location constraint '{region}' (Region) is not valid.")
    image = ctx.engine.store.get("image", ctx.sub, name)
    if image is None:
        raise not_found("The image with the specified name does not exist.")
    publisher = uuid.uuid5(uuid.NAMESPACE_URL, f"smtui-publisher/{ctx.sub}").hex
    ctx.engine.done(ctx.sub, ctx.request_id)
    text = html.escape(f"{publisher}__{image['Name']}", quote=False)
    return Reply(200, raw=f'<string xmlns="{_SERIALIZATION_NS}">{text}</string>'.encode())


def register(router: Router) -> None:
    """Add this module's routes."""
    router.add("POST", "services/vmimages", create_vm_image)
    router.add("PUT", "services/vmimages/{name}", update_vm_image)
    router.add("DELETE", "services/vmimages/{name}", delete_vm_image)
    router.add("PUT", "services/images/{name}/replicate", replicate_os_image)
    dep = "services/hostedservices/{service}/deployments/{deployment}/dnsservers"
    router.add("POST", dep, add_dns)
    router.add("PUT", dep + "/{name}", update_dns)
    router.add("DELETE", dep + "/{name}", delete_dns)
