"""Keys typed while the next list loads: navigation is applied in order, item actions are not."""

from __future__ import annotations

from typing import Any

from textual import events

from smtui.tui.nodes import Kind, category
from tests.tui.helpers import loaded, wait_for

SLOW = 1.0
"""Seconds the emulator waits before each answer: the keys arrive while the next list loads."""


def type_fast(app: Any, *keys: str) -> None:
    """Keys as a fast typist sends them: all at once, without waiting for the app in between."""
    chars = {"enter": "\r"}
    for key in keys:
        app._driver.send_message(events.Key(key, chars.get(key, key if len(key) == 1 else None)))


async def test_one_enter_enter_opens_the_first_service_then_its_first_deployment(
    demo_emulator: Any, make_app: Any
) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        browse = app.browse
        demo_emulator.faults.latency = SLOW  # every list loads slower than the keys are typed
        try:
            type_fast(app, "1", "enter", "enter")
            await wait_for(pilot, lambda: browse.current.kind is Kind.SERVICE, what="the service opened")
            assert browse.table.row_count == 0 and browse._typed_ahead == ["enter"]  # queued while loading
            await wait_for(pilot, lambda: loaded(app, Kind.DEPLOYMENT), what="the deployment's roles")
        finally:
            demo_emulator.faults.latency = 0.0
        assert browse.current.key == "deployment/contoso-web/contoso-web-prod"
        roles = [row.key for row in browse.table.model.view]
        assert roles[0] == "role/contoso-web/contoso-web-prod/web01"


async def test_moves_typed_ahead_apply_to_the_list_once_shown(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        browse = app.browse
        demo_emulator.faults.latency = SLOW
        try:
            type_fast(app, "2", "j", "j")  # the OS images are not loaded yet
            await wait_for(pilot, lambda: loaded(app, Kind.IMAGES), what="the OS images")
        finally:
            demo_emulator.faults.latency = 0.0
        await wait_for(pilot, lambda: browse.table.cursor_key == browse.table.model.view[2].key,
                       what="the cursor two rows down")  # fmt: skip


async def test_a_destructive_key_is_not_replayed_onto_an_unseen_list(
    demo_emulator: Any, make_app: Any
) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        browse = app.browse
        demo_emulator.faults.latency = SLOW
        try:
            type_fast(app, "enter", "d")
            await wait_for(
                pilot,
                lambda: any("Not applied: d" in n.message for n in app._notifications),
                what="the notice that d was dropped",
            )
            assert browse.table.row_count == 0  # the deployments were not shown yet
            await wait_for(pilot, lambda: loaded(app, Kind.SERVICE), what="the deployments")
        finally:
            demo_emulator.faults.latency = 0.0
        await pilot.pause()  # one frame: a confirmation opened by a replayed d would be on top now
        assert app.screen is browse  # no confirmation of a delete was opened


async def test_a_jump_typed_before_the_console_is_connected_is_applied(
    emulator_factory: Any, make_app: Any
) -> None:
    """`2` pressed while the console still connects opens the OS images, not the hosted services
    (the start at the hosted services used to overwrite it)."""
    # Every answer takes 0.5 s, so connecting (certificate check + first list) certainly takes
    # longer than typing one key.
    slow = emulator_factory(seed="demo", faults="latency=0.5")
    app = make_app(slow)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.browse is not None, what="the browse screen")
        await pilot.press("2")
        images = category(Kind.IMAGES).key
        await wait_for(pilot, lambda: app.browse.current.key == images and images in app.browse.listings,
                       timeout=30, what="the OS images listed")  # fmt: skip


async def test_the_loading_indicator_shows_only_when_connecting_takes_a_while(
    emulator_factory: Any, make_app: Any, demo_emulator: Any
) -> None:
    """Drawn from the first frame on, its animation cost every launch ~0.05 s (issue 12 §2): now a
    connection still on its way after SLOW_CONNECTION shows it, until the first list arrives."""
    from smtui.tui.screens.browse import SLOW_CONNECTION
    from smtui.tui.widgets.resource_list import ResourceList

    slow = emulator_factory(seed="demo", faults="latency=1.5")
    app = make_app(slow)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.browse is not None and app.browse.is_mounted, what="the browse")
        listing = app.browse.query_one(ResourceList)
        await wait_for(
            pilot, lambda: listing.has_class("-loading"), timeout=SLOW_CONNECTION + 5, what="the indicator"
        )
        assert app.client is None  # still connecting
        await wait_for(pilot, lambda: app.client is not None, timeout=30, what="the connection")
        await wait_for(pilot, lambda: not listing.has_class("-loading"), what="the indicator gone")

    fast = make_app(demo_emulator)
    async with fast.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: fast.client is not None, what="the connection")
        await pilot.pause()
        assert not fast.browse.query_one(ResourceList).has_class("-loading")
