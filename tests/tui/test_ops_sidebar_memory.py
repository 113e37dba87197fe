"""The operations sidebar remembers: closed with o it stays closed; earlier runs' operations are listed."""

from __future__ import annotations

from typing import Any

from smtui.tui.nodes import Kind
from smtui.tui.operations_tracker import SUCCEEDED
from smtui.tui.widgets.ops_sidebar import OpsSidebar
from tests.tui.helpers import loaded, sidebar_text, start_shutdown, wait_for


async def test_closed_with_o_the_sidebar_stays_closed_and_a_toast_says_an_operation_started(
    emulator_factory: Any, make_app: Any
) -> None:
    emu = emulator_factory(seed="demo", speed=2.0)
    app = make_app(emu)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        sidebar = app.browse.query_one(OpsSidebar)
        first = await start_shutdown(emu, "web02")
        await pilot.press("T", *first, "enter")
        assert sidebar.has_class("-visible")  # the first one opens it (wide terminal)
        await pilot.press("o")
        assert not sidebar.has_class("-visible")
        second = await start_shutdown(emu, "web01")
        toasts = len(app._notifications)
        await pilot.press("T", *second, "enter")
        await wait_for(pilot, lambda: len(app._notifications) > toasts, what="a toast")
        assert not sidebar.has_class("-visible")  # the user closed it: it stays closed
        messages = [str(n.message) for n in app._notifications]
        assert any("press o" in m for m in messages), messages
        await pilot.press("o")  # opened again by the user: new operations may show it again
        assert sidebar.has_class("-visible")


async def test_operations_finished_in_an_earlier_run_are_listed_after_a_restart(
    emulator_factory: Any, make_app: Any
) -> None:
    emu = emulator_factory(seed="demo", speed=2.0)
    first = make_app(emu)
    async with first.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: loaded(first, Kind.SERVICES))
        request_id = await start_shutdown(emu, "web02")
        await pilot.press("T", *request_id, "enter")
        op = first.tracker.operations[request_id]
        await wait_for(pilot, lambda: op.status == SUCCEEDED, timeout=15, what="the shutdown to finish")
        assert first.tracker.flush()

    second = make_app(emu)
    async with second.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: second.tracker is not None and request_id in second.tracker.operations,
                       what="the earlier operation listed")
        op = second.tracker.operations[request_id]
        assert op.status == SUCCEEDED and op.earlier and not op.is_pending
        await pilot.press("o")
        text = sidebar_text(second)
        assert request_id in text and "(earlier run)" in text and "Succeeded" in text
