"""The operations sidebar: tracking, polling to completion, persistence across restarts."""

from __future__ import annotations

from typing import Any

from smtui.profiles import operations_store
from smtui.tui.nodes import Kind
from smtui.tui.operations_tracker import IN_PROGRESS, SUCCEEDED
from smtui.tui.widgets.ops_sidebar import OpsSidebar
from tests.tui.helpers import loaded, sidebar_text, start_shutdown, wait_for


async def test_pasted_request_id_goes_in_progress_then_succeeded(
    emulator_factory: Any, make_app: Any
) -> None:
    emu = emulator_factory(seed="demo", speed=2.0)  # a shutdown takes 1.5 s
    app = make_app(emu)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        request_id = await start_shutdown(emu, "web02")
        await pilot.press("T")
        await pilot.press(*request_id, "enter")
        sidebar = app.browse.query_one(OpsSidebar)
        assert sidebar.has_class("-visible")  # shown automatically on a wide terminal
        op = app.tracker.operations[request_id]
        assert op.status == IN_PROGRESS
        assert "InProgress" in sidebar_text(app) and request_id in sidebar_text(app)
        await wait_for(pilot, lambda: op.status == SUCCEEDED, timeout=15)
        await pilot.pause(0.1)
        assert "Succeeded" in sidebar_text(app)
        assert any("succeeded" in str(n.message) for n in app._notifications)
        assert app.tracker.flush()  # the store is written on its own thread
        stored = {o.request_id: o for o in operations_store.load_operations(app.operations_file)}
        assert stored[request_id].status == SUCCEEDED
        await pilot.press("o")  # toggle key hides it
        assert not sidebar.has_class("-visible")


async def test_pending_operation_is_resumed_after_restart(emulator_factory: Any, make_app: Any) -> None:
    emu = emulator_factory(seed="demo", speed=1.0)  # a shutdown takes 3 s
    first = make_app(emu)
    async with first.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: loaded(first, Kind.SERVICES))
        request_id = await start_shutdown(emu, "web01")
        first.track_operation(request_id, "ShutdownRoleInstance", "contoso-web/contoso-web-prod/web01")
        await pilot.pause(0.2)
        assert first.tracker.operations[request_id].status == IN_PROGRESS
    assert [op.request_id for op in operations_store.pending_operations(first.operations_file)] == [
        request_id
    ]

    second = make_app(emu)
    async with second.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: second.tracker is not None and request_id in second.tracker.operations)
        op = second.tracker.operations[request_id]
        assert op.resumed and op.operation == "ShutdownRoleInstance"
        await pilot.press("o")
        assert "(resumed)" in sidebar_text(second)
        await wait_for(pilot, lambda: op.status == SUCCEEDED, timeout=15)
    assert operations_store.pending_operations(second.operations_file) == []


async def test_narrow_terminal_says_an_operation_started(emulator_factory: Any, make_app: Any) -> None:
    # At 80 columns the sidebar stays hidden, so without a notification nothing on screen showed
    # that the pasted (or just submitted) operation was accepted and is being watched.
    emu = emulator_factory(seed="demo", speed=2.0)
    app = make_app(emu)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        request_id = await start_shutdown(emu, "web02")
        await pilot.press("T")
        await pilot.press(*request_id, "enter")
        await pilot.pause(0.1)
        sidebar = app.browse.query_one(OpsSidebar)
        assert not sidebar.has_class("-visible")
        started = [str(n.message) for n in app._notifications if "press o" in str(n.message)]
        assert started, [str(n.message) for n in app._notifications]
