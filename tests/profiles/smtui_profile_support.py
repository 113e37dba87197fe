"""Test helpers shared by tests/profiles and tests/cli: keyring backends and PKCS#12 files."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.backend
import keyring.errors
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from smtui.profiles import credentials

SUPPORT_DIR = Path(__file__).parent


@dataclass
class Result:
    """Outcome of one `smtui` run in a subprocess (tests/cli's ``run_smtui`` fixture)."""

    returncode: int
    stdout: str
    stderr: str
    modules: set[str]


RunSmtui = Callable[..., Result]


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring that keeps entries in a dict (in-process tests, installed with keyring.set_keyring).

    Negative priority: keyring registers every backend class, and this one must never be
    picked by auto-detection or a chainer in the test process.
    """

    priority = -1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.entries:
            raise keyring.errors.PasswordDeleteError("not found")
        del self.entries[(service, username)]


class JsonFileKeyring(keyring.backend.KeyringBackend):
    """A keyring in the JSON file ``$SMTUI_TEST_KEYRING_FILE`` (for subprocess tests).

    Selected with ``PYTHON_KEYRING_BACKEND=smtui_profile_support.JsonFileKeyring`` and this
    directory on ``PYTHONPATH``. Negative priority keeps keyring from ever choosing it on its own.
    """

    priority = -1  # type: ignore[assignment]

    def _path(self) -> Path:
        return Path(os.environ["SMTUI_TEST_KEYRING_FILE"])

    def _load(self) -> dict[str, str]:
        try:
            return dict(json.loads(self._path().read_text()))
        except FileNotFoundError:
            return {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}|{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}|{username}"] = password
        self._path().write_text(json.dumps(data))

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}|{username}", None) is None:
            raise keyring.errors.PasswordDeleteError("not found")
        self._path().write_text(json.dumps(data))


_KEY_CACHE: list[rsa.RSAPrivateKey] = []


def make_key(index: int = 0) -> rsa.RSAPrivateKey:
    """An RSA key, cached per index (key generation is the slow part)."""
    while len(_KEY_CACHE) <= index:
        _KEY_CACHE.append(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    return _KEY_CACHE[index]


def make_cert(key: rsa.RSAPrivateKey, common_name: str) -> x509.Certificate:
    """A self-signed certificate, like the portal's management certificates."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )


def make_pfx_b64(common_name: str = "smtui test", key_index: int = 0) -> tuple[str, x509.Certificate]:
    """Base64 PKCS#12 (no password) holding a fresh certificate and key ``key_index``."""
    key = make_key(key_index)
    cert = make_cert(key, common_name)
    pfx = pkcs12.serialize_key_and_certificates(
        common_name.encode(), key, cert, None, serialization.NoEncryption()
    )
    return base64.b64encode(pfx).decode("ascii"), cert


def publishsettings_v1(cert_b64: str, subscriptions: list[tuple[str, str]],
                       url: str = "https://management.core.windows.net/") -> bytes:
    """A schema 1.0 document: one certificate and URL on PublishProfile."""
    subs = "\n".join(f'    <Subscription Id="{sid}" Name="{name}" />' for sid, name in subscriptions)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<PublishData>\n  <PublishProfile\n'
        f'    PublishMethod="AzureServiceManagementAPI"\n    Url="{url}"\n'
        f'    ManagementCertificate="{cert_b64}">\n{subs}\n  </PublishProfile>\n</PublishData>\n'
    ).encode()


def publishsettings_v2(subscriptions: list[tuple[str, str, str, str]]) -> bytes:
    """A schema 2.0 document: (id, name, url, certificate) per subscription."""
    subs = "\n".join(
        f'    <Subscription ServiceManagementUrl="{url}" Id="{sid}" Name="{name}"\n'
        f'      ManagementCertificate="{cert}" />'
        for sid, name, url, cert in subscriptions
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<PublishData>\n'
        '  <PublishProfile SchemaVersion="2.0" PublishMethod="AzureServiceManagementAPI">\n'
        f"{subs}\n  </PublishProfile>\n</PublishData>\n"
    ).encode()


# Fixtures shared by tests/profiles and tests/cli; each conftest imports them by name.


@pytest.fixture(autouse=True)
def smtui_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Fresh config and data dirs (env overrides), inherited by subprocesses too."""
    dirs = {"config": tmp_path / "config", "data": tmp_path / "data"}
    monkeypatch.setenv("SMTUI_CONFIG_DIR", str(dirs["config"]))
    monkeypatch.setenv("SMTUI_DATA_DIR", str(dirs["data"]))
    return dirs


@pytest.fixture(autouse=True)
def restore_keyring() -> Iterator[None]:
    """Put back the process's keyring backend and forget cached keyring state after each test."""
    before = keyring.get_keyring()
    credentials.reset_keyring_state()
    yield
    keyring.set_keyring(before)
    credentials.reset_keyring_state()


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    """An in-memory keyring installed as keyring's backend."""
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend
