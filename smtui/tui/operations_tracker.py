"""Long-running operations the console tracks: state, poll schedule with backoff, persistence.

No Textual: the App's poller worker asks :meth:`OperationsTracker.due` what to poll, feeds
results to :meth:`OperationsTracker.apply`, and sleeps :meth:`OperationsTracker.next_wait`.
Persistence goes through ``smtui.profiles.operations_store`` (pending operations survive a
restart and are resumed). Its writes take a file lock and fsync, so they run on a
:class:`StoreWriter` thread, never on the event loop.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from smtui.profiles import audit
from smtui.profiles import operations_store as store
from smtui.tui.nodes import NodeRef

if TYPE_CHECKING:
    from smtui.api.models import OperationStatus
    from smtui.api.response import Response

logger = logging.getLogger(__name__)

IN_PROGRESS = store.IN_PROGRESS
SUCCEEDED = store.SUCCEEDED
FAILED = store.FAILED
UNKNOWN = "Unknown"
"""A mutating call whose answer was lost: it may or may not have been applied (never re-sent)."""

FIRST_DELAY = 1.0
"""Seconds before the first poll of a new operation."""
MAX_DELAY = 15.0
"""Longest pause between two polls of one operation."""
BACKOFF = 1.6
"""Growth of the pause after each poll that found the operation still in progress."""


def _parse_iso(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


EARLIER_SHOWN = 10
"""How many operations that finished in earlier runs the sidebar lists after a restart."""


@dataclass
class TrackedOperation:
    """One operation in the sidebar.

    Attributes:
        request_id: ``x-ms-request-id`` polled at ``/operations/<id>``.
        operation: What was done (``ShutdownRoleInstance``, or ``Pasted`` for a pasted id).
        target: What it was done to (``svc/dep/role``).
        started: Wall-clock start (epoch seconds).
        status: ``InProgress``, ``Succeeded`` or ``Failed``.
        finished: Wall-clock end, once final.
        http_status_code: Final ``HttpStatusCode``.
        error_code: ``Error/Code`` of a failed operation, or of a failed poll.
        error_message: ``Error/Message`` likewise.
        node: The tree node to refresh when it completes.
        created: What the operation creates (the list's cursor goes there once it succeeded).
        resumed: Loaded from the store at start-up.
        earlier: Finished in an earlier run of the console (listed from the store, not polled).
        delay: Current pause between polls.
        next_poll: Monotonic time of the next poll.
    """

    request_id: str
    operation: str
    target: str
    started: float
    status: str = IN_PROGRESS
    finished: float | None = None
    http_status_code: int | None = None
    error_code: str | None = None
    error_message: str | None = None
    node: NodeRef | None = None
    created: NodeRef | None = None
    resumed: bool = False
    earlier: bool = False
    delay: float = FIRST_DELAY
    next_poll: float = 0.0
    polls: int = field(default=0)

    @property
    def is_pending(self) -> bool:
        """True until the operation reached a final status."""
        return self.status == IN_PROGRESS

    def elapsed(self, now: float) -> float:
        """Seconds from start to ``now`` (or to the end, once finished)."""
        end = self.finished if self.finished is not None else now
        return max(end - self.started, 0.0)


def format_elapsed(seconds: float) -> str:
    """``42s``, ``3m05s``, ``1h02m``."""
    s = int(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{(s % 3600) // 60:02d}m"


class StoreWriter:
    """Runs operations-store writes on one background thread, in the order they were queued.

    The thread is a daemon: a write stuck on the store's file lock cannot keep smtui from
    exiting. Call :meth:`close` (or :meth:`flush`) before exit so the last update is not lost.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: queue.Queue[Callable[[], object] | None] | None = None

    def submit(self, write: Callable[[], object]) -> None:
        """Queue ``write``; it runs after every write queued before it."""
        with self._lock:
            if self._queue is None:
                # Each thread has its own queue: one that is closing never takes a later write.
                self._queue = queue.Queue()
                name = "smtui-operations-store"
                threading.Thread(target=self._run, args=(self._queue,), name=name, daemon=True).start()
            self._queue.put(write)

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every write queued so far is done; False if ``timeout`` expired first."""
        with self._lock:
            if self._queue is None:
                return True
        done = threading.Event()
        self.submit(done.set)
        return done.wait(timeout)

    def close(self, timeout: float | None = None) -> bool:
        """Flush, then end the thread (a later :meth:`submit` starts a new one)."""
        flushed = self.flush(timeout)
        with self._lock:
            if self._queue is not None:
                self._queue.put(None)
                self._queue = None
        return flushed

    @staticmethod
    def _run(jobs: queue.Queue[Callable[[], object] | None]) -> None:
        while (write := jobs.get()) is not None:
            try:
                write()
            except Exception:  # one failed write must not stop the ones after it
                logger.exception("could not write the operations store")


class OperationsTracker:
    """The operations of one subscription, newest last.

    Args:
        subscription_id: Only stored operations of this subscription are resumed.
        profile: Profile name written with new operations.
        store_path: The operations file (default: the data dir's ``operations.json``).
        persist: Write to the store (tests of the sidebar alone turn it off).
        wall: Wall clock (epoch seconds); injectable so snapshots are stable.
        mono: Monotonic clock for the poll schedule.
    """

    def __init__(
        self,
        subscription_id: str,
        profile: str | None = None,
        *,
        store_path: Path | None = None,
        persist: bool = True,
        wall: Callable[[], float] = time.time,
        mono: Callable[[], float] = time.monotonic,
    ) -> None:
        self.subscription_id = subscription_id
        self.profile = profile
        self.store_path = store_path
        self.persist = persist
        self.wall = wall
        self.mono = mono
        self.operations: dict[str, TrackedOperation] = {}
        self.writer = StoreWriter()
        self.load_warnings: list[str] = []
        self._unknown_count = 0

    def flush(self, timeout: float | None = 5.0) -> bool:
        """Wait (blocking: call it from a thread) until every store write is done."""
        return self.writer.flush(timeout)

    def close(self, timeout: float | None = 5.0) -> bool:
        """Finish the pending store writes and stop the writer thread (blocking)."""
        return self.writer.close(timeout)

    # ------------------------------------------------------------------ state

    @property
    def pending(self) -> list[TrackedOperation]:
        """Operations still in progress."""
        return [op for op in self.operations.values() if op.is_pending]

    def add(
        self,
        request_id: str,
        operation: str,
        target: str,
        node: NodeRef | None = None,
        created: NodeRef | None = None,
    ) -> TrackedOperation:
        """Start tracking (idempotent per request id); persisted as pending."""
        request_id = request_id.strip()
        existing = self.operations.get(request_id)
        if existing is not None:
            existing.next_poll = self.mono()
            return existing
        op = TrackedOperation(
            request_id,
            operation,
            target,
            started=self.wall(),
            node=node,
            created=created,
            next_poll=self.mono() + FIRST_DELAY,
        )
        self.operations[request_id] = op
        if self.persist:
            pending = store.PendingOperation(
                request_id=request_id,
                operation=operation,
                target=target,
                profile=self.profile,
                subscription_id=self.subscription_id,
            )
            self.writer.submit(functools.partial(store.record_operation, pending, self.store_path))
        return op

    def load_stored(self) -> list[store.PendingOperation]:
        """Read every stored operation, pending and finished (blocking file I/O: use a thread).

        A corrupt store is set aside; what it says is left in :attr:`load_warnings`.
        """
        stored = store.load_operations(self.store_path)
        self.load_warnings = store.take_warnings()
        return stored

    def restore_finished(
        self, stored: list[store.PendingOperation], keep: int = EARLIER_SHOWN
    ) -> list[TrackedOperation]:
        """List the last ``keep`` operations of this subscription that finished in an earlier run.

        They are shown marked as such (``earlier``) and never polled.
        """
        finished = [
            s for s in stored
            if not s.is_pending and s.subscription_id in (None, self.subscription_id)
            and s.request_id not in self.operations
        ]
        restored = []
        for s in finished[-keep:]:
            op = TrackedOperation(
                s.request_id,
                s.operation,
                s.target,
                started=_parse_iso(s.started_at) or self.wall(),
                status=s.status,
                finished=_parse_iso(s.updated_at),
                http_status_code=s.http_status_code,
                error_code=s.error_code,
                error_message=s.error_message,
                resumed=True,
                earlier=True,
            )
            restored.append(op)
        # Earlier runs' operations come first: the sidebar lists the newest last.
        self.operations = {**{op.request_id: op for op in restored}, **self.operations}
        return restored

    def load_pending(self) -> list[store.PendingOperation]:
        """Read the store's pending operations (blocking file I/O: call it from a thread).

        A corrupt store is set aside; what it says is left in :attr:`load_warnings`.
        """
        pending = store.pending_operations(self.store_path)
        self.load_warnings = store.take_warnings()
        return pending

    def add_unknown(
        self, operation: str, target: str, message: str, node: NodeRef | None = None
    ) -> TrackedOperation:
        """Show a call whose answer was lost: no request id to poll, so it is never polled or re-sent.

        The user checks it by refreshing the affected list (the console does one refresh itself).
        """
        self._unknown_count += 1
        now = self.wall()
        op = TrackedOperation(
            f"answer lost #{self._unknown_count}",
            operation,
            target,
            started=now,
            status=UNKNOWN,
            finished=now,
            error_code="OutcomeUnknown",
            error_message=message,
            node=node,
        )
        self.operations[op.request_id] = op
        return op

    def resume(self, pending: list[store.PendingOperation] | None = None) -> list[TrackedOperation]:
        """Track this subscription's pending operations (polled right away).

        Args:
            pending: What :meth:`load_pending` returned; read from the store when omitted.
        """
        resumed = []
        for stored in self.load_pending() if pending is None else pending:
            if stored.subscription_id not in (None, self.subscription_id):
                continue
            if stored.request_id in self.operations:
                continue
            started = _parse_iso(stored.started_at) or self.wall()
            op = TrackedOperation(
                stored.request_id,
                stored.operation,
                stored.target,
                started=started,
                resumed=True,
                next_poll=self.mono(),
            )
            self.operations[op.request_id] = op
            resumed.append(op)
        return resumed

    def forget_finished(self) -> None:
        """Drop finished operations from the sidebar (the store keeps its history)."""
        self.operations = {k: op for k, op in self.operations.items() if op.is_pending}

    # ------------------------------------------------------------------ polling

    def due(self) -> list[TrackedOperation]:
        """Pending operations whose next poll time has come."""
        now = self.mono()
        return [op for op in self.pending if op.next_poll <= now]

    def next_wait(self) -> float | None:
        """Seconds until the next poll is due, or None when nothing is pending."""
        pending = self.pending
        if not pending:
            return None
        return max(min(op.next_poll for op in pending) - self.mono(), 0.0)

    def apply(self, request_id: str, response: Response[OperationStatus]) -> TrackedOperation | None:
        """Record a ``Get Operation Status`` response; returns the operation if it just finished.

        A failed *poll* (network, 5xx) keeps the operation pending and backs off; a 404 means
        the service forgot it (or the id is wrong) and ends it as Failed.
        """
        op = self.operations.get(request_id)
        if op is None or not op.is_pending:
            return None
        op.polls += 1
        if not getattr(response, "is_successful", False):
            error = getattr(response, "error", None)
            op.error_code = getattr(error, "code", None) or "PollFailed"
            op.error_message = getattr(error, "message", None) or "could not get the operation status"
            if getattr(response, "status_code", None) == 404:
                return self._finish(op, FAILED, 404)
            self._back_off(op)
            return None
        status = response.response
        value = getattr(status, "status", None) or IN_PROGRESS
        if value == IN_PROGRESS:
            op.error_code = op.error_message = None
            self._back_off(op)
            return None
        error = getattr(status, "error", None)
        op.error_code = getattr(error, "code", None)
        op.error_message = getattr(error, "message", None)
        return self._finish(
            op, SUCCEEDED if value == SUCCEEDED else FAILED, getattr(status, "http_status_code", None)
        )

    def _back_off(self, op: TrackedOperation) -> None:
        op.next_poll = self.mono() + op.delay
        op.delay = min(op.delay * BACKOFF, MAX_DELAY)

    def _finish(self, op: TrackedOperation, status: str, http_status: int | None) -> TrackedOperation:
        op.status = status
        op.finished = self.wall()
        op.http_status_code = http_status
        if self.persist:
            self.writer.submit(
                functools.partial(
                    store.update_operation,
                    op.request_id,
                    self.store_path,
                    status=status,
                    http_status_code=http_status,
                    error_code=op.error_code,
                    error_message=op.error_message,
                )
            )
            # The audit log entry of the request gets its final status too (same writer thread).
            error = f"{op.error_code}: {op.error_message}" if op.error_code else op.error_message
            self.writer.submit(
                functools.partial(
                    audit.record_status, op.request_id, status, http_status=http_status, error=error
                )
            )
        return op
