"""Mutating actions, part 1: the shared flow, hosted services and deployments.

Every action follows one shape: gather what its dialog needs (images, sizes, locations …),
open the dialog, build the request with the client's *pure* request builder
(``smtui.api.operations_*``) so the preview shows exactly what is then sent, send it with
``client.execute`` and hand the request id to the app's operations sidebar. Failures are shown
with code, message and request id — in the dialog, which stays open, when there is one.

Each action is one row of :data:`smtui.tui.action_table.ACTIONS` naming its coroutine here; the
browse screen binds their keys, lists them in the command palette and hides them in read-only
mode. The other action modules (``actions_roles``, ``actions_disks``, ``actions_images``) use the
helpers defined here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from smtui.api import models
from smtui.api import operations_compute as compute
from smtui.api import operations_services as services
from smtui.api.operations import ApiRequest
from smtui.api.response import OUTCOME_UNKNOWN, Response
from smtui.tui.action_types import ActionContext
from smtui.tui.dialogs._base import SubmitResult, describe_failure
from smtui.tui.dialogs.confirm import ConfirmDialog, Confirmed
from smtui.tui.dialogs.hosted_service import CreateHostedServiceDialog
from smtui.tui.dialogs.vm_role import ImageChoice, VMRoleBuilder
from smtui.tui.nodes import Kind, NodeRef

logger = logging.getLogger(__name__)

T = TypeVar("T")

# The form dialogs hand over their model as Any (``FormDialog[Values, Any]``): the ``make``
# functions below read its fields and the pure builders in ``smtui.api`` check them.

# ----------------------------------------------------------------------------- shared flow


def call_line(ctx: ActionContext, request: ApiRequest[Any]) -> str:
    """``METHOD https://host/<sub>/path?query`` of ``request``, as the client would send it."""
    preview = ctx.client.preview(request)
    return f"{preview.method} {preview.url}"


async def send(
    ctx: ActionContext,
    request: ApiRequest[T],
    target: str,
    *,
    node: NodeRef | None = None,
    created: NodeRef | None = None,
) -> Response[T]:
    """Send ``request``; on success put its request id in the operations sidebar.

    The service registers every mutating call as a pollable operation (synchronous ones report
    ``Succeeded`` at once), so the sidebar shows each action until it completes.

    Args:
        ctx: Where the action was started.
        request: The request to send.
        target: What it acts on, for the sidebar and messages.
        node: The node to refresh when it completes (default: the selected row or the list).
        created: What the request creates: the list's cursor goes there once it is listed.

    Returns:
        The client's ``Response``.
    """
    response = await ctx.client.execute(request)
    if response.is_successful:
        logger.info("%s %s accepted (%s)", request.operation, target, response.request_id)
        if response.request_id:
            ctx.app.track_operation(
                response.request_id,
                request.operation,
                target,
                node=node or _refresh_node(ctx),
                created=created,
            )
        else:
            if created is not None:
                ctx.select_when_listed(created)
            ctx.refresh()
    elif response.error is not None and response.error.code == OUTCOME_UNKNOWN:
        # The request went out and its answer was lost: it may have been applied. Never re-send
        # it; show it as unknown and refresh the list once, which is a safe check (a GET).
        logger.info("%s %s: outcome unknown", request.operation, target)
        ctx.app.track_unknown(request.operation, target, response.error.message, node or _refresh_node(ctx))
        ctx.refresh()
    else:
        logger.info("%s %s failed: %s", request.operation, target, failure_text(response))
    return response


def _refresh_node(ctx: ActionContext) -> NodeRef:
    return ctx.item.ref if ctx.item is not None else ctx.node


def failure_text(response: Response[Any]) -> str:
    """``"409 ConflictError: … (request id …)"`` of a failed response."""
    # dialogs._base.SubmitResult declares ``status_code: int``; a Response's is ``int | None``
    # (None: no answer arrived), which describe_failure handles.
    return describe_failure(cast("SubmitResult", response))


def report_failure(ctx: ActionContext, response: Response[Any], what: str) -> None:
    """A failed call outside a dialog: a notification with code, message and request id."""
    ctx.app.notify(failure_text(response), title=f"{what} failed", severity="error", timeout=12)


async def send_confirmed(
    ctx: ActionContext,
    dialog: ConfirmDialog,
    make_request: Callable[[Mapping[str, bool]], ApiRequest[Any]],
    target: str,
    *,
    node: NodeRef | None = None,
) -> Response[Any] | None:
    """Ask with ``dialog``; if confirmed, build the request from its options and send it."""
    answer: Confirmed | None = await ctx.app.push_screen_wait(dialog)
    if answer is None:
        return None
    request = make_request(answer.options)
    response = await send(ctx, request, target, node=node)
    if not response.is_successful:
        report_failure(ctx, response, request.operation)
    return response


def form_hooks(
    ctx: ActionContext,
    make_request: Callable[[Any], ApiRequest[Any]],
    target: Callable[[Any], str],
    created: Callable[[Any], NodeRef] | None = None,
) -> dict[str, Any]:
    """``preview`` and ``submit`` for a form dialog, both from the same pure request builder.

    ``created`` names the node a create dialog's model makes (the cursor goes there).
    """

    async def submit(model: Any) -> Any:
        made = created(model) if created is not None else None
        return await send(ctx, make_request(model), target(model), created=made)

    # A form's session draft is kept per target: the listed node for a create form, plus the
    # selected row for a form that changes that row (two roles' Modify forms must not share one).
    draft = [path(ctx.node)]
    if created is None and ctx.item is not None:
        draft.append(path(ctx.item.ref))
    return {
        "preview": lambda model: ctx.client.preview(make_request(model)),
        "submit": submit,
        "draft_key": " | ".join(draft),
    }


def path(ref: NodeRef) -> str:
    """``service/deployment/role`` of a node, for messages and the sidebar."""
    return "/".join(ref.parts)


@dataclass
class Choices:
    """Lists the dialogs offer, fetched together; a failed list stays empty and is reported."""

    images: list[ImageChoice] = field(default_factory=list)
    role_sizes: list[tuple[str, str]] = field(default_factory=list)
    locations: list[tuple[str, str]] = field(default_factory=list)
    free_disks: list[str] = field(default_factory=list)
    media_base: str = ""
    media_note: str = ""
    service_names: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


async def fetch_choices(ctx: ActionContext, *wanted: str, service: str = "") -> Choices:
    """Fetch the lists named in ``wanted`` (``images``, ``sizes``, ``locations``, ``disks``,
    ``storage``, ``services``) concurrently.

    With ``service``, the suggested VHD location (``media_base``) is a storage account in that
    hosted service's region, as the service requires; ``media_note`` says when there is none.
    """
    client = ctx.client
    region: tuple[str, str] | None = None
    if service and "storage" in wanted:
        region = await _service_region(ctx, service)
    # Each list has its own model (Any below); the branch for its name reads that model's fields.
    calls: dict[str, Callable[[], Awaitable[Response[list[Any]]]]] = {
        "images": client.list_os_images,
        "sizes": client.list_role_sizes,
        "locations": client.list_locations,
        "disks": client.list_disks,
        "storage": client.list_storage_accounts,
        "services": client.list_hosted_services,
    }
    names = [w for w in wanted if w in calls]
    responses = await asyncio.gather(*(calls[n]() for n in names))
    out = Choices()
    for name, response in zip(names, responses, strict=True):
        if not response.is_successful:
            out.problems.append(f"{name}: {failure_text(response)}")
            continue
        items = response.response or []
        if name == "images":
            out.images = [ImageChoice(i.name or "", i.os or "Linux", i.label or "") for i in items if i.name]
        elif name == "sizes":
            out.role_sizes = [
                (s.label or s.name or "", s.name or "")
                for s in items
                if s.name and s.supported_by_virtual_machines is not False
            ]
        elif name == "locations":
            out.locations = [
                (loc.display_name or loc.name or "", loc.name or "")
                for loc in items
                if loc.name and (not loc.available_services or "Compute" in loc.available_services)
            ]
        elif name == "disks":
            out.free_disks = [d.name for d in items if d.name and not d.os and d.attached_to is None]
        elif name == "storage":
            out.media_base = _media_base(items, region)
            if region is not None and not out.media_base:
                where = region[0] or f"affinity group {region[1]}"
                out.media_note = (
                    f"No storage account is in {where}, the hosted service's location: "
                    "create one there first (VHDs must be in the service's region)."
                )
        elif name == "services":
            out.service_names = [s.service_name for s in items if s.service_name]
    if out.problems:
        ctx.app.notify("\n".join(out.problems), title="Some lists could not be loaded", severity="warning")
    return out


async def _service_region(ctx: ActionContext, service: str) -> tuple[str, str] | None:
    """``(location, affinity group)`` of a hosted service; None when it cannot be read."""
    response = await ctx.client.get_hosted_service(service)
    found_service = response.response if response.is_successful else None
    props = found_service.hosted_service_properties if found_service is not None else None
    if props is None:
        return None
    location = props.location or ""
    if not location:
        # RDFE reports the region of a service in an affinity group as an extended property.
        found = (p.value for p in props.extended_properties if p.name == "ResourceLocation")
        location = next(found, None) or ""
    return location, props.affinity_group or ""


def _in_region(account: models.StorageAccount, region: tuple[str, str]) -> bool:
    props = account.storage_service_properties
    if props is None:
        return False
    location, group = region
    if group and (props.affinity_group or "").lower() == group.lower():
        return True
    return bool(location) and (props.location or "").lower() == location.lower()


def _media_base(accounts: list[models.StorageAccount], region: tuple[str, str] | None = None) -> str:
    if region is not None:
        accounts = [a for a in accounts if _in_region(a, region)]
    for account in accounts:
        props = account.storage_service_properties
        for endpoint in props.endpoints if props is not None else []:
            if ".blob." in endpoint:
                return str(endpoint).rstrip("/") + "/vhds"
    if accounts and accounts[0].service_name:
        return f"https://{accounts[0].service_name}.blob.core.windows.net/vhds"
    return ""


# ----------------------------------------------------------------------------- hosted services


async def create_hosted_service(ctx: ActionContext) -> None:
    """Create a hosted service (Location from ``list_locations``)."""
    choices = await fetch_choices(ctx, "locations", "services")

    def make(model: Any) -> ApiRequest[Any]:
        options = {"Label": model.label, "Description": model.description, "Location": model.location}
        return services.create_hosted_service(model.service_name, {k: v for k, v in options.items() if v})

    dialog = CreateHostedServiceDialog(
        choices.locations,
        taken_names=choices.service_names,
        **form_hooks(ctx, make, lambda m: m.service_name, lambda m: NodeRef(Kind.SERVICE, (m.service_name,))),
    )
    await ctx.app.push_screen_wait(dialog)


async def delete_hosted_service(ctx: ActionContext) -> None:
    """Delete a hosted service (type its name; optionally with deployments, disks and blobs)."""
    assert ctx.item is not None
    name = ctx.item.ref.name
    dialog = ConfirmDialog(
        f"Delete hosted service {name}?",
        f"Hosted service {name} (https://{name}.cloudapp.net). Without the option below the service "
        "must have no deployments left.",
        lambda o: call_line(ctx, services.delete_hosted_service(name, o.get("media", False))),
        options={"media": ("Also delete its deployments, disks and VHD blobs (comp=media)", False)},
        type_to_confirm=name,
    )
    await send_confirmed(
        ctx,
        dialog,
        lambda o: services.delete_hosted_service(name, o.get("media", False)),
        name,
        node=ctx.node,
    )


# ----------------------------------------------------------------------------- deployments


async def create_deployment(ctx: ActionContext) -> None:
    """Create a VM deployment in the listed hosted service with the VMRole builder."""
    service = ctx.node.parts[0]
    choices = await fetch_choices(ctx, "images", "sizes", "disks", "storage", service=service)
    # The slots already taken, so the form defaults to a free one (or says none is left).
    found = await ctx.client.get_hosted_service(service, embed_detail=True)
    slots: dict[str, str] = {}
    if found.is_successful and found.response is not None:
        for dep in found.response.deployments:
            if dep.deployment_slot and dep.name:
                slots[dep.deployment_slot] = dep.name

    def make(model: Any) -> ApiRequest[Any]:
        options: dict[str, Any] = {"DeploymentSlot": model.deployment_slot, "Label": model.label}
        if model.upgrade_domain_count is not None:
            options["UpgradeDomainCount"] = model.upgrade_domain_count
        return compute.create_deployment(service, model.name, model.role_list[0], options)

    dialog = VMRoleBuilder(
        "deployment",
        images=choices.images,
        role_sizes=choices.role_sizes,
        disk_names=choices.free_disks,
        media_base=choices.media_base,
        media_note=choices.media_note,
        service_name=service,
        slots_in_use=slots,
        **form_hooks(
            ctx, make, lambda m: f"{service}/{m.name}", lambda m: NodeRef(Kind.DEPLOYMENT, (service, m.name))
        ),
    )
    await ctx.app.push_screen_wait(dialog)


async def delete_deployment(ctx: ActionContext) -> None:
    """Delete a deployment (type its name; optionally with its disks and blobs)."""
    assert ctx.item is not None
    service, name = ctx.item.ref.parts[:2]
    await confirm_delete_deployment(ctx, service, name, ctx.node)


async def confirm_delete_deployment(ctx: ActionContext, service: str, name: str, node: NodeRef) -> None:
    """Ask (typing the name) and delete deployment ``name`` of ``service``; ``node`` is then reloaded."""
    dialog = ConfirmDialog(
        f"Delete deployment {name}?",
        f"Deployment {name} of hosted service {service}, with all its roles (VMs).",
        lambda o: call_line(ctx, compute.delete_deployment(service, name, o.get("media", False))),
        options={"media": ("Also delete its disks and VHD blobs (comp=media)", False)},
        type_to_confirm=name,
    )
    await send_confirmed(
        ctx,
        dialog,
        lambda o: compute.delete_deployment(service, name, o.get("media", False)),
        f"{service}/{name}",
        node=node,
    )
