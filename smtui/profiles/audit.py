"""The audit log: every mutating request sent from the console or the CLI, one JSON line each.

``<data dir>/audit.jsonl`` (0600, the directory 0700) is append-only. A request adds an
*entry* when its answer arrives (time, local ``user@host``, profile, subscription, operation,
method, path, target, request id, HTTP status, status and error); when the operations tracker
later sees the operation finish, a *status* line with the same request id is appended and
:func:`read_entries` merges it into the entry. Nothing from the request body is ever written
(no password, key or other body secret), and the path carries only resource names.

Wiring: :meth:`smtui.profiles.connection.Connection.create_client` gives every client
:func:`observer` as its ``on_mutation`` hook (the api layer itself knows nothing of profiles).
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import logging
import os
import socket
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from smtui.profiles import paths
from smtui.profiles.paths import JsonObject

if TYPE_CHECKING:
    # Annotations only: the console loads this module before its first frame, the API later.
    from smtui.api.operations import ApiRequest
    from smtui.api.response import ErrorInfo, Response

logger = logging.getLogger(__name__)

FILE_NAME = "audit.jsonl"

IN_PROGRESS = "InProgress"
SUCCEEDED = "Succeeded"
FAILED = "Failed"

_COLLECTIONS = frozenset(
    {
        "services",
        "hostedservices",
        "deployments",
        "deploymentslots",
        "roles",
        "roleinstances",
        "datadisks",
        "operations",
        "images",
        "vmimages",
        "disks",
        "storageservices",
        "keys",
        "certificates",
        "extensions",
        "affinitygroups",
    }
)
"""Path segments that name a collection, not a resource (left out of the target)."""


def audit_file() -> Path:
    """Where the audit log is kept: ``<data dir>/audit.jsonl``."""
    return paths.data_dir() / FILE_NAME


def local_user_host() -> str:
    """``user@host`` of this machine (on a jump host: who sent it, and from where)."""
    try:
        user = getpass.getuser()
    except Exception:  # no login name in some containers
        user = "?"
    return f"{user}@{socket.gethostname()}"


def target_of(path: str) -> str:
    """The resource a request path acts on, ``service/deployment/role`` style.

    >>> target_of("/services/hostedservices/web/deployments/prod/roleinstances/vm1/Operations")
    'web/prod/vm1'
    """
    path = path.split("?", 1)[0]
    names = [unquote(part) for part in path.split("/") if part and part.lower() not in _COLLECTIONS]
    return "/".join(names)


@dataclass(frozen=True)
class AuditEntry:
    """One mutating request.

    Attributes:
        time: When the answer arrived (UTC, ISO 8601).
        user_host: Local ``user@host`` that sent it.
        profile: Profile name (``None`` for the embedded emulator).
        subscription_id: The subscription.
        operation: Operation name (``ShutdownRoleInstance``).
        method: HTTP method.
        path: Request path below the subscription (with the query).
        target: What it acted on (``svc/dep/role``).
        request_id: ``x-ms-request-id`` of the answer, if any.
        http_status: HTTP status of the answer (``None``: no answer).
        status: ``InProgress``, ``Succeeded`` or ``Failed``; updated when the operation finishes.
        error: ``Code: message`` of a failure.
        finished: When the final status was seen (UTC, ISO 8601).
        host: The management endpoint it was sent to.
    """

    time: str
    user_host: str
    profile: str | None
    subscription_id: str
    operation: str
    method: str
    path: str
    target: str
    request_id: str | None = None
    http_status: int | None = None
    status: str = IN_PROGRESS
    error: str | None = None
    finished: str | None = None
    host: str | None = None

    def to_json(self) -> JsonObject:
        """The entry as a JSON object (what ``smtui log --json`` prints)."""
        return asdict(self)

    @property
    def when(self) -> dt.datetime | None:
        """:attr:`time` parsed (``None`` if unreadable)."""
        return parse_time(self.time)


def parse_time(value: str | None) -> dt.datetime | None:
    """An ISO 8601 time (``Z`` accepted) as an aware datetime, or ``None``."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _append(record: JsonObject, path: Path | None) -> None:
    """Append one JSON line; the file is created 0600 (O_APPEND keeps concurrent writers' lines whole)."""
    file = path or audit_file()
    paths.ensure_private_dir(file.parent)
    line = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    fd = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def record(entry: AuditEntry, path: Path | None = None) -> None:
    """Append ``entry`` to the audit log."""
    _append({"kind": "request", **entry.to_json()}, path)


def record_status(
    request_id: str,
    status: str,
    *,
    http_status: int | None = None,
    error: str | None = None,
    path: Path | None = None,
) -> None:
    """Append the final status of the operation ``request_id`` (merged into its entry on reading)."""
    _append(
        {
            "kind": "status",
            "request_id": request_id,
            "status": status,
            "http_status": http_status,
            "error": error,
            "finished": _now(),
        },
        path,
    )


def _error_text(error: ErrorInfo | None) -> str | None:
    if error is None:
        return None
    code = error.code or "Error"
    message = error.message or ""
    return f"{code}: {message}" if message else code


# Any: the request/answer of any operation (whatever it parses into); only the method, path,
# status, request id and error are read.
def entry_for(
    request: ApiRequest[Any],
    response: Response[Any],
    *,
    profile: str | None,
    subscription_id: str,
    host: str | None = None,
    user_host: str | None = None,
) -> AuditEntry:
    """The audit entry of a sent request (an ``ApiRequest``) and its ``Response``.

    Only the request's operation, method and path are read: never its body.
    """
    path = request.path_and_query
    if response.is_successful:
        status = IN_PROGRESS if request.is_async or response.status_code == 202 else SUCCEEDED
    else:
        status = FAILED
    return AuditEntry(
        time=_now(),
        user_host=user_host or local_user_host(),
        profile=profile,
        subscription_id=subscription_id,
        operation=request.operation,
        method=request.method.upper(),
        path=path,
        target=target_of(request.path),
        request_id=response.request_id,
        http_status=response.status_code,
        status=status,
        error=_error_text(response.error),
        host=host,
    )


class AuditObserver:
    """The client's ``on_mutation`` hook: writes one entry per mutating request.

    A log that cannot be written (full disk, unwritable data dir) is reported once in the
    Python log; the request itself is not affected.
    """

    def __init__(
        self,
        *,
        profile: str | None,
        subscription_id: str,
        host: str | None = None,
        path: Path | None = None,
    ) -> None:
        self.profile = profile
        self.subscription_id = subscription_id
        self.host = host
        self.path = path
        self.user_host = local_user_host()
        self.failed = False

    def __call__(self, request: ApiRequest[Any], response: Response[Any]) -> None:  # Any: see entry_for
        entry = entry_for(
            request,
            response,
            profile=self.profile,
            subscription_id=self.subscription_id,
            host=self.host,
            user_host=self.user_host,
        )
        try:
            record(entry, self.path)
        except OSError as exc:
            if not self.failed:
                logger.warning("cannot write the audit log %s: %s", self.path or audit_file(), exc)
            self.failed = True


def _entries(lines: Iterable[str]) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    by_id: dict[str, int] = {}
    fields = set(AuditEntry.__dataclass_fields__)
    for line in lines:
        try:
            data = json.loads(line)
        except ValueError:
            continue  # a torn or foreign line must not hide the rest of the log
        if not isinstance(data, dict):
            continue
        kind = data.get("kind")
        if kind == "request":
            values = {k: v for k, v in data.items() if k in fields}
            try:
                entry = AuditEntry(**values)
            except TypeError:
                continue
            if entry.request_id:
                by_id[entry.request_id] = len(entries)
            entries.append(entry)
        elif kind == "status":
            index = by_id.get(str(data.get("request_id")))
            if index is None:
                continue
            update = {k: data[k] for k in ("status", "http_status", "error", "finished") if data.get(k)}
            try:
                entries[index] = replace(entries[index], **update)
            except TypeError:
                continue
    return entries


def read_entries(path: Path | None = None) -> list[AuditEntry]:
    """Every entry of the audit log, oldest first, with final statuses merged in.

    Unreadable lines are skipped. A missing file is an empty log.
    """
    file = path or audit_file()
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        return []
    return _entries(raw.decode("utf-8", "replace").splitlines())


def filter_entries(
    entries: Iterable[AuditEntry],
    *,
    profiles: Iterable[str] = (),
    operation: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> list[AuditEntry]:
    """The entries matching every given filter.

    Args:
        profiles: Profile names (``emulator`` matches entries without a profile); empty: all.
        operation: Case-insensitive substring of the operation name.
        since: Entries at or after this time.
        until: Entries before this time.
    """
    wanted = {p.casefold() for p in profiles}
    needle = operation.casefold() if operation else None
    result = []
    for entry in entries:
        if wanted and (entry.profile or "emulator").casefold() not in wanted:
            continue
        if needle and needle not in entry.operation.casefold():
            continue
        when = entry.when
        if since is not None and (when is None or when < since):
            continue
        if until is not None and (when is None or when >= until):
            continue
        result.append(entry)
    return result
