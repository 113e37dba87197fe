"""The help screen (?): every key that applies, the app's own and the focused view's, with full names."""

from __future__ import annotations

from typing import Any

from smtui.tui.nodes import Kind
from tests.tui.helpers import loaded, wait_for


async def test_help_lists_the_app_keys_too(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await pilot.press("question_mark")
        await pilot.pause()
        keys = {keys: description for _group, keys, description in app.screen.entries}
        assert "o" in keys and "p" in keys and "T" in keys
        # Help has room for the full names the footer shortens.
        assert keys["c"] == "Create hosted service"


async def test_help_lists_the_keys_of_the_focused_view(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await pilot.press("question_mark")
        text = " ".join(str(w.render()) for w in app.screen.query("Static"))
        assert "focus: List" in text
        described = {description for _group, _keys, description in app.screen.entries}
        for words in ("Filter", "Refresh", "Back", "Sort", "Copy name", "Quit", "Help"):
            assert words in described
        await pilot.press("escape")
        assert app.screen is app.browse
