"""``smtui log``: the audit log of every mutating request sent from the console or the CLI.

Reads ``<data dir>/audit.jsonl`` (see :mod:`smtui.profiles.audit`); no connection needed.
Oldest first, like a log; ``--json`` prints one JSON object per line (the stored fields,
final statuses merged in) for scripts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys

from smtui.commands.output import guarded, table

_RELATIVE = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$", re.IGNORECASE)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_when(value: str, now: dt.datetime | None = None) -> dt.datetime:
    """``30m``, ``2h``, ``7d`` (that long ago) or an ISO 8601 time/date (UTC if no zone).

    Raises:
        argparse.ArgumentTypeError: Neither form.
    """
    match = _RELATIVE.match(value)
    if match:
        seconds = int(match.group(1)) * _UNITS[match.group(2).lower()]
        return (now or dt.datetime.now(dt.UTC)) - dt.timedelta(seconds=seconds)
    from smtui.profiles.audit import parse_time

    parsed = parse_time(value.strip())
    if parsed is None:
        raise argparse.ArgumentTypeError(f"not a time: {value!r} (use 30m, 2h, 7d or 2026-01-31T12:00)")
    return parsed


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``smtui log``."""
    parser = subparsers.add_parser(
        "log", help="the audit log: every change sent from the console or the CLI"
    )
    # SUPPRESS: `smtui --profile X log` and `smtui log --profile X` both work.
    parser.add_argument("--profile", action="append", default=argparse.SUPPRESS,
                        help="only this profile (repeatable; 'emulator' for the embedded emulator)")
    parser.add_argument("--operation", help="only operations whose name contains this (any case)")
    parser.add_argument("--since", type=parse_when, help="from this time: 30m, 2h, 7d or ISO 8601")
    parser.add_argument("--until", type=parse_when, help="before this time: 30m, 2h, 7d or ISO 8601")
    parser.add_argument("--limit", type=int, default=None, help="only the last N entries")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    parser.set_defaults(handler=run_log)


@guarded
def run_log(args: argparse.Namespace) -> int:
    """Print the (filtered) audit log."""
    from smtui.profiles import audit

    profiles = getattr(args, "profile", None) or []
    if isinstance(profiles, str):  # the global --profile gives one name
        profiles = [profiles]
    try:
        entries = audit.read_entries()
    except OSError as exc:
        print(f"smtui: error: cannot read the audit log: {exc}", file=sys.stderr)
        return 2
    entries = audit.filter_entries(
        entries, profiles=profiles, operation=args.operation, since=args.since, until=args.until
    )
    if args.limit is not None:
        entries = entries[-args.limit:] if args.limit > 0 else []
    if args.json:
        for entry in entries:
            sys.stdout.write(json.dumps(entry.to_json(), ensure_ascii=False) + "\n")
        return 0
    if not entries:
        print(f"smtui: no audit entries ({audit.audit_file()})", file=sys.stderr)
        return 0
    headers = ("TIME", "USER@HOST", "PROFILE", "OPERATION", "TARGET", "STATUS", "REQUEST ID", "ERROR")
    rows = [
        (
            entry.time,
            entry.user_host,
            entry.profile or "emulator",
            entry.operation,
            entry.target,
            entry.status if entry.http_status is None else f"{entry.status} ({entry.http_status})",
            entry.request_id or "",
            entry.error or "",
        )
        for entry in entries
    ]
    print(table(headers, rows))
    return 0
