"""Copy text to the user's clipboard with OSC 52, so it works over SSH and inside tmux/screen.

Inside tmux, with tmux's default settings, neither a bare OSC 52 (``set-clipboard`` is
``external``: applications may not set the clipboard) nor a DCS-wrapped one (tmux ≥ 3.3 drops
passthrough unless ``allow-passthrough`` is on) reaches the outer terminal. ``tmux load-buffer
-w -`` does: tmux itself then writes OSC 52 to its client's terminal (tmux ≥ 3.2), whatever those
options say. So inside tmux that is tried first; when it fails (older tmux, no binary) both
sequences are written, one for each of the two options a user may have turned on.
No Textual import: the App passes the driver's ``write``.
"""

from __future__ import annotations

import base64
import os
import subprocess
from collections.abc import Callable, Mapping
from typing import Any, Literal

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
        # Bare: forwarded with set-clipboard on. DCS-wrapped (ESCs doubled): with allow-passthrough on.
        return seq + "\x1bPtmux;" + seq.replace("\x1b", "\x1b\x1b") + "\x1b\\"
    if env.get("STY") or env.get("TERM", "").startswith("screen"):
        return "\x1bP" + seq + "\x1b\\"
    return seq


Runner = Callable[..., Any]
"""``subprocess.run``-compatible callable (tests pass their own to see the command)."""


def tmux_load_buffer(text: str, env: Mapping[str, str], run: Runner = subprocess.run) -> bool:
    """``tmux load-buffer -w -``: tmux sets a buffer and its client's clipboard; True if it worked."""
    try:
        done = run(
            ["tmux", "load-buffer", "-w", "-"],
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=5,
            env=dict(env),
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(done.returncode == 0)


def copy(
    text: str,
    write: Callable[[str], object],
    env: Mapping[str, str] | None = None,
    run: Runner = subprocess.run,
) -> Literal["tmux", "osc52"]:
    """Put ``text`` on the user's clipboard: through tmux when inside it, else with OSC 52.

    Blocking (inside tmux it runs the ``tmux`` command): call it off the UI thread.

    Args:
        text: What to copy.
        write: The terminal driver's writer (used when tmux cannot do it).
        env: Environment to inspect; defaults to ``os.environ``.
        run: Runs the ``tmux`` command.

    Returns:
        How it was copied.

    Raises:
        ClipboardTooLarge: see :func:`osc52_sequence`.
    """
    env = os.environ if env is None else env
    sequence = osc52_sequence(text, env)
    if env.get("TMUX") and tmux_load_buffer(text, env, run):
        return "tmux"
    write(sequence)
    return "osc52"
