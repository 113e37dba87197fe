"""The request preview: the exact request a form will send, with secrets masked."""

from __future__ import annotations

from typing import Any, ClassVar

from lxml import etree
from rich.syntax import Syntax
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from smtui.api.errors import XmlError
from smtui.api.xml import parse_xml
from smtui.tui.copy_as import PreviewedRequest
from smtui.tui.dialogs._form_screen import toasts_beside_modal

PreviewableRequest = PreviewedRequest
"""What the preview shows: ``smtui.api.client.RequestPreview`` (from ``client.preview(request)``)."""


def pretty_body(body: str | None) -> str:
    """The (already redacted) body, indented for reading; non-XML bodies are shown as they are."""
    if not body:
        return ""
    try:
        root = parse_xml(body.encode("utf-8"))
    except XmlError:
        return body
    etree.indent(root, space="  ")
    return etree.tostring(root, encoding="unicode")


class RequestPreviewDialog(ModalScreen[bool]):
    """Shows method, URL, version header and the (redacted) body; returns True to send."""

    DEFAULT_CSS = """
    RequestPreviewDialog {
        align: center middle;
        & > #preview {
            width: 96%; max-width: 110; height: 96%;
            border: round $accent; background: $surface; padding: 0 1;
        }
        & #preview-title { text-style: bold; color: $accent; height: 1; }
        & #request-line { text-style: bold; height: auto; }
        & #headers { color: $text-muted; height: auto; }
        & #body-scroll { height: 1fr; border: tall $panel; }
        & #preview-buttons { height: auto; align-horizontal: right; margin-top: 1; }
        & #preview-buttons > Button { margin-left: 1; }
        & #copy-hint { width: 1fr; color: $text-muted; height: 1; }
    }
    """ + toasts_beside_modal("RequestPreviewDialog")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="preview-back"),
        Binding("ctrl+s", "send", "Send", id="preview-send"),
        Binding("c", "copy_curl", "Copy as curl", id="preview-copy-curl"),
        Binding("y", "copy_python", "Copy as Python", id="preview-copy-python"),
        Binding("v", "toggle_reveal", "Reveal secrets in copies", id="preview-reveal"),
    ]

    def __init__(
        self, request: PreviewableRequest, *, title: str = "Request preview — nothing sent yet"
    ) -> None:
        super().__init__()
        self.request = request
        self.title_text = title
        self.reveal_in_copies = False
        """Copies carry the body as sent (passwords too); the screen always shows it masked."""
        self.last_copy: str | None = None
        """What the last ``c`` / ``y`` put on the clipboard (tests read it)."""

    @property
    def text(self) -> str:
        """Everything the preview shows, as plain text (what tests and the clipboard see)."""
        return "\n".join(part for part in (self.request_line, self.headers_text, self.body_text) if part)

    @property
    def request_line(self) -> str:
        """``METHOD URL``."""
        return f"{self.request.method} {self.request.url}"

    @property
    def headers_text(self) -> str:
        """The request headers worth showing (never credentials)."""
        lines = []
        for name, value in dict(self.request.headers or {}).items():
            if name.lower() in ("authorization", "cookie"):
                continue
            lines.append(f"{name}: {value}")
        return "\n".join(lines)

    @property
    def body_text(self) -> str:
        """The redacted body, pretty-printed."""
        return pretty_body(self.request.body)

    def compose(self) -> ComposeResult:
        with Vertical(id="preview"):
            yield Static(self.title_text, id="preview-title")
            yield Static(self.request_line, id="request-line", markup=False)
            if self.headers_text:
                yield Static(self.headers_text, id="headers", markup=False)
            with VerticalScroll(id="body-scroll"):
                body = self.body_text
                yield Static(
                    Syntax(body, "xml", theme="ansi_dark", word_wrap=True) if body else "(no body)",
                    id="body",
                )
            with Horizontal(id="preview-buttons"):
                yield Static(self._copy_hint(), id="copy-hint", markup=False)
                yield Button("Back", id="back", compact=True)
                yield Button("Send", id="send", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#send", Button).focus()

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        """Return to the form without sending."""
        self.dismiss(False)

    @on(Button.Pressed, "#send")
    def action_send(self) -> None:
        """Send the request."""
        self.dismiss(True)

    # ------------------------------------------------------------------ copy as curl / Python

    def _copy_hint(self) -> str:
        secrets = "revealed" if self.reveal_in_copies else "masked, v reveals"
        return f"c copy as curl · y copy as Python (passwords {secrets})"

    def _copy_body(self) -> str | None:
        reveal = getattr(self.request, "reveal", None)
        if self.reveal_in_copies and reveal is not None:
            revealed: str | None = reveal()
            return revealed
        return None

    def _credentials(self) -> Any:
        from smtui.tui.copy_as import Credentials

        return Credentials.of(getattr(self.app, "connection", None))

    def _copy(self, text: str, what: str) -> None:
        self.last_copy = text
        try:
            self.app.copy_to_clipboard(text)
        except ValueError as exc:  # too large for a terminal clipboard sequence
            self.app.notify(str(exc), severity="warning")
            return
        masked = "" if self.reveal_in_copies else " (passwords masked)"
        self.app.notify(f"Copied {what}{masked}", timeout=3)

    def action_copy_curl(self) -> None:
        """Copy a ``curl`` command that sends this request with the profile's certificate."""
        from smtui.tui.copy_as import as_curl

        self._copy(as_curl(self.request, self._credentials(), self._copy_body()), "as curl")

    def action_copy_python(self) -> None:
        """Copy a Python script that sends this request with ``smtui.api``."""
        from smtui.tui.copy_as import as_python

        self._copy(as_python(self.request, self._credentials(), self._copy_body()), "as Python")

    def action_toggle_reveal(self) -> None:
        """Put the real passwords in the copies (or mask them again); the screen stays masked."""
        if getattr(self.request, "reveal", None) is None:
            self.app.notify("Nothing to reveal in this request", timeout=3)
            return
        self.reveal_in_copies = not self.reveal_in_copies
        self.query_one("#copy-hint", Static).update(self._copy_hint())
