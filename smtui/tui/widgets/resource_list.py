"""Provides a titled big-list table with its ``/`` filter bar: the list used everywhere."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import LoadingIndicator, Static

from smtui.tui.table_model import CHANGED, NEW, Column, TableRow
from smtui.tui.widgets.big_table import BigTable
from smtui.tui.widgets.filter_bar import FilterBar


class ResourceList(Vertical):
    """A :class:`BigTable` with a status line (``12 of 340 · filter: web · sorted by name``)
    and a filter bar opened with ``/``.

    The table posts its own messages (``BigTable.CursorMoved``, ``BigTable.Selected``);
    screens handle them.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: "/" opens the filter before the app routes the keys typed behind it, which
        # otherwise reached the list as commands ("/dev" pressed d, Delete, on the selected row).
        Binding("slash", "open_filter", "Filter", id="list.filter", priority=True),
    ]

    DEFAULT_CSS = """
    ResourceList {
        height: 1fr;
        & > #list-status { height: 1; color: $text-muted; padding: 0 1; background: $surface;
                           text-wrap: nowrap; text-overflow: ellipsis; }
        & > LoadingIndicator { height: 1; min-height: 1; display: none; }
        &.-loading > LoadingIndicator { display: block; }
    }
    """

    def __init__(
        self,
        columns: Sequence[Column] = (),
        *,
        id: str | None = None,
        classes: str | None = None,
        noun: str = "items",
        singular: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.noun = noun
        self.singular = singular
        """What one row is (default: ``noun`` without its plural ``s``)."""
        self.table = BigTable(columns)
        self.filter_bar = FilterBar()

    def compose(self) -> ComposeResult:
        yield self.table
        yield LoadingIndicator()
        yield Static("", id="list-status")
        yield self.filter_bar

    # ------------------------------------------------------------------ API

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Replace the columns (drops the rows)."""
        self.table.set_columns(columns)

    def set_rows(
        self,
        rows: Iterable[TableRow],
        *,
        source: str | None = None,
        version: object = None,
        since: Sequence[TableRow] | None = None,
    ) -> None:
        """Replace the rows; cursor, sort and filter stay (changes marked: see ``BigTable.set_rows``)."""
        self.table.set_rows(rows, source=source, version=version, since=since)

    def set_loading(self, loading: bool) -> None:
        """Show or hide the one-line loading indicator (the old rows stay visible meanwhile)."""
        self.set_class(loading, "-loading")

    def clear_filter(self) -> bool:
        """Drop the filter; True if there was one."""
        if not self.table.model.filter_text:
            self.filter_bar.remove_class("-active")
            return False
        self.filter_bar.value = ""
        self.filter_bar.remove_class("-active")
        self.table.set_filter("")
        return True

    def action_open_filter(self) -> None:
        self.filter_bar.open()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While the filter is open "/" types a slash: the footer shows its Esc and Enter instead.
        return not (action == "open_filter" and self.filter_bar.has_focus)

    # ------------------------------------------------------------------ events

    @on(FilterBar.FilterChanged)
    def _filter_changed(self, event: FilterBar.FilterChanged) -> None:
        self.table.set_filter(event.text)

    @on(FilterBar.FilterDone)
    def _filter_done(self, event: FilterBar.FilterDone) -> None:
        self.table.focus()

    @on(BigTable.ViewChanged)
    def _view_changed(self, event: BigTable.ViewChanged) -> None:
        self._update_status()

    def _update_status(self) -> None:
        model = self.table.model
        shown, total = len(model.view), model.total
        noun = self.noun if total != 1 else self.singular or self.noun.removesuffix("s")
        parts = [f"{total} {noun}" if shown == total else f"{shown} of {total} {noun}"]
        if model.filter_text:
            parts.append(f"filter: {model.filter_text}")
        if model.sort_column is not None:
            label = model.columns[model.sort_column].label
            parts.append(f"sorted by {label}{' (desc)' if model.sort_reverse else ''}")
        changes = model.changes
        if changes.marks:
            counts = [(changes.count(NEW), "new"), (changes.count(CHANGED), "changed")]
            counts.append((len(changes.removed), "removed"))
            parts.append("since refresh: " + ", ".join(f"{n} {what}" for n, what in counts if n))
        # One line across the list whatever it says (nowrap, ellipsis): no layout, which would
        # cost a frame of the whole screen each time the rows change (~10 ms with a big table).
        self.query_one("#list-status", Static).update(Text(" · ".join(parts)), layout=False)
