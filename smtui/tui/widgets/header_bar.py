"""Provides the one-line header: where smtui is connected and how fresh the data is."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


@dataclass(frozen=True)
class ConnectionInfo:
    """What the header says about the connection.

    Attributes:
        profile: Profile name (None for the embedded emulator).
        subscription_id: Subscription id.
        subscription_name: Display name, if known.
        host: Endpoint ``host[:port]``.
        user_host: ``user@host`` of the machine smtui runs on (where the certificate lives).
        is_emulator: Show the EMULATOR badge.
        read_only: Show the READ-ONLY badge.
    """

    profile: str | None = None
    subscription_id: str = ""
    subscription_name: str | None = None
    host: str = ""
    user_host: str = ""
    is_emulator: bool = False
    read_only: bool = False


class HeaderBar(Widget):
    """Profile, subscription, endpoint, ``user@host``, badges, and "updated Ns ago"."""

    DEFAULT_CSS = """
    HeaderBar {
        dock: top;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    info: reactive[ConnectionInfo | None] = reactive(None)
    """The connection shown (None while connecting)."""

    status: reactive[str] = reactive("connecting…")
    """Right-hand text: ``updated 3s ago``, ``paused``, ``loading…``."""

    def on_mount(self) -> None:
        # A header on a newly pushed screen asks the app for the current state at once
        # rather than waiting for the next one-second tick.
        update = getattr(self.app, "update_header", None)
        if callable(update):
            self.call_after_refresh(update)

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        info = self.info
        text.append(" smtui ", style="bold reverse")
        if info is None:
            text.append(f"  {self.status}")
            return text
        if info.is_emulator:
            text.append(" ")
            text.append(" EMULATOR ", style="bold reverse yellow")
        if info.read_only:
            text.append(" ")
            text.append(" READ-ONLY ", style="bold reverse cyan")
        text.append(" ")
        if info.profile:
            text.append(info.profile, style="bold")
            text.append(" · ")
        if info.subscription_name:
            text.append(info.subscription_name, style="bold")
            text.append(f" ({info.subscription_id[:8]}…)", style="dim")
        else:
            text.append(f"sub {info.subscription_id[:8]}…")
        text.append(" · ")
        text.append(info.host)
        right = Text(f" {info.user_host} · {self.status} ", style="dim", no_wrap=True)
        width = self.size.width
        if width and text.cell_len + right.cell_len > width:
            right = Text(f" {self.status} ", style="dim", no_wrap=True)
            text.truncate(max(width - right.cell_len, 10), overflow="ellipsis")
        if width:
            text.pad_right(max(width - text.cell_len - right.cell_len, 0))
        text.append_text(right)
        return text
