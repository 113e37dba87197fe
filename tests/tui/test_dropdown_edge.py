"""A dropdown opened over a form has an edge drawn in characters (16 colours, NO_COLOR)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Select

from smtui.tui.nodes import Kind
from tests.tui.helpers import dialog_class, loaded, screen_lines, wait_for, wait_screen


async def open_location_dropdown(app: Any, pilot: Any) -> list[str]:
    await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
    await pilot.press("c")
    dialog = await wait_screen(pilot, app, dialog_class("CreateHostedServiceDialog"))
    dialog.query(Select).first().focus()
    # Space, not Enter: Location is the form's last field, where Enter opens the preview.
    await pilot.press("space")
    await wait_for(pilot, lambda: dialog.query(Select).first().expanded, what="the dropdown open")
    await wait_for(pilot, lambda: any("│East US " in line for line in screen_lines(app)), what="the list")
    return screen_lines(app)


def dropdown_box(lines: list[str]) -> tuple[int, int, int]:
    """(column of its left edge, line of its top edge, line of its bottom edge) of the dropdown."""
    first = next(i for i, line in enumerate(lines) if "│East US " in line)
    column = lines[first].index("│East US ")
    top = first - 1
    bottom = next(i for i in range(first, len(lines)) if lines[i][column : column + 1] != "│")
    return column, top, bottom


@pytest.mark.parametrize("mode", ["no-color", "16-colours"])
async def test_dropdown_over_a_form_has_a_visible_edge(
    demo_emulator: Any, make_app: Any, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    if mode == "no-color":
        monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(demo_emulator)
    if mode == "16-colours":
        app.ansi_color = True
    async with app.run_test(size=(100, 30)) as pilot:
        lines = await open_location_dropdown(app, pilot)
        shown = "\n".join(lines)
        column, top, bottom = dropdown_box(lines)
        assert lines[top][column] == "╭" and "╮" in lines[top][column:], shown
        assert lines[bottom][column] == "╰" and "╯" in lines[bottom][column:], shown
        assert bottom - top > 3, shown  # the options are inside the edge
        await pilot.press("escape", "escape")
