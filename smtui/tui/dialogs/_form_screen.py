"""What every form screen shares: keys applied in typing order, discard prompt, session drafts.

Keys. Textual hands a key to the widget focused when the app reads it, but an ordinary binding
such as Tab → "focus next" runs only once the key has travelled from the focused input up through
every container to the screen. A terminal delivers fast typing, ``tmux send-keys`` and unbracketed
pastes as one burst: every key after the Tab had already been handed to the old input by then, so
``name-a<Tab>Label A`` all landed in the first field. Priority bindings run when the app reads the
key, before it routes the next one; the keys that move focus or leave a form are priority bindings
here, and their actions move focus synchronously (``Screen.set_focus``; ``Widget.focus`` is
deferred).

Nothing typed is lost. Esc on a changed form asks before discarding; whatever was discarded is
kept as the form's draft for the session (passwords never) and offered when the same form is
opened again for the same target. A form closed by a successful send forgets its draft.
"""

from __future__ import annotations

import asyncio
import re
import weakref
from collections.abc import Iterable
from typing import Any, ClassVar, TypeVar

from textual import events
from textual.actions import SkipAction
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Select
from textual.widgets._select import SelectOverlay

from smtui.tui.dialogs._fields import FormField, read_control, write_control

ResultT = TypeVar("ResultT")

CONTROLS = (Input, Select, Checkbox)
"""The widgets that hold a form's values."""

Draft = dict[str, Any]
"""``{field key: value}`` of a form, passwords left out."""

_drafts: weakref.WeakKeyDictionary[App[Any], dict[str, Draft]] = weakref.WeakKeyDictionary()

_TRUE = {"x", "[x]", "yes", "y", "true", "1", "on"}
_FALSE = {"", "[ ]", "no", "n", "false", "0", "off"}


def session_drafts(app: App[Any]) -> dict[str, Draft]:
    """The drafts kept for ``app``'s session (nothing is written to disk)."""
    return _drafts.setdefault(app, {})


async def settled(widgets: Iterable[Widget], timeout: float = 5.0) -> None:
    """Wait until each of ``widgets`` has handled the messages already queued for it.

    A priority binding runs when the app reads its key, but the keys typed just before it may
    still wait in the input's queue: Enter or ctrl+s right after the last characters must read
    the field with them.
    """
    loop = asyncio.get_running_loop()
    waits: list[asyncio.Future[None]] = []
    for widget in widgets:
        if not widget.is_running:
            continue
        done: asyncio.Future[None] = loop.create_future()
        if widget.call_later(lambda d=done: d.done() or d.set_result(None)):
            waits.append(done)
    if waits:
        # Bounded: a widget being removed never handles its queue, and the form must not hang.
        await asyncio.wait(waits, timeout=timeout)


def clear_toasts(app: App[Any]) -> None:
    """Dismiss every notification, also those drawn on the screens under a modal.

    ``App.clear_notifications`` redraws only the top screen; a toast on the screen below stays
    visible through the modal's backdrop, over its inputs and buttons.
    """
    app.clear_notifications()
    for screen in app.screen_stack:
        for rack in screen.query("ToastRack"):
            rack.display = False


def toasts_beside_modal(screen: str) -> str:
    """CSS for a modal ``screen`` whose toasts must never cover its inputs or buttons.

    Toasts are drawn on their own layer, over everything. A tall form fills the screen at 80x24,
    so there is no corner a toast could sit in without hiding a field or a button. Docked on the
    modal's own layer instead, the toasts take their rows from the top of the screen and the
    dialog (centred, its form scrolling) shrinks below them; compact and capped at a few lines,
    they leave the form usable until they expire. The toasts shown before a modal opens are
    cleared by :func:`clear_toasts`.
    """
    return f"""
    {screen} > #textual-toastrack {{
        dock: top; align: right top; layer: default; margin: 0; max-height: 6;
    }}
    {screen} Toast {{ padding: 0 1; margin-top: 0; max-width: 70%; }}
    """


def is_secret(control: Widget) -> bool:
    """Whether ``control`` holds a password (never kept in a draft)."""
    return isinstance(control, Input) and control.password


class FormScreen(ModalScreen[ResultT]):
    """A modal form: keys in typing order, "Discard changes?" on Esc, drafts per form and target.

    Enter in a one-line input moves to the next field, or goes on (preview) on the last field;
    Enter on buttons, drop-downs and checkboxes keeps its usual meaning. Subclasses implement
    :meth:`action_submit` and call :meth:`leave` / :meth:`finished` to close.
    """

    DEFAULT_CSS = toasts_beside_modal("FormScreen")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "form_next", "Next field", show=False, priority=True),
        Binding("shift+tab", "form_previous", "Previous field", show=False, priority=True),
        Binding("enter", "form_enter", "Next field", show=False, priority=True),
        Binding("space", "form_toggle", "Toggle", show=False, priority=True),
        Binding("ctrl+s", "form_submit", "Preview", priority=True, id="form.submit"),
        Binding("escape", "form_close", "Close", priority=True, id="form.close"),
        Binding("ctrl+r", "restore_draft", "Restore draft", show=False, priority=True),
    ]

    draft_key: str = ""
    """Names the form and its target (``"VMRoleBuilder:Add role in svc:svc/dep"``); "" keeps none."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pristine: dict[str, Any] = {}
        self._offered_draft: Draft | None = None

    # ------------------------------------------------------------------ to implement

    def action_submit(self) -> Any:
        """Check the form and go on (preview, send, return)."""
        raise NotImplementedError

    def control_key(self, control: Widget) -> str | None:
        """The key a control's value is kept under (its field's key, else its id)."""
        for node in control.ancestors_with_self:
            if isinstance(node, FormField):
                return node.key
        return control.id

    def show_draft_offer(self, offered: bool) -> None:
        """Show (or hide) the line offering the draft; the base class has none."""

    async def prepare_for_draft(self, draft: Draft) -> None:
        """Make room for every field of ``draft`` (rows the form adds on demand)."""

    # ------------------------------------------------------------------ values

    def controls(self) -> Iterable[tuple[str, Widget]]:
        """``(key, control)`` of every value control, shown or not, in DOM order."""
        for control in self.query("Input, Select, Checkbox"):
            if isinstance(control, CONTROLS):
                key = self.control_key(control)
                if key:
                    yield key, control

    def snapshot(self) -> dict[str, Any]:
        """Every control's value by key (passwords included: they count as changes)."""
        return {key: read_control(control) for key, control in self.controls()}

    def draft(self) -> Draft:
        """What the form would keep as a draft: every value but the passwords."""
        return {key: read_control(c) for key, c in self.controls() if not is_secret(c)}

    @property
    def is_dirty(self) -> bool:
        """Whether anything differs from how the form opened."""
        return self.is_mounted and self.snapshot() != self._pristine

    def on_mount(self) -> None:
        # Runs after the subclasses' on_mount (Textual calls the most derived handler first).
        # A toast over a modal's inputs or buttons hides what the user is typing into.
        clear_toasts(self.app)
        self._pristine = self.snapshot()
        kept = session_drafts(self.app).get(self.draft_key) if self.draft_key else None
        if kept and kept != {k: v for k, v in self._pristine.items() if k in kept}:
            self._offered_draft = kept
            self.show_draft_offer(True)

    # ------------------------------------------------------------------ leaving

    def leave(self) -> None:
        """Close without sending: at once when nothing changed, else after "Discard changes?"."""
        if not self.is_dirty:
            self.dismiss(None)
            return
        from smtui.tui.screens.prompt import DiscardChangesScreen

        def answered(discard: bool | None) -> None:
            if discard:
                self.keep_draft()
                self.dismiss(None)

        self.app.push_screen(DiscardChangesScreen(), answered)

    def keep_draft(self) -> None:
        """Keep what is typed (passwords excepted) for the next opening of this form."""
        if self.draft_key and self.is_dirty:
            session_drafts(self.app)[self.draft_key] = self.draft()

    def finished(self) -> None:
        """The form did its job (sent): the next opening starts fresh."""
        if self.draft_key:
            session_drafts(self.app).pop(self.draft_key, None)

    async def action_restore_draft(self) -> None:
        """Put the kept draft back into the form."""
        if self.app.screen is not self or self._offered_draft is None:
            raise SkipAction()
        draft, self._offered_draft = self._offered_draft, None
        self.show_draft_offer(False)
        await self.prepare_for_draft(draft)
        controls = dict(self.controls())
        for key, value in draft.items():
            control = controls.get(key)
            if control is None:
                continue
            try:
                write_control(control, value)
            except Exception:  # an option that no longer exists (a disk attached since): keep the default
                continue

    # ------------------------------------------------------------------ keys

    def form_controls(self) -> list[Widget]:
        """The focusable value controls, in focus order (no buttons)."""
        return [w for w in self.focus_chain if isinstance(w, CONTROLS)]

    def _is_mine(self) -> bool:
        return self.app.screen is self

    def action_form_next(self) -> None:
        if not self._is_mine():
            raise SkipAction()
        self.focus_next()

    def action_form_previous(self) -> None:
        if not self._is_mine():
            raise SkipAction()
        self.focus_previous()

    async def action_form_enter(self) -> None:
        if not self._is_mine():
            raise SkipAction()
        focused = self.focused
        if isinstance(focused, Button):
            # A button that adds or removes rows acts now, so the keys typed after the Enter
            # reach the row it adds; other buttons press as usual (their Pressed message).
            if not await self.press_in_order(focused):
                raise SkipAction()
            return
        controls = self.form_controls()
        last = bool(controls) and focused is controls[-1]
        if isinstance(focused, Checkbox) and not last:
            focused.toggle()
            return
        if isinstance(focused, Select) and not last:
            raise SkipAction()  # the drop-down opens (space and the arrows open it too)
        if not isinstance(focused, CONTROLS):
            raise SkipAction()
        if last:
            # On the last field Enter goes on to the preview, whatever the field: a drop-down
            # still opens with space or the arrows, a checkbox still toggles with space.
            await self.settled()
            self.action_submit()
        else:
            self.focus_next()

    def action_form_toggle(self) -> None:
        # A checkbox's own space binding runs only once the key has bubbled up to the app, after
        # the keys typed behind it were routed: a burst "space, tab" moved on and lost the toggle.
        if not self._is_mine() or not isinstance(self.focused, Checkbox):
            raise SkipAction()
        self.focused.toggle()

    async def press_in_order(self, button: Button) -> bool:
        """Act on Enter on ``button`` before the next key is routed; False lets it press as usual."""
        return False

    async def action_form_submit(self) -> None:
        if not self._is_mine():
            raise SkipAction()
        await self.settled()
        self.action_submit()

    async def action_form_close(self) -> None:
        if not self._is_mine():
            raise SkipAction()
        if isinstance(self.focused, SelectOverlay):
            raise SkipAction()  # Esc closes the open drop-down first
        await self.settled()
        self.action_cancel()

    async def settled(self) -> None:
        """Wait until every control applied the keys routed to it before the current one."""
        await settled(control for _, control in self.controls())

    def action_cancel(self) -> None:
        """Esc / Cancel: leave (asking first when something was typed)."""
        self.leave()

    # ------------------------------------------------------------------ paste

    def on_paste(self, event: events.Paste) -> None:
        # A paste while a drop-down or checkbox has focus: they ignore it, so it bubbles here.
        focused = self.focused
        if isinstance(focused, Select | Checkbox) and event.text:
            event.stop()
            self.paste_across(focused, event.text)

    def paste_across(self, origin: Widget, text: str) -> None:
        """Spread a pasted ``a<Tab>b<Tab>c`` (or one value a line) over the fields from ``origin`` on.

        The first part goes where the cursor is, each further part replaces the value of the next
        field; focus ends on the field of the last part.
        """
        parts = re.split(r"\t|\r\n|\r|\n", text.removesuffix("\n"))
        if not isinstance(origin, Input):
            _paste_value(origin, parts[0])
        elif origin.selection.is_empty:
            origin.insert_text_at_cursor(parts[0])
        else:
            origin.replace(parts[0], *origin.selection)
        controls = self.form_controls()
        index = controls.index(origin) if origin in controls else len(controls)
        target: Widget = origin
        for part in parts[1:]:
            index += 1
            if index >= len(controls):
                break
            target = controls[index]
            _paste_value(target, part)
        self.set_focus(target)


def _paste_value(control: Widget, text: str) -> None:
    if isinstance(control, Input):
        control.value = text
        control.cursor_position = len(text)
    elif isinstance(control, Checkbox):
        word = text.strip().lower()
        if word in _TRUE | _FALSE:
            control.value = word in _TRUE
    elif isinstance(control, Select):
        wanted = text.strip().lower()
        for prompt, value in getattr(control, "_options", ()):
            if wanted in (str(value).lower(), str(prompt).lower()):
                control.value = value
                break
