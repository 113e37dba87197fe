"""The emulator as a child process that lives exactly as long as its parent's pipe to it.

``python -m smtui.emulator.embedded --data-dir DIR [--seed demo]`` prepares and binds an emulator
on a free port, prints one line and serves until its standard input closes (the parent closed
it, exited or was killed), then stops cleanly. The line is ``ready <json>`` (the
:class:`~smtui.emulator.dirlock.RunningEmulator` record: host, subscription, certificate paths) or
``busy`` when another emulator holds the data directory.

Why a process of its own: the console imports Textual and mounts its screen while the emulator
imports uvicorn and opens its state; in one process both fight for one GIL, in two they run on
two cores (issue 12 §2). Terminal signals are the parent's business: the child ignores SIGINT
and runs in its own session, so a Ctrl-C or Ctrl-Z meant for the console never reaches it.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

READY = "ready"
BUSY = "busy"


def main(argv: Sequence[str] | None = None) -> int:
    """Serve until standard input reaches end of file."""
    parser = argparse.ArgumentParser(prog="python -m smtui.emulator.embedded")
    parser.add_argument("--data-dir", required=True, type=Path)
    parser.add_argument("--seed", choices=("demo", "empty"), default="demo")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    from smtui.emulator.dirlock import DataDirBusy
    from smtui.emulator.server import Emulator

    emu = Emulator(args.data_dir, seed=args.seed)
    try:
        # The .publishsettings embeds the port, so it is rewritten on every start (a PKCS#12
        # export, ~0.1 s): after the console has what it needs, not before.
        emu.start(publishsettings=False)
    except DataDirBusy:
        print(BUSY, flush=True)
        return 3
    try:
        info = emu.running_info()
        print(f"{READY} {json.dumps(info.__dict__)}", flush=True)
        emu.write_publishsettings()
        signal.signal(signal.SIGTERM, _stop)
        while sys.stdin.buffer.read(65536):
            pass
    finally:
        emu.stop()
    return 0


def _stop(*_signal: object) -> None:
    raise SystemExit(0)  # the `finally` stops the emulator


if __name__ == "__main__":
    raise SystemExit(main())
