"""The data behind the big-list table: rows, sorting, filtering and the cursor key.

Pure Python (no Textual) so it can be tested and benchmarked on its own. Rows are plain
tuples of strings; everything here is a list comprehension or a ``sorted`` call over them,
which keeps 50,000-row lists well under the 0.2 s first-paint budget.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

Cells = tuple[str, ...]
"""The display text of one row, one string per column."""


class TableRow(NamedTuple):
    """One row of a table (a named tuple: 50,000 of them are cheap to build).

    Attributes:
        key: Stable identity of the row (resource name or path); the cursor follows it.
        cells: Display text, one per column.
    """

    key: str
    cells: Cells


@dataclass(frozen=True)
class Column:
    """A column of the big-list table.

    Attributes:
        key: Identifier used by ``sort_by`` and ``column:value`` filters.
        label: Header text.
        max_width: Widest the column may grow when sized from its content.
        numeric: Sort by number (cells that are not numbers sort first).
        style: Optional function giving a Rich style string for a cell value (e.g. status colours).
        keep: Squeezed last when the table is wider than the screen (the name that tells rows
            apart; every other column is in the details pane anyway).
        elide_middle: Cut in the middle, not at the end, when too wide (names that share a long
            prefix, like platform images' publisher id, differ at their end).
        optional: Hidden rather than let a ``keep`` column be cut when the table is narrow
            (what the details pane shows anyway).
    """

    key: str
    label: str
    max_width: int = 48
    numeric: bool = False
    style: Callable[[str], str | None] | None = field(default=None, compare=False)
    keep: bool = False
    elide_middle: bool = False
    optional: bool = False


@dataclass(frozen=True)
class RowFilter:
    """A parsed filter expression.

    Syntax: plain text matches any cell (case-insensitive substring); ``!text`` inverts;
    ``column:text`` matches one column (by key or label); ``column:!text`` inverts that.
    """

    needle: str
    column: int | None = None
    inverse: bool = False

    @classmethod
    def parse(cls, text: str, columns: Sequence[Column]) -> RowFilter | None:
        """Parse ``text``; ``None`` for an empty filter."""
        text = text.strip()
        inverse = text.startswith("!")
        if inverse:
            text = text[1:].strip()
        column: int | None = None
        match = re.match(r"^([\w-]+):(.*)$", text)
        if match:
            name = match.group(1).casefold()
            for index, col in enumerate(columns):
                if name in (col.key.casefold(), col.label.casefold()):
                    column, text = index, match.group(2).strip()
                    break
            if column is not None and text.startswith("!"):
                # ``status:!ReadyRole``: the inversion may also follow the column name.
                inverse, text = not inverse, text[1:].strip()
        if not text:
            return None
        return cls(text.casefold(), column, inverse)


def _number(value: str) -> tuple[int, float, str]:
    try:
        return (1, float(value), value)
    except ValueError:
        return (0, 0.0, value.casefold())


NEW = "new"
"""Mark of a row that was not there at the previous refresh."""
CHANGED = "changed"
"""Mark of a row with at least one cell different from the previous refresh."""
REMOVED = "removed"
"""Mark of a row gone since the previous refresh (shown for one refresh cycle)."""


@dataclass(frozen=True)
class Changes:
    """What differs between two sets of rows, by row key.

    Attributes:
        marks: Row key → :data:`NEW`, :data:`CHANGED` or :data:`REMOVED`.
        cells: Row key of a changed row → indexes of the cells that differ.
        removed: The rows that are gone, as they were (kept on screen, marked).
    """

    marks: dict[str, str] = field(default_factory=dict)
    cells: dict[str, frozenset[int]] = field(default_factory=dict)
    removed: tuple[TableRow, ...] = ()

    def count(self, mark: str) -> int:
        """How many rows carry ``mark``."""
        return sum(1 for value in self.marks.values() if value == mark)


def diff_rows(previous: Sequence[TableRow], current: Sequence[TableRow]) -> Changes:
    """The changes from ``previous`` to ``current`` (both keyed by :attr:`TableRow.key`)."""
    before = {row.key: row.cells for row in previous}
    marks: dict[str, str] = {}
    cells: dict[str, frozenset[int]] = {}
    seen: set[str] = set()
    for row in current:
        seen.add(row.key)
        old = before.get(row.key)
        if old is None:
            marks[row.key] = NEW
        elif old != row.cells:
            differ = frozenset(
                i
                for i in range(max(len(old), len(row.cells)))
                if i >= len(old) or i >= len(row.cells) or old[i] != row.cells[i]
            )
            marks[row.key] = CHANGED
            cells[row.key] = differ
    removed = tuple(row for row in previous if row.key not in seen)
    for row in removed:
        marks[row.key] = REMOVED
    return Changes(marks, cells, removed)


def _with_removed(
    current: list[TableRow], previous: Sequence[TableRow], removed: Sequence[TableRow]
) -> list[TableRow]:
    """``current`` with each removed row put back after the row that preceded it before."""
    if not removed:
        return current
    gone = {row.key for row in removed}
    after: dict[str | None, list[TableRow]] = {}
    anchor: str | None = None
    for row in previous:
        if row.key in gone:
            after.setdefault(anchor, []).append(row)
        else:
            anchor = row.key
    present = {row.key for row in current}
    merged: list[TableRow] = list(after.pop(None, []))
    for row in current:
        merged.append(row)
        merged.extend(after.pop(row.key, []))
    # Rows whose anchor is gone too (or moved away): at the end, in their old order.
    for rows in after.values():
        merged.extend(r for r in rows if r.key not in present)
    return merged


class TableModel:
    """Rows with an optional sort and filter; ``view`` is what the table shows, in order.

    The model never mutates the caller's sequences, and all operations are O(n) or
    O(n log n) over plain tuples. Given the rows of the previous refresh (``since``),
    :meth:`set_rows` also marks what changed (:attr:`changes`): new rows, changed cells and
    removed rows, which stay in the view, marked, until the next :meth:`set_rows`.
    """

    def __init__(self, columns: Sequence[Column] = ()) -> None:
        self.columns: tuple[Column, ...] = tuple(columns)
        self._rows: list[TableRow] = []
        self._haystack: list[str] | None = None
        self.view: list[TableRow] = []
        self.sort_column: int | None = None
        self.sort_reverse = False
        self.filter_text = ""
        self._filter: RowFilter | None = None
        self._index: dict[str, int] | None = None
        self.widths: list[int] = [len(c.label) for c in self.columns]
        self.changes = Changes()
        """What changed at the last :meth:`set_rows` given ``since`` (empty otherwise)."""
        self.live_rows: list[TableRow] = []
        """The rows last set, without the removed rows kept on screen."""

    @property
    def total(self) -> int:
        """Number of rows before filtering (rows marked removed are not counted)."""
        return len(self._rows) - len(self.changes.removed)

    def mark_of(self, key: str) -> str | None:
        """:data:`NEW`, :data:`CHANGED`, :data:`REMOVED` or ``None`` for the row ``key``."""
        return self.changes.marks.get(key)

    def set_columns(self, columns: Sequence[Column]) -> None:
        """Replace the columns (clears sort and filter, which referred to the old ones)."""
        self.columns = tuple(columns)
        self.sort_column = None
        self.sort_reverse = False
        self._filter = RowFilter.parse(self.filter_text, self.columns)
        self._rows = []
        self.live_rows = []
        self.changes = Changes()
        self._rebuild()

    def set_rows(self, rows: Iterable[TableRow], *, since: Sequence[TableRow] | None = None) -> None:
        """Replace every row, keeping the current sort and filter.

        Args:
            rows: The new rows.
            since: The rows of the previous refresh of the same list: what differs is marked
                (:attr:`changes`) and removed rows stay in the view, marked. ``None``: no marks.
        """
        live = list(rows)
        self.live_rows = live
        if since is None:
            self.changes = Changes()
            self._rows = live
        else:
            self.changes = diff_rows(since, live)
            self._rows = _with_removed(live, since, self.changes.removed)
        self._haystack = None
        self._rebuild()

    def filter_problem(self) -> str | None:
        """Why the filter matches nothing when it names a column the list does not have.

        ``nosuchcol:x`` falls back to matching the whole text in any cell (a URL has a colon
        too); only when that matches nothing is the unknown column worth naming.
        """
        match = re.match(r"^!?\s*([\w-]+):", self.filter_text.strip())
        if match is None:
            return None
        name = match.group(1).casefold()
        if any(name in (col.key.casefold(), col.label.casefold()) for col in self.columns):
            return None
        names = ", ".join(col.key for col in self.columns)
        return f'no column "{match.group(1)}"; columns: {names}'

    def set_filter(self, text: str) -> None:
        """Apply a filter expression (see :class:`RowFilter`); empty text clears it."""
        self.filter_text = text
        self._filter = RowFilter.parse(text, self.columns)
        self._rebuild(sizes=False)

    def sort_by(self, column: int | str | None, reverse: bool = False) -> None:
        """Sort by a column index or key (``None`` restores the original order)."""
        if isinstance(column, str):
            keys = [c.key for c in self.columns]
            column = keys.index(column) if column in keys else None
        self.sort_column = column
        self.sort_reverse = reverse
        self._rebuild(sizes=False)

    def index_of(self, key: str) -> int | None:
        """Position of the row with ``key`` in the view, or ``None``."""
        if self._index is None:
            self._index = {row.key: i for i, row in enumerate(self.view)}
        return self._index.get(key)

    def _rebuild(self, sizes: bool = True) -> None:
        rows = self._rows
        flt = self._filter
        if flt is not None:
            rows = self._filtered(flt)
        if self.sort_column is not None and self.sort_column < len(self.columns):
            col = self.sort_column
            if self.columns[col].numeric:
                rows = sorted(rows, key=lambda r: _number(r.cells[col]), reverse=self.sort_reverse)
            else:
                rows = sorted(rows, key=lambda r: r.cells[col].casefold(), reverse=self.sort_reverse)
        elif rows is self._rows:
            rows = list(rows)
        self.view = rows
        self._index = None
        if sizes:
            self._measure()

    def _filtered(self, flt: RowFilter) -> list[TableRow]:
        needle = flt.needle
        if flt.column is not None:
            col = flt.column
            if flt.inverse:
                return [r for r in self._rows if needle not in r.cells[col].casefold()]
            return [r for r in self._rows if needle in r.cells[col].casefold()]
        if self._haystack is None:
            # Built once per data set: joining and case-folding every row is the costly part.
            self._haystack = ["\x00".join(r.cells).casefold() for r in self._rows]
        pairs = zip(self._rows, self._haystack, strict=True)
        if flt.inverse:
            return [r for r, text in pairs if needle not in text]
        return [r for r, text in pairs if needle in text]

    def _measure(self) -> None:
        widths = []
        for i, col in enumerate(self.columns):
            # Sort indicator needs two cells next to the label.
            longest = max(map(len, [r[1][i] for r in self._rows]), default=0)
            widths.append(min(max(len(col.label) + 2, longest), col.max_width))
        self.widths = widths
