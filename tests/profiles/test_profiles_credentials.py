"""Where certificate paths go: the keyring, or a 0600 file on hosts without a usable one."""

from __future__ import annotations

import json
import stat
import threading
import time
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import pytest
from keyring.backends import chainer, null
from smtui_profile_support import MemoryKeyring

from smtui.profiles import (
    Profile,
    credentials,
    get_profile,
    keyring_status,
    mark_keyring_notice_shown,
    pending_keyring_notice,
    remove_profile,
    save_profile,
)
from smtui.profiles.credentials import CertPaths, load_cert_paths, store_cert_paths
from smtui.profiles.errors import CredentialStoreError
from smtui.profiles.store import config_file

SUB = "11111111-2222-3333-4444-555555555555"


def _profile(name: str = "prod") -> Profile:
    return Profile(name=name, subscription_id=SUB, cert_path="/c/a.pem", key_path="/c/a.key")


class EncryptedKeyring(keyring.backend.KeyringBackend):
    """Stands in for keyrings.alt's EncryptedKeyring, which prompts with getpass()."""

    priority = -1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise AssertionError("a prompting backend must never be called")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise AssertionError("a prompting backend must never be called")

    def delete_password(self, service: str, username: str) -> None:
        raise AssertionError("a prompting backend must never be called")


class LockedKeyring(MemoryKeyring):
    """A Secret Service that is locked: every call raises KeyringLocked."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("locked")

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("locked")


class HangingKeyring(MemoryKeyring):
    """A Secret Service whose unlock never returns (mitya57/secretstorage#33)."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.calls = 0

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls += 1
        self.release.wait(30)


def test_keyring_in_use_is_reported(memory_keyring: MemoryKeyring) -> None:
    status = keyring_status()

    assert status.store == "keyring"
    assert status.backend.endswith("MemoryKeyring")
    assert status.reason is None
    assert "MemoryKeyring" in status.describe()


def test_no_keyring_falls_back_to_a_0600_file_and_tells_the_user_once(
    no_keyring: keyring.backend.KeyringBackend, smtui_dirs: dict[str, Path]
) -> None:
    assert keyring_status().store == "file"
    assert pending_keyring_notice() is None  # nothing stored yet, nothing to tell

    save_profile(_profile())

    fallback = smtui_dirs["config"] / "credentials.json"
    assert stat.S_IMODE(fallback.stat().st_mode) == 0o600
    assert json.loads(fallback.read_text()) == {"profile:prod": {"cert": "/c/a.pem", "key": "/c/a.key"}}
    assert "/c/a.pem" not in config_file().read_text()
    assert get_profile("prod").cert_path == "/c/a.pem"
    status = keyring_status()
    assert status.backend == "keyring.backends.fail.Keyring"
    assert status.reason == "no keyring backend is available on this host"
    assert str(fallback) in status.describe()

    notice = pending_keyring_notice()
    assert notice is not None and str(fallback) in notice and "0600" in notice
    mark_keyring_notice_shown()
    assert pending_keyring_notice() is None
    save_profile(Profile(name="second", subscription_id=SUB, cert_path="/x", key_path="/y"))
    assert pending_keyring_notice() is None  # told once, not again

    remove_profile("prod")
    assert "profile:prod" not in json.loads(fallback.read_text())


def test_null_backend_is_not_trusted_to_keep_paths() -> None:
    keyring.set_keyring(null.Keyring())
    save_profile(_profile())

    assert keyring_status().reason == "the null keyring backend stores nothing"
    assert get_profile("prod").key_path == "/c/a.key"


def test_prompting_backend_is_refused() -> None:
    keyring.set_keyring(EncryptedKeyring())

    status = keyring_status()
    save_profile(_profile())

    assert status.store == "file"
    assert "ask for a password" in (status.reason or "")
    assert get_profile("prod").cert_path == "/c/a.pem"


def test_chainer_skips_a_prompting_member(monkeypatch: pytest.MonkeyPatch) -> None:
    safe = MemoryKeyring()
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [EncryptedKeyring(), safe])
    keyring.set_keyring(chainer.ChainerBackend())

    save_profile(_profile())

    assert keyring_status().backend.endswith("MemoryKeyring")
    assert ("smtui", "profile:prod") in safe.entries


def test_empty_chainer_means_no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    keyring.set_keyring(chainer.ChainerBackend())

    assert keyring_status().store == "file"


def test_locked_keyring_write_falls_back_to_the_file() -> None:
    keyring.set_keyring(LockedKeyring())

    status = store_cert_paths("prod", CertPaths("/c", "/k"))

    assert status.store == "file"
    assert "KeyringLocked" in (status.reason or "")
    assert load_cert_paths("prod") == CertPaths("/c", "/k")  # the file entry is read first
    assert pending_keyring_notice() is not None


def test_locked_keyring_read_without_fallback_entry_is_a_clear_error() -> None:
    keyring.set_keyring(LockedKeyring())

    with pytest.raises(CredentialStoreError, match="KeyringLocked"):
        load_cert_paths("prod")


def test_hanging_keyring_times_out_then_is_not_asked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTUI_KEYRING_TIMEOUT", "0.2")
    backend = HangingKeyring()
    keyring.set_keyring(backend)
    try:
        started = time.monotonic()
        status = store_cert_paths("prod", CertPaths("/c", "/k"))
        assert time.monotonic() - started < 2
        assert status.store == "file"
        assert "did not answer" in (status.reason or "")

        store_cert_paths("other", CertPaths("/c", "/k"))
        assert backend.calls == 1
        assert keyring_status().store == "file"
    finally:
        backend.release.set()


def test_successful_keyring_write_removes_an_older_fallback_entry(memory_keyring: MemoryKeyring) -> None:
    keyring.set_keyring(LockedKeyring())
    store_cert_paths("prod", CertPaths("/old", "/old.key"))
    keyring.set_keyring(memory_keyring)

    store_cert_paths("prod", CertPaths("/new", "/new.key"))

    assert load_cert_paths("prod") == CertPaths("/new", "/new.key")
    assert json.loads(credentials._fallback_path().read_text()) == {}


def test_unreadable_stored_value_is_reported(memory_keyring: MemoryKeyring) -> None:
    memory_keyring.entries[("smtui", "profile:prod")] = "not json"

    with pytest.raises(CredentialStoreError, match="unreadable"):
        load_cert_paths("prod")


def test_read_after_the_keyring_hung_is_an_error_not_an_empty_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTUI_KEYRING_TIMEOUT", "0.2")
    backend = HangingKeyring()
    keyring.set_keyring(backend)
    try:
        store_cert_paths("stored-before", CertPaths("/c", "/k"))  # times out, marks the keyring unresponsive

        with pytest.raises(CredentialStoreError, match="did not answer"):
            load_cert_paths("elsewhere")
        assert load_cert_paths("stored-before") == CertPaths("/c", "/k")  # from the fallback file
    finally:
        backend.release.set()
