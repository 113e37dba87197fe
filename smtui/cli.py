"""The ``smtui`` command: the console, the emulator, and scriptable subcommands.

Subcommands that do not open the console must not import Textual, so they start fast. The
console is composed in :mod:`smtui.session` (the composition root), imported only on that path.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from smtui import __version__
from smtui.commands import register as register_commands
from smtui.emulator.cli import register as register_emulator
from smtui.profiles.paths import emulator_data_dir


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``smtui`` command."""
    parser = argparse.ArgumentParser(prog="smtui", description="Azure Service Management console")
    parser.add_argument("--version", action="version", version=f"smtui {__version__}")
    parser.add_argument("--profile", help="use the configured subscription profile NAME")
    parser.add_argument("--read-only", action="store_true", help="hide every action that changes something")
    subcommands = parser.add_subparsers(dest="command")
    register_commands(subcommands)
    # The emulator does not know smtui's data dir: `smtui emulator` shares the console's.
    register_emulator(subcommands, default_data_dir=emulator_data_dir)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``smtui`` console script."""
    # httpcore imports trio whenever it is installed, only to support running under trio; the
    # smtui command runs asyncio alone, and that import cost 0.2-0.4 s of every start (issue 14).
    sys.modules.setdefault("trio", None)  # type: ignore[arg-type]
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from smtui.session import run_console  # Textual is imported on this path only

        return run_console(args.profile, read_only=args.read_only)
    handler = getattr(args, "handler", None)
    if handler is not None:
        try:
            return int(handler(args))
        except BrokenPipeError:
            # `smtui ls … | head`: the reader left. Python's own advice: silence the flush at exit.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 1
        except OSError as exc:
            # An unwritable HOME, config or data dir (or a full disk) is the machine's set-up,
            # not a bug: one line naming the path, exit 2 like every configuration problem.
            print(f"smtui: error: {describe_os_error(exc)}", file=sys.stderr)
            return 2
    parser.error(f"unknown command {args.command}")
    return 2


def describe_os_error(exc: OSError) -> str:
    """One line for a file-system failure: the path, the reason, and where paths come from."""
    reason = exc.strerror or str(exc) or exc.__class__.__name__
    if not exc.filename:
        return f"system error: {reason}"
    return (
        f"cannot use {exc.filename}: {reason} (smtui keeps its files under HOME; "
        "set SMTUI_CONFIG_DIR / SMTUI_DATA_DIR to writable directories)"
    )
