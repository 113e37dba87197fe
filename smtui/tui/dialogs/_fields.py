"""Form building blocks shared by the dialogs: a labelled field with its error line.

A :class:`FormField` wraps one control (``Input``, ``Select``, ``Checkbox``) under a key that
matches the validators' field keys (``"role_name"``, ``"endpoints.0.public_port"``), so a
dialog can route each message from :mod:`smtui.forms.validation` to the field it is about.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static

MASKED = "********"


class SecretInput(Input):
    """A password input whose messages never carry the password in their ``repr``.

    Textual writes every message it dispatches to ``TEXTUAL_LOG`` (and devtools) using the
    message's ``repr``; a stock ``Input.Changed`` would put the admin password there.
    """

    class Changed(Input.Changed):
        """``Input.Changed`` with the value masked in ``repr``."""

        def __repr__(self) -> str:
            return f"SecretInput.Changed(input={self.input!r}, value={MASKED!r})"

    class Submitted(Input.Submitted):
        """``Input.Submitted`` with the value masked in ``repr``."""

        def __repr__(self) -> str:
            return f"SecretInput.Submitted(input={self.input!r}, value={MASKED!r})"

    class Blurred(Input.Blurred):
        """``Input.Blurred`` with the value masked in ``repr``."""

        def __repr__(self) -> str:
            return f"SecretInput.Blurred(input={self.input!r}, value={MASKED!r})"

    def __init__(self, value: str = "", placeholder: str = "", **kwargs: Any) -> None:
        super().__init__(value, placeholder=placeholder, password=True, **kwargs)


def dom_id(key: str) -> str:
    """A DOM id for a field key (ids may not contain dots)."""
    return "f-" + key.replace(".", "--")


def read_control(control: Widget) -> Any:
    """The current value of a form control as plain Python (text, bool)."""
    if isinstance(control, Input):
        return control.value
    if isinstance(control, Select):
        value = control.value
        return "" if value is Select.NULL else str(value)
    if isinstance(control, Checkbox):
        return control.value
    raise TypeError(f"unsupported form control {type(control).__name__}")


def write_control(control: Widget, value: Any) -> None:
    """Set a control's value (used to restore what the user typed)."""
    if isinstance(control, Input):
        control.value = str(value)
    elif isinstance(control, Select):
        control.value = value if value else Select.NULL
    elif isinstance(control, Checkbox):
        control.value = bool(value)


class FormField(Vertical):
    """A label, one control and the line that shows the control's validation message."""

    DEFAULT_CSS = """
    FormField {
        height: auto;
        & > Horizontal { height: auto; }
        & > Horizontal > Label { width: 20; padding: 0 1 0 0; color: $text-muted; }
        & > Horizontal > Input, & > Horizontal > Select { width: 1fr; }
        &.inline > Horizontal > Label { width: auto; padding: 0 1 0 0; }
        &.inline > .field-error { padding-left: 0; }
        & > .field-error { color: $error; padding-left: 20; display: none; height: auto; }
        &.-invalid > .field-error { display: block; }
        &.-invalid > Horizontal > Label { color: $error; }
    }
    """

    def __init__(self, label: str, control: Widget, key: str, *, id: str | None = None) -> None:
        super().__init__(id=id or dom_id(key))
        self.label = label
        self.control = control
        self.key = key
        self._shown = ""
        self.touched = False
        """Whether the user changed or left this field; live validation only reports touched fields."""

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(self.label)
            yield self.control
        yield Static("", classes="field-error", markup=False)

    @property
    def value(self) -> Any:
        """The control's value."""
        return read_control(self.control)

    @value.setter
    def value(self, new: Any) -> None:
        write_control(self.control, new)

    @property
    def error(self) -> str:
        """The message currently shown under the field ("" when none)."""
        return self._shown

    def set_error(self, message: str | None) -> None:
        """Show ``message`` under the field, or clear it."""
        text = message or ""
        if text == self._shown:
            return  # unchanged: don't make Textual lay the form out again on every keystroke
        self._shown = text
        self.query_one(".field-error", Static).update(text)
        self.set_class(bool(text), "-invalid")


def text_field(
    label: str,
    key: str,
    value: str = "",
    *,
    placeholder: str = "",
    password: bool = False,
    restrict: str | None = None,
    id: str | None = None,
) -> FormField:
    """A field with a one-line text input."""
    control: Input
    if password:
        control = SecretInput(value, placeholder=placeholder, compact=True)
    else:
        control = Input(value, placeholder=placeholder, restrict=restrict, compact=True)
    return FormField(label, control, key, id=id)


def select_field(
    label: str,
    key: str,
    options: Iterable[tuple[str, str]],
    value: str = "",
    *,
    allow_blank: bool = False,
    id: str | None = None,
) -> FormField:
    """A field with a drop-down of ``(label, value)`` options."""
    opts = list(options)
    initial: Any = value if value in {v for _, v in opts} else (Select.NULL if allow_blank else opts[0][1])
    control: Select[str] = Select(opts, value=initial, allow_blank=allow_blank or not opts, compact=True)
    return FormField(label, control, key, id=id)


def check_field(label: str, key: str, value: bool = False, *, id: str | None = None) -> FormField:
    """A field with a checkbox."""
    return FormField("", Checkbox(label, value, compact=True), key, id=id)
