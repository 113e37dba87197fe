"""State machines of role instances and deployments, as timed steps.

The sequences follow the recorded flows (shared/asm/recordings/flows): a new VM walks
CreatingVM → StartingVM → (operation Succeeded) RoleStateUnknown/Starting → Provisioning/Started
→ ReadyRole/Started; shutdown ends in StoppedVM or StoppedDeallocated with PowerState Stopped;
start and restart pass through RoleStateUnknown back to ReadyRole; capture turns the OS disk
into a User OS image and deletes or reprovisions the role.
"""

from __future__ import annotations

from smtui.emulator.engine import Engine, iso, step_action
from smtui.emulator.nodes import Node
from smtui.emulator.store import Step

# Demo-second offsets (divided by the emulator's speed).
PROVISION = (
    ("StartingVM", "Starting", 1.5),
    ("RoleStateUnknown", "Starting", 3.0),
    ("Provisioning", "Started", 6.0),
    ("ReadyRole", "Started", 10.0),
)
PROVISION_DONE = 3.0
SHUTDOWN_DONE = 3.0
START = (("RoleStateUnknown", "Started", 2.5), ("ReadyRole", "Started", 5.0))
START_DONE = 2.5
RESTART = (("RoleStateUnknown", "Started", 3.0), ("ReadyRole", "Started", 5.0))
RESTART_DONE = 3.0
UPDATE_DONE = 2.5
DISK_DONE = 2.0
DELETE_DONE = 3.0
CAPTURE_DONE = 3.0


def set_instance(dep: Node, role: str, status: str, power: str, ts: float) -> None:
    """Set an instance's state in a deployment document."""
    inst = dep["Instances"].setdefault(role, {})
    inst["InstanceStatus"] = status
    inst["PowerState"] = power
    inst["Since"] = iso(ts)


def plan_provision(
    engine: Engine, sub: str, op: str, service: str, dep: str, role: str, *, finish: bool = True
) -> None:
    """Schedule a freshly created (or reprovisioned) VM's walk to ReadyRole."""
    plan_walk(engine, sub, op, service, dep, role, PROVISION)
    if finish:
        engine.at(sub, op, PROVISION_DONE, "deployment_status", service=service, dep=dep, status="Running")
        engine.finish_at(sub, op, PROVISION_DONE)


def plan_walk(
    engine: Engine,
    sub: str,
    op: str,
    service: str,
    dep: str,
    role: str,
    walk: tuple[tuple[str, str, float], ...],
) -> None:
    """Schedule a sequence of instance states."""
    for status, power, delay in walk:
        engine.at(sub, op, delay, "instance", service=service, dep=dep, role=role, status=status, power=power)


def detach_or_delete_disks(engine: Engine, sub: str, role: Node, *, media: bool) -> None:
    """Release a removed role's disks: delete them with ``comp=media``, otherwise just detach."""
    names = [role["OSVirtualHardDisk"]["DiskName"]] + [
        d["DiskName"] for d in role.get("DataVirtualHardDisks", [])
    ]
    for name in names:
        disk = engine.store.get("disk", sub, name)
        if disk is None:
            continue
        if media:
            engine.store.delete("disk", sub, name)
        else:
            disk.pop("AttachedTo", None)
            engine.store.put("disk", sub, name, disk)


def remove_deployment(engine: Engine, sub: str, dep: Node, *, media: bool) -> None:
    """Delete a deployment and release its disks."""
    for role in dep["Roles"]:
        detach_or_delete_disks(engine, sub, role, media=media)
    engine.store.delete("deployment", sub, dep["Name"], parent=dep["ServiceName"])


def _dep(engine: Engine, step: Step) -> Node | None:
    return engine.deployment(step.sub, step.args["service"], step.args["dep"])


def _dep_role(engine: Engine, step: Step) -> tuple[Node, Node] | None:
    """The step's deployment and role, or None when either is gone by the time it runs."""
    dep = _dep(engine, step)
    if dep is None:
        return None
    role = next((r for r in dep["Roles"] if r["RoleName"] == step.args["role"]), None)
    return None if role is None else (dep, role)


@step_action("instance")
def _instance(engine: Engine, step: Step) -> None:
    found = _dep_role(engine, step)
    if found is None:
        return
    dep, role = found
    set_instance(dep, role["RoleName"], step.args["status"], step.args["power"], step.due)
    engine.save_deployment(step.sub, dep)


@step_action("deployment_status")
def _deployment_status(engine: Engine, step: Step) -> None:
    dep = _dep(engine, step)
    if dep is None:
        return
    dep["Status"] = step.args["status"]
    dep["LastModifiedTime"] = iso(step.due)
    engine.save_deployment(step.sub, dep)


@step_action("remove_role")
def _remove_role(engine: Engine, step: Step) -> None:
    found = _dep_role(engine, step)
    if found is None:
        return
    dep, role = found
    detach_or_delete_disks(engine, step.sub, role, media=bool(step.args.get("media")))
    dep["Roles"] = [r for r in dep["Roles"] if r is not role]
    dep["Instances"].pop(role["RoleName"], None)
    dep["LastModifiedTime"] = iso(step.due)
    if dep["Roles"]:
        engine.save_deployment(step.sub, dep)
    else:
        engine.store.delete("deployment", step.sub, dep["Name"], parent=dep["ServiceName"])


@step_action("remove_deployment")
def _remove_deployment(engine: Engine, step: Step) -> None:
    dep = _dep(engine, step)
    if dep is not None:
        remove_deployment(engine, step.sub, dep, media=bool(step.args.get("media")))


@step_action("remove_service")
def _remove_service(engine: Engine, step: Step) -> None:
    service = step.args["service"]
    for dep in engine.store.list("deployment", step.sub, parent=service):
        remove_deployment(engine, step.sub, dep, media=True)
    engine.store.delete("service", step.sub, service)


@step_action("capture")
def _capture(engine: Engine, step: Step) -> None:
    found = _dep_role(engine, step)
    if found is None:
        return
    dep, role = found
    os_disk = role["OSVirtualHardDisk"]
    disk = engine.store.get("disk", step.sub, os_disk["DiskName"]) or {}
    service = engine.store.get("service", step.sub, dep["ServiceName"]) or {}
    name = step.args["image_name"]
    image = {
        "Category": "User",
        "Label": step.args["image_label"],
        "Location": disk.get("Location") or service.get("Location") or "West US",
        "LogicalSizeInGB": disk.get("LogicalDiskSizeInGB", "30"),
        "MediaLink": os_disk["MediaLink"].rsplit("/", 1)[0] + f"/{name}.vhd",
        "Name": name,
        "OS": os_disk["OS"],
        "IsPremium": "false",
        "OSState": "Generalized",
        "IOType": "Standard",
    }
    engine.store.put("image", step.sub, name, image)
    if step.args["post_action"] == "Delete":
        step.args["media"] = True
        _remove_role(engine, step)
        return
    set_instance(dep, role["RoleName"], "RoleStateUnknown", "Starting", step.due)
    engine.save_deployment(step.sub, dep)
    for status, power, delay in PROVISION[2:]:
        engine.store.add_step(
            step.due + (delay - PROVISION[1][2]) / engine.speed,
            step.sub,
            step.op,
            "instance",
            {
                "service": dep["ServiceName"],
                "dep": dep["Name"],
                "role": role["RoleName"],
                "status": status,
                "power": power,
            },
        )


@step_action("storage_status")
def _storage_status(engine: Engine, step: Step) -> None:
    doc = engine.store.get("storage", step.sub, step.args["name"])
    if doc is not None:
        doc["Status"] = step.args["status"]
        engine.store.put("storage", step.sub, doc["ServiceName"], doc)
