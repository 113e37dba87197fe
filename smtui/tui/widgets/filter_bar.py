"""Provides the ``/`` filter input shown under a list."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input


class FilterBar(Input):
    """An input that filters a list as the user types; Esc clears and hides it, Enter keeps it.

    Syntax (see :class:`smtui.tui.table_model.RowFilter`): ``text`` any cell, ``!text`` rows
    without it, ``status:stopped`` one column.
    """

    # Priority, and focus moved at once: a key binding runs only once its key has bubbled up to
    # the app, and by then the keys typed right after Enter ("/web" Enter "j") had been routed to
    # this input already.
    BINDINGS: ClassVar[list[BindingType]] = [
        # Short labels: at 80 columns the footer holds Help plus these two.
        Binding(
            "escape",
            "clear_filter",
            "Clear",
            tooltip="Clear and close the filter",
            id="filter.clear",
            priority=True,
        ),  # fmt: skip
        Binding(
            "enter",
            "keep_filter",
            "Apply",
            tooltip="Keep the filter, to the list",
            id="filter.keep",
            priority=True,
        ),  # fmt: skip
        Binding("down", "keep_filter", "To the list", show=False, id="filter.to-list", priority=True),
    ]

    DEFAULT_CSS = """
    FilterBar {
        dock: bottom;
        height: 1;
        border: none;
        padding: 0 1;
        background: $boost;
        display: none;
        &.-active { display: block; }
        &:focus { border: none; background: $boost; }
    }
    """

    class FilterChanged(Message):
        """The filter text changed (sent as the user types)."""

        def __init__(self, bar: FilterBar, text: str) -> None:
            super().__init__()
            self.bar = bar
            self.text = text

        @property
        def control(self) -> FilterBar:
            """The filter bar."""
            return self.bar

    class FilterDone(Message):
        """The user left the filter (Enter keeps it, Esc cleared it)."""

        def __init__(self, bar: FilterBar, cleared: bool) -> None:
            super().__init__()
            self.bar = bar
            self.cleared = cleared

        @property
        def control(self) -> FilterBar:
            """The filter bar."""
            return self.bar

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="filter: text, !text, column:text  (Esc clears)", id=id, compact=True)

    def open(self) -> None:
        """Show the bar and focus it (keeping the current text)."""
        self.add_class("-active")
        # set_focus, not focus(): the keys typed right after "/" must find the bar focused.
        self.screen.set_focus(self)

    def _back_to_the_list(self) -> None:
        parent = self.parent
        table = next(iter(parent.query("BigTable")), None) if parent is not None else None
        if table is not None:
            self.screen.set_focus(table)

    def _on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.FilterChanged(self, event.value))

    def _on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()

    def action_clear_filter(self) -> None:
        self.value = ""
        self.remove_class("-active")
        self.post_message(self.FilterChanged(self, ""))
        self.post_message(self.FilterDone(self, cleared=True))
        self._back_to_the_list()

    def action_keep_filter(self) -> None:
        if not self.value:
            self.remove_class("-active")
        self.post_message(self.FilterDone(self, cleared=False))
        self._back_to_the_list()
