"""A one-field modal: ask for a value (a request id, a file path)."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

T = TypeVar("T")


class SmallModal(ModalScreen[T]):
    """A small centred box: a bold title, the content, a muted hint line.

    Subclasses size the box (``& > Vertical { width: …; max-width: …; }``) and may recolour its border.
    """

    DEFAULT_CSS = """
    SmallModal {
        align: center middle;
        & > Vertical { height: auto; border: round $primary; background: $surface; padding: 0 1; }
        & .modal-title { text-style: bold; }
        & .modal-hint { color: $text-muted; }
    }
    """


class PromptScreen(SmallModal[str | None]):
    """Enter returns the text, Esc returns None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel", id="prompt.cancel")]

    DEFAULT_CSS = """
    PromptScreen > Vertical { width: 80%; max-width: 90; }
    """

    def __init__(self, title: str, placeholder: str = "", value: str = "", hint: str = "") -> None:
        super().__init__()
        self.prompt_title = title
        self.placeholder = placeholder
        self.value = value
        self.hint = hint or "Enter to accept, Esc to cancel"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.prompt_title, id="prompt-title", classes="modal-title", markup=False)
            yield Input(value=self.value, placeholder=self.placeholder, id="prompt-input")
            yield Static(self.hint, id="prompt-hint", classes="modal-hint", markup=False)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)


class ConfirmScreen(SmallModal[bool]):
    """A yes/no question; ``y`` confirms, ``n``/Esc cancels (the safe answer is the default)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "dismiss(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "dismiss(False)", "No", id="confirm.no"),
    ]

    DEFAULT_CSS = """
    ConfirmScreen > Vertical { width: 70%; max-width: 80; border: round $warning; }
    """

    def __init__(self, title: str, question: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.confirm_title = title
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.confirm_title, id="confirm-title", classes="modal-title", markup=False)
            yield Static(self.question, markup=False)
            yield Static("y = yes, n or Esc = no", id="confirm-hint", classes="modal-hint", markup=False)
