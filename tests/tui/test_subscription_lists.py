"""The Subscription node's lists: every top-level list loads named rows; VM images, affinity
groups, quotas."""

from __future__ import annotations

from typing import Any

from smtui.tui.nodes import Kind
from smtui.tui.screens.browse import JUMPS
from tests.tui.helpers import (
    loaded,
    wait_for,
)


async def _go_to(pilot: Any, title: str) -> None:
    """Open a list the way a user does without a number key: the command palette."""
    await pilot.press("ctrl+p")
    await pilot.press(*f"Go to {title}")
    # The palette searches off the key handler: wait until it lists a match.
    await wait_for(pilot, lambda: any(o.option_count for o in pilot.app.screen.query("CommandList")))
    await pilot.press("enter")


def _rows(app: Any) -> dict[str, tuple[str, ...]]:
    return {row.cells[0]: tuple(row.cells) for row in app.browse.table.model.view}


async def test_vm_images_affinity_groups_and_quotas_are_listed(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await _go_to(pilot, "VM images")
        await wait_for(pilot, lambda: loaded(app, Kind.VM_IMAGES), what="VM images")
        images = _rows(app)
        assert len(images) >= 5 and all(row[1] in ("Linux", "Windows") for row in images.values())
        await _go_to(pilot, "Affinity groups")
        await wait_for(pilot, lambda: loaded(app, Kind.AFFINITY_GROUPS), what="affinity groups")
        assert _rows(app)["contoso-west"][1:3] == ("West US", "Contoso West")
        await _go_to(pilot, "Quotas")
        await wait_for(pilot, lambda: loaded(app, Kind.QUOTAS), what="quotas")
        quotas = _rows(app)
        assert quotas["Hosted services"][2] == "200" and int(quotas["Hosted services"][1]) >= 5
        assert int(quotas["Cores"][1]) > 0 and quotas["Storage accounts"][1] == "3"
        await pilot.press("backspace")
        await wait_for(pilot, lambda: loaded(app, Kind.SUBSCRIPTION), what="subscription")
        assert {"VM images", "Affinity groups", "Quotas"} <= set(_rows(app))


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
