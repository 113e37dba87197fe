"""The footer: the essential keys always fit (80x24 and up, every level, the filter's own keys while
it is open); every action that applies shows when it fits, and when not, ``…more`` does (issue 8 §5).

Keys only, on the demo emulator.
"""

from __future__ import annotations

from typing import Any

from smtui.tui.nodes import Kind
from smtui.tui.screens.help import HelpScreen
from tests.tui.helpers import (
    assert_footer_fits,
    drill,
    footer_keys,
    loaded,
    wait_for,
)


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


async def test_footer_keeps_the_essentials_at_80x24(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        shown = await assert_footer_fits(app, pilot, ("q", "question_mark", "o"))
        assert "c" in shown  # a short contextual key still fits
        for kind in (Kind.SERVICE, Kind.DEPLOYMENT, Kind.ROLE):
            await pilot.press("enter")
            await wait_for(pilot, lambda kind=kind: loaded(app, kind))
            await assert_footer_fits(app, pilot, ("q", "question_mark", "o"))
        await pilot.press("4")
        await wait_for(pilot, lambda: loaded(app, Kind.STORAGE))
        assert "K" in await assert_footer_fits(app, pilot, ("q", "question_mark", "o"))
        await pilot.press("P")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ProfilesScreen")
        await assert_footer_fits(app, pilot, ("q", "question_mark"))


async def test_footer_shows_more_keys_when_the_terminal_is_wider(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await drill(pilot, app, Kind.SERVICE, Kind.DEPLOYMENT, Kind.ROLE)
        narrow = await assert_footer_fits(app, pilot, ("q", "question_mark", "o"))
        await pilot.resize_terminal(140, 40)
        await wait_for(pilot, lambda: (keys := footer_keys(app)) and len(keys[0]) > len(narrow),
                       what="more keys in the footer at 140 columns")  # fmt: skip
        wide = await assert_footer_fits(app, pilot, ("q", "question_mark", "o"))
        assert len(wide) > len(narrow)


async def test_footer_shows_the_filter_keys_while_the_filter_is_open(
    demo_emulator: Any, make_app: Any
) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        assert "slash" in await assert_footer_fits(app, pilot, ())
        await pilot.press("slash")

        def footer_says(want: dict[str, str], absent: str) -> dict[str, str] | None:
            # The footer recomposes after the bindings change: wait for the new keys.
            found = footer_keys(app)
            shown = {k.key: k.description for k in found[0]} if found else {}
            return shown if absent not in shown and all(shown.get(k) == v for k, v in want.items()) else None

        await wait_for(pilot, lambda: footer_says({"escape": "Clear", "enter": "Apply"}, "slash"),
                       what="the filter's keys, and no / (it types a slash there)")  # fmt: skip
        await assert_footer_fits(app, pilot, ())
        await pilot.press(*"web", "enter")
        await wait_for(pilot, lambda: footer_says({"slash": "Filter"}, "enter"), what="/ Filter again")
        await assert_footer_fits(app, pilot, ())
