"""Confirmation of a destructive action: names the exact target and the call, Cancel focused."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

from smtui.forms.validation import check_typed_confirmation
from smtui.tui.dialogs._form_screen import clear_toasts, toasts_beside_modal


@dataclass(frozen=True)
class Confirmed:
    """The user confirmed; ``options`` holds the state of the dialog's checkboxes."""

    options: Mapping[str, bool] = field(default_factory=dict)

    def __getitem__(self, key: str) -> bool:
        return bool(self.options.get(key, False))


class _TypeThroughButton(Button):
    """A button of a typed-name confirmation: a letter typed while it has focus goes to the name.

    Redirected when the app routes the key (not later, when it bubbles up to the screen): keys
    of a burst routed after it then find the name field focused, and all arrive in order.
    """

    # Textual has no public hook at routing time (``on_key`` runs when the key is handled, after
    # keys routed before the redirect): this overrides the private ``Widget._forward_event``.
    def _forward_event(self, event: events.Event) -> None:
        screen = self.screen
        if (
            isinstance(event, events.Key)
            and event.is_printable
            and event.character not in (None, " ")
            and isinstance(screen, ConfirmDialog)
            and screen.type_to_confirm is not None
        ):
            typed = screen.query_one("#confirm-typed", Input)
            screen.set_focus(typed)
            typed._forward_event(event)
            return
        super()._forward_event(event)


CallDescriber = Callable[[Mapping[str, bool]], str]
"""Given the checkbox states, the HTTP call the action will make (``"DELETE /…?comp=media"``)."""


class ConfirmDialog(ModalScreen[Confirmed | None]):
    """Asks before a destructive call.

    Args:
        title: The question (``"Delete role myvm?"``).
        target: Which object, spelled out (service / deployment / role).
        call: The HTTP call (or a function of the checkbox states returning it).
        options: Checkboxes as ``{key: (label, initial)}`` (e.g. delete media too).
        type_to_confirm: If given, the user must type this exact text before confirming.
        confirm_label: The label of the confirming button.
    """

    DEFAULT_CSS = """
    ConfirmDialog {
        align: center middle;
        & > #confirm-box {
            width: 90%; max-width: 90; height: auto; max-height: 96%;
            border: round $error; background: $surface; padding: 0 1;
        }
        & #confirm-title { text-style: bold; color: $error; height: auto; }
        & #confirm-target { height: auto; margin-top: 1; }
        & #confirm-call { color: $warning; height: auto; margin: 1 0; }
        & #confirm-hint { color: $text-muted; height: auto; }
        & #confirm-typed { margin-bottom: 1; }
        & #confirm-problem { color: $error; height: auto; }
        & #confirm-buttons { height: auto; align-horizontal: right; }
        & #confirm-buttons > Button { margin-left: 1; }
    }
    """ + toasts_beside_modal("ConfirmDialog")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="confirm-cancel"),
        Binding("left,right", "switch_button", "Switch", show=False),
        Binding("y", "answer(True)", "Yes", show=False),
        Binding("n", "answer(False)", "No", show=False),
    ]

    def __init__(
        self,
        title: str,
        target: str,
        call: str | CallDescriber,
        *,
        options: Mapping[str, tuple[str, bool]] | None = None,
        type_to_confirm: str | None = None,
        confirm_label: str = "Delete",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.target = target
        self._call = call
        self.option_specs = dict(options or {})
        self.type_to_confirm = type_to_confirm
        self.confirm_label = confirm_label

    def options(self) -> dict[str, bool]:
        """The current state of the checkboxes."""
        if not self.is_mounted:
            return {key: initial for key, (_, initial) in self.option_specs.items()}
        return {key: self.query_one(f"#opt-{key}", Checkbox).value for key in self.option_specs}

    @property
    def call(self) -> str:
        """The call the action will make, for the current checkbox states."""
        return self._call if isinstance(self._call, str) else self._call(self.options())

    @property
    def text(self) -> str:
        """Everything the dialog says, as plain text."""
        return "\n".join((self.title_text, self.target, self.call))

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(self.title_text, id="confirm-title", markup=False)
            yield Static(self.target, id="confirm-target", markup=False)
            yield Static(f"Will call: {self.call}", id="confirm-call", markup=False)
            for key, (label, initial) in self.option_specs.items():
                yield Checkbox(label, initial, id=f"opt-{key}", compact=True)
            if self.type_to_confirm is not None:
                yield Static(f"Type {self.type_to_confirm!r} to confirm:", id="confirm-hint", markup=False)
                yield Input(
                    placeholder=self.type_to_confirm, id="confirm-typed", compact=True, select_on_focus=False
                )
                yield Static("", id="confirm-problem")
            with Horizontal(id="confirm-buttons"):
                yield _TypeThroughButton("Cancel", id="cancel")
                yield _TypeThroughButton(
                    self.confirm_label,
                    id="confirm",
                    variant="error",
                    disabled=self.type_to_confirm is not None,
                )

    def on_mount(self) -> None:
        # A toast sat over the typed-name input and the buttons at 80x24: clear them.
        clear_toasts(self.app)
        # Cancel is the default: Enter on an unread dialog must never delete anything.
        self.query_one("#cancel", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer":
            # y / n answer a plain question; where the name must be typed, letters are text.
            return self.type_to_confirm is None
        return True

    def action_answer(self, yes: bool) -> None:
        """``y`` confirms, ``n`` cancels (only when no name has to be typed)."""
        if yes:
            self.action_confirm()
        else:
            self.action_cancel()

    def on_key(self, event: events.Key) -> None:
        # Cancel keeps the focus (Enter must not delete), but typing the name should just work:
        # letters typed while a button has focus go to the name field.
        if self.type_to_confirm is None or not event.is_printable or event.character in (None, " "):
            return
        typed = self.query_one("#confirm-typed", Input)
        if typed.has_focus:
            return
        event.stop()
        event.prevent_default()
        self.set_focus(typed)
        typed.insert_text_at_cursor(event.character or "")

    @on(Checkbox.Changed)
    def _options_changed(self) -> None:
        self.query_one("#confirm-call", Static).update(f"Will call: {self.call}")

    @on(Input.Changed, "#confirm-typed")
    def _typed(self, event: Input.Changed) -> None:
        assert self.type_to_confirm is not None
        ok = check_typed_confirmation(event.value, self.type_to_confirm) is None
        self.query_one("#confirm", Button).disabled = not ok
        self.query_one("#confirm-problem", Static).update("")

    @on(Input.Submitted, "#confirm-typed")
    def _typed_enter(self) -> None:
        self.action_confirm()

    def action_switch_button(self) -> None:
        """Move focus between the two buttons."""
        cancel = self.query_one("#cancel", Button)
        confirm = self.query_one("#confirm", Button)
        (confirm if cancel.has_focus and not confirm.disabled else cancel).focus()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Do nothing."""
        self.dismiss(None)

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        """Go ahead (only once the typed name matches, if one is required)."""
        if self.type_to_confirm is not None:
            typed = self.query_one("#confirm-typed", Input).value
            problem = check_typed_confirmation(typed, self.type_to_confirm)
            if problem:
                self.query_one("#confirm-problem", Static).update(problem)
                return
        self.dismiss(Confirmed(self.options()))
