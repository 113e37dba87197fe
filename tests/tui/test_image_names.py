"""The OS images list tells its rows apart: platform image names share a 32-hex-digit publisher
prefix, so the label comes first and the name is cut in the middle (its end differs).

Checked on the screen, as an operator reads it, at 80 and 120 columns with and without the tree.
"""

from __future__ import annotations

from typing import Any

import pytest

from smtui.tui.nodes import Kind, category
from smtui.tui.widgets.big_table import BigTable
from tests.tui.helpers import screen_lines, wait_for


async def image_rows(pilot: Any, *, tree: bool) -> tuple[list[str], list[Any]]:
    """The table's rows as shown (header left out) and the images they are, top to bottom."""
    app = pilot.app
    key = category(Kind.IMAGES).key
    await wait_for(pilot, lambda: app.browse is not None, what="the console")
    await pilot.press("2")
    await wait_for(pilot, lambda: key in app.browse.listings, what="the OS images")
    if not tree:
        await pilot.press("t")
    await pilot.pause()
    table = app.screen.query_one(BigTable)
    await wait_for(pilot, lambda: table.region.width and table.model.view, what="the table drawn")
    await pilot.pause()
    region = table.region
    lines = screen_lines(app)[region.y + 1 : region.bottom]
    shown = [line[region.x : region.right].rstrip() for line in lines]
    images = [row.cells for row in table.model.view[: len(shown)]]
    return [s for s in shown if s], images


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("tree", [True, False], ids=["tree", "no-tree"])
async def test_every_image_row_on_screen_shows_the_end_of_its_name(
    demo_emulator: Any, make_app: Any, size: tuple[int, int], tree: bool
) -> None:
    """Cut at its end, every platform image name read ``03f55…``: only its publisher."""
    async with make_app(demo_emulator).run_test(size=size) as pilot:
        shown, images = await image_rows(pilot, tree=tree)
    assert len(shown) >= 8
    for line, cells in zip(shown, images, strict=False):
        label, name = cells[0], cells[1]
        assert line.startswith(label[:5]), (line, label)  # the label is the first column
        assert name[-4:] in line, f"the end of {name} is not shown: {line!r}"


# With the tree beside it the table has ~53 (80 columns) or ~82 cells (120) for six columns: the
# three "Visual Studio … 2015 RC" and the Oracle EE/SE images read alike there until the
# secondary columns (OS, category, size, date: all in the details pane) gave way to label and name.
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("tree", [True, False], ids=["tree", "no-tree"])
async def test_no_two_image_rows_on_screen_read_the_same(
    demo_emulator: Any, make_app: Any, size: tuple[int, int], tree: bool
) -> None:
    async with make_app(demo_emulator).run_test(size=size) as pilot:
        shown, _ = await image_rows(pilot, tree=tree)
    # Label and name only: OS, size, category and date (where shown) may well be the same.
    seen: dict[str, str] = {}
    for line in shown:
        os_at = [line.index(f"  {os}") for os in ("Windows", "Linux") if f"  {os}" in line]
        head = line[: os_at[0]] if os_at else line
        assert head not in seen, f"two rows read the same:\n{seen[head]}\n{line}"
        seen[head] = line


async def test_secondary_columns_come_back_when_there_is_room(demo_emulator: Any, make_app: Any) -> None:
    """Hidden only to make room: at 120 columns without the tree every column is shown."""
    async with make_app(demo_emulator).run_test(size=(120, 40)) as pilot:
        await image_rows(pilot, tree=False)
        table = pilot.app.screen.query_one(BigTable)
        header = screen_lines(pilot.app)[table.region.y][table.region.x : table.region.right]
    for label in ("Label", "Name", "OS", "Category", "GB", "Published"):
        assert label in header, header
