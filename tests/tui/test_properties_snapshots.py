"""SVG snapshots of the Properties tree of a role (endpoints, disks) at 80x24, 120x40 and NO_COLOR.

Update after a deliberate change with ``pytest tests/tui/test_properties_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from typing import Any

import pytest

from smtui.tui.nodes import Kind
from smtui.tui.widgets.property_tree import PropertyTree
from tests.tui.helpers import SIZES, at_rest, drill, settle, wait_for


def role_properties(app: Any) -> Any:
    """``run_before``: open the first role, focus its Properties on its first input endpoint."""

    async def run(pilot: Any) -> None:
        await settle(app)(pilot)
        await drill(pilot, app, Kind.SERVICE, Kind.DEPLOYMENT)
        await wait_for(pilot, lambda: app.browse.query_one("DetailsPane").title == "role: web01")
        tree = app.browse.query_one(PropertyTree)
        while app.focused is not tree:
            await pilot.press("tab")
        for _ in range(20):
            node = tree.cursor_node
            if node is not None and node.data is not None and node.data.name.startswith("http "):
                break
            await pilot.press("down")
        await at_rest(pilot, app)

    return run


@pytest.mark.parametrize("size", SIZES)
def test_role_properties_tree(frozen_emulator: Any, make_app: Any, snap_compare: Any, size: Any) -> None:
    app = make_app(frozen_emulator, frozen=True)
    assert snap_compare(app, terminal_size=size, run_before=role_properties(app))


def test_role_properties_tree_no_color(
    frozen_emulator: Any, make_app: Any, snap_compare: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(frozen_emulator, frozen=True)
    assert app.no_color
    assert snap_compare(app, terminal_size=(80, 24), run_before=role_properties(app))
