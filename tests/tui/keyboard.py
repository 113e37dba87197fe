"""Typing into the console the way a terminal delivers it: whole bursts and bracketed pastes.

``pilot.press`` waits for the app to go idle after every key, which hides ordering bugs: a
terminal (tmux ``send-keys``, a paste without bracketed-paste mode, a fast typist over a slow
link) hands the app many keys in one read, and the driver posts them all before the app has
handled the first. :func:`burst` does exactly that.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App
from textual.keys import _character_to_key

NAMED = {
    "tab": "\t",
    "enter": "\r",
    "escape": "\x1b",
    "backspace": "\x7f",
    "space": " ",
    "up": None,
    "down": None,
}


def key_events(*keys: str) -> list[events.Key]:
    """Key events for ``keys``: named keys (``"tab"``, ``"shift+tab"``, ``"ctrl+s"``) or text."""
    out: list[events.Key] = []
    for key in keys:
        if key in NAMED or "+" in key and len(key) > 1:
            out.append(events.Key(key, NAMED.get(key)))
            continue
        for ch in key:
            name = ch if ch.isalnum() else _character_to_key(ch)
            out.append(events.Key(name, ch))
    return out


async def burst(pilot: Any, *keys: str) -> None:
    """Post every key of ``keys`` to the app at once (like one terminal read), then let it settle."""
    app: App[Any] = pilot.app
    for event in key_events(*keys):
        event.set_sender(app)
        app.post_message(event)
    await pilot.pause()
    await pilot.pause()


async def paste(pilot: Any, text: str) -> None:
    """A bracketed paste of ``text``, delivered like the driver does (to the app, routed by focus)."""
    app: App[Any] = pilot.app
    event = events.Paste(text)
    event.set_sender(app)
    app.post_message(event)
    await pilot.pause()
    await pilot.pause()
