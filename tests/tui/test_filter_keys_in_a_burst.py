"""Keys typed right after "/" go into the filter, and those typed right after Enter go to the list.

"/dev" typed fast pressed d (Delete) on the selected row: "/" opened the filter only once its key
had bubbled up to the app, after the letters behind it had reached the list as commands.
"""

from __future__ import annotations

from typing import Any

from tests.tui.helpers import services_shown
from tests.tui.keyboard import burst


async def test_slash_then_letters_in_one_burst_filter_and_act_on_nothing(
    demo_emulator: Any, make_app: Any
) -> None:
    async with make_app(demo_emulator).run_test(size=(80, 24)) as pilot:
        browse = await services_shown(pilot)
        await burst(pilot, "/", "d", "e", "v")
        await pilot.pause()
        assert pilot.app.screen is browse, f"a key acted on the list: {pilot.app.screen}"
        assert browse.table.model.filter_text == "dev"


async def test_enter_then_j_in_one_burst_keeps_the_filter_and_moves_in_the_list(
    demo_emulator: Any, make_app: Any
) -> None:
    async with make_app(demo_emulator).run_test(size=(120, 40)) as pilot:
        browse = await services_shown(pilot)
        await burst(pilot, "/", "o", "enter", "j")
        await pilot.pause()
        assert browse.table.model.filter_text == "o"
        assert pilot.app.focused is browse.table
        assert browse.table.cursor_row == 1
