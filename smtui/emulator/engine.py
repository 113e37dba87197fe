"""Operations, locks and the timeline: how long-running requests progress.

A mutating request applies its change (or marks the resource as transitioning) and
registers an operation plus timed *steps* in one transaction. Steps are applied lazily
when a request arrives after their due time, in due order; since they are rows in SQLite,
a restarted emulator picks them up where the killed one left off.

Base durations are in "demo seconds" (speed 1.0): short enough for a live demo, in the
proportions the recorded flows show; ``speed`` divides them.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from collections.abc import Callable
from importlib import resources

from smtui.emulator.nodes import Node
from smtui.emulator.store import Operation, Step, Store


class ApiError(Exception):
    """An error answer: HTTP status, RDFE error code and message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


def bad_request(message: str) -> ApiError:
    """400 BadRequest."""
    return ApiError(400, "BadRequest", message)


def not_found(message: str) -> ApiError:
    """404 ResourceNotFound."""
    return ApiError(404, "ResourceNotFound", message)


def conflict(message: str) -> ApiError:
    """409 ConflictError."""
    return ApiError(409, "ConflictError", message)


def iso(ts: float | None = None) -> str:
    """A timestamp as RDFE writes it: ``yyyy-MM-ddTHH:mm:ssZ``."""
    when = dt.datetime.fromtimestamp(time.time() if ts is None else ts, dt.UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def new_request_id() -> str:
    """A fresh 32-hex request id."""
    return uuid.uuid4().hex


class Catalog:
    """Platform content every subscription sees: public OS/VM images, locations, role sizes."""

    def __init__(self) -> None:
        raw = resources.files("smtui.emulator").joinpath("data/catalog.json").read_text("utf-8")
        data = json.loads(raw)
        self.os_images: list[Node] = data["os_images"]
        self.vm_images: list[Node] = data["vm_images"]
        self.locations: list[Node] = data["locations"]
        self.role_sizes: list[Node] = data["role_sizes"]
        self.os_by_name = {i["Name"].lower(): i for i in self.os_images}
        self.vm_by_name = {i["Name"].lower(): i for i in self.vm_images}
        self.size_by_name = {s["Name"].lower(): s for s in self.role_sizes}
        self.location_names = {loc["Name"].lower(): loc["Name"] for loc in self.locations}
        # Internal regions that whitelisted (test) subscriptions could use; never listed.
        for hidden in data.get("hidden_locations", []):
            self.location_names.setdefault(hidden.lower(), hidden)
        self.vm_sizes = [s["Name"] for s in self.role_sizes if s.get("SupportedByVirtualMachines") == "true"]


StepHandler = Callable[["Engine", Step], None]
_HANDLERS: dict[str, StepHandler] = {}


def step_action(name: str) -> Callable[[StepHandler], StepHandler]:
    """Register a step handler under ``name`` (the ``action`` column of ``steps``)."""

    def deco(fn: StepHandler) -> StepHandler:
        _HANDLERS[name] = fn
        return fn

    return deco


class Engine:
    """State access shared by every handler: store, catalog, clock, operations and locks."""

    def __init__(self, store: Store, speed: float = 1.0, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.speed = max(speed, 1e-6)
        self.clock = clock
        self.catalog = Catalog()

    # -- operations ------------------------------------------------------------------------------
    def begin(self, sub: str, request_id: str, lock: str | None = None) -> str:
        """Register an in-progress operation for ``request_id`` holding ``lock`` (call inside a tx)."""
        self.store.add_operation(
            Operation(request_id, sub, "InProgress", None, None, None, lock), self.clock()
        )
        return request_id

    def done(self, sub: str, request_id: str) -> str:
        """Register an operation that already succeeded (synchronous calls are pollable too)."""
        self.store.add_operation(Operation(request_id, sub, "Succeeded", 200, None, None, None), self.clock())
        return request_id

    def at(self, sub: str, op: str, delay: float, action: str, **args: object) -> None:
        """Schedule ``action`` ``delay`` demo-seconds from now."""
        if action not in _HANDLERS:
            raise KeyError(f"unknown step action {action}")
        self.store.add_step(self.clock() + delay / self.speed, sub, op, action, args)

    def finish_at(
        self, sub: str, op: str, delay: float, *, status: int = 200, code: str = "", message: str = ""
    ) -> None:
        """Schedule the end of operation ``op``: Succeeded, or Failed when ``status`` is not 200."""
        self.at(sub, op, delay, "finish", http=status, code=code, message=message)

    def check_lock(self, lock: str, *, scope: str = "deployment") -> None:
        """Refuse (409) when an in-progress operation holds ``lock`` or a lock below it."""
        holder = self.store.lock_holder(lock)
        if holder is None and lock.count("/") == 2:
            # A comp=media delete of the whole hosted service locks every deployment in it.
            holder = self.store.lock_holder(lock.rsplit("/", 1)[0] + "/*")
        if holder is None:
            return
        if scope == "deployment":
            raise conflict(
                f"Windows Azure is currently performing an operation with x-ms-requestid {holder} on this "
                "deployment that requires exclusive access."
            )
        raise conflict(
            f"Windows Azure is currently performing an operation on this {scope} that requires exclusive access."  # noqa: E501
        )

    # -- timeline -------------------------------------------------------------------------------
    def advance(self) -> int:
        """Apply every step that is due; returns how many were applied."""
        now = self.clock()
        nxt = self.store.next_due()
        if nxt is None or nxt > now:
            return 0
        applied = 0
        with self.store.tx():
            while True:
                step = self.store.pop_due_step(now)
                if step is None:
                    break
                handler = _HANDLERS.get(step.action)
                if handler is not None:
                    handler(self, step)
                applied += 1
        return applied

    # -- documents ------------------------------------------------------------------------------
    def deployment(self, sub: str, service: str, name: str) -> Node | None:
        """A deployment document."""
        return self.store.get("deployment", sub, name, parent=service)

    def save_deployment(self, sub: str, dep: Node) -> None:
        """Store a deployment document."""
        self.store.put("deployment", sub, dep["Name"], dep, parent=dep["ServiceName"])


def lock_key(sub: str, service: str, deployment: str | None = None) -> str:
    """The lock name of a hosted service or one of its deployments."""
    key = f"{sub}/{service}".lower()
    return key if deployment is None else f"{key}/{deployment.lower()}"


@step_action("finish")
def _finish(engine: Engine, step: Step) -> None:
    http = int(step.args.get("http", 200))
    if http == 200:
        engine.store.finish_operation(step.op, "Succeeded", 200)
    else:
        engine.store.finish_operation(
            step.op, "Failed", http, step.args.get("code"), step.args.get("message")
        )
