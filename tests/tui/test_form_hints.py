"""Forms that explain themselves: Enter moves on, the key line, focus and checkbox marks, full
validation messages, no toast over a modal."""

from __future__ import annotations

import re
from typing import Any

import pytest
from rich.cells import cell_len
from textual.widgets import Checkbox, Input

from smtui.forms.values import DataDiskValues, EndpointValues, VMRoleValues
from smtui.tui.dialogs._fields import FormField
from smtui.tui.dialogs.data_disk import AddDataDiskDialog, ModifyDataDiskDialog
from smtui.tui.dialogs.hosted_service import CreateHostedServiceDialog
from smtui.tui.dialogs.images import CaptureDialog, CreateOSImageDialog
from smtui.tui.dialogs.preview import RequestPreviewDialog
from smtui.tui.dialogs.vm_role import VMRoleBuilder
from smtui.tui.nodes import Kind
from smtui.tui.screens.prompt import PromptScreen
from tests.tui.helpers import (
    IMAGES,
    ROLE_SIZES,
    FakePreview,
    Host,
    at_rest,
    builder,
    dialog_class,
    loaded,
    push,
    screen_text,
    wait_for,
    wait_screen,
)
from tests.tui.keyboard import burst

SIZES_80_120 = ((80, 24), (120, 40))


def flat(text: str) -> str:
    """Screen text with the dialog's borders and line breaks folded into single spaces."""
    return re.sub(r"[\s│╭╮╰╯─▎▊]+", " ", text)


FORMS = {
    "hosted-service": lambda: CreateHostedServiceDialog(
        [("West US", "West US")], preview=lambda m: FakePreview()
    ),
    "vm-deployment": lambda: builder(preview=lambda m: FakePreview()),
    "add-role": lambda: VMRoleBuilder(
        "add", images=IMAGES, role_sizes=ROLE_SIZES, preview=lambda m: FakePreview()
    ),
    "modify-role": lambda: VMRoleBuilder(
        "modify",
        role_sizes=ROLE_SIZES,
        values=VMRoleValues(
            role_name="vm0", role_size="Small", endpoints=[EndpointValues("SSH", "tcp", "22", "22")]
        ),
        preview=lambda m: FakePreview(),
    ),  # fmt: skip
    "add-data-disk": lambda: AddDataDiskDialog("vm0", preview=lambda m: FakePreview()),
    "modify-data-disk": lambda: ModifyDataDiskDialog(
        DataDiskValues(mode="existing", lun="1", label="old"),
        role_name="vm0",
        preview=lambda m: FakePreview(),
    ),
    "capture": lambda: CaptureDialog("vm0", preview=lambda m: FakePreview()),
    "os-image": lambda: CreateOSImageDialog(preview=lambda m: FakePreview()),
}


@pytest.mark.parametrize("size", SIZES_80_120)
@pytest.mark.parametrize("form", sorted(FORMS))
async def test_every_form_says_how_to_preview_and_close(form: str, size: tuple[int, int]) -> None:
    async with Host().run_test(size=size) as pilot:
        await push(pilot, FORMS[form]())
        text = screen_text(pilot.app)
        assert "ctrl+s Preview" in text and "esc Close" in text, text


async def test_enter_moves_to_the_next_field_in_a_burst() -> None:
    async with Host().run_test() as pilot:
        dialog = await push(pilot, FORMS["hosted-service"]())
        await burst(pilot, "name-a", "enter", "Label A", "enter", "Desc A")
        assert [dialog.value(k) for k in ("service_name", "label", "description")] == [
            "name-a",
            "Label A",
            "Desc A",
        ]
        assert pilot.app.focused is dialog.field("description").control


async def test_enter_on_the_last_field_opens_the_preview() -> None:
    async with Host().run_test() as pilot:
        dialog = await push(pilot, FORMS["modify-data-disk"]())
        dialog.set_focus(dialog.field("label").control)
        await burst(pilot, "new label", "enter")
        preview = await wait_for(
            pilot, lambda: pilot.app.screen if isinstance(pilot.app.screen, RequestPreviewDialog) else None
        )
        assert preview is not None


async def test_ctrl_s_in_any_field_previews() -> None:
    async with Host().run_test() as pilot:
        await push(pilot, FORMS["hosted-service"]())
        await burst(pilot, "name-a", "tab", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, RequestPreviewDialog), what="preview")


async def test_focused_field_and_checkbox_state_read_without_colours() -> None:
    async with Host().run_test(size=(120, 40)) as pilot:
        dialog = await push(pilot, builder())
        assert "▸Deployment name" in screen_text(pilot.app)
        await burst(pilot, "tab")
        text = screen_text(pilot.app)
        assert "▸Slot" in text and "▸Deployment name" not in text
        box = dialog.field("provisioning.disable_ssh_password_auth").control
        assert isinstance(box, Checkbox)
        dialog.set_focus(box)
        await pilot.pause()
        assert box.render().plain.startswith("[ ] Disable SSH password authentication")
        await pilot.press("space")
        await pilot.pause()
        assert box.value and box.render().plain.startswith("[x] Disable SSH password authentication")


@pytest.mark.parametrize("size", SIZES_80_120)
async def test_validation_messages_are_shown_whole(size: tuple[int, int]) -> None:
    async with Host().run_test(size=size) as pilot:
        dialog = await push(pilot, FORMS["hosted-service"]())
        await burst(pilot, "1-bad-")
        message = dialog.field("service_name").error
        assert message
        assert flat(message) in flat(screen_text(pilot.app))


async def test_endpoint_messages_are_shown_whole_at_80_columns() -> None:
    async with Host().run_test(size=(80, 24)) as pilot:
        dialog = await push(pilot, FORMS["modify-role"]())
        dialog.set_focus(dialog.field("endpoints.0.public_port").control)
        await burst(pilot, "99999")
        message = dialog.field("endpoints.0.public_port").error
        assert message
        dialog.field("endpoints.0.public_port").scroll_visible(animate=False)
        await pilot.pause()
        assert flat(message) in flat(screen_text(pilot.app))


@pytest.mark.parametrize("modal", ["form", "prompt"])
async def test_a_modal_opening_clears_the_toasts(modal: str) -> None:
    async with Host().run_test(size=(80, 24), notifications=True) as pilot:
        pilot.app.notify("Deleted contoso-web-old: succeeded", timeout=60)
        await wait_for(pilot, lambda: "succeeded" in screen_text(pilot.app), what="the toast")
        await push(pilot, FORMS["hosted-service"]() if modal == "form" else PromptScreen("Track"))
        await pilot.pause()
        assert "succeeded" not in screen_text(pilot.app)


async def test_existing_os_disk_hint_is_readable_at_80x24(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await pilot.press("enter")
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICE))
        await pilot.press("c")
        builder = await wait_screen(pilot, app, dialog_class("VMRoleBuilder"))
        name = builder.field("role_name").control
        await wait_for(pilot, lambda: name.content_size.width > 0, what="the form laid out")
        await at_rest(pilot, app)
        cut = [
            (f.key, f.control.placeholder, f.control.content_size.width)
            for f in builder.query(FormField)
            if isinstance(f.control, Input) and cell_len(f.control.placeholder) > f.control.content_size.width
        ]
        assert not cut, cut
        target = builder.field("os_disk.disk_name").control
        for _ in range(20):  # tab down to the field, as a user would
            if app.focused is target:
                break
            await pilot.press("tab")
        assert app.focused is target
        await wait_for(pilot, lambda: "registered OS disk" in screen_text(app), what="the OS disk hint")
        text = screen_text(app)
        assert "or the name of a registered OS disk" in text
        assert "boots as it is: no image, no provisioning set" in text
