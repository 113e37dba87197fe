"""Follow-ups from QA at 80x24 and 120x40: the cursor after a create, breadcrumbs with the slot,
hints that fit, the filter's keys in the footer, a tree that grows with the terminal."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from textual.geometry import Region
from textual.widgets import Input

from smtui.profiles import operations_store
from smtui.tui.dialogs._fields import FormField
from smtui.tui.dialogs.preview import RequestPreviewDialog
from smtui.tui.nodes import Kind
from smtui.tui.operations_tracker import SUCCEEDED, StoreWriter
from smtui.tui.screens.browse import JUMPS
from smtui.tui.widgets.breadcrumbs import Breadcrumbs
from smtui.tui.widgets.nav_tree import NavTree
from tests.tui.helpers import (
    assert_footer_fits,
    console,
    dialog_class,
    fill,
    footer_keys,
    loaded,
    operation_done,
    run_client,
    screen_text,
    unique,
    wait_for,
    wait_screen,
)


async def test_cursor_lands_on_the_created_hosted_service(emulator: Any, tmp_path: Path) -> None:
    service = unique("zz-new")  # sorts last: the cursor would otherwise happen to be there
    async with console(emulator, tmp_path) as (app, pilot):
        browse = app.browse
        assert browse is not None
        await pilot.press("c")
        dialog = await wait_screen(pilot, app, dialog_class("CreateHostedServiceDialog"))
        await fill(pilot, dialog, "service_name", service)
        await pilot.press("ctrl+s")
        await wait_screen(pilot, app, RequestPreviewDialog)
        await pilot.press("enter")
        op = await operation_done(pilot, app, "CreateHostedService")
        assert op.status == "Succeeded"
        key = f"service/{service}"
        await wait_for(pilot, lambda: key in browse.items, what="the new service listed")
        await pilot.pause(0.1)
        assert browse.table.cursor_key == key


async def test_breadcrumbs_name_the_deployment_slot_at_80x24(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        for kind in (Kind.SERVICE, Kind.DEPLOYMENT, Kind.ROLE):
            await pilot.press("enter")
            await wait_for(pilot, lambda kind=kind: loaded(app, kind))
        await pilot.pause()
        line = app.browse.query_one(Breadcrumbs).render().plain
        assert line.rstrip().endswith("contoso-web › contoso-web-prod (Production) › web01"), line
        assert len(line) <= 78


async def test_existing_os_disk_hint_is_readable_at_80x24(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await pilot.press("enter")
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICE))
        await pilot.press("c")
        builder = await wait_screen(pilot, app, dialog_class("VMRoleBuilder"))
        await pilot.pause(0.3)
        cut = [
            (f.key, f.control.placeholder, f.control.content_size.width)
            for f in builder.query(FormField)
            if isinstance(f.control, Input) and cell_len(f.control.placeholder) > f.control.content_size.width
        ]
        assert not cut, cut
        target = builder.field("os_disk.disk_name").control
        for _ in range(20):  # tab down to the field, as a user would
            if app.focused is target:
                break
            await pilot.press("tab")
        assert app.focused is target
        await pilot.pause(0.2)
        text = screen_text(app)
        assert "or the name of a registered OS disk" in text
        assert "boots as it is: no image, no provisioning set" in text


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


def tree_lines(app: Any) -> list[str]:
    tree = app.browse.query_one(NavTree)
    return [strip.text for strip in tree.render_lines(Region(0, 0, tree.size.width, tree.size.height))]


async def test_tree_grows_with_the_terminal_so_deployment_names_fit(
    demo_emulator: Any, make_app: Any
) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        tree = app.browse.query_one(NavTree)
        assert tree.outer_size.width == 24  # 80 columns: the list needs the room
        await pilot.press("enter")
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICE))
        await pilot.resize_terminal(120, 40)
        await pilot.pause(0.2)
        assert 24 < tree.outer_size.width <= 120 // 2
        lines = tree_lines(app)
        for label in ("contoso-web-prod (Production) ●", "contoso-web-staging (Staging) ●"):
            assert any(label in line for line in lines), lines
        await pilot.press("o")  # the operations sidebar takes its room back from the tree
        await pilot.pause(0.2)
        assert tree.outer_size.width == 24
        await pilot.resize_terminal(200, 50)
        await pilot.press("o")
        await pilot.pause(0.2)
        assert tree.outer_size.width <= 50  # a wide terminal goes to the list


async def test_every_top_level_list_loads_named_rows(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        for key, kind in JUMPS.items():
            await pilot.press(key)
            await wait_for(pilot, lambda kind=kind: loaded(app, kind))
            for item in app.browse.items.values():
                # OS images show their label first (names share a publisher prefix), the name second.
                name_cell = item.cells[1] if kind is Kind.IMAGES else item.cells[0]
                assert item.ref.parent() == app.browse.current and name_cell == item.ref.name != ""
