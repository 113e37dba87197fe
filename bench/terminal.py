"""Run a command in a pseudo-terminal and time when given text first appears on its screen.

What a user sees is what the program has written to the terminal, so a launch is timed from
the ``exec`` of the process to the first output that contains the text: interpreter start,
imports, the real terminal driver and the paint all count, for the console and for its peer
alike. Escape sequences are removed before the search; Textual writes each line's cells of
one style as one run, so a word in one style is found whole.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Mapping, Sequence

_ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: cursor moves, colours, modes
    rb"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: title, clipboard
    rb"|\x1bP.*?\x1b\\"  # DCS: terminal queries, passthrough
    rb"|\x1b[@-Z\\-_]"  # other two-byte escapes
    rb"|\x1b[()][0-9A-Za-z]",  # character set selection
    re.DOTALL,
)


class LaunchFailed(RuntimeError):
    """The program exited, or the text did not appear in time."""


def _screen_text(raw: bytes) -> str:
    return _ESCAPES.sub(b"", raw).decode("utf-8", "replace")


def time_to_text(
    command: Sequence[str],
    marks: Mapping[str, Sequence[str]],
    *,
    env: Mapping[str, str],
    size: tuple[int, int] = (120, 40),
    quit_keys: bytes = b"q",
    timeout: float = 30.0,
) -> dict[str, float]:
    """Seconds from start until every text of each mark has been written to the terminal.

    Args:
        command: The program to run.
        marks: Name → texts that must all have appeared (e.g. ``{"frame": ["Quit", "Hosted services"]}``).
        env: Its environment (``TERM`` is set to xterm-256color).
        size: Columns and rows of the terminal.
        quit_keys: Typed once every mark is seen; the program is then waited for (killed after 10 s).
        timeout: Seconds the marks may take.

    Raises:
        LaunchFailed: The program exited first, or a mark did not appear in time.
    """
    master, slave = pty.openpty()
    columns, rows = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    start = time.perf_counter()
    child = subprocess.Popen(
        list(command),
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**env, "TERM": "xterm-256color"},
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    seen: dict[str, float] = {}
    raw = b""
    try:
        while len(seen) < len(marks):
            left = start + timeout - time.perf_counter()
            if left <= 0:
                missing = sorted(set(marks) - set(seen))
                raise LaunchFailed(f"not seen in {timeout:.0f} s: {missing}\n{_screen_text(raw)[-2000:]}")
            ready, _, _ = select.select([master], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the program exited and closed the terminal
                chunk = b""
            now = time.perf_counter() - start
            if not chunk:
                missing = sorted(set(marks) - set(seen))
                raise LaunchFailed(f"exited ({child.poll()}) before {missing}\n{_screen_text(raw)[-2000:]}")
            raw += chunk
            text = _screen_text(raw)
            for name, texts in marks.items():
                if name not in seen and all(t in text for t in texts):
                    seen[name] = now
        os.write(master, quit_keys)
        _drain_until_exit(master, child, 10.0)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
        os.close(master)
    return seen


def _drain_until_exit(master: int, child: subprocess.Popen[bytes], timeout: float) -> None:
    """Keep reading (a program blocked on a full terminal never exits) until the child is gone."""
    deadline = time.monotonic() + timeout
    while child.poll() is None and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                if not os.read(master, 65536):
                    break
            except OSError:
                break
    try:
        child.wait(timeout=max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGTERM)
        child.wait()
