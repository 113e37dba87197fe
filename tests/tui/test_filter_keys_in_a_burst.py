"""Keys typed right after "/" go into the filter, and those typed right after Enter go to the list.

"/dev" typed fast pressed d (Delete) on the selected row: "/" opened the filter only once its key
had bubbled up to the app, after the letters behind it had reached the list as commands.
"""

from __future__ import annotations

from typing import Any

from textual import events

from smtui.tui.nodes import Kind, category
from tests.tui.helpers import wait_for

CHARS = {"enter": "\r", "slash": "/", "escape": "\x1b"}




async def burst(pilot: Any, *keys: str) -> None:
    """Keys as one terminal read: all posted before the app handles the first."""
    app = pilot.app
    for key in keys:
        event = events.Key(key, CHARS.get(key, key if len(key) == 1 else None))
        event.set_sender(app)
        app.post_message(event)
    await pilot.pause()
    await pilot.pause()


async def services_shown(pilot: Any) -> Any:
    app = pilot.app
    key = category(Kind.SERVICES).key
    await wait_for(pilot, lambda: app.browse is not None and key in app.browse.listings, what="the console")
    await pilot.press("1")
    browse = app.browse
    await wait_for(pilot, lambda: browse.current.key == key and browse.table.model.view, what="the services")
    return browse


async def test_slash_then_letters_in_one_burst_filter_and_act_on_nothing(
    demo_emulator: Any, make_app: Any
) -> None:
    async with make_app(demo_emulator).run_test(size=(80, 24)) as pilot:
        browse = await services_shown(pilot)
        await burst(pilot, "slash", "d", "e", "v")
        await pilot.pause()
        assert pilot.app.screen is browse, f"a key acted on the list: {pilot.app.screen}"
        assert browse.table.model.filter_text == "dev"


async def test_enter_then_j_in_one_burst_keeps_the_filter_and_moves_in_the_list(
    demo_emulator: Any, make_app: Any
) -> None:
    async with make_app(demo_emulator).run_test(size=(120, 40)) as pilot:
        browse = await services_shown(pilot)
        await burst(pilot, "slash", "o", "enter", "j")
        await pilot.pause()
        assert browse.table.model.filter_text == "o"
        assert pilot.app.focused is browse.table
        assert browse.table.cursor_row == 1
