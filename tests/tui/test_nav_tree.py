"""The navigation tree: it grows with the terminal so deployment names fit, and gives its room
to the operations sidebar."""

from __future__ import annotations

from typing import Any

from textual.geometry import Region

from smtui.tui.nodes import Kind
from smtui.tui.widgets.nav_tree import NavTree
from smtui.tui.widgets.ops_sidebar import OpsSidebar
from tests.tui.helpers import (
    loaded,
    wait_for,
)


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
        await wait_for(pilot, lambda: tree.outer_size.width > 24, what="the tree grown at 120 columns")
        assert 24 < tree.outer_size.width <= 120 // 2
        lines = tree_lines(app)
        for label in ("contoso-web-prod (Production) ●", "contoso-web-staging (Staging) ●"):
            assert any(label in line for line in lines), lines
        sidebar = app.browse.query_one(OpsSidebar)
        await pilot.press("o")  # the operations sidebar takes its room back from the tree
        await wait_for(pilot, lambda: sidebar.region.width > 0, what="the sidebar laid out")
        assert tree.outer_size.width == 24
        await pilot.resize_terminal(200, 50)
        await pilot.press("o")
        await wait_for(pilot, lambda: app.size.width == 200 and sidebar.region.width == 0
                       and tree.outer_size.width > 24, what="the tree alone at 200 columns")  # fmt: skip
        assert tree.outer_size.width <= 50  # a wide terminal goes to the list
