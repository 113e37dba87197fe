"""Issue 8 §5: the footer shows every action that applies when it fits; when not, ``…more`` does.

Keys only, on the demo emulator: the role list of a deployment at 120x40 and at 80x24.
"""

from __future__ import annotations

from typing import Any

from smtui.tui.nodes import Kind
from smtui.tui.screens.help import HelpScreen
from tests.tui.helpers import assert_footer_fits, loaded, wait_for


async def to_roles(app: Any, pilot: Any) -> None:
    """Services → first service → its deployment: the role list, a role selected."""
    await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
    for kind in (Kind.SERVICE, Kind.DEPLOYMENT):
        await pilot.press("enter")
        await wait_for(pilot, lambda kind=kind: loaded(app, kind))


async def test_footer_shows_restart_and_capture_when_they_fit(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await to_roles(app, pilot)
        shown = await assert_footer_fits(app, pilot, ("q", "question_mark", "o"))
        for key in ("e", "d", "H", "b", "R", "C"):
            assert key in shown, f"{key} missing at 120 columns: {shown}"
        assert "full_stop" not in shown  # everything fits: no "…more"


async def test_footer_offers_more_at_80_columns(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await to_roles(app, pilot)
        shown = await assert_footer_fits(app, pilot, ("q", "question_mark", "o", "full_stop"))
        assert shown[-1] == "full_stop"
        assert not {"R", "C"} <= set(shown)  # they did not fit: "…more" stands for them
        await pilot.press("full_stop")
        help_screen = await wait_for(
            pilot, lambda: app.screen if isinstance(app.screen, HelpScreen) else None, what="the key list"
        )
        described = {description for _group, _keys, description in help_screen.entries}
        assert {"Restart", "Capture image"} <= described
