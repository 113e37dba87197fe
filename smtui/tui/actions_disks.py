"""Mutating actions, part 3: data disks of a role (add in three modes, modify, remove)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from smtui.api import models
from smtui.api import operations_compute as compute
from smtui.api.operations import ApiRequest
from smtui.forms.values import DataDiskValues
from smtui.tui.action_types import ActionContext
from smtui.tui.actions import call_line, fetch_choices, form_hooks, report_failure, send_confirmed
from smtui.tui.dialogs.confirm import ConfirmDialog
from smtui.tui.dialogs.data_disk import AddDataDiskDialog, ModifyDataDiskDialog
from smtui.tui.nodes import Kind, NodeRef


async def _role(ctx: ActionContext, service: str, dep_name: str, role_name: str) -> models.VMRole | None:
    response = await ctx.client.get_role(service, dep_name, role_name)
    if not response.is_successful:
        report_failure(ctx, response, "Get Role")
        return None
    return response.response


def _luns(role: models.VMRole) -> list[int]:
    # A disk read back without <Lun> is at LUN 0 (the service omits the default).
    return [d.lun if d.lun is not None else 0 for d in role.data_virtual_hard_disks]


async def add_data_disk(ctx: ActionContext) -> None:
    """Attach a data disk to the listed role: new empty disk, existing disk, or a VHD blob."""
    service, dep_name, role_name = ctx.node.parts[:3]
    role = await _role(ctx, service, dep_name, role_name)
    if role is None:
        return
    choices = await fetch_choices(ctx, "disks")

    def make(disk: Any) -> ApiRequest[Any]:
        return compute.add_data_disk(service, dep_name, role_name, disk)

    dialog = AddDataDiskDialog(
        role_name,
        luns_in_use=_luns(role),
        disk_names=choices.free_disks,
        **form_hooks(
            ctx,
            make,
            lambda d: f"{service}/{dep_name}/{role_name} LUN {d.lun}",
            lambda d: NodeRef(Kind.DATA_DISK, (service, dep_name, role_name, str(d.lun or 0))),
        ),
    )
    await ctx.app.push_screen_wait(dialog)


def _lun_of(ctx: ActionContext) -> int:
    assert ctx.item is not None
    return int(ctx.item.ref.parts[3])


async def modify_data_disk(ctx: ActionContext) -> None:
    """Change a data disk's host caching, label or LUN (Update Data Disk)."""
    assert ctx.item is not None
    service, dep_name, role_name = ctx.item.ref.parts[:3]
    lun = _lun_of(ctx)
    role = await _role(ctx, service, dep_name, role_name)
    if role is None:
        return
    disk = next((d for d in role.data_virtual_hard_disks if (d.lun or 0) == lun), None)
    if disk is None:
        ctx.app.notify(f"No data disk at LUN {lun} of {role_name} any more.", severity="error")
        return
    current = DataDiskValues(
        mode="existing",
        lun=str(lun),
        host_caching=disk.host_caching or "ReadOnly",
        label=disk.disk_label or "",
        disk_name=disk.disk_name or "",
        media_link=disk.media_link or "",
    )

    def make(model: Any) -> ApiRequest[Any]:
        return compute.modify_data_disk(service, dep_name, role_name, lun, model)

    dialog = ModifyDataDiskDialog(
        current,
        role_name=role_name,
        luns_in_use=_luns(role),
        **form_hooks(ctx, make, lambda d: f"{service}/{dep_name}/{role_name} LUN {lun}"),
    )
    await ctx.app.push_screen_wait(dialog)


async def remove_data_disk(ctx: ActionContext) -> None:
    """Detach a data disk (optionally deleting its VHD blob)."""
    assert ctx.item is not None
    service, dep_name, role_name = ctx.item.ref.parts[:3]
    lun = _lun_of(ctx)
    name = getattr(ctx.item.model, "disk_name", None) or "?"

    def make(options: Mapping[str, bool]) -> ApiRequest[Any]:
        return compute.remove_data_disk(service, dep_name, role_name, lun, options.get("media", False))

    dialog = ConfirmDialog(
        f"Remove the data disk at LUN {lun}?",
        f"Data disk {name} at LUN {lun} of role {role_name} "
        f"(deployment {dep_name}, hosted service {service}). "
        "Without the option the disk stays registered and can be attached again.",
        lambda o: call_line(ctx, make(o)),
        options={"media": ("Also delete the VHD blob (comp=media)", False)},
        confirm_label="Remove",
    )
    await send_confirmed(ctx, dialog, make, f"{service}/{dep_name}/{role_name} LUN {lun}", node=ctx.node)
