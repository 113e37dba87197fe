"""Provides the breadcrumb line: where in the subscription the table is."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class Breadcrumbs(Widget):
    """``Subscription › Hosted services › web › prod (Production)`` — the last crumb in bold.

    When the line is too long, crumbs are dropped from the left (the current place matters most).
    """

    DEFAULT_CSS = """
    Breadcrumbs {
        height: 1;
        color: $text-muted;
        background: $surface;
        padding: 0 1;
    }
    """

    crumbs: reactive[tuple[str, ...]] = reactive(())
    """Labels from the subscription down."""

    suffix: reactive[str] = reactive("")
    """Right-aligned extra (row counts, filter)."""

    def set_path(self, crumbs: Sequence[str], suffix: str | None = None) -> None:
        """Show a new path (and optionally a new suffix)."""
        self.crumbs = tuple(crumbs)
        if suffix is not None:
            self.suffix = suffix

    def render(self) -> Text:
        width = max(self.size.width - 2, 10)
        suffix = Text(self.suffix, style="dim")
        crumbs = list(self.crumbs)
        while True:
            text = Text(no_wrap=True, overflow="ellipsis")
            if len(crumbs) < len(self.crumbs):
                text.append("… › ")
            for index, crumb in enumerate(crumbs):
                last = index == len(crumbs) - 1
                text.append(crumb, style="bold" if last else "")
                if not last:
                    text.append(" › ")
            if text.cell_len + suffix.cell_len + 2 <= width or len(crumbs) <= 1:
                break
            crumbs = crumbs[1:]
        if suffix.cell_len:
            text.pad_right(max(width - text.cell_len - suffix.cell_len, 2))
            text.append_text(suffix)
        return text
