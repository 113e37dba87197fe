"""The composition root: the one place that starts the embedded emulator and wires the console.

Profiles know profiles, the emulator knows its data directory, the console knows a
:class:`~smtui.profiles.connection.ConnectionResolver`; only this module knows all three:

* :func:`resolve_connection` — ``--profile NAME`` (or nothing) to a ready
  :class:`~smtui.profiles.connection.Connection`: a named profile, or the embedded emulator
  (started here, or the one already serving the same data directory);
* :func:`start_connection` — the same in two halves: what starts at once, then the wait;
* :func:`connection_resolver` — the same, bound to an emulator data directory, for the console;
* :func:`build_app` / :func:`run_console` — the console with its connection already on the way.

The CLI imports this module only on the paths that connect (the console, ``smtui ls``), so
subcommands that do not connect never load the emulator.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import selectors
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smtui.profiles import paths
from smtui.profiles.blocking import run_off_loop
from smtui.profiles.connection import Connection, ConnectionResolver, profile_connection, wanted_profile
from smtui.profiles.errors import ProfileError

if TYPE_CHECKING:
    from smtui.emulator.dirlock import DataDirBusy, RunningEmulator
    from smtui.tui.app import SmtuiApp

EMULATOR_SEED = "demo"
"""What a fresh embedded emulator holds: the demo subscription."""

EMULATOR_START_TIMEOUT = 60.0
"""Seconds a separate emulator process may take to listen (a cold start generates RSA keys)."""


def emulator_connection(
    *,
    read_only: bool = False,
    seed: str = EMULATOR_SEED,
    data_dir: Path | None = None,
) -> Connection:
    """The embedded emulator, in a thread of this process: started here, or the one already
    serving ``data_dir`` (:attr:`Connection.emulator` is then the running ``Emulator``, for
    tests). The console runs it in a child process instead (:func:`start_connection`).

    Args:
        read_only: Hide every mutating action.
        seed: Seed of a freshly created emulator state.
        data_dir: Emulator state directory (default ``<data dir>/emulator``).

    Returns:
        The connection; closing it stops the emulator if this call started it.

    Raises:
        ProfileError: The emulator could not start, or another one holds the directory but never
            started listening.
    """
    directory = _emulator_directory(data_dir)
    from smtui.emulator import Emulator
    from smtui.emulator.dirlock import DataDirBusy

    stack = contextlib.ExitStack()
    try:
        emu = stack.enter_context(Emulator.running(data_dir=directory, seed=seed))
    except DataDirBusy as busy:
        stack.close()
        return _running_emulator_connection(busy, read_only)
    except BaseException:
        stack.close()
        raise
    conn = Connection.to_emulator(emu, read_only=read_only)
    conn.close_with(stack.close)  # this connection started the emulator: closing it stops it
    return conn


def _emulator_directory(data_dir: Path | None) -> Path:
    """The embedded emulator's state directory (default ``<data dir>/emulator``), created private."""
    return paths.ensure_private_dir(data_dir or paths.emulator_data_dir())


def _spawn_child_emulator(directory: Path, seed: str) -> Callable[[bool], Connection]:
    """Start ``smtui.emulator.embedded`` as a child process now (it stops when its stdin closes),
    or find the one serving ``directory``; the returned call waits until it listens and connects
    (``read_only``), so the caller can do other work meanwhile.

    Raises:
        OSError: The data directory or the child's log could not be created.
    """
    from smtui.emulator.dirlock import DataDirBusy, read_holder

    holder = read_holder(directory)
    if holder is not None and holder.port and _alive(holder.pid):
        # An emulator serves this directory already: connect without starting a Python to learn it.
        return functools.partial(_running_emulator_connection, DataDirBusy(directory, holder))
    log = directory / "embedded.log"  # the child's stderr: a Textual screen must not receive it
    with open(os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as err:
        command = [sys.executable, "-m", "smtui.emulator.embedded", "--data-dir", os.fspath(directory)]
        child = subprocess.Popen(
            [*command, "--seed", seed],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=err,
            start_new_session=True,  # the terminal's Ctrl-C / Ctrl-Z are the console's, not the child's
        )
    return functools.partial(_await_child_emulator, child, directory, log)


def _await_child_emulator(
    child: subprocess.Popen[bytes], directory: Path, log: Path, read_only: bool
) -> Connection:
    """Wait for the child's ``ready`` line and connect to it (stopping it if it failed)."""
    from smtui.emulator.dirlock import DataDirBusy, RunningEmulator, read_holder

    assert child.stdout is not None
    line = _read_line(child.stdout, EMULATOR_START_TIMEOUT)
    word, _, payload = line.decode("utf-8", "replace").strip().partition(" ")
    if word == "ready":
        raw = json.loads(payload)
        info = RunningEmulator(**{k: raw[k] for k in RunningEmulator.__dataclass_fields__ if k in raw})
        conn = _connection_to(info, read_only, subscription_name=None)
        conn.close_with(functools.partial(_stop_child, child))
        return conn
    _stop_child(child)
    if word == "busy":  # another emulator serves this directory (it started meanwhile): share it
        return _running_emulator_connection(DataDirBusy(directory, read_holder(directory)), read_only)
    lines = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    why = lines[-1] if lines else "it exited or did not answer in time"
    raise ProfileError(f"the embedded emulator did not start: {why} (see {log})")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def _read_line(stream: Any, timeout: float) -> bytes:
    """One line from a child's stdout, or b"" at end of file or after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    data = b""
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        while not data.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(left):
                return b""
            chunk = os.read(stream.fileno(), 4096)
            if not chunk:
                return data
            data += chunk
    return data


def _stop_child(child: subprocess.Popen[bytes]) -> None:
    """Close the child's stdin (it stops and checkpoints its state) and wait for it."""
    for stream in (child.stdin, child.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
    try:
        child.wait(timeout=15)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def _connection_to(info: RunningEmulator, read_only: bool, subscription_name: str | None) -> Connection:
    return Connection(
        subscription_id=info.subscription_id,
        host=info.host,
        cert_path=info.client_cert,
        key_path=info.client_key,
        ca_file=info.ca_file,
        read_only=read_only,
        is_emulator=True,
        subscription_name=subscription_name,
    )


def _running_emulator_connection(busy: DataDirBusy, read_only: bool) -> Connection:
    """A connection to the emulator another process runs on the same data directory (``smtui
    emulator`` in another terminal, or a second console): share it rather than fail."""
    from smtui.emulator.dirlock import wait_for_holder

    holder = wait_for_holder(busy.data_dir)
    if holder is None or not holder.port or not holder.subscription_id:
        raise ProfileError(str(busy)) from None
    return _connection_to(holder, read_only, subscription_name=f"smtui emulator (pid {holder.pid})")


def resolve_connection(
    profile_name: str | None = None,
    *,
    read_only: bool = False,
    emulator_seed: str = EMULATOR_SEED,
    emulator_data: Path | None = None,
    emulator_process: bool = False,
) -> Connection:
    """What ``--profile profile_name`` (or nothing) connects to, ready to use.

    * a named profile → that profile, with its certificate paths from the keyring;
    * ``"emulator"`` → the embedded emulator, always;
    * nothing → the default profile if one is configured, otherwise the embedded emulator
      (demo seed, state kept in ``<data dir>/emulator`` between runs).

    Blocking: may wait for the keyring (bounded by its timeout) and for the emulator to start.

    Args:
        profile_name: ``--profile`` value; None means the default profile or the emulator.
        read_only: ``--read-only``; a read-only profile is read-only regardless.
        emulator_seed: Seed of a freshly created emulator state.
        emulator_data: Emulator state directory (default ``<data dir>/emulator``).
        emulator_process: Start the emulator in a child process rather than a thread.

    Returns:
        The connection; close it (or use ``with``) to stop an emulator it started.

    Raises:
        ProfileError: Unknown profile, no certificate, or missing certificate files.
        CredentialStoreError: The keyring failed.
    """
    return start_connection(
        profile_name,
        read_only=read_only,
        emulator_seed=emulator_seed,
        emulator_data=emulator_data,
        emulator_process=emulator_process,
    )()


def start_connection(
    profile_name: str | None = None,
    *,
    read_only: bool = False,
    emulator_seed: str = EMULATOR_SEED,
    emulator_data: Path | None = None,
    emulator_process: bool = False,
) -> Callable[[], Connection]:
    """:func:`resolve_connection` in two halves: start now what can start at once (the embedded
    emulator's child process), and return the call that waits for the rest (the keyring, the
    emulator listening). Same arguments and errors; the second half raises what it would.
    """
    name = wanted_profile(profile_name)
    if name is not None:
        return functools.partial(profile_connection, name, read_only=read_only)
    if emulator_process:
        directory = _emulator_directory(emulator_data)
        return functools.partial(_spawn_child_emulator(directory, emulator_seed), read_only)
    return functools.partial(
        emulator_connection, read_only=read_only, seed=emulator_seed, data_dir=emulator_data
    )


def connection_resolver(
    *, emulator_data: Path | None = None, emulator_seed: str = EMULATOR_SEED, emulator_process: bool = False
) -> ConnectionResolver:
    """:func:`resolve_connection` with the embedded emulator's directory, seed and process bound."""
    resolver: ConnectionResolver = functools.partial(
        resolve_connection,
        emulator_seed=emulator_seed,
        emulator_data=emulator_data,
        emulator_process=emulator_process,
    )
    return resolver


async def aresolve_connection(
    profile_name: str | None = None, *, read_only: bool = False, timeout: float | None = 60.0
) -> Connection:
    """:func:`resolve_connection` in a daemon thread, for the event loop.

    Raises:
        TimeoutError: Resolution took longer than ``timeout`` seconds.
    """

    def resolve() -> Connection:
        return resolve_connection(profile_name, read_only=read_only)

    return await run_off_loop(resolve, timeout=timeout)


def resolve_early(
    profile: str | None, read_only: bool, *, emulator_data: Path | None = None
) -> Future[Connection]:
    """Resolve the console's connection (keyring, embedded emulator start) in a daemon thread.

    Importing Textual takes a few hundred milliseconds; starting the emulator meanwhile makes
    the first row appear sooner. A daemon thread, so a hung keyring never blocks exit. The
    embedded emulator's process is started here, on the calling thread (:func:`start_connection`):
    a new thread gets the GIL only between the caller's imports, which delayed the start by
    0.1-0.15 s.
    """
    future: Future[Connection] = Future()
    try:
        connect = start_connection(
            profile, read_only=read_only, emulator_data=emulator_data, emulator_process=True
        )
    except Exception as exc:  # handed to the app, which explains it on screen
        future.set_exception(exc)
        return future

    def run() -> None:
        try:
            connection = connect()
        except BaseException as exc:  # handed to the app, which explains it on screen
            future.set_exception(exc)
            return
        future.set_result(connection)

    threading.Thread(target=run, name="smtui-connect", daemon=True).start()
    return future


def build_app(
    profile: str | None = None,
    *,
    read_only: bool = False,
    emulator_data: Path | None = None,
    **options: Any,
) -> SmtuiApp:
    """The console for ``smtui [--profile NAME] [--read-only]``, its connection already on the way.

    Args:
        profile: ``--profile NAME`` (None: the default profile, or the embedded emulator).
        read_only: ``--read-only``.
        emulator_data: The embedded emulator's state directory (default ``<data dir>/emulator``).
        options: Passed on to :class:`~smtui.tui.app.SmtuiApp` (``refresh_interval`` …).
    """
    # The embedded emulator in a process of its own, started before Textual is imported: the two
    # start-ups then overlap on two cores (issue 12 §2).
    resolver = connection_resolver(emulator_data=emulator_data, emulator_process=True)
    future = resolve_early(profile, read_only, emulator_data=emulator_data)
    from smtui.tui.app import SmtuiApp  # Textual is imported on this path only

    return SmtuiApp(profile, read_only=read_only, resolver=resolver, connection_future=future, **options)


def run_console(profile: str | None = None, *, read_only: bool = False) -> int:
    """Run the console until the user quits.

    Args:
        profile: ``--profile NAME`` (None: the default profile, or the embedded emulator).
        read_only: ``--read-only``.

    Returns:
        The process exit code.
    """
    # Esc must feel instant over SSH; curses-style apps honour ESCDELAY (milliseconds).
    os.environ.setdefault("ESCDELAY", "25")
    app = build_app(profile, read_only=read_only)
    app.run()
    return 0 if app.return_code is None else int(app.return_code)
