"""Provides a table that renders only the visible rows (Line API), for lists of any size."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from smtui.tui.table_model import CHANGED, NEW, REMOVED, Column, TableModel, TableRow

GAP = 2
"""Blank cells between two columns."""

MIN_WIDTH = 6
"""Narrowest a column is squeezed to when the table is wider than the screen."""


SHORT_WIDTH = 10
"""Other columns give up cells down to this before a ``keep`` column gives any."""

KEEP_WIDTH = 20
"""A ``keep`` column gives up cells down to this before other columns go below SHORT_WIDTH."""

LEGIBLE_WIDTH = 38
"""Optional columns are hidden before a ``keep`` column is cut below this (or its own width)."""


def fit_widths(
    widths: Sequence[int], available: int, keep: Sequence[int] = (), optional: Sequence[int] = ()
) -> list[int]:
    """Shrink the widest columns until the row fits ``available`` cells (never below MIN_WIDTH).

    Columns whose index is in ``keep`` (the name) are shrunk last: at 80 columns
    "contoso-web-prod" and "contoso-web-staging" must not both read "contos…". Columns in
    ``optional`` are hidden instead (width 0), the rightmost first, while a ``keep`` column would
    otherwise be cut below LEGIBLE_WIDTH: the OS images' labels and names tell rows apart only
    when shown whole enough; their OS, size and date are in the details pane anyway.
    """
    hidden: set[int] = set()
    while True:
        shown = [i for i in range(len(widths)) if i not in hidden]
        fitted = _shrink([widths[i] for i in shown], available, [shown.index(i) for i in keep if i in shown])
        result = [0] * len(widths)
        for position, index in enumerate(shown):
            result[index] = fitted[position]
        cut = any(result[i] < min(widths[i], LEGIBLE_WIDTH) for i in keep)
        left = [i for i in optional if i not in hidden]
        if not cut or not left:
            return result
        hidden.add(max(left))


def _shrink(widths: Sequence[int], available: int, keep: Sequence[int]) -> list[int]:
    result = list(widths)
    excess = sum(result) + GAP * max(len(result) - 1, 0) - available
    others = [i for i in range(len(result)) if i not in keep]
    kept = [i for i in range(len(result)) if i in keep]
    for group, floor in ((others, SHORT_WIDTH), (kept, KEEP_WIDTH), (others, MIN_WIDTH), (kept, MIN_WIDTH)):
        floor = max(floor, MIN_WIDTH)
        while excess > 0:
            candidates = [i for i in group if result[i] > floor]
            if not candidates:
                break
            widest = max(candidates, key=result.__getitem__)
            below = sorted((result[i] for i in candidates), reverse=True)
            target = max(below[1] if len(below) > 1 else floor, floor)
            step = max(1, min(excess, result[widest] - target))
            result[widest] -= step
            excess -= step
    return result


@lru_cache(maxsize=256)
def _parse_style(text: str) -> Style:
    return Style.parse(text)


def _fit(text: str, width: int) -> str:
    """``text`` cut or padded to exactly ``width`` cells (ellipsis when cut)."""
    if text.isascii():
        if len(text) <= width:
            return text.ljust(width)
        return text[: max(width - 1, 0)] + "…" if width else ""
    if cell_len(text) > width:
        return set_cell_size(text, max(width - 1, 0)) + "…" if width else ""
    return set_cell_size(text, width)


def _fit_middle(text: str, width: int) -> str:
    """``text`` in exactly ``width`` cells, cut in the middle (``03f55d…Demo-App-201504.29``)."""
    if cell_len(text) <= width or width < 8:
        return _fit(text, width)
    head = min(6, width // 4)
    tail = width - head - 1
    return set_cell_size(text[:head], head) + "…" + text[-tail:].rjust(tail)


class BigTable(ScrollView, can_focus=True):
    """A sortable, filterable table whose cost is proportional to the rows on screen.

    Textual's ``DataTable`` measures every cell when rows are added (1.6 s for 10,000 rows);
    this widget keeps rows as tuples of strings in a :class:`TableModel` and formats a row
    only when ``render_line`` asks for it, so 50,000 rows load and paint in well under 0.2 s.
    The cursor is kept on the same row *key* across :meth:`set_rows`, sorting and filtering.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", show=False, id="table.up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False, id="table.page-up"),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False, id="table.page-down"),
        Binding("home,g", "first", "First", show=False, id="table.first"),
        Binding("end,G", "last", "Last", show=False, id="table.last"),
        Binding("left,h", "scroll_left", "Left", show=False, id="table.left"),
        Binding("right,l", "scroll_right", "Right", show=False, id="table.right"),
        Binding("enter", "select", "Open", show=False, id="table.select"),
        Binding("s", "cycle_sort", "Sort", show=False, id="table.sort"),
        Binding("S", "reverse_sort", "Reverse sort", show=False, id="table.reverse-sort"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "big-table--header",
        "big-table--cursor",
        "big-table--empty",
        "big-table--new",
        "big-table--changed",
        "big-table--removed",
    }

    DEFAULT_CSS = """
    BigTable {
        background: $surface;
        height: 1fr;
        scrollbar-size-horizontal: 1;
        & > .big-table--header { text-style: bold; background: $panel; color: $foreground; }
        & > .big-table--cursor { background: $block-cursor-blurred-background; }
        & > .big-table--empty { color: $text-muted; text-style: italic; }
        & > .big-table--new { text-style: bold; color: $text-success; }
        & > .big-table--changed { text-style: bold reverse; color: $text-warning; }
        & > .big-table--removed { text-style: strike; color: $text-muted; }
        &:focus > .big-table--cursor {
            background: $block-cursor-background; color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        &:nocolor > .big-table--cursor { text-style: reverse; }
    }
    """

    cursor_row: reactive[int] = reactive(0, always_update=True, init=False)
    """Position of the cursor in the visible (filtered, sorted) rows."""

    empty_text: reactive[str] = reactive("No items")
    """What the table says when it has no rows to show."""

    class TableMessage(Message):
        """Base of the table's messages: ``control`` is the table that sent it."""

        def __init__(self, table: BigTable) -> None:
            super().__init__()
            self.table = table

        @property
        def control(self) -> BigTable:
            """The table that sent the message."""
            return self.table

    class CursorMoved(TableMessage):
        """The highlighted row changed (also sent after a refresh moved it)."""

        def __init__(self, table: BigTable, key: str | None) -> None:
            super().__init__(table)
            self.key = key

    class Selected(TableMessage):
        """Enter (or a double click) on a row."""

        def __init__(self, table: BigTable, key: str) -> None:
            super().__init__(table)
            self.key = key

    class ViewChanged(TableMessage):
        """Rows, filter or sort changed (for "12 of 340" counters)."""

    def __init__(
        self,
        columns: Sequence[Column] = (),
        *,
        blurred_cursor: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.model = TableModel(columns)
        self.blurred_cursor = blurred_cursor
        self._cursor_key: str | None = None
        self.widths: list[int] = []
        self._last_announced: str | None | object = object()
        self._source: str | None = None
        self._version: object = None
        self._since: list[TableRow] | None = None

    # ------------------------------------------------------------------ data

    @property
    def columns(self) -> tuple[Column, ...]:
        """The columns shown."""
        return self.model.columns

    @property
    def row_count(self) -> int:
        """Rows shown (after filtering)."""
        return len(self.model.view)

    @property
    def cursor_key(self) -> str | None:
        """Key of the highlighted row, ``None`` when the table is empty."""
        view = self.model.view
        if 0 <= self.cursor_row < len(view):
            return view[self.cursor_row].key
        return None

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Replace the columns (and drop the rows, which had the old shape)."""
        self.model.set_columns(columns)
        self._cursor_key = None
        self._source = self._since = None
        self._after_change(reset=True)

    def set_rows(
        self,
        rows: Iterable[TableRow],
        *,
        source: str | None = None,
        version: object = None,
        since: Sequence[TableRow] | None = None,
    ) -> None:
        """Replace every row; the cursor stays on the same key if it still exists.

        Changes since the last refresh are marked (new rows, changed cells, removed rows kept
        for one cycle) when ``since`` gives the previous rows, or when ``source`` names the
        same list as the previous call with another ``version`` object (a new fetch of what is
        shown; the same object again is a redraw and keeps the marks it had).
        """
        self._cursor_key = self.cursor_key or self._cursor_key
        new = list(rows)
        baseline: list[TableRow] | None = list(since) if since is not None else None
        if baseline is None and source is not None and source == self._source:
            baseline = self._since if version is self._version else self.model.live_rows
        self._source = source
        self._version = version
        self._since = baseline
        self.model.set_rows(new, since=baseline)
        self._after_change()

    def set_filter(self, text: str) -> None:
        """Filter rows (``text``, ``!text``, ``column:text``); empty text shows every row."""
        self._cursor_key = self.cursor_key or self._cursor_key
        self.model.set_filter(text)
        self._after_change()

    def sort_by(self, column: int | str | None, reverse: bool = False) -> None:
        """Sort by a column index or key; ``None`` restores the service's order."""
        self._cursor_key = self.cursor_key or self._cursor_key
        self.model.sort_by(column, reverse)
        self._after_change()

    def move_cursor_to_key(self, key: str) -> bool:
        """Put the cursor on the row with ``key``; False if no such row is shown."""
        index = self.model.index_of(key)
        if index is None:
            return False
        self.cursor_row = index
        return True

    def _fit(self) -> None:
        # Computed from the widget's own size (not the content region, which shrinks a frame later
        # when the scrollbar appears) so the same rows always get the same widths.
        available = self.size.width or 80
        if len(self.model.view) + 1 > self.size.height:
            available -= self.styles.scrollbar_size_vertical
        keep = [i for i, col in enumerate(self.model.columns) if col.keep]
        optional = [i for i, col in enumerate(self.model.columns) if col.optional]
        widths = fit_widths(self.model.widths, available - 1, keep, optional)
        self.widths = widths
        shown = [w for w in widths if w]
        total_width = sum(shown) + GAP * max(len(shown) - 1, 0) + 1
        self.virtual_size = Size(total_width, len(self.model.view) + 1)

    def on_focus(self, event: events.Focus) -> None:
        self.refresh()

    def on_blur(self, event: events.Blur) -> None:
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._fit()
        self.refresh()

    def _after_change(self, reset: bool = False) -> None:
        self._fit()
        index = None if reset or self._cursor_key is None else self.model.index_of(self._cursor_key)
        if index is None:
            index = 0 if reset else min(self.cursor_row, max(len(self.model.view) - 1, 0))
        self.cursor_row = index
        self.post_message(self.ViewChanged(self))
        self.refresh()

    # ------------------------------------------------------------------ cursor

    def validate_cursor_row(self, value: int) -> int:
        return max(0, min(value, len(self.model.view) - 1)) if self.model.view else 0

    def watch_cursor_row(self, old: int, new: int) -> None:
        key = self.cursor_key
        if key is not None:
            self._cursor_key = key
        self._scroll_cursor_into_view()
        self.refresh()
        if key != self._last_announced:
            self._last_announced = key
            self.post_message(self.CursorMoved(self, key))

    def _scroll_cursor_into_view(self) -> None:
        if not self.model.view:
            return
        visible = max(self.scrollable_content_region.height - 1, 1)
        top = int(self.scroll_y)
        row = self.cursor_row
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + visible:
            self.scroll_to(y=row - visible + 1, animate=False, immediate=True)

    def _page(self) -> int:
        return max(self.scrollable_content_region.height - 2, 1)

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_page_up(self) -> None:
        self.cursor_row -= self._page()

    def action_page_down(self) -> None:
        self.cursor_row += self._page()

    def action_first(self) -> None:
        self.cursor_row = 0

    def action_last(self) -> None:
        self.cursor_row = len(self.model.view) - 1

    def action_select(self) -> None:
        key = self.cursor_key
        if key is not None:
            self.post_message(self.Selected(self, key))

    def action_cycle_sort(self) -> None:
        """Sort by the next column (after the last one: the service's order)."""
        current = self.model.sort_column
        count = len(self.model.columns)
        nxt = 0 if current is None else current + 1
        self.sort_by(nxt if nxt < count else None)

    def action_reverse_sort(self) -> None:
        """Flip the direction of the current sort (sorting by the first column if none)."""
        column = 0 if self.model.sort_column is None else self.model.sort_column
        self.sort_by(column, not self.model.sort_reverse)

    # ------------------------------------------------------------------ mouse

    def _column_at(self, x: int) -> int | None:
        position = 0
        for index, width in enumerate(self.widths):
            if not width:  # hidden (optional, no room)
                continue
            if position <= x < position + width + GAP:
                return index
            position += width + GAP
        return None

    async def _on_click(self, event: events.Click) -> None:
        x = event.x + int(self.scroll_x)
        if event.y == 0:
            column = self._column_at(x)
            if column is not None:
                same = self.model.sort_column == column
                self.sort_by(column, not self.model.sort_reverse if same else False)
            return
        row = int(self.scroll_y) + event.y - 1
        if 0 <= row < len(self.model.view):
            self.cursor_row = row
            if event.chain >= 2:
                self.action_select()

    # ------------------------------------------------------------------ rendering

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            strip = self._header_strip()
            style = base + self.get_component_rich_style("big-table--header")
        else:
            index = scroll_y + y - 1
            view = self.model.view
            if index < len(view):
                cursor = index == self.cursor_row and (self.blurred_cursor or self.has_focus)
                strip = self._row_strip(view[index], cursor)
                style = base
            elif y == 1 and not view:
                text = self.empty_text if not self.model.filter_text else (
                    self.model.filter_problem() or "No rows match the filter"
                )
                empty = base + self.get_component_rich_style("big-table--empty")
                return Strip([Segment(" " + text, empty)]).crop_extend(0, width, base)
            else:
                return Strip.blank(width, base)
        return strip.crop_extend(scroll_x, scroll_x + width, style)

    def _header_strip(self) -> Strip:
        style = self.rich_style + self.get_component_rich_style("big-table--header")
        model = self.model
        parts: list[Segment] = []
        for index, (col, width) in enumerate(zip(model.columns, self.widths, strict=False)):
            if not width:  # hidden (optional, no room)
                continue
            label = col.label
            if index == model.sort_column:
                label = f"{label} {'▼' if model.sort_reverse else '▲'}"
            parts.append(Segment(_fit(label, width), style))
            parts.append(Segment(" " * GAP, style))
        return Strip(parts)

    def _row_strip(self, row: TableRow, is_cursor: bool) -> Strip:
        base = self.rich_style
        if is_cursor:
            base = base + self.get_component_rich_style("big-table--cursor")
        mark = None if is_cursor else self.model.mark_of(row.key)
        changed: frozenset[int] = frozenset()
        if mark == REMOVED:
            base = base + self.get_component_rich_style("big-table--removed")
        elif mark == NEW:
            base = base + self.get_component_rich_style("big-table--new")
        elif mark == CHANGED:
            changed = self.model.changes.cells.get(row.key, frozenset())
        gap = Segment(" " * GAP, base)
        parts: list[Segment] = []
        cells = zip(self.model.columns, self.widths, row.cells, strict=False)
        for index, (col, width, text) in enumerate(cells):
            if not width:  # hidden (optional, no room)
                continue
            style = base
            if col.style is not None and not is_cursor and mark != REMOVED:
                extra = col.style(text)
                if extra:
                    style = base + _parse_style(extra)
            if index in changed:
                style = style + self.get_component_rich_style("big-table--changed")
            fitted = _fit_middle(text, width) if col.elide_middle else _fit(text, width)
            parts.append(Segment(fitted, style))
            parts.append(gap)
        return Strip(parts)

    def region_for_row(self, index: int) -> Region:
        """Screen region of a row (used by tests and by callers that want to scroll to it)."""
        return Region(0, index + 1, self.virtual_size.width, 1)
