"""The shared shape of every form dialog: fields, live validation, preview, submit, errors.

Flow of a submit (``ctrl+s`` or the Submit button):

1. read the fields into a ``smtui.forms.values`` object and validate it; on problems every
   message is shown next to its field and nothing is sent;
2. build the model (``smtui.forms.builders``);
3. if the dialog was given a ``preview`` builder, show the exact request it will send
   (password masked) and wait for the user's "Send";
4. if it was given a ``submit`` coroutine, run it; a failure (service error, transport error,
   refused argument) is shown inside the dialog, which stays open with everything typed;
5. dismiss with the model.

Without ``submit`` the dialog simply returns the model, so it can be used on its own.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Select, Static

from smtui.api.errors import SmError
from smtui.tui.dialogs._fields import FormField
from smtui.tui.dialogs._form_screen import FormScreen
from smtui.tui.dialogs.preview import PreviewableRequest, RequestPreviewDialog

logger = logging.getLogger("smtui.tui")

ModelT = TypeVar("ModelT")
ValuesT = TypeVar("ValuesT")


class SubmitResult(Protocol):
    """What a submit coroutine returns: the client's ``Response`` satisfies this."""

    @property
    def is_successful(self) -> bool: ...

    @property
    def request_id(self) -> str | None: ...

    @property
    def status_code(self) -> int: ...

    @property
    def error(self) -> Any: ...


class KeepOpen:
    """Returned by a submit coroutine when the user backed out of a follow-up question."""


KEEP_OPEN = KeepOpen()

Submitter = Callable[[ModelT], Awaitable["SubmitResult | KeepOpen | None"]]
Previewer = Callable[[ModelT], PreviewableRequest]


def describe_failure(result: SubmitResult) -> str:
    """``"409 ConflictError: … (request id …)"`` for a failed response."""
    error = result.error
    code = getattr(error, "code", None) or ""
    message = getattr(error, "message", None) or (str(error) if error is not None else "request failed")
    head = f"{result.status_code} {code}".strip() if result.status_code else code
    rid = f" (request id {result.request_id})" if result.request_id else ""
    return f"{head}: {message}{rid}" if head else f"{message}{rid}"


class FormBody(VerticalScroll, can_focus=False):
    """The scrolling part of a form: keeps the focused field in view when it gets shorter.

    It does when a toast takes rows at the top of the screen, or the terminal shrinks: the field
    being typed into must stay visible.
    """

    def on_resize(self, event: events.Resize) -> None:
        focused = self.screen.focused
        if focused is not None and self in focused.ancestors:
            self.call_after_refresh(focused.scroll_visible, animate=False)


class FormDialog(FormScreen[ModelT | None], Generic[ValuesT, ModelT]):
    """Base class of the form dialogs; subclasses provide fields, validation and the builder.

    Keys (Tab, Enter, ctrl+s, Esc), the "Discard changes?" prompt and the session drafts come
    from :class:`~smtui.tui.dialogs._form_screen.FormScreen`.
    """

    DEFAULT_CSS = """
    FormDialog {
        align: center middle;
        & > #dialog {
            width: 96%; max-width: 110; height: auto; max-height: 96%;
            border: round $primary; background: $surface; padding: 0 1;
        }
        & #dialog-title { text-style: bold; color: $primary; height: 1; }
        & #form { height: auto; max-height: 1fr; }
        & .section { text-style: bold; color: $secondary; margin-top: 1; height: 1; }
        &.-tall > #dialog { height: 96%; }
        &.-tall #form { height: 1fr; max-height: 100%; }
        & #service-error { color: $error; height: auto; display: none; }
        & #service-error.-visible { display: block; }
        & #buttons { height: auto; align-horizontal: right; margin-top: 1; }
        & #buttons > Button { margin-left: 1; min-width: 10; }
        & #form-hint { width: 1fr; height: auto; color: $text-muted; }
        & #draft-offer { height: auto; color: $warning; display: none; }
        & #draft-offer.-visible { display: block; }
    }
    """

    TITLE: ClassVar[str] = "Form"
    SUBMIT_LABEL: ClassVar[str] = "Submit"
    TALL: ClassVar[bool] = False
    """Long forms take the whole height and scroll, so the buttons stay on screen."""

    def __init__(
        self,
        *,
        submit: Submitter[ModelT] | None = None,
        preview: Previewer[ModelT] | None = None,
        title: str | None = None,
        draft_key: str = "",
    ) -> None:
        super().__init__(classes="-tall" if self.TALL else None)
        self._submit = submit
        self._preview = preview
        self._title = title or self.TITLE
        # The title names the target in most forms ("Add role in svc"); draft_key makes it exact.
        self.draft_key = f"{type(self).__name__}:{self._title}:{draft_key}"
        self._field_cache: dict[str, FormField] | None = None
        self.sending = False
        """True while the request is in flight (the buttons are disabled)."""

    # ------------------------------------------------------------------ to implement

    def compose_form(self) -> ComposeResult:
        """The dialog's fields."""
        raise NotImplementedError
        yield

    def collect(self) -> ValuesT:
        """Read the fields into a values object."""
        raise NotImplementedError

    def validate_values(self, values: ValuesT) -> dict[str, str]:
        """``{field key: message}`` for ``values``."""
        raise NotImplementedError

    def build(self, values: ValuesT) -> ModelT:
        """Turn valid ``values`` into the model the dialog returns."""
        raise NotImplementedError

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self._title, id="dialog-title")
            yield Static(
                "Restore draft? ctrl+r puts back what you typed here before (passwords are not kept).",
                id="draft-offer",
                markup=False,
            )
            with FormBody(id="form"):
                yield from self.compose_form()
            yield Static("", id="service-error", markup=False)
            with Horizontal(id="buttons"):
                yield Static(self.hint_text, id="form-hint", markup=False)
                yield Button("Cancel", id="cancel", compact=True)
                yield Button(self.SUBMIT_LABEL, id="submit", variant="primary", compact=True)

    @property
    def hint_text(self) -> str:
        """The form's own key line: how to go on, move between fields, and leave."""
        verb = "Preview" if self._preview is not None else self.SUBMIT_LABEL
        return f"ctrl+s {verb} · enter next field · esc Close"

    def on_mount(self) -> None:
        first = next(iter(self.query(FormField)), None)
        if first is not None:
            # set_focus, not focus(): keys typed right away must find the field focused already.
            self.set_focus(first.control)

    def show_draft_offer(self, offered: bool) -> None:
        self.query_one("#draft-offer", Static).set_class(offered, "-visible")

    # ------------------------------------------------------------------ fields and errors

    def fields(self) -> list[FormField]:
        """Every field of the form, in screen order (only those currently displayed)."""
        return [
            f for f in self.query(FormField) if f.display and all(a.display for a in f.ancestors_with_self)
        ]

    def field(self, key: str) -> FormField:
        """The field with ``key``."""
        if self._field_cache is not None and key in self._field_cache:
            return self._field_cache[key]
        for f in self.query(FormField):
            if f.key == key:
                return f
        raise KeyError(key)

    def value(self, key: str) -> Any:
        """The current value of the field with ``key``."""
        return self.field(key).value

    def show_errors(self, errors: dict[str, str], *, everything: bool = False) -> None:
        """Put each message next to its field (only on touched fields unless ``everything``)."""
        shown_keys = set()
        for f in self.query(FormField):
            message = errors.get(f.key)
            if everything and message:
                f.touched = True
            f.set_error(message if f.touched else None)
            shown_keys.add(f.key)
        # Problems with no field of their own (e.g. "provisioning" missing) go to the error line.
        loose = [m for k, m in errors.items() if k not in shown_keys]
        if everything:
            self.show_service_error("\n".join(loose) if loose else None)

    def show_service_error(self, message: str | None) -> None:
        """Show (or clear) the error line above the buttons."""
        line = self.query_one("#service-error", Static)
        line.update(message or "")
        line.set_class(bool(message), "-visible")

    @property
    def service_error(self) -> str:
        """The text of the error line above the buttons."""
        line = self.query_one("#service-error", Static)
        return str(line.content) if line.has_class("-visible") else ""

    def revalidate(self) -> dict[str, str]:
        """Validate the current values and refresh the messages of touched fields."""
        self._field_cache = {f.key: f for f in self.query(FormField)}
        try:
            errors = self.validate_values(self.collect())
            self.show_errors(errors)
        finally:
            self._field_cache = None
        return errors

    def _owner(self, widget: Any) -> FormField | None:
        for node in widget.ancestors_with_self:
            if isinstance(node, FormField):
                return node
        return None

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _on_control_changed(self, event: Input.Changed | Select.Changed | Checkbox.Changed) -> None:
        owner = self._owner(event.control)
        if owner is not None and self.is_mounted:
            owner.touched = True
            self.on_field_changed(owner)
            self.revalidate()

    def on_field_changed(self, field: FormField) -> None:
        """Hook for dialogs whose layout depends on a field (OS type, disk mode)."""

    # ------------------------------------------------------------------ actions

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without sending (asking first if anything was typed)."""
        if not self.sending:
            self.leave()

    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        """Validate, preview, send."""
        if self.sending:
            return
        values = self.collect()
        errors = self.validate_values(values)
        if errors:
            self.show_errors(errors, everything=True)
            first = next((f for f in self.fields() if f.key in errors), None)
            if first is not None:
                first.control.focus()
                first.scroll_visible()
            return
        self.show_errors({}, everything=True)
        self._send(self.build(values))

    # The description is fixed: by default Textual describes a worker by its arguments, and the
    # model's repr would carry the admin password into TEXTUAL_LOG.
    @work(exclusive=True, group="dialog-submit", description="send the form")
    async def _send(self, model: ModelT) -> None:
        if self._preview is not None:
            try:
                request = self._preview(model)
            except SmError as exc:
                self.show_service_error(str(exc))
                return
            except Exception as exc:  # a bug below the form must not end the console
                self._show_unexpected(exc)
                return
            if not await self.app.push_screen_wait(RequestPreviewDialog(request)):
                return
        if self._submit is None:
            self.finished()
            self.dismiss(model)
            return
        self._set_sending(True)
        try:
            result = await self._submit(model)
        except SmError as exc:
            self.show_service_error(str(exc))
            return
        except Exception as exc:  # a bug below the form must not end the console or lose the form
            self._show_unexpected(exc)
            return
        finally:
            self._set_sending(False)
        if isinstance(result, KeepOpen):
            return
        if result is not None and not result.is_successful:
            self.show_service_error(describe_failure(result))
            return
        self.finished()
        self.dismiss(model)

    def _show_unexpected(self, exc: Exception) -> None:
        # Only the exception's class and message: its traceback frames hold the model (passwords).
        logger.error("sending the form failed unexpectedly: %s: %s", type(exc).__name__, exc)
        self.show_service_error(f"Unexpected error ({type(exc).__name__}): {exc}. The form is kept.")

    def _set_sending(self, sending: bool) -> None:
        self.sending = sending
        for button in self.query("#buttons Button").results(Button):
            button.disabled = sending
        if sending:
            self.show_service_error(None)
