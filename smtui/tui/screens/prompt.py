"""A one-field modal: ask for a value (a request id, a file path)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class PromptScreen(ModalScreen[str | None]):
    """Enter returns the text, Esc returns None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel", id="prompt.cancel")]

    DEFAULT_CSS = """
    PromptScreen {
        align: center middle;
        & > Vertical { width: 80%; max-width: 90; height: auto; border: round $primary;
                       background: $surface; padding: 0 1; }
        & #prompt-title { text-style: bold; }
        & #prompt-hint { color: $text-muted; }
    }
    """

    def __init__(self, title: str, placeholder: str = "", value: str = "", hint: str = "") -> None:
        super().__init__()
        self.prompt_title = title
        self.placeholder = placeholder
        self.value = value
        self.hint = hint or "Enter to accept, Esc to cancel"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.prompt_title, id="prompt-title", markup=False)
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input")
            yield Static(self.hint, id="prompt-hint", markup=False)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; ``y`` confirms, ``n``/Esc cancels (the safe answer is the default)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "dismiss(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "dismiss(False)", "No", id="confirm.no"),
    ]

    DEFAULT_CSS = """
    ConfirmScreen {
        align: center middle;
        & > Vertical { width: 70%; max-width: 80; height: auto; border: round $warning;
                       background: $surface; padding: 0 1; }
        & #confirm-title { text-style: bold; }
        & #confirm-hint { color: $text-muted; }
    }
    """

    def __init__(self, title: str, question: str) -> None:
        super().__init__()
        self.confirm_title = title
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.confirm_title, id="confirm-title", markup=False)
            yield Static(self.question, markup=False)
            yield Static("y = yes, n or Esc = no", id="confirm-hint", markup=False)
