"""The :class:`Emulator`: data directory, certificates, seeding and the uvicorn HTTPS server."""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from smtui.emulator import certs as c
from smtui.emulator.app import EmulatorApp
from smtui.emulator.dirlock import DataDirLock, RunningEmulator
from smtui.emulator.engine import Engine, iso
from smtui.emulator.faults import Faults
from smtui.emulator.seed import seed_demo, seed_scale
from smtui.emulator.store import Store
from smtui.emulator.tls import ServerLimits, protocol_class, server_context

log = logging.getLogger("smtui.emulator")

LISTEN_BACKLOG = 1024
"""Pending connections the kernel queues: a CLI fanning out opens ~500 at once."""


class Emulator:
    """A local Azure Service Management endpoint over HTTPS with client-certificate authentication.

    Use ``with Emulator.running(data_dir, seed="demo", speed=100) as emu:`` in-process, or
    :meth:`serve_forever` from the command line.

    Attributes:
        faults: Fault-injection settings (all off by default), changeable while running.
        subscription_id: The subscription the generated management certificate is registered for.
        foreign_subscription_id: A second subscription with its own certificate (for 403 tests).
    """

    def __init__(
        self,
        data_dir: str | Path,
        *,
        seed: str = "demo",
        speed: float = 1.0,
        port: int = 0,
        host: str = "127.0.0.1",
        scale: int = 0,
        faults: Faults | str | None = None,
        limits: ServerLimits | None = None,
    ) -> None:
        if seed not in ("demo", "empty"):
            raise ValueError(f"seed must be 'demo' or 'empty', not {seed!r}")
        self.data_dir = Path(data_dir)
        self.seed = seed
        self.speed = speed
        self.requested_port = port
        self.bind_host = host
        self.scale = scale
        self.faults = faults if isinstance(faults, Faults) else Faults.parse(faults)
        self.limits = limits or ServerLimits()
        self._lock = DataDirLock(self.data_dir)
        self.cert_dir = self.data_dir / "certs"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sockets: list[socket.socket] = []
        self._prepared = False
        self._stop_requested = False

    # -- setup --------------------------------------------------------------------------------------
    def prepare(self) -> None:
        """Open the state, create certificates and seed content on first use (idempotent).

        Raises:
            smtui.emulator.dirlock.DataDirBusy: Another emulator runs on this data directory.
        """
        if self._prepared:
            return
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._lock.acquire()
        try:
            self._prepare()
        except BaseException:
            self._lock.release()
            raise

    def _prepare(self) -> None:
        self.store = Store(self.data_dir / "state.db")
        self.engine = Engine(self.store, speed=self.speed)
        ca = c.ensure_ca(self.cert_dir)
        self.server_pair = c.ensure_server_cert(self.cert_dir, ca)
        self.ca_pair = ca
        self.management = c.ensure_management_cert(
            self.cert_dir, "management", "smtui emulator management certificate"
        )
        self.foreign = c.ensure_management_cert(
            self.cert_dir, "management-foreign", "smtui emulator foreign subscription"
        )
        with self.store.tx():
            self.subscription_id = self._subscription(
                "primary", "smtui Emulator Subscription", self.management
            )
            self.foreign_subscription_id = self._subscription(
                "foreign", "smtui Emulator Foreign Subscription", self.foreign
            )
            if self.store.get_meta("seeded") is None:
                if self.seed == "demo":
                    seed_demo(self.engine, self.subscription_id)
                if self.scale:
                    seed_scale(self.engine, self.subscription_id, self.scale)
                self.store.set_meta(
                    "seeded", self.seed if not self.scale else f"{self.seed}+scale{self.scale}"
                )
        self.app = EmulatorApp(self.engine, self.faults)
        self._prepared = True

    def _subscription(self, role: str, name: str, pair: c.KeyPair) -> str:
        sub_id = self.store.get_meta(f"subscription:{role}")
        if sub_id is None:
            sub_id = str(uuid.uuid4())
            self.store.set_meta(f"subscription:{role}", sub_id)
            self.store.put_subscription(sub_id, {"id": sub_id, "name": name, "created": iso()})
        pem = pair.cert.read_bytes()
        thumb = c.thumbprint(c.pem_to_der(pem))
        if all(t != thumb for _s, t, _p, _c in self.store.certs(sub_id)):
            self.store.add_cert(sub_id, thumb, pem.decode("ascii"), iso())
        return sub_id

    # -- paths and addresses ------------------------------------------------------------------------------
    @property
    def port(self) -> int:
        """The HTTPS port (known once started)."""
        return int(self._sockets[0].getsockname()[1])

    @property
    def redirect_port(self) -> int:
        """The second port that 307 redirect faults point at."""
        return int(self._sockets[1].getsockname()[1])

    @property
    def host(self) -> str:
        """``127.0.0.1:PORT``, what the client's ``host`` option takes."""
        return f"{self.bind_host}:{self.port}"

    @property
    def base_url(self) -> str:
        """``https://127.0.0.1:PORT``."""
        return f"https://{self.host}"

    @property
    def client_cert(self) -> Path:
        """PEM of the management certificate registered for :attr:`subscription_id`."""
        return self.management.cert

    @property
    def client_key(self) -> Path:
        """PEM private key of :attr:`client_cert` (mode 0600)."""
        return self.management.key

    @property
    def foreign_cert(self) -> Path:
        """A management certificate registered only for :attr:`foreign_subscription_id`."""
        return self.foreign.cert

    @property
    def foreign_key(self) -> Path:
        """Private key of :attr:`foreign_cert`."""
        return self.foreign.key

    @property
    def ca_file(self) -> Path:
        """The CA that signed the server certificate (pass as the client's CA bundle)."""
        return self.ca_pair.cert

    @property
    def publishsettings(self) -> Path:
        """A schema 2.0 ``.publishsettings`` for :attr:`subscription_id` pointing at this server."""
        return self.data_dir / "emulator.publishsettings"

    # -- runtime API ------------------------------------------------------------------------------
    def reset(self, seed: str | None = None) -> None:
        """Forget all content and operations and seed again (``seed`` defaults to the emulator's)."""
        self.store.clear()
        with self.store.tx():
            if (seed or self.seed) == "demo":
                seed_demo(self.engine, self.subscription_id)
            self.store.set_meta("seeded", seed or self.seed)

    def advance(self) -> int:
        """Apply every timed step that is due now (requests do this on their own)."""
        return self.engine.advance()

    def operation_status(self, request_id: str) -> str | None:
        """The status of an operation of the primary subscription (for tests)."""
        op = self.store.get_operation(self.subscription_id, request_id)
        return None if op is None else op.status

    def client_snippet(self) -> str:
        """Python lines that connect smtui's client to this emulator."""
        return (
            "from smtui.api.client import ServiceManagementClient\n"
            f"client = ServiceManagementClient(\n"
            f'    "{self.subscription_id}",\n'
            f'    auth={{"certfile": "{self.client_cert}", "keyfile": "{self.client_key}"}},\n'
            f'    options={{"host": "{self.host}", "ca_bundle": "{self.ca_file}"}},\n'
            ")\n"
        )

    # -- serving -------------------------------------------------------------------------------------
    def bind(self) -> None:
        """Open the listening sockets (the main port and the redirect-fault port)."""
        if self._sockets:
            return
        for port in (self.requested_port, 0):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((self.bind_host, port))
            except OSError:
                sock.close()
                self._close_sockets()
                raise
            sock.listen(LISTEN_BACKLOG)
            sock.setblocking(False)
            self._sockets.append(sock)
        self.app.redirect_port = self.redirect_port
        self._lock.record(self.running_info())

    def running_info(self) -> RunningEmulator:
        """What a client needs to connect to this emulator (once bound)."""
        return RunningEmulator(
            pid=os.getpid(),
            host=self.host,
            subscription_id=self.subscription_id,
            client_cert=os.fspath(self.client_cert),
            client_key=os.fspath(self.client_key),
            ca_file=os.fspath(self.ca_file),
        )

    def _close_sockets(self) -> None:
        for sock in self._sockets:
            sock.close()
        self._sockets = []

    def _make_server(self) -> uvicorn.Server:
        # TLS is ours (pyOpenSSL in smtui.emulator.tls): uvicorn's stdlib ssl cannot accept an
        # unknown client certificate and leave the 403 to the application.
        config = uvicorn.Config(
            self.app.asgi,
            http=protocol_class(server_context(self.server_pair.cert, self.server_pair.key), self.limits),
            lifespan="off",
            log_level="warning",
            access_log=False,
            server_header=False,
            timeout_keep_alive=self.limits.idle_timeout,  # type: ignore[arg-type]  # a float works
            backlog=LISTEN_BACKLOG,
        )
        return uvicorn.Server(config)

    def write_publishsettings(self) -> None:
        """Write :attr:`publishsettings` for the bound port (unchanged if it already points there)."""
        marker = self.data_dir / ".publishsettings-url"
        if self.publishsettings.exists() and marker.exists() and marker.read_text() == self.base_url:
            return
        entries = [(self.subscription_id, "smtui Emulator Subscription", self.management)]
        c.write_publishsettings(self.publishsettings, entries, self.base_url)
        marker.write_text(self.base_url)

    def start(self, *, publishsettings: bool = True) -> Emulator:
        """Start serving in a background thread; returns once the port accepts connections.

        Args:
            publishsettings: Also (re)write :attr:`publishsettings` for the port first; a caller in
                a hurry (the console's child emulator) calls :meth:`write_publishsettings` later.

        Raises:
            smtui.emulator.dirlock.DataDirBusy: Another emulator runs on this data directory.
        """
        try:
            self._start(publishsettings)
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self, publishsettings: bool) -> None:
        self.prepare()
        self.bind()
        if publishsettings:
            self.write_publishsettings()
        self._server = self._make_server()
        server = self._server
        self._thread = threading.Thread(
            target=server.run, kwargs={"sockets": self._sockets}, name="smtui-emulator", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 15
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the emulator's HTTPS server did not start")
            time.sleep(0.005)

    def stop(self) -> None:
        """Stop serving and close the state."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        self._close_sockets()
        self._server = None
        self._thread = None
        if self._prepared:
            self.store.close()
            self._prepared = False
        self._lock.release()

    def serve_forever(self) -> None:
        """Serve in the foreground until interrupted (Ctrl-C / SIGTERM, after which it returns
        normally once the state is checkpointed and closed)."""
        previous: Any = None
        on_main = threading.current_thread() is threading.main_thread()
        if on_main:
            # uvicorn shuts down on SIGTERM and then raises it again for the handler it found:
            # this one, so a stop by SIGTERM is a clean exit 0 rather than death by signal.
            previous = signal.signal(signal.SIGTERM, self.request_stop)
        try:
            self.prepare()
            self.bind()
            self.write_publishsettings()
            server = self._server = self._make_server()
            if not self._stop_requested:
                server.run(sockets=self._sockets)
        finally:
            if on_main:
                signal.signal(signal.SIGTERM, previous)
            self._close_sockets()
            self.store.close()
            self._prepared = False
            self._lock.release()

    def request_stop(self, *_signal: Any) -> None:
        """Ask :meth:`serve_forever` to stop (also its SIGTERM handler; safe before it started)."""
        self._stop_requested = True
        if self._server is not None:
            self._server.should_exit = True

    @classmethod
    @contextmanager
    def running(cls, data_dir: str | Path, **options: Any) -> Iterator[Emulator]:
        """Run an emulator for the duration of a ``with`` block."""
        emu = cls(data_dir, **options)
        emu.start()
        try:
            yield emu
        finally:
            emu.stop()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
