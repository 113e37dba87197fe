"""The screen shown when smtui cannot connect: what went wrong and what to do about it."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from smtui.tui.widgets.header_bar import HeaderBar
from smtui.tui.widgets.key_footer import KeyFooter


class StartupErrorScreen(Screen[str]):
    """A clear explanation instead of a traceback. Dismisses with ``"retry"`` or ``"profiles"``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "dismiss('retry')", "Retry", id="startup.retry"),
        Binding("p", "dismiss('profiles')", "Profiles", id="startup.profiles"),
        Binding("e", "dismiss('emulator')", "Use the emulator", id="startup.emulator"),
        Binding("q", "app.quit", "Quit", id="startup.quit"),
    ]

    DEFAULT_CSS = """
    StartupErrorScreen {
        align: center middle;
        & > #box { width: 90%; max-width: 100; height: auto; border: heavy $error; padding: 1 2;
                   background: $surface; }
        & #title { text-style: bold; color: $error; }
        & #hint { margin-top: 1; }
    }
    """

    def __init__(self, title: str, detail: str, hints: list[str]) -> None:
        super().__init__()
        self.error_title = title
        self.detail = detail
        self.hints = hints

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        with Vertical(id="box"):
            yield Static(Text(self.error_title), id="title")
            yield Static(Text(self.detail))
            hint = Text("What to do:\n", style="bold")
            for line in self.hints:
                hint.append(f"  • {line}\n", style="")
            yield Static(hint, id="hint")
        yield KeyFooter()
