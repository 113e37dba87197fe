"""Storage account keys: masked until revealed, copyable (OSC 52 via the app)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from smtui.tui.dialogs._form_screen import toasts_beside_modal

MASK = "•" * 12


class StorageKeysDialog(ModalScreen[None]):
    """Shows the primary and secondary key of a storage account.

    The one place smtui shows storage keys (``K`` on a storage account). They are masked until
    the user presses ``r``; ``c`` / ``C`` copy the primary / secondary key without revealing it.
    """

    DEFAULT_CSS = """
    StorageKeysDialog {
        align: center middle;
        & > #keys {
            width: 96%; max-width: 110; height: auto;
            border: round $warning; background: $surface; padding: 0 1;
        }
        & #keys-title { text-style: bold; color: $warning; }
        & .key-label { color: $text-muted; margin-top: 1; }
        & #keys-buttons { height: auto; align-horizontal: right; margin-top: 1; }
        & #keys-buttons > Button { margin-left: 1; }
    }
    """ + toasts_beside_modal("StorageKeysDialog")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="keys-close"),
        Binding("r", "toggle_reveal", "Reveal/hide", id="keys-reveal"),
        Binding("c", "copy('primary')", "Copy primary", id="keys-copy-primary"),
        Binding("C", "copy('secondary')", "Copy secondary", id="keys-copy-secondary"),
    ]

    def __init__(self, account_name: str, primary: str, secondary: str) -> None:
        super().__init__()
        self.account_name = account_name
        self._keys = {"primary": primary, "secondary": secondary}
        self.revealed = False
        """Whether the keys are shown in clear."""

    def shown(self, which: str) -> str:
        """What the dialog displays for ``which`` key right now."""
        return self._keys[which] if self.revealed else MASK

    def compose(self) -> ComposeResult:
        with Vertical(id="keys"):
            yield Static(f"Access keys of storage account {self.account_name}", id="keys-title", markup=False)
            yield Static("Primary key", classes="key-label")
            yield Static(self.shown("primary"), id="key-primary", markup=False)
            yield Static("Secondary key", classes="key-label")
            yield Static(self.shown("secondary"), id="key-secondary", markup=False)
            with Horizontal(id="keys-buttons"):
                # The keys are in the labels: a modal dialog has no footer to show them.
                yield Button("Reveal (r)", id="reveal", compact=True)
                yield Button("Copy primary (c)", id="copy-primary", compact=True)
                yield Button("Copy secondary (C)", id="copy-secondary", compact=True)
                yield Button("Close (Esc)", id="close", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    @on(Button.Pressed, "#reveal")
    def action_toggle_reveal(self) -> None:
        """Show or mask the keys."""
        self.revealed = not self.revealed
        self.query_one("#key-primary", Static).update(self.shown("primary"))
        self.query_one("#key-secondary", Static).update(self.shown("secondary"))
        self.query_one("#reveal", Button).label = "Mask (r)" if self.revealed else "Reveal (r)"

    @on(Button.Pressed, "#copy-primary")
    def _copy_primary(self) -> None:
        self.action_copy("primary")

    @on(Button.Pressed, "#copy-secondary")
    def _copy_secondary(self) -> None:
        self.action_copy("secondary")

    def action_copy(self, which: str) -> None:
        """Copy a key to the clipboard (the terminal's, through the app)."""
        self.app.copy_to_clipboard(self._keys[which])
        self.notify(f"{which.capitalize()} key of {self.account_name} copied.", title="Copied")

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        """Close the dialog."""
        self.dismiss(None)
