"""The profiles screen (P) and its form at 80x24."""

from __future__ import annotations

from typing import Any

from textual.widgets import Button, Static

from smtui.tui.nodes import Kind
from tests.tui.helpers import loaded, wait_for


async def test_profile_form_errors_and_buttons_are_on_screen_at_80x24(
    demo_emulator: Any, make_app: Any
) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await pilot.press("P")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ProfilesScreen")
        await pilot.press("a")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ProfileForm")
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        error = screen.query_one("#form-error", Static)
        assert "Profile name" in str(error.render())
        assert error.region.height > 0 and error.region.bottom <= 24
        for button in screen.query(Button):
            assert button.region.height == 1 and button.region.bottom <= 23
