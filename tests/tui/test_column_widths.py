"""Columns at 80x24: the name (or an image's label) is what a user reads, so it gives way last."""

from __future__ import annotations

from typing import Any

from smtui.tui.nodes import Kind
from smtui.tui.widgets.big_table import fit_widths
from tests.tui.helpers import loaded, wait_for


def test_name_column_is_squeezed_last() -> None:
    # Deployment list at 80 columns: name, slot, status, roles, ready, label.
    widths = fit_widths([19, 10, 8, 7, 7, 19], 55, keep=[0])
    assert sum(widths) + 2 * 5 <= 55 and widths[0] >= 15
    # A short type column keeps its width while a long detail column gives way first.
    assert fit_widths([9, 35, 9, 40], 55, keep=[1]) == [9, 21, 9, 10]


def test_optional_columns_are_hidden_before_a_kept_column_is_cut_short() -> None:
    # OS images beside the tree: label and name (kept) would be squeezed to ~20 cells each.
    natural = [48, 48, 7, 8, 3, 10]
    widths = fit_widths(natural, 53, keep=[0, 1], optional=[2, 3, 4, 5])
    assert widths[2:] == [0, 0, 0, 0] and sum(widths) + 2 <= 53
    # The rightmost optional column goes first, and only as many as needed.
    widths = fit_widths(natural, 117, keep=[0, 1], optional=[2, 3, 4, 5])
    assert all(widths[2:]) and min(widths[:2]) >= 38
    widths = fit_widths([48, 48, 7, 8, 3, 10], 100, keep=[0, 1], optional=[2, 3, 4, 5])
    assert widths[5] == 0 and widths[2] > 0
    # Without optional columns nothing is hidden.
    assert all(fit_widths(natural, 53, keep=[0, 1]))


async def test_names_are_readable_at_80x24(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        table = app.browse.table
        assert table.widths[0] >= len("adventure-works")
        await pilot.press("4")
        await wait_for(pilot, lambda: loaded(app, Kind.STORAGE))
        assert table.widths[0] >= len("contosoportalvhds")


async def test_image_labels_are_readable_at_80x24(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await pilot.press("2")
        await wait_for(pilot, lambda: loaded(app, Kind.IMAGES))
        table = app.browse.table
        keys = [c.key for c in table.columns]
        label, name = keys.index("label"), keys.index("name")
        # Names are "<32 hex digits>__…": the label is what a user reads to pick an image, and the
        # name (cut in the middle) needs room for its end — squeezed to 6 cells it read "03f55…".
        # Both share the room left by the other columns (tests/tui/test_image_names.py).
        assert label == 0 and table.widths[label] >= 9 and table.widths[name] >= 9
