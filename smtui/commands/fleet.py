"""``smtui ls deployments --all`` / ``smtui ls instances --all``: the fleet of one or more subscriptions.

One Get Hosted Service (embed-detail) per hosted service, fanned out by
:func:`smtui.api.fleet.iter_service_details` on each profile's own client (its certificate,
endpoint and adaptive in-flight limit); every profile is fetched at the same time. Output:

* JSON (default): a list of rows, each with ``profile`` and ``subscription_id``; a profile or a
  service that failed is a row ``{"profile", "subscription_id", "service", "error": {…}}`` in its
  place, so the other rows still come;
* ``--output table``: a text table (a SUBSCRIPTION column when several profiles are listed), the
  errors as ``smtui: error:`` lines on stderr.

While it runs, and only when stderr is a terminal, a progress line (services answered / total,
errors) is redrawn on stderr. Exit code: 0 everything answered, 1 a service or the network
answered with an error, 2 a profile could not be used (configuration).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Any, TextIO

from smtui.commands.output import error, note, print_json, table

DEPLOYMENT_COLUMNS = (
    ("SERVICE", "service"), ("DEPLOYMENT", "deployment"), ("SLOT", "slot"), ("STATUS", "status"),
    ("READY", "ready"), ("ROLES", "roles"), ("SIZES", "role_sizes"), ("LOCATION", "location"),
    ("LABEL", "label"), ("CREATED", "created"), ("URL", "url"),
)
INSTANCE_COLUMNS = (
    ("SERVICE", "service"), ("DEPLOYMENT", "deployment"), ("SLOT", "slot"), ("ROLE", "role"),
    ("INSTANCE", "instance"), ("STATUS", "status"), ("POWER", "power_state"), ("SIZE", "size"),
    ("IP", "ip_address"), ("HOST", "host_name"),
)


@dataclass
class ProfileResult:
    """What one profile contributed: rows in service order, and errors in their place."""

    label: str
    subscription_id: str = ""
    rows: list[dict[str, Any]] = field(default_factory=list)
    config_error: bool = False
    errors: int = 0


class Progress:
    """``n/N services, E errors`` redrawn on one stderr line, only when stderr is a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.enabled = stream.isatty()
        self.total = 0
        self.done = 0
        self.errors = 0
        self._drawn = 0.0

    def add_total(self, count: int) -> None:
        self.total += count
        self.draw(force=True)

    def answered(self, ok: bool) -> None:
        self.done += 1
        self.errors += 0 if ok else 1
        self.draw(force=self.done == self.total)

    def failed_profile(self) -> None:
        self.errors += 1
        self.draw(force=True)

    def draw(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not force and now - self._drawn < 0.05):
            return
        self._drawn = now
        errors = f", {self.errors} error{'s' if self.errors != 1 else ''}" if self.errors else ""
        self.stream.write(f"\r\x1b[Ksmtui: {self.done}/{self.total} services{errors}")
        self.stream.flush()

    def clear(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def profile_names(args: argparse.Namespace) -> list[str | None]:
    """The profiles to list: ``--all-profiles``, each ``--profile``, or the default (``None``)."""
    if getattr(args, "all_profiles", False):
        from smtui.profiles import list_profiles

        names: list[str | None] = [p.name for p in list_profiles()]
        return names or [None]
    named = getattr(args, "profile", None)
    if isinstance(named, str):
        return [named]
    return list(dict.fromkeys(named)) if named else [None]


def _error_row(result: ProfileResult, service: str | None, code: str, message: str,
               status_code: int | None = None) -> dict[str, Any]:
    return {
        "profile": result.label,
        "subscription_id": result.subscription_id,
        "service": service,
        "error": {"code": code, "message": message, "status_code": status_code},
    }


def _row(result: ProfileResult, row: Any) -> dict[str, Any]:
    values = asdict(row)
    for key, value in values.items():
        if isinstance(value, tuple):
            values[key] = list(value)
    return {"profile": result.label, "subscription_id": result.subscription_id, **values}


async def _fetch_profile(
    connection: Any, result: ProfileResult, kind: str, options: dict[str, Any], progress: Progress
) -> None:
    from smtui.api.fleet import deployment_rows, instance_rows, iter_service_details

    flatten = deployment_rows if kind == "deployments" else instance_rows
    async with connection.create_client(**options) as client:
        listing = await client.list_hosted_services()
        if not listing.is_successful:
            code, message = listing.error or ("UnknownError", "request failed")
            result.rows.append(_error_row(result, None, code, message, listing.status_code))
            result.errors += 1
            progress.failed_profile()
            return
        names = [s.service_name or "" for s in listing.response or []]
        progress.add_total(len(names))
        by_service: dict[str, list[dict[str, Any]]] = {}
        async for answer in iter_service_details(client, names):
            progress.answered(answer.ok)
            if answer.ok:
                by_service[answer.service_name] = [_row(result, r) for r in flatten(answer.service)]
            else:
                code, message = answer.response.error or ("UnknownError", "request failed")
                by_service[answer.service_name] = [
                    _error_row(result, answer.service_name, code, message, answer.response.status_code)
                ]
                result.errors += 1
        for name in names:  # the listing's order, whatever order the answers came in
            result.rows.extend(by_service.get(name, []))


async def _fetch_all(
    targets: list[tuple[ProfileResult, Any]], kind: str, options: dict[str, Any], progress: Progress
) -> None:
    await asyncio.gather(*(
        _fetch_profile(connection, result, kind, options, progress)
        for result, connection in targets if connection is not None
    ))


def run_fleet(args: argparse.Namespace, kind: str) -> int:
    """``smtui ls deployments|instances --all [--profile N …|--all-profiles] [--output table]``."""
    from smtui.api.errors import SmError
    from smtui.session import resolve_connection

    names = profile_names(args)
    results: list[ProfileResult] = []
    targets: list[tuple[ProfileResult, Any]] = []
    progress = Progress(sys.stderr)
    try:
        for name in names:
            result = ProfileResult(label=name or "")
            results.append(result)
            try:
                connection = resolve_connection(name, read_only=True)
            except SmError as exc:
                if len(names) == 1:
                    raise  # one profile: the usual `smtui: error:` and exit code 2
                result.rows.append(_error_row(result, None, "ProfileError", str(exc)))
                result.config_error = True
                progress.failed_profile()
                targets.append((result, None))
                continue
            result.label = connection.label if name is None else name
            if connection.is_emulator and progress.enabled:
                note(f"no profile configured: listing the embedded emulator ({connection.base_url})")
            result.subscription_id = connection.subscription_id
            targets.append((result, connection))
        options: dict[str, Any] = {"timeout": args.timeout}
        if args.max_in_flight is not None:
            options["max_in_flight"] = args.max_in_flight
        try:
            asyncio.run(_fetch_all(targets, kind, options, progress))
        except SmError as exc:  # a certificate that cannot be loaded, found when the client is built
            progress.clear()
            error(str(exc))
            return 2
    finally:
        progress.clear()
        for _result, connection in targets:
            if connection is not None:
                connection.close()

    rows = [row for result in results for row in result.rows]
    if args.output == "table":
        _print_table(rows, kind, several=len(results) > 1)
    else:
        print_json(rows)
    sys.stdout.flush()
    _report_errors(rows)
    if any(r.config_error for r in results):
        return 2
    return 1 if any(r.errors for r in results) else 0


def _cell(row: dict[str, Any], key: str) -> str:
    if key == "ready":
        return f"{row['instances_ready']}/{row['instances_total']}"
    value = row.get(key, "")
    return ",".join(value) if isinstance(value, list) else str(value)


def _print_table(rows: list[dict[str, Any]], kind: str, *, several: bool) -> None:
    columns = list(DEPLOYMENT_COLUMNS if kind == "deployments" else INSTANCE_COLUMNS)
    if several:
        columns.insert(0, ("SUBSCRIPTION", "profile"))
    data = [row for row in rows if "error" not in row]
    print(table([h for h, _ in columns], [[_cell(row, key) for _, key in columns] for row in data]))


def _report_errors(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        if "error" in row:
            where = f"profile {row['profile']}" + (f", service {row['service']}" if row["service"] else "")
            error(f"{where}: {row['error']['code']}: {row['error']['message']}")
