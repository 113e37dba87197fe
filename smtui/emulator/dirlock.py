"""One emulator per data directory: an advisory lock that names the emulator holding it.

Two emulators on one state database each keep their own read cache and rewrite the same
.publishsettings, so each serves what the other deleted. The first emulator holds an exclusive
``flock`` on ``<data dir>/emulator.lock`` for as long as it runs (the kernel releases it when the
process dies, even by ``kill -9``) and writes who it is into the file: a second start fails with a
message naming it, and the console's embedded emulator connects to it instead.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # Windows: no advisory lock, as before
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "emulator.lock"


@dataclass(frozen=True)
class RunningEmulator:
    """What the emulator holding a data directory's lock says about itself.

    Attributes:
        pid: Its process id.
        host: ``address:port`` it serves on, or "" while it is still starting.
        subscription_id: The primary subscription.
        client_cert: Management certificate (PEM) of :attr:`subscription_id`.
        client_key: Its private key.
        ca_file: The CA that signed the server certificate.
    """

    pid: int
    host: str = ""
    subscription_id: str = ""
    client_cert: str = ""
    client_key: str = ""
    ca_file: str = ""

    @property
    def port(self) -> int | None:
        """The port, once it listens."""
        _, _, port = self.host.rpartition(":")
        return int(port) if port.isdigit() else None

    def describe(self) -> str:
        """``pid 123, port 8443`` (or ``pid 123, still starting``)."""
        return f"pid {self.pid}, " + (f"port {self.port}" if self.port else "still starting")


class DataDirBusy(RuntimeError):
    """Another emulator runs on this data directory."""

    def __init__(self, data_dir: Path, holder: RunningEmulator | None) -> None:
        self.data_dir = data_dir
        self.holder = holder
        who = f"another emulator ({holder.describe()})" if holder else "another emulator"
        super().__init__(
            f"{who} is already using the data directory {data_dir}; stop it or choose another --data-dir"
        )


class DataDirLock:
    """The lock of one data directory, held from :meth:`acquire` to :meth:`release`."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.path = data_dir / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock and record this process in it.

        Raises:
            DataDirBusy: Another live process holds it.
        """
        if self._fd is not None or fcntl is None:
            return
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            raise DataDirBusy(self.data_dir, read_holder(self.data_dir)) from None
        self._fd = fd
        self.record(RunningEmulator(pid=os.getpid()))

    def record(self, info: RunningEmulator) -> None:
        """Write what a second start (or the console) should know about this emulator."""
        if self._fd is None:
            return
        data = json.dumps(info.__dict__).encode()
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, data, 0)

    def release(self) -> None:
        """Give the lock up (idempotent)."""
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.ftruncate(fd, 0)
        finally:
            os.close(fd)  # closing the descriptor releases the flock


def read_holder(data_dir: Path) -> RunningEmulator | None:
    """What the emulator holding ``data_dir``'s lock recorded, or None if unreadable."""
    try:
        # Any: parsed JSON, read field by field (a malformed file is caught below).
        raw: Any = json.loads((data_dir / LOCK_NAME).read_text(encoding="utf-8"))
        return RunningEmulator(**{k: raw[k] for k in RunningEmulator.__dataclass_fields__ if k in raw})
    except (OSError, ValueError, TypeError, KeyError):
        return None


def wait_for_holder(data_dir: Path, timeout: float = 15.0) -> RunningEmulator | None:
    """The running emulator of ``data_dir`` once it listens (it may be starting), or None."""
    deadline = time.monotonic() + timeout
    while True:
        holder = read_holder(data_dir)
        if holder is not None and holder.port:
            return holder
        if time.monotonic() > deadline:
            return holder
        time.sleep(0.05)
