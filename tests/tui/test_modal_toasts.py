"""A toast never covers a modal's inputs or buttons — also one raised while the modal is open.

At 80x24 a tall form (the VM builder) fills the screen: there is no corner a toast could sit in.
Toasts raised while a modal is open take rows at the top of the screen instead and the dialog
shrinks below them, keeping the focused field in view; typing goes on into that field.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from textual.app import App
from textual.geometry import Region
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Select
from textual.widgets._toast import Toast

from smtui.forms.values import DeploymentValues, OSDiskValues, VMRoleValues
from smtui.tui.dialogs.confirm import ConfirmDialog
from smtui.tui.dialogs.hosted_service import CreateHostedServiceDialog
from smtui.tui.dialogs.preview import RequestPreviewDialog
from smtui.tui.dialogs.storage_keys import StorageKeysDialog
from smtui.tui.dialogs.vm_role import ImageChoice, VMRoleBuilder
from smtui.tui.screens.prompt import PromptScreen
from tests.tui.helpers import screen_lines, wait_for
from tests.tui.keyboard import burst

IMAGES = [ImageChoice("ubuntu-14_04-LTS", "Linux"), ImageChoice("win-2012-R2", "Windows")]
SIZES = [("Small (1 core)", "Small"), ("Medium (2 cores)", "Medium")]


# ----------------------------------------------------------------------------- helpers


class Host(App[None]):
    """An empty app to push modals on."""


def on_screen(app: Any, text: str) -> bool:
    return any(text in line for line in screen_lines(app))


def shown(widget: Widget) -> Region:
    """The part of the screen ``widget`` is drawn on (empty when scrolled out of view)."""
    try:
        return widget.screen.find_widget(widget).visible_region
    except Exception:
        return Region()


def covered(app: Any) -> list[str]:
    """The inputs and buttons of the top screen a toast is drawn over."""
    toasts = [r for t in app.screen.query(Toast) if (r := shown(t))]
    assert toasts, "no toast on screen"
    hits = []
    for widget in app.screen.query("Input, Select, Checkbox, Button"):
        assert isinstance(widget, Input | Select | Checkbox | Button)
        region = shown(widget)
        if region and any(region.overlaps(t) for t in toasts):
            hits.append(f"{type(widget).__name__}#{widget.id} at {region}")
    return hits


@dataclass
class Request:
    """A request as the preview shows it."""

    method: str = "POST"
    url: str = "https://management.core.windows.net/sub/services/hostedservices"
    headers: dict[str, str] = field(default_factory=lambda: {"x-ms-version": "2014-10-01"})
    body: str = "<CreateHostedService><ServiceName>svc</ServiceName></CreateHostedService>"


def tall_builder() -> VMRoleBuilder:
    role = VMRoleValues(os_disk=OSDiskValues(source_image_name=IMAGES[0].name))
    return VMRoleBuilder(
        "deployment", images=IMAGES, role_sizes=SIZES, service_name="svc",
        values=DeploymentValues(name="svc", label="svc", role=role),
    )  # fmt: skip


MODALS: dict[str, Callable[[], ModalScreen[Any]]] = {
    "vm-builder": tall_builder,
    "hosted-service": lambda: CreateHostedServiceDialog([("West US", "West US")]),
    "prompt": lambda: PromptScreen("Track an operation"),
    "preview": lambda: RequestPreviewDialog(Request()),
    "storage-keys": lambda: StorageKeysDialog("acct", "a" * 88, "b" * 88),
    "typed-name-confirmation": lambda: ConfirmDialog(
        "Delete hosted service contoso-web?",
        "hosted service contoso-web",
        "DELETE /<subscription>/services/hostedservices/contoso-web?comp=media",
        options={"media": ("Also delete the disks and their VHDs", True)},
        type_to_confirm="contoso-web",
    ),
}


# ----------------------------------------------------------------------------- tests


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("modal", sorted(MODALS))
async def test_a_toast_raised_while_a_modal_is_open_covers_none_of_its_controls(
    modal: str, size: tuple[int, int]
) -> None:
    async with Host().run_test(size=size, notifications=True) as pilot:
        pilot.app.push_screen(MODALS[modal]())
        await wait_for(pilot, lambda: pilot.app.screen.focused is not None or modal == "storage-keys",
                       what="the modal")  # fmt: skip
        for n in range(3):
            pilot.app.notify(f"Deleted contoso-web-old-{n}: succeeded", title="Operation done", timeout=60)
        await wait_for(pilot, lambda: on_screen(pilot.app, "old-2: succeeded"), what="the toasts")
        await pilot.pause()
        assert covered(pilot.app) == []


async def test_the_field_being_typed_into_stays_in_view_and_takes_the_keys() -> None:
    """The deep field focused in the VM builder at 80x24 stays visible under three toasts."""
    async with Host().run_test(size=(80, 24), notifications=True) as pilot:
        builder = tall_builder()
        pilot.app.push_screen(builder)
        await wait_for(pilot, lambda: builder.focused is not None, what="the builder")
        host = builder.field("provisioning.host_name").control
        builder.set_focus(host)
        host.scroll_visible(animate=False)
        await pilot.pause()
        for n in range(3):
            pilot.app.notify(f"Deleted contoso-web-old-{n}: succeeded", timeout=60)
        await wait_for(pilot, lambda: on_screen(pilot.app, "old-2: succeeded"), what="the toasts")
        await burst(pilot, "host-a")
        await pilot.pause()
        assert builder.focused is host and shown(host), "the focused field went out of view"
        assert covered(pilot.app) == []
        assert builder.value("provisioning.host_name") == "host-a"
