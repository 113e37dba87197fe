"""Follow-ups from QA at 80x24 and 120x40: the cursor after a create, breadcrumbs with the slot,
hints that fit, the filter's keys in the footer, a tree that grows with the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from smtui.tui.dialogs.preview import RequestPreviewDialog
from smtui.tui.nodes import Kind
from smtui.tui.widgets.breadcrumbs import Breadcrumbs
from tests.tui.test_actions import _dialog, console, fill, operation_done, unique, wait_for, wait_screen
from tests.tui.test_browse import loaded


async def test_cursor_lands_on_the_created_hosted_service(emulator: Any, tmp_path: Path) -> None:
    service = unique("zz-new")  # sorts last: the cursor would otherwise happen to be there
    async with console(emulator, tmp_path) as (app, pilot):
        browse = app.browse
        assert browse is not None
        await pilot.press("c")
        dialog = await wait_screen(pilot, app, _dialog("CreateHostedServiceDialog"))
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
