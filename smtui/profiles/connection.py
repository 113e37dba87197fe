"""Which subscription, endpoint and certificate smtui connects to — the profiles' half of the answer.

* :func:`wanted_profile` turns ``--profile NAME`` (or nothing) into a profile name, or None for
  the embedded emulator (no ``--profile`` and no default profile, or ``--profile emulator``);
* :func:`profile_connection` turns a profile into a :class:`Connection`, certificate paths from
  the keyring.

Profiles never start the emulator: the composition root (:mod:`smtui.session`) does, and hands
the console a :class:`ConnectionResolver` that does both halves.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from smtui.profiles import store
from smtui.profiles.errors import ProfileError
from smtui.profiles.model import DEFAULT_API_VERSION, EMULATOR_PROFILE

if TYPE_CHECKING:
    from smtui.api.client import ServiceManagementClient


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
        emulator: The running ``smtui.emulator.Emulator`` (fault injection, speed) when this process
            runs it, else None. Typed ``Any`` because profiles must not import the emulator.
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

    def close_with(self, closer: Callable[[], object]) -> None:
        """Call ``closer`` when this connection closes (e.g. to stop the emulator it started)."""
        self._stack.callback(closer)

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


def profile_connection(name: str, *, read_only: bool = False) -> Connection:
    """A connection to the named profile, its certificate paths read from the keyring.

    Blocking: may wait for the keyring (bounded by its timeout).

    Raises:
        ProfileError: Unknown profile, no certificate, or missing certificate files.
        CredentialStoreError: The keyring failed.
    """
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


def wanted_profile(profile_name: str | None) -> str | None:
    """The profile ``--profile profile_name`` (or nothing) means, or None for the embedded emulator.

    No ``--profile`` means the default profile if one is configured; ``emulator`` (any case)
    always means the embedded emulator, which only the composition root (:mod:`smtui.session`)
    can start.

    Raises:
        ProfileError: The config file is broken.
    """
    name = profile_name if profile_name is not None else store.default_profile_name()
    if name is None or name.lower() == EMULATOR_PROFILE:
        return None
    return name


class ConnectionResolver(Protocol):
    """What the console is handed to (re)connect: ``resolve(profile_name, read_only=...)``.

    ``None`` or ``"emulator"`` may start the embedded emulator, so it may block for seconds;
    call it off the event loop (:func:`smtui.profiles.blocking.run_off_loop`). The caller closes
    the returned connection (which stops an emulator it started).
    """

    def __call__(self, profile_name: str | None, /, *, read_only: bool = False) -> Connection: ...


def profiles_only(profile_name: str | None, /, *, read_only: bool = False) -> Connection:
    """A :class:`ConnectionResolver` for named profiles only (no embedded emulator in reach).

    Raises:
        ProfileError: The emulator was asked for, or the profile cannot be used.
    """
    name = wanted_profile(profile_name)
    if name is None:
        raise ProfileError(
            "the embedded emulator is not available here: start the console with `smtui`, "
            "or pass a connection resolver (smtui.session.connection_resolver())"
        )
    return profile_connection(name, read_only=read_only)
