"""The console driven like a user, against the emulator: drill down and back, breadcrumbs, filter,
raw XML, zoomed details, the cursor after a create."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from smtui.tui.nodes import Kind
from smtui.tui.widgets.breadcrumbs import Breadcrumbs
from smtui.tui.widgets.details_pane import DetailsPane
from smtui.tui.widgets.filter_bar import FilterBar
from tests.tui.helpers import (
    console,
    dialog_class,
    drill,
    fill,
    loaded,
    open_preview,
    operation_done,
    unique,
    wait_for,
    wait_screen,
)


async def test_drill_to_role_instance_and_back(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        browse = app.browse
        assert browse.table.cursor_key == "service/contoso-web"
        await pilot.press("enter")
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICE))
        assert browse.table.cursor_key == "deployment/contoso-web/contoso-web-prod"
        await pilot.press("enter")
        await wait_for(pilot, lambda: loaded(app, Kind.DEPLOYMENT))
        assert [row.key for row in browse.table.model.view][:1] == ["role/contoso-web/contoso-web-prod/web01"]
        await pilot.press("enter")
        await wait_for(pilot, lambda: loaded(app, Kind.ROLE))
        kinds = [browse.items[row.key].ref.kind for row in browse.table.model.view]
        assert kinds[:2] == [Kind.INSTANCE, Kind.OS_DISK] and Kind.DATA_DISK in kinds
        assert browse.selected.model.instance_status == "ReadyRole"
        crumbs = " › ".join(browse.query_one("Breadcrumbs").crumbs)
        assert crumbs == (
            "Subscription › Hosted services › contoso-web › contoso-web-prod (Production) › web01"
        )
        # Back up three levels: the cursor comes back to where we came from each time.
        await pilot.press("escape")
        await wait_for(pilot, lambda: browse.current.kind is Kind.DEPLOYMENT)
        assert browse.table.cursor_key == "role/contoso-web/contoso-web-prod/web01"
        await pilot.press("escape", "escape")
        await wait_for(pilot, lambda: browse.current.kind is Kind.SERVICES)
        assert browse.table.cursor_key == "service/contoso-web"
        await pilot.press("escape")
        assert browse.current.kind is Kind.SUBSCRIPTION
        assert browse.table.cursor_key == "services"


async def test_filter_a_list_and_clear_it(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        total = app.browse.table.row_count
        await pilot.press("2")  # OS images
        await wait_for(pilot, lambda: loaded(app, Kind.IMAGES))
        images = app.browse.table.row_count
        await pilot.press("slash", *"ubuntu")
        assert app.focused is app.browse.query_one(FilterBar)
        shown = app.browse.table.row_count
        assert 0 < shown < images
        assert all("ubuntu" in "".join(row.cells).lower() for row in app.browse.table.model.view)
        await pilot.press("enter")  # keep the filter, back to the list
        assert app.focused is app.browse.table
        status = str(app.browse.query_one("#list-status").render())
        assert f"{shown} of {images}" in status and "filter: ubuntu" in status
        await pilot.press("escape")  # first Esc clears the filter
        assert app.browse.table.row_count == images
        await pilot.press("1")
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await pilot.press("slash", "!", *"contoso")
        view = app.browse.table.model.view
        assert 0 < len(view) < total
        assert not any("contoso" in "".join(row.cells).lower() for row in view)


async def test_raw_xml_and_request_of_the_selected_object(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await drill(pilot, app, Kind.SERVICE, Kind.DEPLOYMENT)
        await pilot.press("x")  # details: properties → XML
        details = app.browse.query_one(DetailsPane)
        await wait_for(pilot, lambda: details.active_tab == "xml", what="the XML tab")
        assert details.raw.startswith("<Role") and "<RoleName>web01</RoleName>" in details.raw
        assert "<RoleList" not in details.raw  # only this role's element, not the whole deployment
        await pilot.press("z")  # zoom the details full screen
        assert app.browse.maximized is details
        await pilot.press("escape")
        assert app.browse.maximized is None
        await pilot.press("x")
        await wait_for(pilot, lambda: details.active_tab == "request", what="the Request tab")
        rows = {row.cells[0]: row.cells[1] for row in details.query_one("#req").model.view}
        assert rows["method"] == "GET"
        assert rows["url"].endswith("/services/hostedservices/contoso-web/deployments/contoso-web-prod")
        assert rows["x-ms-version"] and len(rows["request id"]) >= 32
        assert not any("PRIVATE KEY" in value for value in rows.values())


async def test_storage_keys_have_one_way_in_masked_until_revealed(demo_emulator: Any, make_app: Any) -> None:
    """K opens the keys dialog (masked; r reveals, c copies); the details pane never shows keys."""
    from smtui.tui.dialogs.storage_keys import StorageKeysDialog

    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await pilot.press("4")
        await wait_for(pilot, lambda: loaded(app, Kind.STORAGE))
        browse = app.browse
        details = browse.query_one(DetailsPane)
        for key in ("v", "ctrl+k"):  # the old second paths are gone
            await pilot.press(key)
            await pilot.pause()  # one frame: a screen it opened would be on top now
            assert app.screen is browse
        await pilot.press("K")
        await wait_for(pilot, lambda: isinstance(app.screen, StorageKeysDialog))
        dialog = app.screen
        primary = dialog._keys["primary"]
        assert len(primary) == 88
        assert primary not in app.export_screenshot()
        await pilot.press("r")
        await pilot.pause()
        assert dialog.shown("primary") == primary
        await pilot.press("c")
        assert app.clipboard == primary
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is browse)
        assert app.focused is browse.table
        props = [prop.copy for top in details.props for prop in top.walk()]
        assert primary not in details.raw and primary not in " ".join(props)


async def test_tree_expands_lazily_and_follows_the_table(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        tree = app.browse.query_one("#tree")
        service_node = tree.node_for(app.browse.items["service/contoso-web"].ref)
        assert service_node is not None and not service_node.children
        service_node.expand()
        await wait_for(pilot, lambda: any(c.data is not None for c in service_node.children))
        labels = [str(c.label) for c in service_node.children]
        assert any("contoso-web-prod" in label for label in labels)


async def test_zoomed_details_scroll_with_the_keys(demo_emulator: Any, make_app: Any) -> None:
    """In zoom, arrows scroll the details: they used to move the hidden tree and change the list."""
    from smtui.tui.widgets.details_pane import DetailsPane

    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await drill(pilot, app, Kind.SERVICE, Kind.DEPLOYMENT)
        browse = app.browse
        where, selected = browse.current, browse.table.cursor_key
        await pilot.press("x", "z")
        await pilot.pause()
        xml = browse.query_one(DetailsPane).query_one("#xml-scroll")
        assert app.focused is xml
        await pilot.press("down", "down", "pagedown")
        await pilot.pause()
        assert xml.scroll_y > 0
        assert (browse.current, browse.table.cursor_key) == (where, selected)
        await pilot.press("escape")
        await pilot.pause()
        assert browse.maximized is None and app.focused is browse.table
        assert browse.current == where


async def test_cursor_lands_on_the_created_hosted_service(emulator: Any, tmp_path: Path) -> None:
    service = unique("zz-new")  # sorts last: the cursor would otherwise happen to be there
    async with console(emulator, tmp_path) as (app, pilot):
        browse = app.browse
        assert browse is not None
        await pilot.press("c")
        dialog = await wait_screen(pilot, app, dialog_class("CreateHostedServiceDialog"))
        await fill(pilot, dialog, "service_name", service)
        await open_preview(pilot, app)
        await pilot.press("enter")
        op = await operation_done(pilot, app, "CreateHostedService")
        assert op.status == "Succeeded"
        key = f"service/{service}"
        await wait_for(pilot, lambda: key in browse.items, what="the new service listed")
        await wait_for(pilot, lambda: browse.table.cursor_key == key, what="the cursor on the new service")


async def test_breadcrumbs_name_the_deployment_slot_at_80x24(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await drill(pilot, app, Kind.SERVICE, Kind.DEPLOYMENT, Kind.ROLE)
        await pilot.pause()
        line = app.browse.query_one(Breadcrumbs).render().plain
        assert line.rstrip().endswith("contoso-web › contoso-web-prod (Production) › web01"), line
        assert len(line) <= 78
