"""Actions, part 4: OS images (create) and storage account keys (show, masked, copy)."""

from __future__ import annotations

from typing import Any

from smtui.api import operations_services as services
from smtui.api.operations import ApiRequest
from smtui.tui.action_types import ActionContext
from smtui.tui.actions import fetch_choices, form_hooks, report_failure
from smtui.tui.dialogs.images import CreateOSImageDialog
from smtui.tui.dialogs.storage_keys import StorageKeysDialog
from smtui.tui.nodes import Kind, NodeRef


async def create_os_image(ctx: ActionContext) -> None:
    """Register a VHD blob as a user OS image."""
    choices = await fetch_choices(ctx, "locations", "sizes")

    def make(image: Any) -> ApiRequest[Any]:
        options = {
            "Label": image.label,
            "Description": image.description,
            "Location": image.location,
            "RecommendedVMSize": image.recommended_vm_size,
        }
        return services.create_os_image(
            image.os, image.name, image.media_link, {k: v for k, v in options.items() if v}
        )

    dialog = CreateOSImageDialog(
        locations=choices.locations,
        role_sizes=choices.role_sizes,
        **form_hooks(ctx, make, lambda image: image.name, lambda image: NodeRef(Kind.IMAGE, (image.name,))),
    )
    await ctx.app.push_screen_wait(dialog)


async def storage_keys(ctx: ActionContext) -> None:
    """Fetch a storage account's keys and show them masked (reveal and copy in the dialog)."""
    assert ctx.item is not None
    account = ctx.item.ref.name
    response = await ctx.client.get_storage_account_keys(account)
    if not response.is_successful:
        report_failure(ctx, response, "Get Storage Account Keys")
        return
    keys = response.response.storage_service_keys if response.response is not None else None
    await ctx.app.push_screen_wait(
        StorageKeysDialog(
            account, (keys.primary or "") if keys else "", (keys.secondary or "") if keys else ""
        )
    )
