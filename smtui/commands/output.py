"""Printing for the subcommands: JSON on stdout, errors on stderr, nothing secret anywhere."""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Callable, Sequence


def print_json(value: object) -> None:
    """Write ``value`` as indented JSON (UTF-8, non-ASCII kept) and a newline to stdout."""
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False, default=str))
    sys.stdout.write("\n")


def error(message: str) -> None:
    """Write ``smtui: error: message`` to stderr."""
    print(f"smtui: error: {message}", file=sys.stderr)


def note(message: str) -> None:
    """Write an informational line to stderr (stdout stays machine-readable)."""
    print(f"smtui: {message}", file=sys.stderr)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain left-aligned text table (no Rich: these commands must start fast)."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    for row in rows:
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def usage(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    """A handler for a command group run without a subcommand: print its help, exit code 2."""

    def run(_args: argparse.Namespace) -> int:
        parser.print_help()
        return 2

    return run


def show_keyring_notice_once() -> None:
    """Print the one-time "no keyring, paths are in a file" notice, if it is due."""
    from smtui.profiles import mark_keyring_notice_shown, pending_keyring_notice

    notice = pending_keyring_notice()
    if notice:
        note(notice)
        mark_keyring_notice_shown()


def guarded(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Turn smtui's own errors into ``smtui: error: …`` and exit code 2 — never a traceback.

    Errors that are not smtui's (bugs) still raise, so they are not hidden.
    """

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except KeyboardInterrupt:
            return 130
        except Exception as exc:
            from smtui.api.errors import SmError

            if not isinstance(exc, SmError):
                raise
            error(str(exc))
            return 2

    return run
