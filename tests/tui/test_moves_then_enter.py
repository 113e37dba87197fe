"""Moves typed right before Enter in one burst are applied before Enter opens the row."""

from __future__ import annotations

from typing import Any

from textual import events

from smtui.tui.nodes import Kind, category
from tests.tui.helpers import wait_for

CHARS = {"enter": "\r"}




def burst(app: Any, *keys: str) -> None:
    """Keys as one terminal read: all posted before the app handles the first."""
    for key in keys:
        event = events.Key(key, CHARS.get(key, key if len(key) == 1 else None))
        event.set_sender(app)
        app.post_message(event)


async def test_j_j_j_enter_in_one_burst_opens_the_fourth_service(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        services = category(Kind.SERVICES).key
        await wait_for(pilot, lambda: app.browse is not None and services in app.browse.listings, what="list")
        await pilot.press("1")
        browse = app.browse
        await wait_for(pilot, lambda: browse.current.key == services and browse.table.model.view, what="ok")
        fourth = browse.table.model.view[3].key
        burst(app, "j", "j", "j", "enter")
        await wait_for(pilot, lambda: browse.current.kind is Kind.SERVICE, what="a service opened")
        assert fourth.endswith(browse.current.name), (fourth, browse.current.key)


async def test_k_then_enter_in_one_burst_opens_the_row_above(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        services = category(Kind.SERVICES).key
        await wait_for(pilot, lambda: app.browse is not None and services in app.browse.listings, what="list")
        await pilot.press("1")
        browse = app.browse
        await wait_for(pilot, lambda: browse.current.key == services and browse.table.model.view, what="ok")
        await pilot.press("j", "j")
        second = browse.table.model.view[1].key
        burst(app, "k", "enter")
        await wait_for(pilot, lambda: browse.current.kind is Kind.SERVICE, what="a service opened")
        assert second.endswith(browse.current.name), (second, browse.current.key)
