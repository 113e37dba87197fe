"""Pending long-running operations, persisted so a restarted smtui keeps tracking them.

The file is ``<data dir>/operations.json``: a JSON list of objects with the keys
``request_id``, ``operation``, ``target``, ``started_at`` (ISO 8601, UTC) and ``status``
(``InProgress``, ``Succeeded``, ``Failed``), plus optional ``profile``, ``subscription_id``,
``updated_at``, ``http_status_code``, ``error_code`` and ``error_message``. Unknown keys are
kept. The TUI writes it (:func:`record_operation`, :func:`update_operation`); ``smtui ls
operations`` reads it. Every read-modify-write holds a file lock, so the two may run at once.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from smtui.profiles import paths

logger = logging.getLogger("smtui.profiles")

OPERATIONS_FILE = "operations.json"

IN_PROGRESS = "InProgress"
SUCCEEDED = "Succeeded"
FAILED = "Failed"


def now_iso() -> str:
    """The current UTC time as ISO 8601 with a ``Z`` suffix, second precision."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class PendingOperation:
    """A long-running operation the user started (or pasted the request id of).

    Attributes:
        request_id: The ``x-ms-request-id`` to poll.
        operation: What was done (``ShutdownRoleInstance`` …).
        target: What it was done to (``svc/dep/role`` …).
        started_at: ISO 8601 UTC.
        status: ``InProgress``, ``Succeeded`` or ``Failed``.
        profile: The profile it was started with (None: the embedded emulator).
        subscription_id: Subscription whose ``/operations/<id>`` to poll.
        updated_at: Last status change, ISO 8601 UTC.
        http_status_code: ``HttpStatusCode`` of the final status.
        error_code: ``Error/Code`` of a failed operation.
        error_message: ``Error/Message`` of a failed operation.
        extra: Keys written by a newer smtui, kept as they are.
    """

    request_id: str
    operation: str
    target: str
    started_at: str = field(default_factory=now_iso)
    status: str = IN_PROGRESS
    profile: str | None = None
    subscription_id: str | None = None
    updated_at: str | None = None
    http_status_code: int | None = None
    error_code: str | None = None
    error_message: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def is_pending(self) -> bool:
        """True while the operation has not reached a final status."""
        return self.status == IN_PROGRESS

    def to_dict(self) -> dict[str, Any]:
        """The JSON object written to the file."""
        data = {key: value for key, value in asdict(self).items() if key != "extra"}
        return {**self.extra, **data}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PendingOperation:
        """Read one entry (unknown keys go to ``extra``).

        Raises:
            ValueError: ``request_id``, ``operation`` or ``target`` is missing.
        """
        names = {f.name for f in fields(cls)} - {"extra"}
        known = {key: data[key] for key in names if key in data}
        for required in ("request_id", "operation", "target"):
            if not isinstance(known.get(required), str) or not known[required]:
                raise ValueError(f"operation entry without {required}")
        extra = {key: value for key, value in data.items() if key not in names}
        return cls(**known, extra=extra)


def operations_file() -> Path:
    """``<data dir>/operations.json``."""
    return paths.data_dir() / OPERATIONS_FILE


_warnings: list[str] = []


def take_warnings() -> list[str]:
    """Warnings of the last :func:`load_operations` (a corrupt file set aside), once."""
    taken = list(_warnings)
    _warnings.clear()
    return taken


def _set_aside(target: Path, reason: str) -> None:
    """Move a corrupt file out of the way (kept for inspection) and say so, instead of losing it silently."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = target.with_name(f"{target.name}.corrupt-{stamp}")
    try:
        os.replace(target, aside)
    except OSError as exc:
        message = f"{target} is corrupt ({reason}) and could not be moved aside ({exc.strerror}); ignoring it"
    else:
        message = f"{target} was corrupt ({reason}): moved to {aside.name}; tracking starts empty"
    logger.warning("%s", message)
    _warnings.append(message)


def load_operations(path: Path | None = None) -> list[PendingOperation]:
    """Every stored operation, oldest first. A missing file reads as empty.

    A file that is not a JSON list is moved aside (``operations.json.corrupt-<time>``) with
    a warning (see :func:`take_warnings`) and reads as empty; single corrupt entries are
    skipped. A damaged file must not stop the TUI from starting.
    """
    target = path or operations_file()
    # Only this read's warnings: one nobody took (a caller that ignores them) must not be
    # reported later as if it were about another file.
    _warnings.clear()
    try:
        data = paths.read_json(target, [])
    except ValueError as exc:
        _set_aside(target, f"not JSON: {str(exc)[:80]}")
        return []
    if isinstance(data, dict):  # tolerate {"operations": [...]}
        data = data.get("operations", [])
    if not isinstance(data, list):
        _set_aside(target, "not a JSON list")
        return []
    result: list[PendingOperation] = []
    for item in data:
        if not isinstance(item, dict):
            continue
        try:
            result.append(PendingOperation.from_dict(item))
        except (TypeError, ValueError):
            continue
    return result


def save_operations(operations: list[PendingOperation], path: Path | None = None) -> None:
    """Replace the stored list (atomic write)."""
    target = path or operations_file()
    with paths.locked(target):
        _write(target, operations)


def _write(target: Path, operations: list[PendingOperation]) -> None:
    paths.ensure_private_dir(target.parent)
    paths.write_json(target, [op.to_dict() for op in operations], private=True)


def pending_operations(path: Path | None = None) -> list[PendingOperation]:
    """The stored operations that are still ``InProgress`` (what to resume polling on start)."""
    return [op for op in load_operations(path) if op.is_pending]


def record_operation(operation: PendingOperation, path: Path | None = None) -> PendingOperation:
    """Add an operation, or replace the stored one with the same request id."""
    target = path or operations_file()
    with paths.locked(target):
        stored = [op for op in load_operations(target) if op.request_id != operation.request_id]
        stored.append(operation)
        _write(target, stored)
    return operation


def update_operation(request_id: str, path: Path | None = None, **changes: Any) -> PendingOperation | None:
    """Change fields of a stored operation (``status=``, ``error_code=`` …).

    ``updated_at`` is set to now unless given. Returns the updated operation, or None when
    no operation has that request id.
    """
    target = path or operations_file()
    changes.setdefault("updated_at", now_iso())
    with paths.locked(target):
        stored = load_operations(target)
        for index, op in enumerate(stored):
            if op.request_id == request_id:
                stored[index] = replace(op, **changes)
                _write(target, stored)
                return stored[index]
    return None


def remove_operation(request_id: str, path: Path | None = None) -> bool:
    """Forget an operation; True if it was stored."""
    target = path or operations_file()
    with paths.locked(target):
        stored = load_operations(target)
        kept = [op for op in stored if op.request_id != request_id]
        if len(kept) == len(stored):
            return False
        _write(target, kept)
        return True


def prune_operations(keep_finished: int = 50, path: Path | None = None) -> int:
    """Drop all but the newest ``keep_finished`` finished operations; pending ones always stay.

    Returns:
        How many were dropped.
    """
    target = path or operations_file()
    with paths.locked(target):
        stored = load_operations(target)
        finished = [op for op in stored if not op.is_pending]
        drop = {id(op) for op in finished[: max(0, len(finished) - keep_finished)]}
        if not drop:
            return 0
        _write(target, [op for op in stored if id(op) not in drop])
        return len(drop)
