"""The VM role form: Modify role is as tall as its fields; a deployment's Label follows its name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input

from smtui.tui.nodes import Kind
from tests.tui.helpers import (
    at_rest,
    console,
    dialog_class,
    loaded,
    make_vm,
    open_row,
    screen_lines,
    select_row,
    wait_for,
    wait_screen,
)


def longest_blank_run_in_box(lines: list[str]) -> int:
    """The most consecutive empty lines inside the dialog's rounded box."""
    longest = run = 0
    inside = False
    for line in lines:
        text = line.strip()
        if text.startswith("╭"):
            inside = True
            continue
        if text.startswith("╰"):
            break
        if inside:
            run = run + 1 if text.strip("│ ") == "" else 0
            longest = max(longest, run)
    return longest


async def test_modify_role_has_no_block_of_empty_lines(emulator: Any, tmp_path: Path) -> None:
    service, dep, (role,) = await make_vm(emulator)
    async with console(emulator, tmp_path) as (app, pilot):
        await open_row(pilot, app, f"service/{service}")
        await open_row(pilot, app, f"deployment/{service}/{dep}")
        await select_row(pilot, app, f"role/{service}/{dep}/{role}")
        await pilot.press("e")
        await wait_screen(pilot, app, dialog_class("VMRoleBuilder"))
        await wait_for(pilot, lambda: any("Modify role" in line for line in screen_lines(app)), what="form")
        await at_rest(pilot, app)
        lines = screen_lines(app)
        assert any("Modify role" in line for line in lines)
        assert longest_blank_run_in_box(lines) <= 2, "\n".join(lines)
        await pilot.press("escape")


async def type_into(pilot: Any, dialog: Any, key: str, text: str) -> None:
    control = dialog.field(key).control
    assert isinstance(control, Input)
    control.focus()
    await pilot.pause()
    await pilot.press("end", *text)


async def test_the_deployment_label_follows_its_name_until_edited(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        browse = app.browse
        browse.table.move_cursor_to_key("service/adventure-works")
        await pilot.press("enter")
        await wait_for(pilot, lambda: browse.current.key == "service/adventure-works", what="adventure-works")
        await pilot.press("c")
        dialog = await wait_screen(pilot, app, dialog_class("VMRoleBuilder"))
        assert dialog.value("name") == dialog.value("label") == "adventure-works"
        await type_into(pilot, dialog, "name", "-b")
        assert dialog.value("label") == "adventure-works-b"  # follows the name
        await type_into(pilot, dialog, "label", "X")
        await type_into(pilot, dialog, "name", "c")
        assert dialog.value("name") == "adventure-works-bc"
        assert dialog.value("label") == "adventure-works-bX"  # edited by the user: left alone
        await pilot.press("escape")
