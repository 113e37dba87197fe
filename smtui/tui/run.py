"""Start the console from the command line (the only place ``smtui`` imports Textual)."""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from smtui.tui.app import SmtuiApp


def _resolve_early(profile: str | None, read_only: bool) -> Future[Any]:
    """Resolve the connection (keyring, embedded emulator start) in a daemon thread right away.

    Importing Textual takes a few hundred milliseconds; starting the emulator meanwhile makes
    the first row appear sooner. A daemon thread, so a hung keyring never blocks exit.
    """
    future: Future[Any] = Future()

    def run() -> None:
        try:
            from smtui.profiles.connection import resolve_connection

            future.set_result(resolve_connection(profile, read_only=read_only))
        except BaseException as exc:  # handed to the app, which explains it on screen
            future.set_exception(exc)

    threading.Thread(target=run, name="smtui-connect", daemon=True).start()
    return future


def build_app(profile: str | None = None, *, read_only: bool = False, **options: Any) -> SmtuiApp:
    """The console app for ``smtui [--profile NAME] [--read-only]``, its connection already on the way."""
    future = _resolve_early(profile, read_only)
    from smtui.tui.app import SmtuiApp

    return SmtuiApp(profile, read_only=read_only, connection_future=future, **options)


def run_console(profile: str | None = None, *, read_only: bool = False) -> int:
    """Run the console until the user quits.

    Args:
        profile: ``--profile NAME`` (None: the default profile, or the embedded emulator).
        read_only: ``--read-only``.

    Returns:
        The process exit code.
    """
    # Esc must feel instant over SSH; curses-style apps honour ESCDELAY (milliseconds).
    os.environ.setdefault("ESCDELAY", "25")
    app = build_app(profile, read_only=read_only)
    app.run()
    return 0 if app.return_code is None else int(app.return_code)
