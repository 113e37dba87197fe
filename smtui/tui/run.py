"""Start the console from the command line (the only place ``smtui`` imports Textual)."""

from __future__ import annotations

import os


def run_console(profile: str | None = None, *, read_only: bool = False) -> int:
    """Run the console until the user quits.

    Args:
        profile: ``--profile NAME`` (None: the default profile, or the embedded emulator).
        read_only: ``--read-only``.

    Returns:
        The process exit code.
    """
    # Esc must feel instant over SSH; Textual waits ESCDELAY ms for a possible escape sequence.
    os.environ.setdefault("ESCDELAY", "25")
    from smtui.tui.app import SmtuiApp

    app = SmtuiApp(profile, read_only=read_only)
    app.run()
    return 0 if app.return_code is None else int(app.return_code)
