"""Hosted services and deployments."""

from __future__ import annotations

import base64
import random
import uuid

from smtui.api.errors import XmlError
from smtui.api.xml import parse_xml
from smtui.emulator import lifecycle
from smtui.emulator import render_compute as rc
from smtui.emulator import validate as v
from smtui.emulator.engine import bad_request, conflict, iso, lock_key
from smtui.emulator.lookups import (
    SLOTS,
    deployment_by_slot,
    get_deployment,
    get_service,
    lock_deployment,
    service_location,
)
from smtui.emulator.nodes import Node
from smtui.emulator.roles import (
    add_instance,
    build_role,
    check_deployment_ports,
    clean_endpoints,
    new_ip,
    new_vip,
)
from smtui.emulator.routing import Ctx, Reply, Router

PAGE_SIZE = 1000
"""Hosted services per List Hosted Services answer; more are paged with ``x-ms-continuation-token``."""


def _page_token(name: str) -> str:
    return base64.urlsafe_b64encode(name.lower().encode("utf-8")).decode("ascii")


def list_services(ctx: Ctx) -> Reply:
    """List Hosted Services, :data:`PAGE_SIZE` at a time in creation order.

    A truncated answer carries ``x-ms-continuation-token`` (opaque: the next service's name,
    base64url); sending it back as a request header continues from there.
    """
    sizes = ctx.engine.catalog.vm_sizes
    docs = ctx.engine.store.list("service", ctx.sub)
    start = 0
    if ctx.continuation:
        tokens = [_page_token(s["ServiceName"]) for s in docs]
        if ctx.continuation not in tokens:
            raise bad_request("The continuation token is invalid or has expired.")
        start = tokens.index(ctx.continuation)
    page = docs[start : start + PAGE_SIZE]
    headers = {}
    if start + PAGE_SIZE < len(docs):
        headers["x-ms-continuation-token"] = _page_token(docs[start + PAGE_SIZE]["ServiceName"])
    items = [rc.hosted_service(ctx.sub, s, vm_sizes=sizes) for s in page]
    return Reply(200, "HostedServices", items, headers=headers)


def get_service_props(ctx: Ctx, service: str) -> Reply:
    svc = get_service(ctx.engine, ctx.sub, service)
    deployments = (
        ctx.engine.store.list("deployment", ctx.sub, parent=svc["ServiceName"])
        if ctx.flag("embed-detail")
        else None
    )
    return Reply(200, "HostedService", rc.hosted_service(ctx.sub, svc, deployments))


def create_service(ctx: Ctx) -> Reply:
    node = ctx.node("CreateHostedService")
    name = v.service_name(node)
    label = v.label_b64(node)
    description = v.text(node, "Description", max_len=1024)
    group_regions = {g["Name"].lower(): g["Location"] for g in ctx.engine.store.list("affinity", ctx.sub)}
    location, group = v.location_or_affinity(node, ctx.engine.catalog.location_names, set(group_regions))
    # RDFE reports the region of a service in an affinity group as the group's (recordings).
    region = location or group_regions[(group or "").lower()]
    props = v.extended_properties(node) or []
    if ctx.engine.store.get("service", ctx.sub, name) is not None:
        raise conflict("The specified DNS name is already taken.")
    now = iso(ctx.engine.clock())
    doc = {
        "ServiceName": name,
        "Label": label,
        "Description": description,
        "Location": location,
        "AffinityGroup": group,
        "Status": "Created",
        "DateCreated": now,
        "DateLastModified": now,
        "ExtendedProperties": props
        + [{"Name": "ResourceGroup", "Value": name}, {"Name": "ResourceLocation", "Value": region}],
    }
    if v.text(node, "ReverseDnsFqdn"):
        doc["ReverseDnsFqdn"] = v.text(node, "ReverseDnsFqdn")
    ctx.engine.store.put("service", ctx.sub, name, doc)
    ctx.engine.done(ctx.sub, ctx.request_id)
    return Reply(201, headers={"Location": f"{rc.MANAGEMENT_URL}/subscriptions/{ctx.sub}/compute/{name}"})


def update_service(ctx: Ctx, service: str) -> Reply:
    svc = get_service(ctx.engine, ctx.sub, service)
    node = ctx.node("UpdateHostedService")
    label = v.label_b64(node, required=False)
    if label is not None:
        svc["Label"] = label
    if "Description" in node:
        svc["Description"] = v.text(node, "Description", max_len=1024)
    v.update_extended_properties(node, svc)
    svc["DateLastModified"] = iso(ctx.engine.clock())
    ctx.engine.store.put("service", ctx.sub, svc["ServiceName"], svc)
    ctx.engine.done(ctx.sub, ctx.request_id)
    return Reply(200)


def delete_service(ctx: Ctx, service: str) -> Reply:
    svc = get_service(ctx.engine, ctx.sub, service)
    name = svc["ServiceName"]
    ctx.engine.check_lock(lock_key(ctx.sub, name), scope="hosted service")
    deployments = ctx.engine.store.list("deployment", ctx.sub, parent=name)
    if not ctx.media:
        if deployments:
            raise conflict("The hosted service has deployments; delete them first or use comp=media.")
        ctx.engine.store.delete("service", ctx.sub, name)
        ctx.engine.done(ctx.sub, ctx.request_id)
        return Reply(200)
    op = ctx.engine.begin(ctx.sub, ctx.request_id, lock_key(ctx.sub, name, "*"))
    for dep in deployments:
        dep["Status"] = "Deleting"
        ctx.engine.save_deployment(ctx.sub, dep)
    ctx.engine.at(ctx.sub, op, lifecycle.DELETE_DONE, "remove_service", service=name)
    ctx.engine.finish_at(ctx.sub, op, lifecycle.DELETE_DONE)
    return Reply(202)


def create_deployment(ctx: Ctx, service: str) -> Reply:
    svc = get_service(ctx.engine, ctx.sub, service)
    svc_name = svc["ServiceName"]
    node = ctx.node("Deployment")
    name = v.deployment_name(v.text(node, "Name"))
    slot = v.choice(node, "DeploymentSlot", SLOTS) or "Production"
    label = v.text(node, "Label", max_len=100) or name
    ctx.engine.check_lock(lock_key(ctx.sub, svc_name), scope="hosted service")
    existing = ctx.engine.store.list("deployment", ctx.sub, parent=svc_name)
    if any(d["DeploymentSlot"] == slot for d in existing):
        raise conflict(f"The deployment slot {slot} of hosted service {svc_name} is already occupied.")
    if any(d["Name"].lower() == name.lower() for d in existing):
        raise conflict(f"A deployment with the name {name} already exists.")
    vnet = v.text(node, "VirtualNetworkName")
    if vnet:
        raise bad_request(f"The virtual network {vnet} does not exist.")
    roles_raw = v.as_list(node.get("RoleList"), "RoleList")
    if len(roles_raw) != 1:
        raise bad_request("The RoleList of a virtual machine deployment must contain exactly one role.")
    location = service_location(ctx.engine, ctx.sub, svc)
    role = build_role(ctx.engine, ctx.sub, svc_name, name, v.as_dict(roles_raw[0], "Role"), location, [])
    now = ctx.engine.clock()
    dep: Node = {
        "Name": name,
        "ServiceName": svc_name,
        "DeploymentSlot": slot,
        "PrivateID": uuid.uuid4().hex,
        "Status": "Deploying",
        "Label": label,
        "CreatedTime": iso(now),
        "LastModifiedTime": iso(now),
        "VirtualIP": new_vip(),
        "DnsZone": random.randint(1, 9),
        "Roles": [role],
        "Instances": {},
    }
    if isinstance(node.get("Dns"), dict):
        dep["Dns"] = node["Dns"]
    add_instance(dep, role, now)
    ctx.engine.save_deployment(ctx.sub, dep)
    op = ctx.engine.begin(ctx.sub, ctx.request_id, lock_key(ctx.sub, svc_name, name))
    lifecycle.plan_provision(ctx.engine, ctx.sub, op, svc_name, name, role["RoleName"])
    return Reply(202)


_CSCFG_NS = "http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration"


def _paas_roles(configuration: str) -> list[tuple[str, int]]:
    """``(role name, instance count)`` of a ServiceConfiguration (.cscfg)."""
    try:
        root = parse_xml(configuration.encode("utf-8"))
    except XmlError:
        raise bad_request("The Configuration is not a valid service configuration (.cscfg).") from None
    roles = []
    for el in root.iter(f"{{{_CSCFG_NS}}}Role"):
        inst = el.find(f"{{{_CSCFG_NS}}}Instances")
        try:
            count = int(inst.get("count", "1")) if inst is not None else 1
        except ValueError:
            raise bad_request("The Instances count of a role in the Configuration is invalid.") from None
        roles.append((el.get("name") or "", max(count, 0)))
    v.require(bool(roles) and all(n for n, _ in roles), "The Configuration defines no named role.")
    return roles


def create_deployment_by_slot(ctx: Ctx, service: str, slot: str) -> Reply:
    """``POST …/deploymentslots/<slot>`` (``CreateDeployment``): a cloud-service package deployment → 202.

    The package itself is not read: roles and instance counts come from the configuration;
    instances are ``StoppedVM`` until started (``StartDeployment``), then ``ReadyRole``.
    """
    svc = get_service(ctx.engine, ctx.sub, service)
    svc_name = svc["ServiceName"]
    if slot.lower() not in ("production", "staging"):
        raise bad_request(f"The deployment slot {slot} is invalid; expected Production or Staging.")
    canonical_slot = "Production" if slot.lower() == "production" else "Staging"
    node = ctx.node("CreateDeployment")
    name = v.role_name(v.text(node, "Name"), "Name")
    v.text(node, "PackageUrl", required=True)
    label = v.label_b64(node)
    raw_cfg = v.text(node, "Configuration", required=True)
    assert raw_cfg is not None
    try:
        configuration = base64.b64decode(raw_cfg.strip(), validate=True).decode("utf-8-sig")
    except (ValueError, UnicodeDecodeError):
        raise bad_request("The Configuration is not a valid base64-encoded string.") from None
    roles = _paas_roles(configuration)
    start = v.boolean(node, "StartDeployment") == "true"
    ctx.engine.check_lock(lock_key(ctx.sub, svc_name), scope="hosted service")
    existing = ctx.engine.store.list("deployment", ctx.sub, parent=svc_name)
    if any(d["DeploymentSlot"] == canonical_slot for d in existing):
        raise conflict(f"The deployment slot {canonical_slot} of hosted service {svc_name} is occupied.")
    if any(d["Name"].lower() == name.lower() for d in existing):
        raise conflict(f"A deployment with the name {name} already exists.")
    now = ctx.engine.clock()
    instances = [
        {
            "RoleName": role_name,
            "InstanceName": f"{role_name}_IN_{i}",
            "InstanceStatus": "ReadyRole" if start else "StoppedVM",
            "InstanceUpgradeDomain": str(i % 5),
            "InstanceFaultDomain": str(i % 2),
            "IpAddress": new_ip(),
            "PowerState": "Started" if start else "Stopped",
        }
        for role_name, count in roles
        for i in range(count)
    ]
    dep: Node = {
        "Name": name,
        "ServiceName": svc_name,
        "DeploymentSlot": canonical_slot,
        "PrivateID": uuid.uuid4().hex,
        "Status": "Running" if start else "Suspended",
        "Label": label,
        "CreatedTime": iso(now),
        "LastModifiedTime": iso(now),
        "VirtualIP": new_vip(),
        "DnsZone": random.randint(1, 9),
        "Roles": [],
        "Instances": {},
        "PaasRoles": [n for n, _ in roles],
        "PaasInstances": instances,
        "PaasConfiguration": configuration,
        "ExtendedProperties": v.extended_properties(node) or [],
    }
    ctx.engine.save_deployment(ctx.sub, dep)
    op = ctx.engine.begin(ctx.sub, ctx.request_id, lock_key(ctx.sub, svc_name, name))
    ctx.engine.finish_at(ctx.sub, op, lifecycle.START_DONE)
    return Reply(202)


def get_deployment_by_name(ctx: Ctx, service: str, deployment: str) -> Reply:
    return Reply(200, "Deployment", rc.deployment(get_deployment(ctx.engine, ctx.sub, service, deployment)))


def get_deployment_slot(ctx: Ctx, service: str, slot: str) -> Reply:
    return Reply(200, "Deployment", rc.deployment(deployment_by_slot(ctx.engine, ctx.sub, service, slot)))


def _delete(ctx: Ctx, dep: Node) -> Reply:
    key = lock_deployment(ctx.engine, ctx.sub, dep)
    op = ctx.engine.begin(ctx.sub, ctx.request_id, key)
    dep["Status"] = "Deleting"
    for role in dep["Roles"]:
        lifecycle.set_instance(dep, role["RoleName"], "StoppingVM", "Started", ctx.engine.clock())
    ctx.engine.save_deployment(ctx.sub, dep)
    ctx.engine.at(
        ctx.sub,
        op,
        lifecycle.DELETE_DONE,
        "remove_deployment",
        service=dep["ServiceName"],
        dep=dep["Name"],
        media=ctx.media,
    )
    ctx.engine.finish_at(ctx.sub, op, lifecycle.DELETE_DONE)
    return Reply(202)


def delete_deployment(ctx: Ctx, service: str, deployment: str) -> Reply:
    return _delete(ctx, get_deployment(ctx.engine, ctx.sub, service, deployment))


def delete_deployment_slot(ctx: Ctx, service: str, slot: str) -> Reply:
    return _delete(ctx, deployment_by_slot(ctx.engine, ctx.sub, service, slot))


def update_lb_set(ctx: Ctx, dep: Node) -> Reply:
    """``POST …/deployments/<d>?comp=UpdateLbSet`` (``LoadBalancedEndpointList``) → 202.

    Every endpoint of the deployment in one of the listed sets takes the sent settings
    (port, probe, ACL, timeout …) while keeping its name; roles whose endpoint of that set
    is not named stay as they are.
    """
    node = ctx.node("LoadBalancedEndpointList")
    raw = node.get("InputEndpoint")
    sent = clean_endpoints(raw if isinstance(raw, list) else [raw] if isinstance(raw, dict) else [])
    by_set = {
        e["LoadBalancedEndpointSetName"].lower(): e for e in sent if e.get("LoadBalancedEndpointSetName")
    }
    v.require(bool(by_set), "The LoadBalancedEndpointList must name a LoadBalancedEndpointSetName.")
    key = lock_deployment(ctx.engine, ctx.sub, dep)
    for role in dep["Roles"]:
        for cs in role.get("ConfigurationSets", []):
            if cs.get("ConfigurationSetType") != "NetworkConfiguration":
                continue
            cs["InputEndpoints"] = [
                {**by_set[str(ep.get("LoadBalancedEndpointSetName", "")).lower()], "Name": ep["Name"]}
                if str(ep.get("LoadBalancedEndpointSetName", "")).lower() in by_set
                else ep
                for ep in cs.get("InputEndpoints", [])
            ]
    failure = check_deployment_ports(dep["Roles"])
    if failure is not None:
        raise bad_request(failure)
    ctx.engine.save_deployment(ctx.sub, dep)
    op = ctx.engine.begin(ctx.sub, ctx.request_id, key)
    ctx.engine.finish_at(ctx.sub, op, 2.0)
    return Reply(202)


def deployment_post_lb(ctx: Ctx, service: str, deployment: str) -> Reply | None:
    """The ``comp=UpdateLbSet`` branch of ``POST …/deployments/<name>``; None for other ``comp`` values."""
    if ctx.query.get("comp", "").lower() != "updatelbset":
        return None
    return update_lb_set(ctx, get_deployment(ctx.engine, ctx.sub, service, deployment))


def deployment_post(ctx: Ctx, service: str, deployment: str) -> Reply:
    """``POST …/deployments/<name>?comp=status`` (Update Deployment Status) or ``comp=UpdateLbSet``."""
    lb = deployment_post_lb(ctx, service, deployment)
    if lb is not None:
        return lb
    dep = get_deployment(ctx.engine, ctx.sub, service, deployment)
    if ctx.query.get("comp", "").lower() != "status":
        raise v.ApiError(
            400,
            "MissingOrInvalidRequiredQueryParameter",
            "A required query parameter was not specified for this request or was specified incorrectly.",
        )
    node = ctx.node("UpdateDeploymentStatus")
    status = v.choice(node, "Status", ("Running", "Suspended"), required=True)
    key = lock_deployment(ctx.engine, ctx.sub, dep)
    op = ctx.engine.begin(ctx.sub, ctx.request_id, key)
    transitioning = "RunningTransitioning" if status == "Running" else "SuspendedTransitioning"
    ctx.engine.at(
        ctx.sub, op, 0, "deployment_status", service=dep["ServiceName"], dep=dep["Name"], status=transitioning
    )
    for role in dep["Roles"]:
        walk = (
            lifecycle.START if status == "Running" else (("StoppedVM", "Stopped", lifecycle.SHUTDOWN_DONE),)
        )
        lifecycle.plan_walk(ctx.engine, ctx.sub, op, dep["ServiceName"], dep["Name"], role["RoleName"], walk)
    ctx.engine.at(
        ctx.sub,
        op,
        lifecycle.START_DONE,
        "deployment_status",
        service=dep["ServiceName"],
        dep=dep["Name"],
        status=status,
    )
    ctx.engine.finish_at(ctx.sub, op, lifecycle.START_DONE)
    return Reply(202)


def register(router: Router) -> None:
    """Add this module's routes."""
    base = "services/hostedservices"
    router.add("GET", base, list_services)
    router.add("POST", base, create_service)
    router.add("GET", base + "/{service}", get_service_props)
    router.add("PUT", base + "/{service}", update_service)
    router.add("DELETE", base + "/{service}", delete_service)
    router.add("POST", base + "/{service}/deployments", create_deployment)
    router.add("GET", base + "/{service}/deployments/{deployment}", get_deployment_by_name)
    router.add("DELETE", base + "/{service}/deployments/{deployment}", delete_deployment)
    router.add("POST", base + "/{service}/deployments/{deployment}", deployment_post)
    router.add("GET", base + "/{service}/deploymentslots/{slot}", get_deployment_slot)
    router.add("DELETE", base + "/{service}/deploymentslots/{slot}", delete_deployment_slot)
    router.add("POST", base + "/{service}/deploymentslots/{slot}", create_deployment_by_slot)


__all__ = ["register", "check_deployment_ports"]
