"""SQLite state of the emulator: documents, operations and the timeline of pending steps.

Crash safety: WAL journal, every mutation of a request happens in one transaction that is
committed before the response is sent, so a ``kill -9`` loses nothing acknowledged. Timed
state changes (an operation finishing, a VM reaching ReadyRole) are rows in ``steps`` with a
due time; they are applied lazily, so after a restart they simply resume.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from smtui.emulator.nodes import Node

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS subscriptions(id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS mgmt_certs(
    sub TEXT NOT NULL, thumbprint TEXT NOT NULL, pem TEXT NOT NULL, created TEXT NOT NULL,
    PRIMARY KEY(sub, thumbprint));
CREATE TABLE IF NOT EXISTS docs(
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL, sub TEXT NOT NULL, parent TEXT NOT NULL, lkey TEXT NOT NULL, doc TEXT NOT NULL,
    UNIQUE(kind, sub, parent, lkey));
CREATE TABLE IF NOT EXISTS operations(
    id TEXT PRIMARY KEY, sub TEXT NOT NULL, status TEXT NOT NULL, http_status INTEGER,
    err_code TEXT, err_message TEXT, lock TEXT, created REAL NOT NULL);
CREATE INDEX IF NOT EXISTS operations_lock ON operations(lock) WHERE lock IS NOT NULL;
CREATE TABLE IF NOT EXISTS steps(
    seq INTEGER PRIMARY KEY AUTOINCREMENT, due REAL NOT NULL, sub TEXT NOT NULL, op TEXT NOT NULL,
    action TEXT NOT NULL, args TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS steps_due ON steps(due, seq);
"""


@dataclass
class Operation:
    """A tracked asynchronous (or synchronous) request, as ``GET /operations/<id>`` reports it."""

    id: str
    sub: str
    status: str
    http_status: int | None
    err_code: str | None
    err_message: str | None
    lock: str | None


@dataclass
class Step:
    """A pending timed state change."""

    seq: int
    due: float
    sub: str
    op: str
    action: str
    args: Node


class Store:
    """All persistent state, behind one connection guarded by a lock (the server runs in one thread,
    tests and the in-process API may call from another)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        _private(path)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._lock = threading.RLock()
        self._depth = 0
        with self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a committed transaction survives a process crash (kill -9);
            # only an OS crash/power loss could drop the very last commits, never corrupt.
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        self._next_due: float | None = None
        self._next_due_known = False
        self.version = 0
        """Incremented by every write: lets readers cache what they rendered from the state."""

    def _write(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Cursor:
        self.version += 1
        return self._db.execute(sql, params)

    def close(self) -> None:
        """Checkpoint the write-ahead log into the database file and close it."""
        with self._lock:
            try:
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass  # closing still checkpoints what it can
            self._db.close()

    @contextmanager
    def tx(self) -> Iterator[None]:
        """A write transaction (re-entrant); committed on normal exit, rolled back on error."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                self._next_due_known = False
                raise
            else:
                self._db.execute("COMMIT")
            finally:
                self._depth = 0

    def clear(self) -> None:
        """Delete every document, operation and pending step (subscriptions and certificates stay)."""
        with self.tx():
            for table in ("docs", "operations", "steps"):
                self._write(f"DELETE FROM {table}")
            self._write("DELETE FROM meta WHERE key='seeded'")
        self._next_due_known = False

    # -- meta -------------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        """A value of the ``meta`` table."""
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        """Set a value of the ``meta`` table."""
        with self._lock:
            self._write("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", (key, value))

    # -- subscriptions and management certificates -------------------------------------------------
    def put_subscription(self, sub_id: str, doc: Node) -> None:
        """Create or replace a subscription."""
        with self._lock:
            self._write(
                "INSERT OR REPLACE INTO subscriptions(id, doc) VALUES(?, ?)",
                (sub_id.lower(), json.dumps(doc)),
            )

    def get_subscription(self, sub_id: str) -> Node | None:
        """A subscription document, or None."""
        with self._lock:
            row = self._db.execute("SELECT doc FROM subscriptions WHERE id=?", (sub_id.lower(),)).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def subscriptions(self) -> list[Node]:
        """All subscription documents."""
        with self._lock:
            rows = self._db.execute("SELECT doc FROM subscriptions ORDER BY rowid").fetchall()
        return [dict(json.loads(r[0])) for r in rows]

    def add_cert(self, sub: str, thumb: str, pem: str, created: str) -> None:
        """Register a management certificate for a subscription."""
        with self._lock:
            self._write(
                "INSERT OR REPLACE INTO mgmt_certs(sub, thumbprint, pem, created) VALUES(?, ?, ?, ?)",
                (sub.lower(), thumb.upper(), pem, created),
            )

    def delete_cert(self, sub: str, thumb: str) -> bool:
        """Unregister a management certificate; True if it existed."""
        with self._lock:
            cur = self._write(
                "DELETE FROM mgmt_certs WHERE sub=? AND thumbprint=?", (sub.lower(), thumb.upper())
            )
        return cur.rowcount > 0

    def certs(self, sub: str | None = None) -> list[tuple[str, str, str, str]]:
        """``(sub, thumbprint, pem, created)`` rows, for one subscription or all."""
        with self._lock:
            if sub is None:
                rows = self._db.execute("SELECT sub, thumbprint, pem, created FROM mgmt_certs").fetchall()
            else:
                rows = self._db.execute(
                    "SELECT sub, thumbprint, pem, created FROM mgmt_certs WHERE sub=? ORDER BY rowid",
                    (sub.lower(),),
                ).fetchall()
        return [(str(a), str(b), str(c), str(d)) for a, b, c, d in rows]

    # -- documents ------------------------------------------------------------------------------
    def get(self, kind: str, sub: str, key: str, parent: str = "") -> Node | None:
        """One document by kind and case-insensitive key, or None."""
        with self._lock:
            row = self._db.execute(
                "SELECT doc FROM docs WHERE kind=? AND sub=? AND parent=? AND lkey=?",
                (kind, sub.lower(), parent.lower(), key.lower()),
            ).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def put(self, kind: str, sub: str, key: str, doc: Node, parent: str = "") -> None:
        """Insert or replace a document (keeping its original position in listings)."""
        with self._lock:
            self._write(
                "INSERT INTO docs(kind, sub, parent, lkey, doc) VALUES(?, ?, ?, ?, ?) "
                "ON CONFLICT(kind, sub, parent, lkey) DO UPDATE SET doc=excluded.doc",
                (kind, sub.lower(), parent.lower(), key.lower(), json.dumps(doc)),
            )

    def delete(self, kind: str, sub: str, key: str, parent: str = "") -> bool:
        """Delete a document; True if it existed."""
        with self._lock:
            cur = self._write(
                "DELETE FROM docs WHERE kind=? AND sub=? AND parent=? AND lkey=?",
                (kind, sub.lower(), parent.lower(), key.lower()),
            )
        return cur.rowcount > 0

    def list(self, kind: str, sub: str, parent: str | None = "") -> list[Node]:
        """Documents of a kind in creation order (``parent=None``: under any parent)."""
        with self._lock:
            if parent is None:
                rows = self._db.execute(
                    "SELECT doc FROM docs WHERE kind=? AND sub=? ORDER BY seq", (kind, sub.lower())
                ).fetchall()
            else:
                rows = self._db.execute(
                    "SELECT doc FROM docs WHERE kind=? AND sub=? AND parent=? ORDER BY seq",
                    (kind, sub.lower(), parent.lower()),
                ).fetchall()
        return [dict(json.loads(r[0])) for r in rows]

    def count(self, kind: str, sub: str) -> int:
        """Number of documents of a kind."""
        with self._lock:
            row = self._db.execute(
                "SELECT COUNT(*) FROM docs WHERE kind=? AND sub=?", (kind, sub.lower())
            ).fetchone()
        return int(row[0])

    # -- operations -----------------------------------------------------------------------------
    def add_operation(self, op: Operation, created: float) -> None:
        """Record a new operation."""
        with self._lock:
            self._write(
                "INSERT INTO operations(id, sub, status, http_status, err_code, err_message, lock, created) "
                "VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    op.id,
                    op.sub.lower(),
                    op.status,
                    op.http_status,
                    op.err_code,
                    op.err_message,
                    op.lock,
                    created,
                ),
            )

    def get_operation(self, sub: str, op_id: str) -> Operation | None:
        """An operation of a subscription by its 32-hex id."""
        with self._lock:
            row = self._db.execute(
                "SELECT id, sub, status, http_status, err_code, err_message, lock FROM operations "
                "WHERE id=? AND sub=?",
                (op_id.lower(), sub.lower()),
            ).fetchone()
        return None if row is None else Operation(*row)

    def finish_operation(
        self, op_id: str, status: str, http_status: int, code: str | None = None, message: str | None = None
    ) -> None:
        """Mark an operation Succeeded/Failed and release its lock."""
        with self._lock:
            self._write(
                "UPDATE operations SET status=?, http_status=?, err_code=?, err_message=?, lock=NULL WHERE id=?",  # noqa: E501
                (status, http_status, code, message, op_id),
            )

    def lock_holder(self, lock_prefix: str) -> str | None:
        """The id of an in-progress operation holding a lock equal to or under ``lock_prefix``."""
        with self._lock:
            row = self._db.execute(
                "SELECT id FROM operations WHERE lock IS NOT NULL AND (lock=? OR lock LIKE ? ESCAPE '\\')",
                (lock_prefix, _like_prefix(lock_prefix)),
            ).fetchone()
        return None if row is None else str(row[0])

    # -- timeline -------------------------------------------------------------------------------
    def add_step(self, due: float, sub: str, op: str, action: str, args: Node) -> None:
        """Schedule a timed state change."""
        with self._lock:
            self._write(
                "INSERT INTO steps(due, sub, op, action, args) VALUES(?, ?, ?, ?, ?)",
                (due, sub.lower(), op, action, json.dumps(args)),
            )
            if self._next_due_known and (self._next_due is None or due < self._next_due):
                self._next_due = due

    def next_due(self) -> float | None:
        """Due time of the earliest pending step (cached; steps are the hot path of every request)."""
        with self._lock:
            if not self._next_due_known:
                row = self._db.execute("SELECT MIN(due) FROM steps").fetchone()
                self._next_due = None if row[0] is None else float(row[0])
                self._next_due_known = True
            return self._next_due

    def pop_due_step(self, now: float) -> Step | None:
        """Remove and return the earliest step due at ``now`` (call inside :meth:`tx`)."""
        with self._lock:
            row = self._db.execute(
                "SELECT seq, due, sub, op, action, args FROM steps WHERE due<=? ORDER BY due, seq LIMIT 1",
                (now,),
            ).fetchone()
            if row is None:
                self._next_due_known = False
                return None
            self._write("DELETE FROM steps WHERE seq=?", (row[0],))
            self._next_due_known = False
        return Step(int(row[0]), float(row[1]), str(row[2]), str(row[3]), str(row[4]), json.loads(row[5]))

    def pending_steps(self, op: str | None = None) -> int:
        """Number of pending steps (of one operation, or all)."""
        with self._lock:
            if op is None:
                row = self._db.execute("SELECT COUNT(*) FROM steps").fetchone()
            else:
                row = self._db.execute("SELECT COUNT(*) FROM steps WHERE op=?", (op,)).fetchone()
        return int(row[0])


def _private(path: Path) -> None:
    """Make the database (it holds the emulated storage keys) and its WAL files owner-only.

    SQLite creates the -wal and -shm files with the database file's mode, so creating that
    file 0600 first covers them too; files of an older, 0644 state are tightened.
    """
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if file.stat().st_mode & 0o077:
                file.chmod(0o600)
        except FileNotFoundError:
            pass


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "/%"
