"""resolve_connection (the composition root, smtui.session): the one answer to "what do I
connect to", for the TUI and the CLI.

Positive paths run against the real emulator over mutual TLS.
"""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import pytest
from smtui_profile_support import MemoryKeyring

from smtui.profiles import Profile, get_profile, import_publishsettings, save_profile
from smtui.profiles.errors import ProfileError
from smtui.profiles.paths import emulator_data_dir
from smtui.session import aresolve_connection, resolve_connection


@pytest.fixture
def embedded_certs(emulator_certs: Path) -> Path:
    """Pre-generated emulator certificates in the embedded emulator's data dir (saves RSA keygen)."""
    target = emulator_data_dir() / "certs"
    shutil.copytree(emulator_certs, target, dirs_exist_ok=True)
    return target


def test_imported_emulator_publishsettings_connects_over_mtls(
    memory_keyring: MemoryKeyring, emulator: Any
) -> None:
    result = import_publishsettings(Path(emulator.publishsettings), ca_file=str(emulator.ca_file))
    assert result.schema_version == "2.0"
    name = result.created[0]

    with resolve_connection(name) as conn:
        assert conn.subscription_id == emulator.subscription_id
        assert conn.host == emulator.host
        assert not conn.is_emulator
        assert conn.ca_file == str(emulator.ca_file)
        assert conn.label == name
        assert conn.client_options()["ca_bundle"] == str(emulator.ca_file)
        assert get_profile(name).cert_path == conn.cert_path

        async def services() -> Any:
            async with conn.create_client() as client:
                return await client.list_hosted_services()

        response = asyncio.run(services())
    assert response.is_successful, response.error
    assert len(response.response) > 0


def test_no_profile_means_the_embedded_emulator(memory_keyring: MemoryKeyring, embedded_certs: Path) -> None:
    conn = resolve_connection(None, read_only=True)
    try:
        assert conn.is_emulator and conn.label == "EMULATOR"
        assert conn.read_only is True
        assert conn.emulator is not None
        assert conn.host == conn.emulator.host
        assert Path(conn.cert_path).is_file() and Path(conn.key_path).is_file() and conn.ca_file
        assert Path(conn.cert_path).is_relative_to(emulator_data_dir())
    finally:
        conn.close()
    assert conn.emulator is None
    conn.close()  # idempotent


def test_emulator_name_wins_over_the_default_profile(
    memory_keyring: MemoryKeyring, embedded_certs: Path
) -> None:
    save_profile(Profile(name="prod", subscription_id="s", cert_path="/c", key_path="/k"))

    with resolve_connection("emulator") as conn:
        assert conn.is_emulator


def test_default_profile_is_used_when_none_is_named(memory_keyring: MemoryKeyring, tmp_path: Path) -> None:
    cert, key = tmp_path / "c.pem", tmp_path / "k.pem"
    cert.write_text("cert")
    key.write_text("key")
    save_profile(Profile(name="prod", subscription_id="sub", host="h.example.net", cert_path=str(cert),
                         key_path=str(key), read_only=True, api_version="2015-04-01", serialize_type="JSON"))

    conn = resolve_connection()

    assert (conn.profile_name, conn.subscription_id, conn.host) == ("prod", "sub", "h.example.net")
    assert not conn.is_emulator
    assert conn.read_only is True
    assert conn.client_auth() == {"certfile": str(cert), "keyfile": str(key)}
    assert conn.client_options(timeout=5) == {"host": "h.example.net", "apiversion": "2015-04-01",
                                              "serializetype": "JSON", "timeout": 5}
    assert conn.emulator is None


def test_unknown_profile(memory_keyring: MemoryKeyring) -> None:
    with pytest.raises(ProfileError, match="no profile named 'nope'"):
        resolve_connection("nope")


def test_profile_without_certificate_says_what_to_do(memory_keyring: MemoryKeyring) -> None:
    save_profile(Profile(name="bare", subscription_id="s"))

    with pytest.raises(ProfileError, match="no management certificate.*smtui profiles import"):
        resolve_connection("bare")


def test_missing_certificate_file_is_named(memory_keyring: MemoryKeyring, tmp_path: Path) -> None:
    save_profile(Profile(name="p", subscription_id="s", cert_path=str(tmp_path / "gone.pem"),
                         key_path=str(tmp_path / "gone.key")))

    with pytest.raises(ProfileError, match="certificate file of profile 'p' is missing: .*gone.pem"):
        resolve_connection("p")


async def test_async_resolution_runs_off_the_event_loop(
    memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    for name in ("c.pem", "k.pem"):
        (tmp_path / name).write_text("x")
    save_profile(Profile(name="p", subscription_id="s", cert_path=str(tmp_path / "c.pem"),
                         key_path=str(tmp_path / "k.pem")))

    conn = await aresolve_connection("p", read_only=True)

    assert conn.profile_name == "p" and conn.read_only


def test_the_emulator_child_writes_its_publishsettings_once_it_answers(
    memory_keyring: MemoryKeyring, embedded_certs: Path
) -> None:
    """The console's child emulator answers first and writes the .publishsettings for its new port
    right after: importing it gives a profile that reaches the same emulator."""
    import time

    with resolve_connection("emulator", emulator_process=True) as conn:
        settings = emulator_data_dir() / "emulator.publishsettings"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (
            settings.is_file() and f"https://{conn.host}" in settings.read_text(encoding="utf-8")
        ):
            time.sleep(0.05)
        result = import_publishsettings(settings, ca_file=conn.ca_file)
        with resolve_connection(result.created[0]) as imported:
            assert imported.host == conn.host and imported.subscription_id == conn.subscription_id
            assert not imported.is_emulator
