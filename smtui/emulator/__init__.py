"""A faithful local Azure Service Management (RDFE) endpoint: HTTPS with client certificates,
SQLite state, long-running operations that progress. Never imports Textual or Rich.

``Emulator`` and ``Faults`` are imported lazily so that ``smtui`` subcommands which only
register the emulator's arguments do not pay for loading uvicorn and Starlette.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from smtui.emulator.faults import Faults
    from smtui.emulator.server import Emulator

__all__ = ["Emulator", "Faults"]


def __getattr__(name: str) -> Any:
    if name == "Emulator":
        from smtui.emulator.server import Emulator

        return Emulator
    if name == "Faults":
        from smtui.emulator.faults import Faults

        return Faults
    raise AttributeError(f"module 'smtui.emulator' has no attribute {name!r}")
