"""SVG snapshots of the main screens at 80x24 and 120x40 (pytest-textual-snapshot).

The emulator behind them runs with a frozen clock, seeded randomness and counted ids, and the
app with a frozen clock and fixed ``user@host``/endpoint, so every run draws the same screen.
Update after a deliberate UI change with ``pytest tests/tui/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from smtui.tui.nodes import Kind
from tests.tui.helpers import FROZEN_NOW, IDS, SIZES, at_rest, connection_for, drill, loaded, settle, wait_for


@pytest.mark.parametrize("size", SIZES)
def test_services_tree_table_details(
    frozen_emulator: Any, make_app: Any, snap_compare: Any, size: Any
) -> None:
    app = make_app(frozen_emulator, frozen=True)
    assert snap_compare(app, terminal_size=size, run_before=settle(app))


@pytest.mark.parametrize("size", SIZES)
def test_role_details_raw_xml(frozen_emulator: Any, make_app: Any, snap_compare: Any, size: Any) -> None:
    app = make_app(frozen_emulator, frozen=True)

    async def run(pilot: Any) -> None:
        await settle(app)(pilot)
        await drill(pilot, app, Kind.SERVICE, Kind.DEPLOYMENT, Kind.ROLE)
        await pilot.press("down", "x")
        details = app.browse.query_one("DetailsPane")
        await wait_for(pilot, lambda: details.active_tab == "xml" and details.title.startswith("os-disk:"))
        await at_rest(pilot, app)

    assert snap_compare(app, terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_operations_sidebar_with_pending_operation(
    frozen_emulator_for_changes: Any, make_app: Any, snap_compare: Any, size: Any
) -> None:
    emu = frozen_emulator_for_changes
    app = make_app(emu, frozen=True)

    async def run(pilot: Any) -> None:
        await settle(app)(pilot)
        IDS.counter = 1000  # the shutdown's request id is the same in every run
        async with connection_for(emu).create_client() as client:
            response = await client.shutdown_role_instance("fabrikam-api", "fabrikam-api", "api01", "Stopped")
        assert response.status_code == 202, response.error
        app.track_operation(response.request_id, "ShutdownRoleInstance", "fabrikam-api/fabrikam-api/api01")
        app.query_one("OpsSidebar").add_class("-visible")
        app._redraw_operations()
        await wait_for(pilot, lambda: app.query_one("OpsSidebar").region.width > 0, what="the sidebar")
        await at_rest(pilot, app)

    assert snap_compare(app, terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_profiles_screen(frozen_emulator: Any, make_app: Any, snap_compare: Any, size: Any) -> None:
    from smtui.profiles import store
    from smtui.profiles.model import Profile

    store.save_profile(Profile("production", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", read_only=True))
    store.save_profile(Profile("staging", "11111111-2222-3333-4444-555555555555", serialize_type="JSON"))
    app = make_app(frozen_emulator, frozen=True)

    async def run(pilot: Any) -> None:
        await settle(app)(pilot)
        await pilot.press("P")
        await wait_for(
            pilot, lambda: app.screen.query("BigTable") and app.screen.query_one("BigTable").row_count == 2
        )
        app.update_header()
        await at_rest(pilot, app)

    assert snap_compare(app, terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(frozen_emulator: Any, make_app: Any, snap_compare: Any, size: Any) -> None:
    app = make_app(frozen_emulator, frozen=True)
    assert snap_compare(app, press=["question_mark"], terminal_size=size, run_before=settle(app))


@pytest.mark.parametrize("size", SIZES)
def test_filtered_image_list(frozen_emulator: Any, make_app: Any, snap_compare: Any, size: Any) -> None:
    app = make_app(frozen_emulator, frozen=True)

    async def run(pilot: Any) -> None:
        await settle(app)(pilot)
        await pilot.press("2")
        await wait_for(pilot, lambda: loaded(app, Kind.IMAGES))
        app.browse.query_one("FilterBar").cursor_blink = False
        await pilot.press("slash", *"windows", "enter")
        await wait_for(pilot, lambda: app.browse.table.model.filter_text == "windows", what="the filter")
        await at_rest(pilot, app)

    assert snap_compare(app, terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES)
def test_startup_error_screen(emulator: Any, tmp_path: Path, snap_compare: Any, size: Any) -> None:
    from smtui.profiles.connection import Connection
    from smtui.tui.app import SmtuiApp
    from smtui.tui.screens.startup_error import StartupErrorScreen

    conn = connection_for(emulator)
    conn = Connection(**{**conn.__dict__, "host": "127.0.0.1:9", "subscription_id": "0f1e2d3c-0000"})
    app = SmtuiApp(
        connection=conn,
        refresh_interval=0,
        clock=lambda: FROZEN_NOW,
        user_host="operator@jumphost",
        operations_file=tmp_path / "ops.json",
    )

    async def run(pilot: Any) -> None:
        await wait_for(pilot, lambda: isinstance(app.screen, StartupErrorScreen), timeout=30)  # retries first
        await at_rest(pilot, app)

    assert snap_compare(app, terminal_size=size, run_before=run)
