"""Networking: reserved IPs and load-balanced endpoint sets of a deployment."""

from __future__ import annotations

import uuid
from typing import Any

from smtui.emulator import validate as v
from smtui.emulator.engine import bad_request, conflict, not_found
from smtui.emulator.handlers_services import get_deployment, lock_deployment
from smtui.emulator.roles import check_deployment_ports, clean_endpoints, new_vip
from smtui.emulator.routing import Ctx, Reply, Router


def _reserved(ctx: Ctx, name: str) -> dict[str, Any]:
    doc = ctx.engine.store.get("reservedip", ctx.sub, name)
    if doc is None:
        raise not_found(f"The reserved IP {name} does not exist.")
    return doc


def create_reserved_ip(ctx: Ctx) -> Reply:
    """``POST /services/networking/reservedips`` (``ReservedIP``: Name, Label, Location) → 202."""
    node = ctx.node("ReservedIP")
    name = v.text(node, "Name", required=True, max_len=63)
    location = v.text(node, "Location", required=True)
    assert name is not None and location is not None
    canonical = ctx.engine.catalog.location_names.get(location.lower())
    if canonical is None:
        raise bad_request(f"The location constraint '{location}' (Location) is not valid.")
    if ctx.engine.store.get("reservedip", ctx.sub, name) is not None:
        raise conflict(f"A reserved IP with the name {name} already exists.")
    doc = {
        "Name": name,
        "Address": new_vip(),
        "Id": str(uuid.uuid4()),
        "Label": v.text(node, "Label", max_len=100) or name,
        "State": "Created",
        "Location": canonical,
    }
    ctx.engine.store.put("reservedip", ctx.sub, name, doc)
    op = ctx.engine.begin(ctx.sub, ctx.request_id)
    ctx.engine.finish_at(ctx.sub, op, 1.0)
    return Reply(202)


def list_reserved_ips(ctx: Ctx) -> Reply:
    """``GET /services/networking/reservedips``."""
    return Reply(200, "ReservedIPs", ctx.engine.store.list("reservedip", ctx.sub))


def get_reserved_ip(ctx: Ctx, name: str) -> Reply:
    """``GET /services/networking/reservedips/<name>``."""
    return Reply(200, "ReservedIP", _reserved(ctx, name))


def delete_reserved_ip(ctx: Ctx, name: str) -> Reply:
    """``DELETE /services/networking/reservedips/<name>`` → 202."""
    doc = _reserved(ctx, name)
    ctx.engine.store.delete("reservedip", ctx.sub, doc["Name"])
    op = ctx.engine.begin(ctx.sub, ctx.request_id)
    ctx.engine.finish_at(ctx.sub, op, 1.0)
    return Reply(202)


def update_lb_set(ctx: Ctx, dep: dict[str, Any]) -> Reply:
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


def register(router: Router) -> None:
    """Add this module's routes."""
    base = "services/networking/reservedips"
    router.add("POST", base, create_reserved_ip)
    router.add("GET", base, list_reserved_ips)
    router.add("GET", base + "/{name}", get_reserved_ip)
    router.add("DELETE", base + "/{name}", delete_reserved_ip)
