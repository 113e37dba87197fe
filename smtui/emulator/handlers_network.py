"""Networking: reserved IPs and load-balanced endpoint sets of a deployment."""

from __future__ import annotations

import uuid

from smtui.emulator import validate as v
from smtui.emulator.engine import bad_request, conflict, not_found
from smtui.emulator.nodes import Node
from smtui.emulator.roles import new_vip
from smtui.emulator.routing import Ctx, Reply, Router


def _reserved(ctx: Ctx, name: str) -> Node:
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


def register(router: Router) -> None:
    """Add this module's routes."""
    base = "services/networking/reservedips"
    router.add("POST", base, create_reserved_ip)
    router.add("GET", base, list_reserved_ips)
    router.add("GET", base + "/{name}", get_reserved_ip)
    router.add("DELETE", base + "/{name}", delete_reserved_ip)
