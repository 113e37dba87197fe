"""Form building blocks shared by the dialogs: a labelled field with its error line.

A :class:`FormField` wraps one control (``Input``, ``Select``, ``Checkbox``) under a key that
matches the validators' field keys (``"role_name"``, ``"endpoints.0.public_port"``), so a
dialog can route each message from :mod:`smtui.forms.validation` to the field it is about.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static

MASKED = "********"
FOCUS_MARK = "▸"
"""Before the label of the focused field: focus must show without colours (NO_COLOR, 16 colours)."""


class FormInput(Input):
    """A form's one-line input: a paste holding Tabs or lines fills the following fields too."""

    def _on_paste(self, event: events.Paste) -> None:
        spread = getattr(self.screen, "paste_across", None)
        if spread is None or not any(sep in event.text for sep in "\t\r\n"):
            return  # Input's own handler inserts the (first line of the) text
        event.stop()
        event.prevent_default()
        spread(self, event.text)


class FormCheckbox(Checkbox):
    """A checkbox drawn ``[x]`` / ``[ ]``: its state must read without colours too."""

    @property
    def _button(self) -> Content:
        button_style = self.get_visual_style("toggle--button")
        # Only the mark takes the button's colours; the brackets stay in the text colour.
        mark = Content.styled("x" if self.value else " ", button_style)
        return Content.assemble("[", mark, "]")


class SecretInput(FormInput):
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
        & > Horizontal > .focus-mark { width: 1; color: $accent; }
        & > Horizontal > Label { width: 19; padding: 0 1 0 0; color: $text-muted; }
        &:focus-within > Horizontal > Label { color: $text; text-style: bold; }
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
            yield Static(" ", classes="focus-mark", markup=False)
            yield Label(self.label)
            yield self.control
        yield Static("", classes="field-error", markup=False)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.query_one(".focus-mark", Static).update(FOCUS_MARK)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.query_one(".focus-mark", Static).update(" ")

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
        control = FormInput(value, placeholder=placeholder, restrict=restrict, compact=True)
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
    return FormField("", FormCheckbox(label, value, compact=True), key, id=id)
