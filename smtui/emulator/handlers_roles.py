"""VM roles, role-instance operations (shutdown/start/restart/capture) and data disks."""

from __future__ import annotations

from typing import cast

from smtui.emulator import lifecycle
from smtui.emulator import render_compute as rc
from smtui.emulator import validate as v
from smtui.emulator.engine import ApiError, bad_request, conflict, iso, not_found
from smtui.emulator.lookups import get_deployment, get_service, lock_deployment, service_location
from smtui.emulator.nodes import Node
from smtui.emulator.roles import (
    DiskPlanner,
    add_instance,
    build_role,
    check_data_disk_count,
    check_deployment_ports,
    find_role,
    provisioning_from,
    update_role,
)
from smtui.emulator.routing import Ctx, Reply, Router


def _locked(ctx: Ctx, service: str, deployment: str) -> tuple[Node, str]:
    dep = get_deployment(ctx.engine, ctx.sub, service, deployment)
    return dep, lock_deployment(ctx.engine, ctx.sub, dep)


def get_role(ctx: Ctx, service: str, deployment: str, role: str) -> Reply:
    dep = get_deployment(ctx.engine, ctx.sub, service, deployment)
    return Reply(200, "PersistentVMRole", rc.role(find_role(dep, role), dep["VirtualIP"], root=True))


def add_role(ctx: Ctx, service: str, deployment: str) -> Reply:
    node = ctx.node("PersistentVMRole", "Role")
    dep, key = _locked(ctx, service, deployment)
    svc = get_service(ctx.engine, ctx.sub, service)
    location = service_location(ctx.engine, ctx.sub, svc)
    role = build_role(
        ctx.engine,
        ctx.sub,
        dep["ServiceName"],
        dep["Name"],
        node,
        location,
        [r["RoleName"] for r in dep["Roles"]],
    )
    op = ctx.engine.begin(ctx.sub, ctx.request_id, key)
    failure = check_deployment_ports([*dep["Roles"], role])
    if failure is not None:
        # RDFE accepted the request and failed the operation (recorded by the CLI): undo the disks.
        lifecycle.detach_or_delete_disks(ctx.engine, ctx.sub, role, media=True)
        ctx.engine.finish_at(ctx.sub, op, 1.0, status=400, code="BadRequest", message=failure)
        return Reply(202)
    dep["Roles"].append(role)
    add_instance(dep, role, ctx.engine.clock())
    ctx.engine.save_deployment(ctx.sub, dep)
    lifecycle.plan_provision(ctx.engine, ctx.sub, op, dep["ServiceName"], dep["Name"], role["RoleName"])
    return Reply(202)


def modify_role(ctx: Ctx, service: str, deployment: str, role: str) -> Reply:
    node = ctx.node("PersistentVMRole", "Role")
    dep, key = _locked(ctx, service, deployment)
    current = find_role(dep, role)
    updated = update_role(ctx.engine, current, node, current["RoleName"])
    op = ctx.engine.begin(ctx.sub, ctx.request_id, key)
    others = [r for r in dep["Roles"] if r is not current]
    failure = check_deployment_ports([*others, updated])
    if failure is not None:
        ctx.engine.finish_at(ctx.sub, op, 1.0, status=400, code="BadRequest", message=failure)
        return Reply(202)
    dep["Roles"] = [updated if r is current else r for r in dep["Roles"]]
    ctx.engine.save_deployment(ctx.sub, dep)
    inst = dep["Instances"][current["RoleName"]]
    if inst["PowerState"] != "Stopped":
        lifecycle.plan_walk(
            ctx.engine,
            ctx.sub,
            op,
            dep["ServiceName"],
            dep["Name"],
            current["RoleName"],
            (
                ("RoleStateUnknown", "Starting", lifecycle.UPDATE_DONE),
                ("ReadyRole", "Started", lifecycle.UPDATE_DONE + 3.5),
            ),
        )
    ctx.engine.finish_at(ctx.sub, op, lifecycle.UPDATE_DONE)
    return Reply(202)


def delete_role(ctx: Ctx, service: str, deployment: str, role: str) -> Reply:
    dep, key = _locked(ctx, service, deployment)
    current = find_role(dep, role)
    if len(dep["Roles"]) == 1:
        raise bad_request(
            f"Role {current['RoleName']} is the only role present in the deployment and so cannot be removed. "  # noqa: E501
            "Please delete the deployment or add another role before removing this role."
        )
    op = ctx.engine.begin(ctx.sub, ctx.request_id, key)
    lifecycle.set_instance(dep, current["RoleName"], "StoppingVM", "Started", ctx.engine.clock())
    ctx.engine.save_deployment(ctx.sub, dep)
    ctx.engine.at(
        ctx.sub,
        op,
        lifecycle.DELETE_DONE,
        "remove_role",
        service=dep["ServiceName"],
        dep=dep["Name"],
        role=current["RoleName"],
        media=ctx.media,
    )
    ctx.engine.finish_at(ctx.sub, op, lifecycle.DELETE_DONE)
    return Reply(202)


_OPERATIONS = (
    "ShutdownRoleOperation",
    "StartRoleOperation",
    "RestartRoleOperation",
    "CaptureRoleOperation",
    "RedeployRoleOperation",
    "CaptureRoleAsVMImageOperation",
    "PerformMaintenanceOnRoleOperation",
)


def role_instance_operation(ctx: Ctx, service: str, deployment: str, instance: str) -> Reply:
    node = ctx.node(*_OPERATIONS)
    dep = get_deployment(ctx.engine, ctx.sub, service, deployment)
    current = next((r for r in dep["Roles"] if r["RoleName"].lower() == instance.lower()), None)
    if current is None:
        raise not_found("Role instance name is not valid.")
    kind = v.choice(node, "OperationType", _OPERATIONS, required=True)
    key = lock_deployment(ctx.engine, ctx.sub, dep)
    name = current["RoleName"]
    inst = dep["Instances"][name]
    svc, dname = dep["ServiceName"], dep["Name"]
    if kind == "ShutdownRoleOperation":
        action = v.choice(node, "PostShutdownAction", ("Stopped", "StoppedDeallocated")) or "Stopped"
        op = ctx.engine.begin(ctx.sub, ctx.request_id, key)
        _shutdown(ctx, op, svc, dname, name, action)
    elif kind in ("StartRoleOperation", "RedeployRoleOperation"):
        op = ctx.engine.begin(ctx.sub, ctx.request_id, key)
        _start(ctx, op, svc, dname, name)
    elif kind == "PerformMaintenanceOnRoleOperation":
        # No maintenance is ever pending here; RDFE answered this (recorded, .NET SDK) in that case.
        raise bad_request("User initiated maintenance on the Virtual Machine was successfully completed. ")
    elif kind == "CaptureRoleAsVMImageOperation":
        _capture_vm_image(ctx, node, dep, current, key)
    elif kind == "RestartRoleOperation":
        if inst["PowerState"] == "Stopped":
            raise conflict(f"The role instance {name} is stopped and cannot be restarted; start it instead.")
        op = ctx.engine.begin(ctx.sub, ctx.request_id, key)
        walk = (("RestartingRole", "Started", 0.0), *lifecycle.RESTART)
        lifecycle.plan_walk(ctx.engine, ctx.sub, op, svc, dname, name, walk)
        ctx.engine.finish_at(ctx.sub, op, lifecycle.RESTART_DONE)
    else:
        _capture(ctx, node, dep, current, key)
    return Reply(202)


def _shutdown(ctx: Ctx, op: str, svc: str, dname: str, name: str, action: str) -> None:
    deallocate = action == "StoppedDeallocated"
    walk = (
        ("StoppingAndDeallocating" if deallocate else "StoppingVM", "Started", 0.0),
        ("StoppedDeallocated" if deallocate else "StoppedVM", "Stopped", lifecycle.SHUTDOWN_DONE),
    )
    lifecycle.plan_walk(ctx.engine, ctx.sub, op, svc, dname, name, walk)
    ctx.engine.finish_at(ctx.sub, op, lifecycle.SHUTDOWN_DONE)


def _start(ctx: Ctx, op: str, svc: str, dname: str, name: str) -> None:
    walk = (("StartingVM", "Starting", 0.0), *lifecycle.START)
    lifecycle.plan_walk(ctx.engine, ctx.sub, op, svc, dname, name, walk)
    ctx.engine.finish_at(ctx.sub, op, lifecycle.START_DONE)


def _capture(ctx: Ctx, node: Node, dep: Node, role: Node, key: str) -> None:
    action = v.choice(node, "PostCaptureAction", ("Delete", "Reprovision"), required=True)
    image = v.text(node, "TargetImageName", required=True)
    label = v.text(node, "TargetImageLabel", required=True)
    assert image is not None and label is not None
    if ctx.engine.store.get("image", ctx.sub, image) or image.lower() in ctx.engine.catalog.os_by_name:
        raise conflict(f"An image with the name {image} (TargetImageName) already exists.")
    if action == "Reprovision" and provisioning_from(_capture_sets(node)) is None:
        raise bad_request("A ProvisioningConfiguration is required when PostCaptureAction is Reprovision.")
    if dep["Instances"][role["RoleName"]]["PowerState"] != "Stopped":
        raise conflict(
            f"The role instance {role['RoleName']} must be stopped (shut down) before it can be captured."
        )
    op = ctx.engine.begin(ctx.sub, ctx.request_id, key)
    ctx.engine.at(
        ctx.sub,
        op,
        lifecycle.CAPTURE_DONE,
        "capture",
        service=dep["ServiceName"],
        dep=dep["Name"],
        role=role["RoleName"],
        image_name=image,
        image_label=label,
        post_action=action,
    )
    ctx.engine.finish_at(ctx.sub, op, lifecycle.CAPTURE_DONE)


def _capture_vm_image(
    ctx: Ctx, node: Node, dep: Node, role: Node, key: str
) -> None:
    """Capture Role as VM Image: a User VM image with the role's OS and data disks (≥ 2014-02-01).

    A ``Specialized`` image may be taken of a running VM, which keeps running; a ``Generalized``
    one needs the VM stopped (the guest was sysprep'd/deprovisioned) and the VM stays, stopped.
    """
    state = v.choice(node, "OSState", ("Generalized", "Specialized"), required=True)
    name = v.text(node, "VMImageName", required=True)
    label = v.text(node, "VMImageLabel", required=True, max_len=100)
    assert name is not None and label is not None
    if ctx.engine.store.get("vmimage", ctx.sub, name) or name.lower() in ctx.engine.catalog.vm_by_name:
        raise conflict(f"A VM image with the name {name} already exists.")
    running = dep["Instances"][role["RoleName"]]["PowerState"] != "Stopped"
    if state == "Generalized" and running:
        raise conflict(
            f"The role instance {role['RoleName']} must be stopped (shut down) before it can be captured."
        )
    op = ctx.engine.begin(ctx.sub, ctx.request_id, key)
    os_disk = role["OSVirtualHardDisk"]
    now = iso(ctx.engine.clock())
    region = service_location(ctx.engine, ctx.sub, get_service(ctx.engine, ctx.sub, dep["ServiceName"]))
    doc: Node = {
        "Name": name,
        "Label": label,
        "Category": "User",
        "OSDiskConfiguration": {
            "Name": f"{name}-os-{now[:10]}",
            "HostCaching": os_disk.get("HostCaching", "ReadWrite"),
            "OSState": state,
            "OS": os_disk["OS"],
            "MediaLink": os_disk["MediaLink"].rsplit("/", 1)[0] + f"/{name}-os.vhd",
            "LogicalDiskSizeInGB": "30",
            "IOType": "Standard",
        },
        "DataDiskConfigurations": [
            {
                "Name": f"{name}-datadisk-{d['Lun']}",
                "HostCaching": d.get("HostCaching", "ReadOnly"),
                "Lun": d["Lun"],
                "MediaLink": d["MediaLink"].rsplit("/", 1)[0] + f"/{name}-datadisk-{d['Lun']}.vhd",
                "LogicalDiskSizeInGB": d["LogicalDiskSizeInGB"],
                "IOType": "Standard",
            }
            for d in role.get("DataVirtualHardDisks", [])
        ],
        "ServiceName": dep["ServiceName"],
        "DeploymentName": dep["Name"],
        "RoleName": role["RoleName"],
        "Location": region,
        "CreatedTime": now,
        "ModifiedTime": now,
        "IsPremium": "false",
        "VMImageState": "VMImageReadyForUse",
    }
    for field in ("Description", "Language", "ImageFamily", "RecommendedVMSize"):
        if v.text(node, field):
            doc[field] = v.text(node, field)
    ctx.engine.store.put("vmimage", ctx.sub, name, doc)
    ctx.engine.finish_at(ctx.sub, op, lifecycle.CAPTURE_DONE)


_CAPTURE_SET_KEYS = ("WindowsProvisioningConfigurationSet", "LinuxProvisioningConfigurationSet")


def _capture_sets(node: Node) -> list[Node]:
    """The provisioning set of a Capture Role body, in any shape a Microsoft client sent.

    PY/PS/ASMC wrap it in ``ProvisioningConfiguration``; the 2012 Node.js client puts a bare
    ``ConfigurationSet`` under the root in XML, and in JSON (its default) sends the set object
    under ``WindowsProvisioningConfigurationSet``/``LinuxProvisioningConfigurationSet`` — as the
    caller wrote it, often without ``ConfigurationSetType``, which the key then names.
    """
    cfg = node.get("ProvisioningConfiguration")
    if isinstance(cfg, dict):
        return [cfg]
    for key in _CAPTURE_SET_KEYS:
        found = node.get(key)
        if isinstance(found, dict):
            return [{"ConfigurationSetType": key.removesuffix("Set"), **found}]
    return v.as_list(
        node.get("ConfigurationSets") or node.get("ConfigurationSet"), "ProvisioningConfiguration"
    )


def roles_operation(ctx: Ctx, service: str, deployment: str) -> Reply:
    """``POST …/roles/Operations``: Shutdown Roles / Start Roles."""
    node = ctx.node("ShutdownRolesOperation", "StartRolesOperation")
    kind = v.choice(node, "OperationType", ("ShutdownRolesOperation", "StartRolesOperation"), required=True)
    dep, key = _locked(ctx, service, deployment)
    names = [str(n) for n in v.as_list(node.get("Roles"), "Roles")]
    v.require(bool(names), "The value for parameter 'Roles' is null or empty.")
    roles = [find_role(dep, n)["RoleName"] for n in names]
    op = ctx.engine.begin(ctx.sub, ctx.request_id, key)
    for name in roles:
        if kind == "ShutdownRolesOperation":
            action = v.choice(node, "PostShutdownAction", ("Stopped", "StoppedDeallocated")) or "Stopped"
            _shutdown(ctx, op, dep["ServiceName"], dep["Name"], name, action)
        else:
            _start(ctx, op, dep["ServiceName"], dep["Name"], name)
    return Reply(202)


def _data_disk_at(role: Node, lun: str) -> Node:
    try:
        wanted = int(lun)
    except ValueError:
        raise bad_request(f"The Lun {lun} is invalid; it must be between 0 and 15.") from None
    for disk in role.get("DataVirtualHardDisks", []):
        if int(disk["Lun"]) == wanted:
            return cast(Node, disk)
    raise not_found(f"No data disk is attached at Lun {wanted}.")


def get_data_disk(ctx: Ctx, service: str, deployment: str, role: str, lun: str) -> Reply:
    dep = get_deployment(ctx.engine, ctx.sub, service, deployment)
    return Reply(200, "DataVirtualHardDisk", rc.data_disk(_data_disk_at(find_role(dep, role), lun)))


def add_data_disk(ctx: Ctx, service: str, deployment: str, role: str) -> Reply:
    node = ctx.node("DataVirtualHardDisk")
    v.integer(node, "Lun", 0, 15, required=True)
    dep, key = _locked(ctx, service, deployment)
    current = find_role(dep, role)
    svc = get_service(ctx.engine, ctx.sub, service)
    planner = DiskPlanner(
        ctx.engine,
        ctx.sub,
        dep["ServiceName"],
        dep["Name"],
        current["RoleName"],
        service_location(ctx.engine, ctx.sub, svc),
    )
    taken = {int(d["Lun"]) for d in current.get("DataVirtualHardDisks", [])}
    disk = planner.data_disk(node, taken)
    # After the LUN checks (409 for a LUN in use); the transaction undoes the disk registration.
    check_data_disk_count(ctx.engine, current["RoleSize"], len(taken) + 1)
    current.setdefault("DataVirtualHardDisks", []).append(disk)
    ctx.engine.save_deployment(ctx.sub, dep)
    op = ctx.engine.begin(ctx.sub, ctx.request_id, key)
    ctx.engine.finish_at(ctx.sub, op, lifecycle.DISK_DONE)
    return Reply(202)


def modify_data_disk(ctx: Ctx, service: str, deployment: str, role: str, lun: str) -> Reply:
    node = ctx.node("DataVirtualHardDisk")
    dep, _key = _locked(ctx, service, deployment)
    current = find_role(dep, role)
    disk = _data_disk_at(current, lun)
    new_lun = v.integer(node, "Lun", 0, 15)
    if new_lun is not None and new_lun != int(disk["Lun"]):
        if any(int(d["Lun"]) == new_lun for d in current["DataVirtualHardDisks"]):
            raise conflict(f"A data disk is already attached at Lun {new_lun}.")
        disk["Lun"] = str(new_lun)
    caching = v.choice(node, "HostCaching", ("None", "ReadOnly", "ReadWrite"))
    if caching:
        disk["HostCaching"] = caching
    label = v.text(node, "DiskLabel")
    if label:
        disk["DiskLabel"] = label
    size = v.integer(node, "LogicalDiskSizeInGB", 1, 1023)
    if size is not None:
        if size < int(disk["LogicalDiskSizeInGB"]):
            raise bad_request("The LogicalDiskSizeInGB of a data disk cannot be decreased.")
        disk["LogicalDiskSizeInGB"] = str(size)
    ctx.engine.save_deployment(ctx.sub, dep)
    # Synchronous on the real service (ASMC and the generated clients reject a 202 and go on at
    # once): complete when answered, holding no lock, yet still pollable as Succeeded.
    ctx.engine.done(ctx.sub, ctx.request_id)
    return Reply(200)


def remove_data_disk(ctx: Ctx, service: str, deployment: str, role: str, lun: str) -> Reply:
    dep, key = _locked(ctx, service, deployment)
    current = find_role(dep, role)
    disk = _data_disk_at(current, lun)
    current["DataVirtualHardDisks"] = [d for d in current["DataVirtualHardDisks"] if d is not disk]
    lifecycle.detach_or_delete_disks(
        ctx.engine,
        ctx.sub,
        {"OSVirtualHardDisk": {"DiskName": ""}, "DataVirtualHardDisks": [disk]},
        media=ctx.media,
    )
    ctx.engine.save_deployment(ctx.sub, dep)
    op = ctx.engine.begin(ctx.sub, ctx.request_id, key)
    ctx.engine.finish_at(ctx.sub, op, lifecycle.DISK_DONE)
    return Reply(202)


def register(router: Router) -> None:
    """Add this module's routes."""
    dep = "services/hostedservices/{service}/deployments/{deployment}"
    router.add("POST", dep + "/roles", add_role)
    router.add("POST", dep + "/roles/operations", roles_operation)
    router.add("GET", dep + "/roles/{role}", get_role)
    router.add("PUT", dep + "/roles/{role}", modify_role)
    router.add("DELETE", dep + "/roles/{role}", delete_role)
    router.add("POST", dep + "/roleinstances/{instance}/operations", role_instance_operation)
    router.add("POST", dep + "/roles/{role}/datadisks", add_data_disk)
    router.add("GET", dep + "/roles/{role}/datadisks/{lun}", get_data_disk)
    router.add("PUT", dep + "/roles/{role}/datadisks/{lun}", modify_data_disk)
    router.add("DELETE", dep + "/roles/{role}/datadisks/{lun}", remove_data_disk)


__all__ = ["register", "ApiError"]
