"""Which subscription, endpoint and certificate smtui connects to — one answer for TUI and CLI.

:func:`resolve_connection` turns ``--profile NAME`` (or nothing) into a :class:`Connection`:

* a named profile → that profile, with its certificate paths from the keyring;
* ``"emulator"`` → the embedded emulator, always;
* nothing → the default profile if one is configured, otherwise the embedded emulator
  (demo seed, state kept in ``<data dir>/emulator`` between runs).

The emulator is started in-process and stopped by :meth:`Connection.close` (or leaving the
``with`` block). Resolution may wait for the keyring and the emulator's start: the TUI runs
it in a thread worker, or ``await aresolve_connection(...)``.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from smtui.api.errors import ProfileError
from smtui.profiles import paths, store
from smtui.profiles.blocking import run_off_loop
from smtui.profiles.model import DEFAULT_API_VERSION, EMULATOR_PROFILE

if TYPE_CHECKING:
    from smtui.api.client import ServiceManagementClient

EMULATOR_SEED = "demo"


@dataclass
class Connection:
    """Everything needed to talk to one subscription.

    Attributes:
        subscription_id: Used in every request path.
        host: ``host[:port]`` of the management endpoint.
        cert_path: PEM management certificate.
        key_path: PEM private key.
        ca_file: CA bundle trusted for the server (the emulator's CA), or None for the system store.
        api_version: ``x-ms-version``.
        serialize_type: ``"XML"`` or ``"JSON"``.
        read_only: Hide mutating actions (the profile's flag or ``--read-only``).
        is_emulator: True for the embedded emulator (the header shows an EMULATOR badge).
        profile_name: The profile used, or None for the emulator.
        subscription_name: Display name, if known.
        emulator: The running ``smtui.emulator.Emulator`` (fault injection, speed) or None.
        redirect_hosts: Extra hosts redirects may go to (the profile's option).
    """

    subscription_id: str
    host: str
    cert_path: str
    key_path: str
    ca_file: str | None = None
    api_version: str = DEFAULT_API_VERSION
    serialize_type: str = "XML"
    read_only: bool = False
    is_emulator: bool = False
    profile_name: str | None = None
    subscription_name: str | None = None
    emulator: Any = None
    redirect_hosts: tuple[str, ...] = ()
    _stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack, repr=False, compare=False)

    @classmethod
    def to_emulator(
        cls, emu: Any, *, read_only: bool = False, subscription_name: str | None = None
    ) -> Connection:
        """A connection to a running ``smtui.emulator.Emulator``; it does not stop the emulator on close.

        Args:
            emu: The running emulator (its certificate paths, host and subscription are used).
            read_only: Hide every mutating action.
            subscription_name: What the header shows instead of the subscription id.
        """
        return cls(
            subscription_id=emu.subscription_id,
            host=emu.host,
            cert_path=os.fspath(emu.client_cert),
            key_path=os.fspath(emu.client_key),
            ca_file=os.fspath(emu.ca_file),
            read_only=read_only,
            is_emulator=True,
            subscription_name=subscription_name,
            emulator=emu,
        )

    @property
    def base_url(self) -> str:
        """``https://<host>``."""
        return f"https://{self.host}"

    @property
    def label(self) -> str:
        """What the header shows as the connection: the profile name, or ``EMULATOR``."""
        return "EMULATOR" if self.is_emulator else (self.profile_name or self.subscription_id)

    def client_auth(self) -> dict[str, str]:
        """The ``auth`` argument of :class:`~smtui.api.client.ServiceManagementClient`."""
        return {"certfile": self.cert_path, "keyfile": self.key_path}

    def client_options(self, **overrides: Any) -> dict[str, Any]:
        """The ``options`` argument of the client (``overrides`` e.g. ``timeout=10``)."""
        options: dict[str, Any] = {
            "host": self.host,
            "apiversion": self.api_version,
            "serializetype": self.serialize_type,
        }
        if self.ca_file:
            options["ca_bundle"] = self.ca_file
        if self.redirect_hosts:
            options["redirect_hosts"] = list(self.redirect_hosts)
        options.update(overrides)
        return options

    def create_client(self, *, audit: bool = True, **overrides: Any) -> ServiceManagementClient:
        """A new client for this connection (use it as ``async with``).

        Args:
            audit: Append every mutating request it sends to the audit log
                (:mod:`smtui.profiles.audit`).
            overrides: Client options (``timeout=10``, ``max_in_flight=8`` …).

        Raises:
            CertificateError: The certificate or key cannot be loaded or do not match.
        """
        from smtui.api.client import ServiceManagementClient
        from smtui.profiles.audit import AuditObserver

        observer = (
            AuditObserver(profile=self.profile_name, subscription_id=self.subscription_id, host=self.host)
            if audit
            else None
        )
        return ServiceManagementClient(
            self.subscription_id,
            auth=self.client_auth(),
            options=self.client_options(**overrides),
            on_mutation=observer,
        )

    def close(self) -> None:
        """Stop the embedded emulator, if this connection started it. Idempotent."""
        self._stack.close()
        self.emulator = None

    def __enter__(self) -> Connection:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _emulator_connection(read_only: bool, seed: str, data_dir: Path | None) -> Connection:
    try:
        from smtui.emulator import Emulator  # type: ignore[attr-defined,unused-ignore]
    except ImportError as exc:  # only while the emulator is being built
        raise ProfileError(f"the embedded emulator is not available: {exc}") from None
    from smtui.emulator.dirlock import DataDirBusy

    stack = contextlib.ExitStack()
    directory = data_dir or paths.emulator_data_dir()
    paths.ensure_private_dir(directory)
    try:
        emu = stack.enter_context(Emulator.running(data_dir=directory, seed=seed))
    except DataDirBusy as busy:
        stack.close()
        return _running_emulator_connection(busy, read_only)
    except BaseException:
        stack.close()
        raise
    conn = Connection.to_emulator(emu, read_only=read_only)
    conn._stack = stack  # this connection started the emulator, so closing it stops the emulator
    return conn


def _running_emulator_connection(busy: Any, read_only: bool) -> Connection:
    """A connection to the emulator another process runs on the same data directory (``smtui
    emulator`` in another terminal, or a second console): share it rather than fail."""
    from smtui.emulator.dirlock import wait_for_holder

    holder = wait_for_holder(busy.data_dir)
    if holder is None or not holder.port or not holder.subscription_id:
        raise ProfileError(str(busy)) from None
    return Connection(
        subscription_id=holder.subscription_id,
        host=holder.host,
        cert_path=holder.client_cert,
        key_path=holder.client_key,
        ca_file=holder.ca_file,
        read_only=read_only,
        is_emulator=True,
        subscription_name=f"smtui emulator (pid {holder.pid})",
    )


def _profile_connection(name: str, read_only: bool) -> Connection:
    profile = store.get_profile(name, with_credentials=True)
    if not profile.has_credentials:
        raise ProfileError(
            f"profile {name!r} has no management certificate: import its .publishsettings again "
            f"(smtui profiles import FILE) or add one "
            f"(smtui profiles add {name} --cert PEM --key PEM --force)"
        )
    assert profile.cert_path is not None and profile.key_path is not None
    for what, file in (("certificate", profile.cert_path), ("private key", profile.key_path)):
        if not Path(file).is_file():
            raise ProfileError(f"the {what} file of profile {name!r} is missing: {file}")
    if profile.ca_file and not Path(profile.ca_file).is_file():
        raise ProfileError(f"the CA file of profile {name!r} is missing: {profile.ca_file}")
    return Connection(
        subscription_id=profile.subscription_id,
        host=profile.host,
        cert_path=profile.cert_path,
        key_path=profile.key_path,
        ca_file=profile.ca_file,
        api_version=profile.api_version,
        serialize_type=profile.serialize_type,
        read_only=read_only or profile.read_only,
        profile_name=profile.name,
        subscription_name=profile.subscription_name,
        redirect_hosts=profile.redirect_hosts,
    )


def resolve_connection(
    profile_name: str | None = None,
    *,
    read_only: bool = False,
    emulator_seed: str = EMULATOR_SEED,
    emulator_data: Path | None = None,
) -> Connection:
    """Decide what to connect to (see the module docstring) and prepare it.

    Blocking: may wait for the keyring (bounded by its timeout) and for the emulator to start.

    Args:
        profile_name: ``--profile`` value; None means the default profile or the emulator.
        read_only: ``--read-only``; a read-only profile is read-only regardless.
        emulator_seed: Seed of a freshly created emulator state.
        emulator_data: Emulator state directory (default ``<data dir>/emulator``).

    Returns:
        The connection; close it (or use ``with``) to stop an emulator it started.

    Raises:
        ProfileError: Unknown profile, no certificate, or missing certificate files.
        CredentialStoreError: The keyring failed.
    """
    name = profile_name if profile_name is not None else store.default_profile_name()
    if name is None or name.lower() == EMULATOR_PROFILE:
        return _emulator_connection(read_only, emulator_seed, emulator_data)
    return _profile_connection(name, read_only)


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
