"""Confirmations in the console: Enter on an unread dialog cancels; typing the name fills the name field."""

from __future__ import annotations

from typing import Any

from textual.widgets import Button, Input

from smtui.tui.nodes import Kind
from tests.tui.helpers import loaded, wait_for


async def test_typing_the_name_in_a_delete_confirmation_goes_to_the_name_field(
    demo_emulator: Any, make_app: Any
) -> None:
    from smtui.tui.dialogs.confirm import ConfirmDialog

    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        dialog = app.screen
        assert app.focused is dialog.query_one("#cancel")  # Enter on an unread dialog cancels
        await pilot.press(*"contoso-web")
        typed = dialog.query_one("#confirm-typed", Input)
        assert typed.value == "contoso-web" and typed.has_focus
        assert not dialog.query_one("#confirm", Button).disabled
        await pilot.press("escape")  # nothing is deleted
        await wait_for(pilot, lambda: app.screen is app.browse)
        assert "service/contoso-web" in app.browse.items
