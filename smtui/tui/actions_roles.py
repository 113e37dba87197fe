"""Mutating actions, part 2: roles (add, modify, delete) and role instances (shutdown, start,
restart, capture)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from smtui.api import models
from smtui.api import operations_compute as compute
from smtui.api.operations import ApiRequest
from smtui.forms.values import DataDiskValues, EndpointValues, OSDiskValues, VMRoleValues
from smtui.tui.action_types import ActionContext
from smtui.tui.actions import (
    call_line,
    confirm_delete_deployment,
    fetch_choices,
    form_hooks,
    report_failure,
    send,
    send_confirmed,
)
from smtui.tui.dialogs._base import KEEP_OPEN
from smtui.tui.dialogs.confirm import ConfirmDialog
from smtui.tui.dialogs.images import CaptureDialog
from smtui.tui.dialogs.vm_role import VMRoleBuilder
from smtui.tui.nodes import Kind, NodeRef


def _role_target(ctx: ActionContext) -> tuple[str, str, str]:
    """``(service, deployment, role instance)`` of the selected role or role instance."""
    assert ctx.item is not None
    parts = ctx.item.ref.parts
    # For VMs the instance name equals the role name; prefer the instance's own when listed.
    return parts[0], parts[1], parts[3] if ctx.item.ref.kind is Kind.INSTANCE else parts[2]


async def _deployment(ctx: ActionContext, service: str, name: str) -> models.Deployment | None:
    response = await ctx.client.get_deployment(service, name)
    if not response.is_successful:
        report_failure(ctx, response, "Get Deployment")
        return None
    return response.response


def _public_ports(deployment: models.Deployment, *, except_role: str | None = None) -> list[tuple[str, int]]:
    ports = []
    for role in deployment.role_list:
        if role.role_name == except_role:
            continue
        network = role.network_configuration
        for ep in network.input_endpoints if network is not None else []:
            if ep.port is not None:
                ports.append(((ep.protocol or "tcp").lower(), ep.port))
    return ports


def role_values(role: models.VMRole) -> VMRoleValues:
    """The form values of an existing role (what Modify Role starts from)."""
    network = role.network_configuration
    endpoints = [
        EndpointValues(
            ep.name or "", (ep.protocol or "tcp").lower(), str(ep.port or ""), str(ep.local_port or "")
        )
        for ep in (network.input_endpoints if network is not None else [])
    ]
    disks = [
        DataDiskValues(
            mode="existing",
            lun=str(d.lun or 0),
            host_caching=d.host_caching or "ReadOnly",
            label=d.disk_label or "",
            disk_name=d.disk_name or "",
            media_link=d.media_link or "",
            size_gb=str(d.logical_disk_size_in_gb or ""),
        )
        for d in role.data_virtual_hard_disks
    ]
    os_disk = role.os_virtual_hard_disk
    return VMRoleValues(
        role_name=role.role_name or "",
        role_size=role.role_size or "Small",
        os_disk=OSDiskValues(disk_name=os_disk.disk_name or "") if os_disk is not None else OSDiskValues(),
        data_disks=disks,
        provisioning=None,
        endpoints=endpoints,
        availability_set_name=role.availability_set_name or "",
    )


# ----------------------------------------------------------------------------- roles


async def add_role(ctx: ActionContext) -> None:
    """Add a VM role to the listed deployment with the VMRole builder."""
    service, dep_name = ctx.node.parts[:2]
    deployment = await _deployment(ctx, service, dep_name)
    if deployment is None:
        return
    choices = await fetch_choices(ctx, "images", "sizes", "disks", "storage", service=service)

    def make(model: Any) -> ApiRequest[Any]:
        return compute.add_role(service, dep_name, model)

    dialog = VMRoleBuilder(
        "add",
        images=choices.images,
        role_sizes=choices.role_sizes,
        disk_names=choices.free_disks,
        media_base=choices.media_base,
        media_note=choices.media_note,
        service_name=service,
        role_names_in_use=[r.role_name for r in deployment.role_list if r.role_name],
        ports_in_use=_public_ports(deployment),
        **form_hooks(
            ctx,
            make,
            lambda m: f"{service}/{dep_name}/{m.role_name}",
            lambda m: NodeRef(Kind.ROLE, (service, dep_name, m.role_name)),
        ),
    )
    await ctx.app.push_screen_wait(dialog)


async def modify_role(ctx: ActionContext) -> None:
    """Change a role's size, endpoints and data-disk settings (Update Role)."""
    assert ctx.item is not None
    service, dep_name, role_name = ctx.item.ref.parts[:3]
    deployment = await _deployment(ctx, service, dep_name)
    if deployment is None:
        return
    role = next((r for r in deployment.role_list if r.role_name == role_name), None)
    if role is None:
        ctx.app.notify(f"Role {role_name} is no longer in {service}/{dep_name}.", severity="error")
        return
    choices = await fetch_choices(ctx, "sizes")

    def make(model: Any) -> ApiRequest[Any]:
        return compute.modify_role(service, dep_name, role_name, model)

    dialog = VMRoleBuilder(
        "modify",
        role_sizes=choices.role_sizes,
        service_name=service,
        values=role_values(role),
        ports_in_use=_public_ports(deployment, except_role=role_name),
        **form_hooks(ctx, make, lambda m: f"{service}/{dep_name}/{role_name}"),
    )
    await ctx.app.push_screen_wait(dialog)


async def delete_role(ctx: ActionContext) -> None:
    """Delete a role (optionally with its disks and blobs)."""
    assert ctx.item is not None
    service, dep_name, role_name = ctx.item.ref.parts[:3]
    deployment = await _deployment(ctx, service, dep_name)
    if deployment is None:
        return
    if [r.role_name for r in deployment.role_list] == [role_name]:
        await _offer_deployment_delete(ctx, service, dep_name, role_name)
        return

    def make(options: Mapping[str, bool]) -> ApiRequest[Any]:
        return compute.delete_role(service, dep_name, role_name, options.get("media", False))

    dialog = ConfirmDialog(
        f"Delete role {role_name}?",
        f"Role (VM) {role_name} in deployment {dep_name} of hosted service {service}.",
        lambda o: call_line(ctx, make(o)),
        options={"media": ("Also delete its OS and data disks and their VHD blobs (comp=media)", False)},
    )
    await send_confirmed(ctx, dialog, make, f"{service}/{dep_name}/{role_name}", node=ctx.node)


async def _offer_deployment_delete(ctx: ActionContext, service: str, dep_name: str, role_name: str) -> None:
    # Said up front: Delete Role on the last role only earns a 400 from the service.
    answer = await ctx.app.push_screen_wait(
        ConfirmDialog(
            f"{role_name} is the only role of deployment {dep_name}",
            f"The service refuses to delete a deployment's last role (400 Bad Request). To remove "
            f"{role_name}, delete deployment {dep_name} of hosted service {service} instead; "
            "its name is asked next.",
            call_line(ctx, compute.delete_deployment(service, dep_name)),
            confirm_label="Delete the deployment…",
        )
    )
    if answer is not None:
        await confirm_delete_deployment(ctx, service, dep_name, NodeRef(Kind.SERVICE, (service,)))


# ----------------------------------------------------------------------------- role instances


async def shutdown(ctx: ActionContext) -> None:
    """Shut a VM down, keeping it allocated (Stopped) or releasing it (StoppedDeallocated)."""
    service, dep_name, instance = _role_target(ctx)

    def make(options: Mapping[str, bool]) -> ApiRequest[Any]:
        action = "StoppedDeallocated" if options.get("deallocate") else "Stopped"
        return compute.shutdown_role_instance(service, dep_name, instance, action)

    def describe(options: Mapping[str, bool]) -> str:
        action = "StoppedDeallocated" if options.get("deallocate") else "Stopped"
        return f"{call_line(ctx, make(options))}  (ShutdownRoleOperation, PostShutdownAction={action})"

    dialog = ConfirmDialog(
        f"Shut down {instance}?",
        f"Role instance {instance} in deployment {dep_name} of hosted service {service}.",
        describe,
        options={"deallocate": ("Deallocate (StoppedDeallocated: stops billing, releases the IP)", False)},
        confirm_label="Shut down",
    )
    await send_confirmed(ctx, dialog, make, f"{service}/{dep_name}/{instance}")


async def start_instance(ctx: ActionContext) -> None:
    """Start a stopped VM (not destructive: no confirmation)."""
    service, dep_name, instance = _role_target(ctx)
    request = compute.start_role_instance(service, dep_name, instance)
    response = await send(ctx, request, f"{service}/{dep_name}/{instance}")
    if not response.is_successful:
        report_failure(ctx, response, request.operation)


async def restart_instance(ctx: ActionContext) -> None:
    """Restart a VM (confirmed: it interrupts whatever runs on it)."""
    service, dep_name, instance = _role_target(ctx)

    def make(options: Mapping[str, bool]) -> ApiRequest[Any]:
        return compute.restart_role_instance(service, dep_name, instance)

    dialog = ConfirmDialog(
        f"Restart {instance}?",
        f"Role instance {instance} in deployment {dep_name} of hosted service {service}.",
        lambda o: f"{call_line(ctx, make(o))}  (RestartRoleOperation)",
        confirm_label="Restart",
    )
    await send_confirmed(ctx, dialog, make, f"{service}/{dep_name}/{instance}")


async def capture(ctx: ActionContext) -> None:
    """Capture a VM to an OS image (Delete: the role goes away — confirmed first).

    The service captures only a stopped VM: on a running one the form offers to shut it down
    (Stopped) first; that shutdown is sent and followed to completion, then the capture is sent.
    """
    service, dep_name, instance = _role_target(ctx)
    deployment = await _deployment(ctx, service, dep_name)
    if deployment is None:
        return
    found = next((i for i in deployment.role_instance_list if i.instance_name == instance), None)
    role_name = found.role_name if found is not None and found.role_name else instance
    role = next((r for r in deployment.role_list if r.role_name == role_name), None)
    os_disk = role.os_virtual_hard_disk if role is not None else None
    os_name = (os_disk.os if os_disk is not None else None) or "Linux"
    running = None
    if found is not None and found.power_state != "Stopped":
        running = found.instance_status or found.power_state or "running"
    target = f"{service}/{dep_name}/{instance}"

    def make(body: Any) -> ApiRequest[Any]:
        return compute.capture_role_instance(service, dep_name, instance, body)

    async def submit(body: Any) -> Any:
        request = make(body)
        if body.post_capture_action == "Delete":
            first = " It is shut down (Stopped) first." if dialog.shutdown_first else ""
            answer = await ctx.app.push_screen_wait(
                ConfirmDialog(
                    f"Capture {instance} and DELETE it?",
                    f"Role instance {instance} in deployment {dep_name} of hosted service {service} "
                    f"is captured to image {body.target_image_name} and then deleted.{first}",
                    f"{call_line(ctx, request)}  (CaptureRoleOperation, PostCaptureAction=Delete)",
                    confirm_label="Capture and delete",
                )
            )
            if answer is None:
                return KEEP_OPEN
        if dialog.shutdown_first:
            dialog.say(f"Shutting {instance} down (Stopped); the capture is sent once it has stopped…")
            stop = compute.shutdown_role_instance(service, dep_name, instance, "Stopped")
            response = await send(ctx, stop, target)
            if not response.is_successful:
                return response
            if response.request_id:
                await ctx.client.wait_for_operation(
                    response.request_id, interval=2.0, timeout=1800.0, raise_on_failure=True
                )
            dialog.say(f"{instance} is stopped; sending the capture…")
        return await send(ctx, request, target)

    dialog = CaptureDialog(
        instance,
        os=os_name,
        host_name=(found.host_name or "") if found is not None else "",
        running=running,
        preview=lambda body: ctx.client.preview(make(body)),
        submit=submit,
    )
    await ctx.app.push_screen_wait(dialog)
