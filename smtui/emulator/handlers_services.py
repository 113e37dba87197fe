"""Hosted services and deployments."""

from __future__ import annotations

import random
import uuid
from typing import Any

from smtui.emulator import lifecycle
from smtui.emulator import render_compute as rc
from smtui.emulator import validate as v
from smtui.emulator.engine import Engine, bad_request, conflict, iso, lock_key, not_found
from smtui.emulator.roles import build_role, check_deployment_ports, new_ip, new_vip
from smtui.emulator.routing import Ctx, Reply, Router

SLOTS = ("Production", "Staging")


def get_service(engine: Engine, sub: str, name: str) -> dict[str, Any]:
    """A hosted service, or 404."""
    svc = engine.store.get("service", sub, name)
    if svc is None:
        raise not_found("The hosted service does not exist.")
    return svc


def get_deployment(engine: Engine, sub: str, service: str, name: str) -> dict[str, Any]:
    """A deployment by name, or 404."""
    get_service(engine, sub, service)
    dep = engine.deployment(sub, service, name)
    if dep is None:
        raise not_found("No deployments were found.")
    return dep


def lock_deployment(engine: Engine, sub: str, dep: dict[str, Any]) -> str:
    """The lock name of a deployment, after refusing (409) while another operation holds it."""
    key = lock_key(sub, dep["ServiceName"], dep["Name"])
    engine.check_lock(key)
    return key


def deployment_by_slot(engine: Engine, sub: str, service: str, slot: str) -> dict[str, Any]:
    """The deployment in a slot, or 404."""
    get_service(engine, sub, service)
    if slot.lower() not in ("production", "staging"):
        raise bad_request(f"The deployment slot {slot} is invalid; expected Production or Staging.")
    for dep in engine.store.list("deployment", sub, parent=service):
        if dep["DeploymentSlot"].lower() == slot.lower():
            return dep
    raise not_found("No deployments were found.")


def service_location(engine: Engine, sub: str, svc: dict[str, Any]) -> str | None:
    """The region of a service (through its affinity group if it has one)."""
    if svc.get("Location"):
        return str(svc["Location"])
    group = engine.store.get("affinity", sub, svc.get("AffinityGroup") or "")
    return None if group is None else str(group["Location"])


def add_instance(dep: dict[str, Any], role: dict[str, Any], ts: float) -> None:
    """Register a new role's instance: CreatingVM, with a private IP address and its host name."""
    lifecycle.set_instance(dep, role["RoleName"], "CreatingVM", "Stopped", ts)
    dep["Instances"][role["RoleName"]].update(IpAddress=new_ip(), HostName=role["HostName"])


def list_services(ctx: Ctx) -> Reply:
    sizes = ctx.engine.catalog.vm_sizes
    items = [rc.hosted_service(ctx.sub, s, vm_sizes=sizes) for s in ctx.engine.store.list("service", ctx.sub)]
    return Reply(200, "HostedServices", items)


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
    dep: dict[str, Any] = {
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


def get_deployment_by_name(ctx: Ctx, service: str, deployment: str) -> Reply:
    return Reply(200, "Deployment", rc.deployment(get_deployment(ctx.engine, ctx.sub, service, deployment)))


def get_deployment_slot(ctx: Ctx, service: str, slot: str) -> Reply:
    return Reply(200, "Deployment", rc.deployment(deployment_by_slot(ctx.engine, ctx.sub, service, slot)))


def _delete(ctx: Ctx, dep: dict[str, Any]) -> Reply:
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


def deployment_post(ctx: Ctx, service: str, deployment: str) -> Reply:
    """``POST …/deployments/<name>?comp=status`` (Update Deployment Status)."""
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


__all__ = ["register", "check_deployment_ports"]
