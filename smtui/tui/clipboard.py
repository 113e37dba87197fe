"""Copy text to the user's clipboard with OSC 52, so it works over SSH and inside tmux/screen.

Textual's ``App.copy_to_clipboard`` writes a bare OSC 52 sequence, which tmux swallows unless it
is wrapped in a DCS passthrough. No Textual import: the App passes the driver's ``write``.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Callable, Mapping

MAX_OSC52_BYTES = 74_994
"""Largest base64 payload sent (k9s' default; many terminals drop longer sequences)."""


class ClipboardTooLarge(ValueError):
    """The text is longer than a terminal will accept in one OSC 52 sequence."""


def osc52_sequence(text: str, env: Mapping[str, str] | None = None) -> str:
    """The escape sequence that puts ``text`` on the clipboard, wrapped for tmux/screen.

    Args:
        text: What to copy.
        env: Environment to inspect (``TMUX``, ``STY``, ``TERM``); defaults to ``os.environ``.

    Raises:
        ClipboardTooLarge: The encoded text exceeds :data:`MAX_OSC52_BYTES`.
    """
    env = os.environ if env is None else env
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    if len(payload) > MAX_OSC52_BYTES:
        raise ClipboardTooLarge(f"{len(text)} characters is too much for the terminal clipboard")
    seq = f"\x1b]52;c;{payload}\a"
    if env.get("TMUX"):
        # tmux passes a DCS-wrapped sequence through to the outer terminal; ESCs inside are doubled.
        return "\x1bPtmux;" + seq.replace("\x1b", "\x1b\x1b") + "\x1b\\"
    if env.get("STY") or env.get("TERM", "").startswith("screen"):
        return "\x1bP" + seq + "\x1b\\"
    return seq


def copy(text: str, write: Callable[[str], object], env: Mapping[str, str] | None = None) -> None:
    """Write the OSC 52 sequence for ``text`` with ``write`` (the terminal driver's writer).

    Raises:
        ClipboardTooLarge: see :func:`osc52_sequence`.
    """
    write(osc52_sequence(text, env))
