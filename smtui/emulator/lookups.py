"""Lookups every handler module shares: the resource or the service's 404, locks, keys.

Handler modules (``handlers_*``) import these instead of importing each other, and the seed
uses them without pulling in any handler, so each handler module can be read (and changed)
on its own. Each ``get_*`` raises the :class:`~smtui.emulator.engine.ApiError` RDFE gives for
a missing resource, with its message.
"""

from __future__ import annotations

import base64
import os

from smtui.emulator.engine import Engine, bad_request, lock_key, not_found
from smtui.emulator.nodes import Node

SLOTS = ("Production", "Staging")
"""Deployment slots of a hosted service."""

def get_service(engine: Engine, sub: str, name: str) -> Node:
    """A hosted service, or 404."""
    svc = engine.store.get("service", sub, name)
    if svc is None:
        raise not_found("The hosted service does not exist.")
    return svc


def get_deployment(engine: Engine, sub: str, service: str, name: str) -> Node:
    """A deployment by name, or 404 (for a missing service too)."""
    get_service(engine, sub, service)
    dep = engine.deployment(sub, service, name)
    if dep is None:
        raise not_found("No deployments were found.")
    return dep


def deployment_by_slot(engine: Engine, sub: str, service: str, slot: str) -> Node:
    """The deployment in a slot, 400 for a slot that is not ``Production``/``Staging``, or 404."""
    get_service(engine, sub, service)
    if slot.lower() not in ("production", "staging"):
        raise bad_request(f"The deployment slot {slot} is invalid; expected Production or Staging.")
    for dep in engine.store.list("deployment", sub, parent=service):
        if dep["DeploymentSlot"].lower() == slot.lower():
            return dep
    raise not_found("No deployments were found.")


def lock_deployment(engine: Engine, sub: str, dep: Node) -> str:
    """The lock name of a deployment, after refusing (409) while another operation holds it."""
    key = lock_key(sub, dep["ServiceName"], dep["Name"])
    engine.check_lock(key)
    return key


def service_location(engine: Engine, sub: str, svc: Node) -> str | None:
    """The region of a service (through its affinity group if it has one)."""
    if svc.get("Location"):
        return str(svc["Location"])
    group = engine.store.get("affinity", sub, svc.get("AffinityGroup") or "")
    return None if group is None else str(group["Location"])


def get_os_image(engine: Engine, sub: str, name: str) -> Node:
    """A user or platform OS image, or 404."""
    image = engine.store.get("image", sub, name) or engine.catalog.os_by_name.get(name.lower())
    if image is None:
        raise not_found("The image with the specified name does not exist.")
    return image


def get_disk(engine: Engine, sub: str, name: str) -> Node:
    """A disk of the repository, or 404."""
    disk = engine.store.get("disk", sub, name)
    if disk is None:
        raise not_found(f"The disk {name} does not exist.")
    return disk


def get_storage(engine: Engine, sub: str, name: str) -> Node:
    """A storage account, or 404."""
    doc = engine.store.get("storage", sub, name)
    if doc is None:
        raise not_found(f"The storage account '{name}' was not found.")
    return doc


def get_affinity_group(engine: Engine, sub: str, name: str) -> Node:
    """An affinity group, or 404."""
    doc = engine.store.get("affinity", sub, name)
    if doc is None:
        raise not_found("The affinity group does not exist.")
    return doc


def new_storage_key() -> str:
    """An 88-character storage access key (64 random bytes, base64)."""
    return base64.b64encode(os.urandom(64)).decode("ascii")
