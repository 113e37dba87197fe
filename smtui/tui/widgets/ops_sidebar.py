"""Provides the operations sidebar: every long-running operation and how it is going."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from smtui.tui.messages import ClearFinished
from smtui.tui.operations_tracker import (
    FAILED,
    IN_PROGRESS,
    SUCCEEDED,
    UNKNOWN,
    TrackedOperation,
    format_elapsed,
)

ICONS = {
    IN_PROGRESS: ("◔", "cyan"),
    SUCCEEDED: ("✔", "green"),
    FAILED: ("✘", "red"),
    UNKNOWN: ("?", "yellow"),
}

UNKNOWN_HINT = "  answer lost: may be applied; r refreshes to check, never re-sent"


def render_operation(op: TrackedOperation, now: float) -> Group:
    """Three or four lines: status + operation + elapsed, target, request id, error."""
    icon, colour = ICONS.get(op.status, ("?", ""))
    head = Text(no_wrap=True, overflow="ellipsis")
    head.append(f"{icon} ", style=colour)
    head.append(op.status, style=f"bold {colour}")
    head.append(f" {format_elapsed(op.elapsed(now))}", style="dim")
    if op.earlier:
        head.append(" (earlier run)", style="dim")
    elif op.resumed:
        head.append(" (resumed)", style="dim")
    lines = [
        head,
        Text(f"  {op.operation}", no_wrap=True, overflow="ellipsis", style="bold"),
        Text(f"  {op.target}", no_wrap=True, overflow="ellipsis"),
        Text(f"  {op.request_id}", no_wrap=True, overflow="ellipsis", style="dim"),
    ]
    if op.status == UNKNOWN:
        lines.append(Text(UNKNOWN_HINT, style="yellow"))
    elif op.status == FAILED or (op.is_pending and op.error_code):
        detail = f"  {op.http_status_code or ''} {op.error_code or ''}: {op.error_message or ''}".rstrip(": ")
        lines.append(Text(detail, style="red" if op.status == FAILED else "yellow"))
    return Group(*lines)


class OpsSidebar(Vertical):
    """The sidebar (shown while the app's ``operations_open``). ``refresh_operations`` redraws it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "clear_finished", "Clear finished", id="ops.clear"),
    ]

    DEFAULT_CSS = """
    OpsSidebar {
        dock: right;
        width: 34;
        max-width: 45%;
        height: 1fr;
        background: $surface;
        border-left: solid $panel-lighten-1;
        display: none;
        &.-visible { display: block; }
        & > #ops-title { height: 1; padding: 0 1; text-style: bold; background: $panel; }
        & > OptionList { height: 1fr; border: none; background: $surface; padding: 0; }
        & > #ops-empty { color: $text-muted; padding: 1; }
    }
    """

    def __init__(self, clock: Callable[[], float], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._clock = clock
        self._ops: list[TrackedOperation] = []

    def compose(self) -> ComposeResult:
        yield Static("Operations", id="ops-title")
        yield OptionList(id="ops-list")
        yield Static(
            "No operations yet. Actions you start appear here; T tracks a request id.", id="ops-empty"
        )

    @property
    def selected(self) -> TrackedOperation | None:
        """The highlighted operation."""
        index = self.query_one(OptionList).highlighted
        if index is None or not 0 <= index < len(self._ops):
            return None
        return self._ops[index]

    def refresh_operations(self, operations: Sequence[TrackedOperation]) -> None:
        """Redraw every entry (cheap: the list holds tens of entries, not thousands)."""
        now = self._clock()
        ops = list(reversed(list(operations)))  # newest first
        options = self.query_one(OptionList)
        pending = sum(1 for op in ops if op.is_pending)
        title = f"Operations ({pending} pending)" if pending else "Operations"
        self.query_one("#ops-title", Static).update(title)
        self.query_one("#ops-empty", Static).display = not ops
        options.display = bool(ops)  # otherwise the empty list pushes the hint to the bottom
        same = [op.request_id for op in ops] == [op.request_id for op in self._ops]
        self._ops = ops
        if same:
            for index, op in enumerate(ops):
                options.replace_option_prompt_at_index(index, render_operation(op, now))
            return
        highlighted = options.highlighted
        options.clear_options()
        options.add_options([Option(render_operation(op, now), id=op.request_id) for op in ops])
        if ops:
            options.highlighted = min(highlighted or 0, len(ops) - 1)

    def action_clear_finished(self) -> None:
        """Ask the app (which owns the operations) to forget the finished ones."""
        self.post_message(ClearFinished())
