"""The operations sidebar: tracking, polling to completion, a failed pasted id, its place on a narrow
terminal, persistence across restarts (written off the event loop, flushed on exit)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Input

from smtui.profiles import operations_store
from smtui.tui.nodes import Kind
from smtui.tui.operations_tracker import IN_PROGRESS, SUCCEEDED, StoreWriter
from smtui.tui.widgets.nav_tree import NavTree
from smtui.tui.widgets.ops_sidebar import OpsSidebar
from tests.tui.helpers import (
    loaded,
    notified,
    run_client,
    sidebar_text,
    start_shutdown,
    unique,
    wait_for,
)
from tests.tui.keyboard import paste


async def test_pasted_request_id_goes_in_progress_then_succeeded(
    emulator_factory: Any, make_app: Any
) -> None:
    # A shutdown takes 6 s: the first poll, 1 s after the id is pasted, finds it still running even
    # on a loaded machine (the id is pasted in one event: typed key by key it could take longer).
    emu = emulator_factory(seed="demo", speed=0.5)
    app = make_app(emu)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        request_id = await start_shutdown(emu, "web02")
        await pilot.press("T")
        await wait_for(pilot, lambda: isinstance(app.focused, Input), what="the request id prompt")
        await paste(pilot, request_id)
        await pilot.press("enter")
        await wait_for(pilot, lambda: request_id in app.tracker.operations, what="the pasted id tracked")
        sidebar = app.browse.query_one(OpsSidebar)
        assert sidebar.has_class("-visible")  # shown automatically on a wide terminal
        op = app.tracker.operations[request_id]
        # What the service answered, not the tracker's starting state: the first poll says InProgress.
        await wait_for(pilot, lambda: op.polls >= 1, what="the first poll")
        assert op.status == IN_PROGRESS and op.finished is None and op.error_code is None
        assert "InProgress" in sidebar_text(app) and request_id in sidebar_text(app)
        await wait_for(pilot, lambda: op.status == SUCCEEDED, timeout=30)
        await wait_for(pilot, lambda: "Succeeded" in sidebar_text(app), what="Succeeded in the sidebar")
        await wait_for(pilot, lambda: notified(app, "succeeded"), what="a toast saying it succeeded")
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
        await wait_for(pilot, lambda: request_id in sidebar_text(first), what="the operation in the sidebar")
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
        await wait_for(pilot, lambda: notified(app, "press o"), what="a toast saying it started")
        sidebar = app.browse.query_one(OpsSidebar)
        assert not sidebar.has_class("-visible")
        started = [str(n.message) for n in app._notifications if "press o" in str(n.message)]
        assert started, [str(n.message) for n in app._notifications]


async def test_operations_sidebar_takes_the_trees_place_on_a_narrow_terminal(
    demo_emulator: Any, make_app: Any
) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        tree = app.browse.query_one(NavTree)
        await pilot.press("o")
        await pilot.pause()
        assert tree.region.width == 0
        assert app.browse.table.region.width >= 40
        empty = app.browse.query_one("#ops-empty")
        assert empty.region.y <= 4  # the hint sits under the title, not at the bottom
        await pilot.press("o")
        await pilot.pause()
        assert tree.region.width > 0
        await pilot.resize_terminal(120, 30)
        await pilot.press("o")
        await pilot.pause()
        assert tree.region.width > 0  # wide enough for both


async def test_a_pasted_request_id_reads_well_when_it_fails(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await pilot.press("T")
        await pilot.pause()
        await pilot.press(*"not-a-real-id", "enter")
        await wait_for(pilot, lambda: any(n.title == "Operation failed" for n in app._notifications))
        assert app.tracker.operations["not-a-real-id"].target == "pasted id"
        (note,) = [n for n in app._notifications if n.title == "Operation failed"]
        assert note.message.startswith("Request on pasted id failed\n404 ResourceNotFound")
        assert "(pasted)" not in note.message and "request id not-a-real-id" in note.message


async def test_operations_store_is_written_off_the_event_loop_and_flushed_on_exit(
    emulator: Any, make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = unique("stored")
    created = await run_client(emulator, lambda c: c.create_hosted_service(service, {"Location": "West US"}))
    request_id = str(created.request_id)
    writers: list[str] = []

    def spy(write: Callable[..., Any], delay: float) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            writers.append(threading.current_thread().name)
            time.sleep(delay)  # a slow disk, or a lock held by `smtui ls operations`
            return write(*args, **kwargs)

        return wrapped

    monkeypatch.setattr(operations_store, "record_operation", spy(operations_store.record_operation, 0.2))
    monkeypatch.setattr(operations_store, "update_operation", spy(operations_store.update_operation, 0.4))
    app = make_app(emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await pilot.press("T")
        await pilot.press(*request_id, "enter")
        op = app.tracker.operations[request_id]
        await wait_for(pilot, lambda: op.status == SUCCEEDED)
    # Both writes ran, in order, on another thread, and the last one was not lost on exit.
    assert len(writers) == 2 and threading.main_thread().name not in writers
    stored = {o.request_id: o for o in operations_store.load_operations(app.operations_file)}
    assert stored[request_id].status == SUCCEEDED


def test_store_writer_keeps_the_order_of_writes() -> None:
    writer = StoreWriter()
    done: list[tuple[int, str]] = []
    for i in range(50):
        writer.submit(lambda i=i: done.append((i, threading.current_thread().name)))
    assert writer.close(timeout=5)
    writer.submit(lambda: done.append((50, threading.current_thread().name)))  # a new thread
    assert writer.flush(timeout=5)
    assert [i for i, _ in done] == list(range(51))
    assert {name for _, name in done} == {"smtui-operations-store"}
    writer.close(timeout=5)
