"""Help for the focused view: the keys that work right now, grouped by where they come from."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

GROUPS = {
    "BigTable": "List",
    "ResourceList": "List",
    "NavTree": "Tree",
    "DetailsPane": "Details",
    "FilterBar": "Filter",
    "OpsSidebar": "Operations",
    "BrowseScreen": "Browse",
    "FleetScreen": "Fleet view",
    "AuditLogScreen": "Audit log",
    "SmtuiApp": "Everywhere",
}
KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "full_stop": ".",
    "escape": "Esc",
    "enter": "Enter",
    "backspace": "Backspace",
    "shift+tab": "Shift+Tab",
    "tab": "Tab",
    "pageup": "PgUp",
    "pagedown": "PgDn",
}

EXTRA = (
    "Filter syntax: text (any column), !text (rows without it), column:text (one column).\n"
    "Enter drills down, Esc goes back up (and first clears a filter or leaves zoom).\n"
    "ctrl+p lists every action. K on a storage account shows its keys, masked until revealed."
)


def _key(key: str) -> str:
    return KEY_NAMES.get(key, key)


class HelpScreen(ModalScreen[None]):
    """Lists the enabled bindings of the screen below, for the widget that has focus."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q,f1", "dismiss(None)", "Close", id="help.close"),
    ]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > VerticalScroll { width: 90%; max-width: 100; height: 90%; border: round $primary;
                             background: $surface; padding: 0 1; }
    }
    """

    def __init__(self, target: Screen[Any]) -> None:
        super().__init__()
        self.target = target
        # Read the keys now, while ``target`` is still the active screen: the app hides some
        # actions (operations, pause, track) whenever another screen is on top.
        self.groups = self._collect(target)

    @staticmethod
    def _collect(target: Screen[Any]) -> dict[str, list[tuple[str, str]]]:
        groups: dict[str, list[tuple[str, str]]] = {}
        seen: set[tuple[str, str]] = set()
        for key, active in target.active_bindings.items():
            binding = active.binding
            # The footer shows a short label; help has room for the full name.
            description = binding.tooltip or binding.description
            if not description or not active.enabled:
                continue
            group = GROUPS.get(type(active.node).__name__, type(active.node).__name__)
            entry = (description, _key(key))
            if (group, description) in seen:
                groups[group] = [
                    (d, k + f", {_key(key)}" if d == description else k) for d, k in groups[group]
                ]
                continue
            seen.add((group, description))
            groups.setdefault(group, []).append(entry)
        return groups

    def compose(self) -> ComposeResult:
        focused = self.target.focused
        where = type(focused).__name__ if focused is not None else type(self.target).__name__
        groups = self.groups
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        order = ["Filter", "Browse", "Everywhere", "Operations", "List", "Tree", "Details"]
        self.entries: list[tuple[str, str, str]] = []
        for group in sorted(groups, key=lambda g: order.index(g) if g in order else 0):
            table.add_row(Text(group, style="bold underline"), "")
            for description, keys in groups[group]:
                table.add_row(keys, description)
                self.entries.append((group, keys, description))
        with VerticalScroll():
            yield Static(Text(f"Keys that work now (focus: {GROUPS.get(where, where)})", style="bold"))
            yield Static(table)
            yield Static(Text("\n" + EXTRA, style="dim"))
            yield Static(Text("Esc or ? closes this help.", style="dim"))
