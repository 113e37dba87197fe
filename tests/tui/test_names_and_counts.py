"""Lists that say what they hold: counts in the singular, empty lists naming the key that makes one,
failed requests named, unknown filter columns named, data disks named after their LUN."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from smtui.tui.nodes import Kind
from tests.tui.helpers import (
    console,
    dialog_class,
    fill,
    go_to_role,
    loaded,
    make_vm,
    open_preview,
    operation_done,
    run_client,
    screen_lines,
    wait_for,
    wait_screen,
)


def screen(app: Any) -> str:
    return "\n".join(screen_lines(app))


async def open_service(pilot: Any, app: Any, name: str) -> None:
    browse = app.browse
    await wait_for(pilot, lambda: f"service/{name}" in browse.items, what=name)
    browse.table.move_cursor_to_key(f"service/{name}")
    await pilot.press("enter")
    key = f"service/{name}"
    await wait_for(pilot, lambda: browse.current.key == key and key in browse.listings, what=f"{name} listed")


async def test_one_item_is_counted_in_the_singular(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await wait_for(pilot, lambda: "5 hosted services" in screen(app), what="5 hosted services")
        await open_service(pilot, app, "contoso-web")
        await wait_for(pilot, lambda: "2 deployments" in screen(app), what="2 deployments")
        await pilot.press("j", "enter")  # the staging deployment has one role
        await wait_for(pilot, lambda: loaded(app, Kind.DEPLOYMENT), what="the staging roles")
        assert app.browse.table.row_count == 1
        await wait_for(pilot, lambda: "1 role" in screen(app), what="1 role")
        text = screen(app)
        assert "1 role" in text and "1 roles" not in text and "1 items" not in text


async def test_an_empty_list_names_what_is_missing_and_the_key_that_makes_one(
    demo_emulator: Any, make_app: Any
) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await open_service(pilot, app, "adventure-works")
        assert "No deployments in adventure-works — press c to create one" in screen(app)
    app = make_app(demo_emulator, read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:  # read-only: no key to offer
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await open_service(pilot, app, "adventure-works")
        text = screen(app)
        assert "No deployments in adventure-works" in text and "press c" not in text


async def test_a_failed_list_says_which_request_failed(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        browse = app.browse
        r = await run_client(
            demo_emulator, lambda c: c.create_hosted_service("gone-soon", {"Location": "West US"})
        )
        assert r.is_successful, r.error
        await pilot.press("r")
        await wait_for(pilot, lambda: "service/gone-soon" in browse.items, what="the new service listed")
        r = await run_client(demo_emulator, lambda c: c.delete_hosted_service("gone-soon"))
        assert r.is_successful, r.error
        await open_service(pilot, app, "gone-soon")  # deleted behind the console's back
        error = browse.listings["service/gone-soon"].error
        request = "GET …/services/hostedservices/gone-soon?embed-detail=true"
        assert error and error.startswith(f"{request} failed: 404 ")
        assert "Error: GET …/services/hostedservices/gone-soon?embed-detail=true failed: 404" in screen(app)


async def test_a_filter_on_a_missing_column_names_the_columns(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await pilot.press("slash", *"nosuchcol:x", "enter")
        await wait_for(pilot, lambda: "no column" in screen(app), what="the message")
        text = screen(app)
        assert 'no column "nosuchcol"; columns: name, location, status' in text
        assert "No rows match" not in text
        await pilot.press("escape")
        await pilot.press("slash", *"name:zzz", "enter")  # a real column: the plain message
        await wait_for(pilot, lambda: "No rows match the filter" in screen(app), what="the plain message")


async def test_an_added_data_disk_is_named_after_its_lun_not_like_the_os_disk(
    emulator: Any, tmp_path: Path
) -> None:
    service, dep, (role,) = await make_vm(emulator)
    async with console(emulator, tmp_path) as (app, pilot):
        await go_to_role(pilot, app, service, dep, role)
        await pilot.press("c")
        dialog = await wait_screen(pilot, app, dialog_class("AddDataDiskDialog"))
        await fill(pilot, dialog, "data_disk.size_gb", "20")
        await open_preview(pilot, app)
        await pilot.press("enter")
        assert (await operation_done(pilot, app, "AddDataDisk")).status == "Succeeded"
    got = await run_client(emulator, lambda c: c.get_role(service, dep, role))
    os_name = got.response.os_virtual_hard_disk.disk_name
    (data,) = got.response.data_virtual_hard_disks
    assert os_name.startswith(f"{service}-{role}-0-")
    assert data.disk_name.startswith(f"{service}-{role}-1-")  # LUN 0 + 1: never the OS disk's "-0-"
