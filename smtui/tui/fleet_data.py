"""What the fleet views show: every deployment / role instance of one or more subscriptions.

No Textual here. :class:`FleetState` holds the latest answer per hosted service of every
subscription (profile) being inspected; :func:`load_source` fills it from one subscription with
the shared fan-out (:func:`smtui.api.fleet.iter_service_details`), calling back after every
answer so the screen can redraw progressively. :func:`deployment_table` and
:func:`instance_table` turn the state into table rows; a profile or service that failed is a
row of its own that carries the error, in place of its deployments.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from smtui.api.fleet import ServiceResult, deployment_rows, instance_rows
from smtui.tui.loaders import describe_error
from smtui.tui.nodes import Kind, NodeRef, status_style
from smtui.tui.table_model import Column, TableRow

if TYPE_CHECKING:
    from smtui.api.client import ServiceManagementClient
    from smtui.profiles.connection import Connection

DEFAULT_CONCURRENCY = 64
"""Most requests in flight per subscription unless ``SMTUI_FLEET_CONCURRENCY`` says otherwise: the
client's own default ceiling, below which its limit adapts (starts at 16, grows over long round
trips, holds where the console's CPU is what bounds the rate). 16 fixed took the view 4.8 s over
505 services at 0.1 s round trips, 64 takes it 2.1 s (``bench/fleet_view.py``)."""

ENV_CONCURRENCY = "SMTUI_FLEET_CONCURRENCY"

DEPLOYMENTS = "deployments"
INSTANCES = "instances"

ERROR_STATUS = "Error"
"""Status cell of a row that stands for a failed profile or service."""


def configured_concurrency(environ: dict[str, str] | None = None) -> int:
    """In-flight requests per subscription: ``SMTUI_FLEET_CONCURRENCY`` (1-256) or the default."""
    raw = (environ if environ is not None else os.environ).get(ENV_CONCURRENCY, "")
    try:
        value = int(raw)
    except ValueError:
        return DEFAULT_CONCURRENCY
    return min(max(value, 1), 256)


def _status(key: str, label: str) -> Column:
    return Column(key, label, style=status_style)


DEPLOYMENT_COLUMNS: tuple[Column, ...] = (
    Column("subscription", "Subscription", max_width=24),
    Column("service", "Service", keep=True),
    Column("deployment", "Deployment"),
    Column("slot", "Slot"),
    _status("status", "Status"),
    Column("ready", "Ready"),
    Column("roles", "Roles", max_width=32),
    Column("sizes", "Sizes", max_width=24),
    Column("location", "Location"),
    Column("label", "Label", max_width=32),
    Column("created", "Created"),
    Column("url", "URL", max_width=60),
)
"""Columns of the All-deployments view."""

INSTANCE_COLUMNS: tuple[Column, ...] = (
    Column("subscription", "Subscription", max_width=24),
    Column("service", "Service", keep=True),
    Column("deployment", "Deployment"),
    Column("role", "Role"),
    Column("instance", "Instance"),
    _status("status", "Status"),
    _status("power", "Power"),
    Column("size", "Size"),
    Column("ip", "IP"),
    Column("host", "Host name"),
)
"""Columns of the All-role-instances view."""


@dataclass
class FleetSource:
    """One subscription to inspect.

    Attributes:
        label: What the subscription column shows (profile name, or ``EMULATOR``).
        profile: The profile name to switch to for drilling in (``None``: the embedded emulator).
        connection: A resolved ``smtui.profiles.connection.Connection``, or None if it failed.
        error: Why it could not be resolved (certificate missing …).
        current: The console's own connection (Enter drills in without switching).
    """

    label: str
    profile: str | None
    connection: Connection | None = None
    error: str | None = None
    current: bool = False


@dataclass
class FleetState:
    """The latest answers of every source, and how far the current load got."""

    sources: list[FleetSource] = field(default_factory=list)
    results: dict[tuple[str, str], ServiceResult] = field(default_factory=dict)
    """(source label, hosted service) → its Get Hosted Service (embed-detail) answer."""
    order: dict[str, list[str]] = field(default_factory=dict)
    """Source label → its hosted services, in the service's order."""
    source_errors: dict[str, str] = field(default_factory=dict)
    total: int = 0
    done: int = 0
    errors: int = 0
    sources_done: int = 0
    started: float = 0.0
    finished: float | None = None
    row_cache: dict[tuple[str, str, str], tuple[ServiceResult, list[TableRow]]] = field(
        default_factory=dict
    )
    """(view, source label, service) → the answer its rows were made from, and those rows: a
    redraw while answers stream in rebuilds only the rows of answers that are new."""

    def start(self, sources: list[FleetSource]) -> None:
        """Begin a (re)load: counters reset, last answers kept until replaced."""
        self.sources = sources
        labels = {s.label for s in sources}
        self.results = {k: v for k, v in self.results.items() if k[0] in labels}
        self.order = {k: v for k, v in self.order.items() if k in labels}
        self.row_cache = {k: v for k, v in self.row_cache.items() if (k[1], k[2]) in self.results}
        self.source_errors = {}
        self.total = self.done = self.errors = self.sources_done = 0
        self.started = time.monotonic()
        self.finished = None

    def source(self, label: str) -> FleetSource | None:
        """The source called ``label``."""
        return next((s for s in self.sources if s.label == label), None)

    @property
    def complete(self) -> bool:
        """True once every source answered (or failed)."""
        return self.sources_done >= len(self.sources)

    def progress_text(self) -> str:
        """``12/40 services · 1 error · 2/3 subscriptions`` (or the summary once complete)."""
        errors = self.errors + len(self.source_errors)
        parts = [f"{self.done}/{self.total} services"]
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
        if len(self.sources) > 1:
            parts.append(f"{self.sources_done}/{len(self.sources)} subscriptions")
        if self.finished is not None:
            parts.append(f"done in {self.finished - self.started:.1f} s")
        return " · ".join(parts)


STATUS_COLUMN = {DEPLOYMENTS: 4, INSTANCES: 5}
"""Index of the status cell in each view (an error row carries ``Error`` there)."""


def _error_row(label: str, key: str, service: str, message: str, view: str) -> TableRow:
    width = len(DEPLOYMENT_COLUMNS if view == DEPLOYMENTS else INSTANCE_COLUMNS)
    cells = [label, service, message] + [""] * (width - 3)
    cells[STATUS_COLUMN[view]] = ERROR_STATUS
    return TableRow(key, tuple(cells))


def _rows(state: FleetState, view: str) -> list[TableRow]:
    rows: list[TableRow] = []
    for source in state.sources:
        label = source.label
        error = state.source_errors.get(label)
        if error is not None:
            rows.append(_error_row(label, f"{label}/!error", "(subscription)", error, view))
            continue
        for service in state.order.get(label, []):
            result = state.results.get((label, service))
            if result is None:
                continue
            cached = state.row_cache.get((view, label, service))
            if cached is not None and cached[0] is result:
                rows.extend(cached[1])
                continue
            mark = len(rows)
            _service_rows(rows, label, service, result, view)
            state.row_cache[(view, label, service)] = (result, rows[mark:])
    return rows


def _service_rows(
    rows: list[TableRow], label: str, service: str, result: ServiceResult, view: str
) -> None:
    """Append the rows of one service's answer."""
    if not result.ok:
        message = describe_error(result.response)
        rows.append(_error_row(label, f"{label}/{service}/!error", service, message, view))
        return
    if view == DEPLOYMENTS:
        for d in deployment_rows(result.service):
            cells = (
                label, d.service, d.deployment, d.slot, d.status,
                f"{d.instances_ready}/{d.instances_total}", ",".join(d.roles),
                ",".join(d.role_sizes), d.location, d.label, d.created, d.url,
            )  # fmt: skip
            rows.append(TableRow(f"{label}/{d.service}/{d.deployment}", cells))
    else:
        for i in instance_rows(result.service):
            icells = (
                label, i.service, i.deployment, i.role, i.instance, i.status,
                i.power_state, i.size, i.ip_address, i.host_name,
            )  # fmt: skip
            rows.append(TableRow(f"{label}/{i.service}/{i.deployment}/{i.instance}", icells))


def table_rows(state: FleetState, view: str) -> list[TableRow]:
    """The rows of ``view`` (:data:`DEPLOYMENTS` or :data:`INSTANCES`) for ``state``."""
    return _rows(state, view)


def target_of(row: TableRow, view: str) -> tuple[str, NodeRef] | None:
    """``(source label, node to open)`` for a row; ``None`` for an error row."""
    cells = row.cells
    if row.key.endswith("/!error"):
        return None
    label, service, deployment = cells[0], cells[1], cells[2]
    if view == DEPLOYMENTS:
        return label, NodeRef(Kind.DEPLOYMENT, (service, deployment), f"{deployment} ({cells[3]})")
    role, instance = cells[3], cells[4]
    return label, NodeRef(Kind.INSTANCE, (service, deployment, role, instance), f"instance {instance}")


async def load_source(
    state: FleetState,
    source: FleetSource,
    client: ServiceManagementClient,
    changed: Callable[[], None],
) -> None:
    """Fill ``state`` from one subscription: list its hosted services, then get each with detail.

    Never raises for service or network failures: a failed listing becomes the source's
    error, a failed service its own error row. ``changed`` is called after every answer.
    """
    label = source.label
    try:
        listing = await client.list_hosted_services()
        if not listing.is_successful:
            state.source_errors[label] = describe_error(listing)
            _forget(state, label, set())
            return
        names = [s.service_name or "" for s in listing.response or []]
        state.order[label] = names
        _forget(state, label, set(names))
        state.total += len(names)
        changed()
        from smtui.api.fleet import iter_service_details

        async for result in iter_service_details(client, names):
            state.results[(label, result.service_name)] = result
            state.done += 1
            if not result.ok:
                state.errors += 1
            changed()
    finally:
        state.sources_done += 1
        changed()


def _forget(state: FleetState, label: str, keep: set[str]) -> None:
    """Drop the answers of services ``label`` no longer lists."""
    for key in [k for k in state.results if k[0] == label and k[1] not in keep]:
        del state.results[key]
    if not keep:
        state.order.pop(label, None)
