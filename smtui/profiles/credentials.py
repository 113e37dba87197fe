"""Where the management certificate and key *paths* of a profile are kept: the OS keyring.

The paths live in the keyring (service ``smtui``, user name ``profile:<name>``, value a small
JSON object) and never in the config file. On a host without a usable keyring backend — the
usual headless jump host, where keyring falls back to ``keyring.backends.fail.Keyring`` — they
go to ``credentials.json`` (0600) in the config dir instead, and the user is told so once
(:func:`pending_keyring_notice`).

Backends that would ask for a password on the terminal (``keyrings.alt``'s EncryptedKeyring,
``keyrings.cryptfile``) are refused: a ``getpass()`` prompt corrupts a running TUI. Every
keyring call runs in a daemon thread with a timeout (a locked Secret Service can block
forever); after one timeout the keyring is not tried again in this process.

All functions here are synchronous and may take up to the timeout; the TUI calls them from
a thread worker or through :func:`smtui.profiles.blocking.run_off_loop`.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smtui.profiles import paths
from smtui.profiles.blocking import call_with_timeout
from smtui.profiles.errors import CredentialStoreError
from smtui.profiles.paths import JsonObject

if TYPE_CHECKING:
    # keyring is imported where a profile's paths are read or written (~35 ms): the console on
    # the embedded emulator and the commands that touch no profile never load it.
    import keyring.backend

    _Backend = keyring.backend.KeyringBackend

SERVICE = "smtui"
"""Keyring service name under which smtui stores entries."""

ENV_TIMEOUT = "SMTUI_KEYRING_TIMEOUT"
"""Environment variable overriding :data:`DEFAULT_TIMEOUT` (seconds)."""

DEFAULT_TIMEOUT = 5.0
"""Seconds a keyring call may take before smtui gives up on the keyring."""

FALLBACK_FILE = "credentials.json"
STATE_FILE = "state.json"

# Class names of backends known to prompt with getpass() for a keyring password.
_PROMPTING = ("EncryptedKeyring", "CryptFileKeyring", "EncryptedFileKeyring")

_lock = threading.Lock()
_unresponsive: str | None = None  # reason, once the keyring timed out in this process


@dataclass(frozen=True)
class CertPaths:
    """Paths of a profile's PEM management certificate and PEM private key."""

    cert: str
    key: str


@dataclass(frozen=True)
class KeyringStatus:
    """Which store holds certificate paths on this host, and why.

    Attributes:
        backend: The keyring backend's name (``keyring.backends.SecretService.Keyring`` …),
            as keyring reports it, even when it is not used.
        store: ``"keyring"`` or ``"file"``.
        reason: Why the file fallback is used (``None`` when the keyring is).
        fallback_file: The 0600 fallback file (used or not).
    """

    backend: str
    store: str
    reason: str | None
    fallback_file: Path

    @property
    def uses_keyring(self) -> bool:
        """True when paths go to the OS keyring."""
        return self.store == "keyring"

    def describe(self) -> str:
        """One line for ``smtui info`` and the profile screen."""
        if self.uses_keyring:
            return f"keyring ({self.backend})"
        return f"file {self.fallback_file} (0600) — {self.reason}"


def timeout() -> float:
    """The keyring call timeout in seconds (``SMTUI_KEYRING_TIMEOUT`` or 5)."""
    raw = os.environ.get(ENV_TIMEOUT)
    try:
        return float(raw) if raw else DEFAULT_TIMEOUT
    except ValueError:
        return DEFAULT_TIMEOUT


def reset_keyring_state() -> None:
    """Forget that the keyring timed out earlier (tests, or after the user unlocked it)."""
    global _unresponsive
    _unresponsive = None


def _backend_name(backend: keyring.backend.KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _unusable_reason(backend: keyring.backend.KeyringBackend) -> str | None:
    from keyring.backends import fail, null

    if isinstance(backend, fail.Keyring):
        return "no keyring backend is available on this host"
    if isinstance(backend, null.Keyring):
        return "the null keyring backend stores nothing"
    if any(name in type(backend).__name__ for name in _PROMPTING):
        return f"{_backend_name(backend)} would ask for a password on the terminal"
    return None


def _select(backend: _Backend) -> tuple[_Backend | None, str | None]:
    """The backend to use (or None) and, if none, why."""
    from keyring.backends import chainer

    if isinstance(backend, chainer.ChainerBackend):
        children = list(backend.backends)
        safe = [child for child in children if _unusable_reason(child) is None]
        if not safe:
            return None, "no usable keyring backend is available on this host"
        if len(safe) == len(children):
            return backend, None
        # The chain would also ask the prompting backends; talk to the best safe one only.
        return safe[0], None
    reason = _unusable_reason(backend)
    return (None, reason) if reason else (backend, None)


def _active_backend() -> tuple[keyring.backend.KeyringBackend | None, str, str | None]:
    """(backend to use or None, reported backend name, reason for not using it)."""
    if _unresponsive is not None:
        return None, "unresponsive", _unresponsive

    def detect() -> tuple[keyring.backend.KeyringBackend, keyring.backend.KeyringBackend | None, str | None]:
        # Listing a chainer's backends instantiates them, which may talk to D-Bus: keep it timed.
        import keyring

        backend = keyring.get_keyring()
        return (backend, *_select(backend))

    try:
        backend, chosen, reason = call_with_timeout(detect, timeout=timeout(), what="keyring detection")
    except TimeoutError as exc:
        _mark_unresponsive(str(exc))
        return None, "unresponsive", _unresponsive
    except Exception as exc:  # a broken backend plug-in must not stop smtui
        return None, "error", f"the keyring could not be initialised ({type(exc).__name__})"
    name = _backend_name(chosen) if chosen is not None else _backend_name(backend)
    return chosen, name, reason


def _keyring_error() -> type[Exception]:
    """keyring's base exception (imported by then: only asked after a backend was chosen)."""
    from keyring.errors import KeyringError

    return KeyringError


def _mark_unresponsive(message: str) -> None:
    global _unresponsive
    _unresponsive = f"the keyring did not answer ({message}); a locked Secret Service?"


def keyring_status() -> KeyringStatus:
    """Detect which store is used for certificate paths (may take up to the timeout)."""
    _chosen, name, reason = _active_backend()
    return KeyringStatus(
        backend=name,
        store="keyring" if reason is None else "file",
        reason=reason,
        fallback_file=paths.config_dir() / FALLBACK_FILE,
    )


def _username(profile_name: str) -> str:
    return f"profile:{profile_name}"


def _encode(cert_paths: CertPaths) -> str:
    return json.dumps({"cert": cert_paths.cert, "key": cert_paths.key}, sort_keys=True)


def _decode(raw: object, profile_name: str) -> CertPaths:
    try:
        # Any: parsed JSON; a missing key or a wrong shape is caught below.
        value: Any = json.loads(raw) if isinstance(raw, str) else raw
        return CertPaths(cert=str(value["cert"]), key=str(value["key"]))
    except (ValueError, TypeError, KeyError):
        raise CredentialStoreError(
            f"the stored certificate paths of profile {profile_name!r} are unreadable; "
            "set them again (smtui profiles add … --cert … --key …)"
        ) from None


# -- the 0600 fallback file ----------------------------------------------------------------


def _fallback_path() -> Path:
    return paths.config_dir() / FALLBACK_FILE


def _read_fallback() -> JsonObject:
    try:
        data = paths.read_json(_fallback_path(), {})
    except ValueError:
        raise CredentialStoreError(f"{_fallback_path()} is not valid JSON; fix or delete it") from None
    return data if isinstance(data, dict) else {}


def _write_fallback(entries: JsonObject) -> None:
    paths.ensure_private_dir(paths.config_dir())
    paths.write_json(_fallback_path(), entries, private=True)


# -- the "told the user once" state --------------------------------------------------------


def _state_path() -> Path:
    return paths.config_dir() / STATE_FILE


def _read_state() -> JsonObject:
    try:
        data = paths.read_json(_state_path(), {})
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _record_fallback_use(reason: str) -> None:
    state = _read_state()
    entry = state.get("keyring_fallback")
    if not isinstance(entry, dict):
        entry = {"notice_shown": False}
    entry["used"] = True
    entry["reason"] = reason
    entry["file"] = str(_fallback_path())
    state["keyring_fallback"] = entry
    paths.ensure_private_dir(paths.config_dir())
    paths.write_json(_state_path(), state, private=True)


def pending_keyring_notice() -> str | None:
    """The message to show the user once, if paths went to the fallback file and nobody said so yet.

    The TUI shows it (a notification) and then calls :func:`mark_keyring_notice_shown`.
    """
    entry = _read_state().get("keyring_fallback")
    if not isinstance(entry, dict) or not entry.get("used") or entry.get("notice_shown"):
        return None
    return (
        f"No usable OS keyring ({entry.get('reason', 'unknown reason')}): certificate paths are "
        f"stored in {entry.get('file', _fallback_path())} (mode 0600) instead. "
        "Set PYTHON_KEYRING_BACKEND or unlock a keyring to change this; `smtui info` shows the backend."
    )


def mark_keyring_notice_shown() -> None:
    """Remember (in the config dir) that the user has been told about the fallback file."""
    with _lock:
        state = _read_state()
        entry = state.get("keyring_fallback")
        if not isinstance(entry, dict):
            entry = {"used": False}
        entry["notice_shown"] = True
        state["keyring_fallback"] = entry
        paths.ensure_private_dir(paths.config_dir())
        paths.write_json(_state_path(), state, private=True)


# -- public store API ----------------------------------------------------------------------


def store_cert_paths(profile_name: str, cert_paths: CertPaths) -> KeyringStatus:
    """Store the certificate and key paths of ``profile_name``.

    Goes to the keyring when a usable backend answers, otherwise to the 0600 fallback file
    (and the one-time notice is armed).

    Returns:
        Where the paths went.

    Raises:
        CredentialStoreError: The fallback file could not be written or read.
    """
    with _lock:
        chosen, name, reason = _active_backend()
        if chosen is not None:
            try:
                call_with_timeout(
                    chosen.set_password, SERVICE, _username(profile_name), _encode(cert_paths),
                    timeout=timeout(), what="keyring set_password",
                )
            except TimeoutError as exc:
                _mark_unresponsive(str(exc))
                reason = _unresponsive
            except _keyring_error() as exc:
                reason = f"{name} refused to store ({type(exc).__name__})"
            else:
                entries = _read_fallback()
                if entries.pop(_username(profile_name), None) is not None:
                    _write_fallback(entries)
                return KeyringStatus(name, "keyring", None, _fallback_path())
        assert reason is not None
        entries = _read_fallback()
        entries[_username(profile_name)] = json.loads(_encode(cert_paths))
        _write_fallback(entries)
        _record_fallback_use(reason)
        return KeyringStatus(name, "file", reason, _fallback_path())


def load_cert_paths(profile_name: str) -> CertPaths | None:
    """The certificate and key paths of ``profile_name``, or None if none are stored.

    The fallback file is read first: an entry there is always the newest (a successful
    keyring write removes it).

    Raises:
        CredentialStoreError: The keyring failed or timed out and the fallback has no entry.
    """
    with _lock:
        entry = _read_fallback().get(_username(profile_name))
        if entry is not None:
            return _decode(entry, profile_name)
        chosen, name, reason = _active_backend()
        if chosen is None:
            if name in ("unresponsive", "error"):
                # The paths may well be in that keyring: "none stored" would be misleading.
                raise CredentialStoreError(
                    f"cannot read the certificate paths of profile {profile_name!r}: {reason}"
                )
            return None
        try:
            raw = call_with_timeout(
                chosen.get_password, SERVICE, _username(profile_name),
                timeout=timeout(), what="keyring get_password",
            )
        except TimeoutError as exc:
            _mark_unresponsive(str(exc))
            raise CredentialStoreError(
                f"the keyring ({name}) did not answer within {timeout():g} s while reading profile "
                f"{profile_name!r}; unlock it or set PYTHON_KEYRING_BACKEND"
            ) from None
        except _keyring_error() as exc:
            raise CredentialStoreError(
                f"the keyring ({name}) could not read profile {profile_name!r}: {type(exc).__name__}"
            ) from None
        return None if raw is None else _decode(raw, profile_name)


def delete_cert_paths(profile_name: str) -> None:
    """Forget the certificate and key paths of ``profile_name`` (missing entries are fine).

    Keyring failures are ignored: the profile is being removed either way, and a stale
    keyring entry is overwritten when a profile of that name is created again.
    """
    with _lock:
        entries = _read_fallback()
        if entries.pop(_username(profile_name), None) is not None:
            _write_fallback(entries)
        chosen, _name, _reason = _active_backend()
        if chosen is None:
            return
        try:
            call_with_timeout(
                chosen.delete_password, SERVICE, _username(profile_name),
                timeout=timeout(), what="keyring delete_password",
            )
        except TimeoutError as exc:
            _mark_unresponsive(str(exc))
        except _keyring_error():  # PasswordDeleteError: there was nothing to delete
            pass
