"""Moves typed right before Enter in one burst are applied before Enter opens the row."""

from __future__ import annotations

from typing import Any

from smtui.tui.nodes import Kind
from tests.tui.helpers import services_shown, wait_for
from tests.tui.keyboard import burst


async def test_j_j_j_enter_in_one_burst_opens_the_fourth_service(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        browse = await services_shown(pilot)
        fourth = browse.table.model.view[3].key
        await burst(pilot, "j", "j", "j", "enter")
        await wait_for(pilot, lambda: browse.current.kind is Kind.SERVICE, what="a service opened")
        assert fourth.endswith(browse.current.name), (fourth, browse.current.key)


async def test_k_then_enter_in_one_burst_opens_the_row_above(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        browse = await services_shown(pilot)
        await pilot.press("j", "j")
        second = browse.table.model.view[1].key
        await burst(pilot, "k", "enter")
        await wait_for(pilot, lambda: browse.current.kind is Kind.SERVICE, what="a service opened")
        assert second.endswith(browse.current.name), (second, browse.current.key)
