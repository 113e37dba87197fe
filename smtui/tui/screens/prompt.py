"""A one-field modal: ask for a value (a request id, a file path)."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from smtui.tui.dialogs._form_screen import clear_toasts, settled, toasts_beside_modal

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
    """ + toasts_beside_modal("SmallModal")

    def on_mount(self) -> None:
        # A toast must not sit over the question or the input (it did at 80x24).
        clear_toasts(self.app)


class PromptScreen(SmallModal[str | None]):
    """Enter returns the text, Esc returns None."""

    # Priority: the prompt closes before the app routes the keys typed after Enter / Esc (a
    # burst), so they reach the screen below instead of vanishing with the prompt's input.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel", id="prompt.cancel", priority=True),
        Binding("enter", "accept", "Accept", show=False, priority=True),
    ]

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

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#prompt-input", Input))

    async def action_accept(self) -> None:
        """Return the text typed (None when empty)."""
        field = self.query_one("#prompt-input", Input)
        await settled([field])  # the characters typed just before Enter
        self.dismiss(field.value.strip() or None)


class DiscardChangesScreen(SmallModal[bool]):
    """Asks "Discard changes?" over a form: Enter / ``y`` discards, Esc / ``n`` goes back to it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,y", "dismiss(True)", "Discard", priority=True, id="discard.yes"),
        Binding("escape,n", "dismiss(False)", "Back to the form", priority=True, id="discard.no"),
    ]

    DEFAULT_CSS = """
    DiscardChangesScreen > Vertical { width: 70%; max-width: 64; border: round $warning; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Discard changes?", id="discard-title", classes="modal-title", markup=False)
            yield Static(
                "What you typed is kept as a draft for this session (passwords are not).", markup=False
            )
            yield Static("enter/y Discard · esc/n Back to the form", id="discard-hint", classes="modal-hint",
                         markup=False)  # fmt: skip


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
