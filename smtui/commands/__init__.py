"""Scriptable ``smtui`` subcommands: ``info``, ``profiles``, ``ls``.

None of them imports Textual (so they start fast); each module only imports argparse at
parser-building time and loads what it needs when it runs.
"""

from __future__ import annotations

import argparse

from smtui.commands import info, log, ls, profiles


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``info``, ``profiles``, ``ls`` and ``log`` subcommands.

    Each sets ``handler`` (``args -> exit code``) as a default; ``smtui.cli.main`` calls it.
    """
    info.register(subparsers)
    profiles.register(subparsers)
    ls.register(subparsers)
    log.register(subparsers)


__all__ = ["register"]
