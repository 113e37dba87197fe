"""Profile CRUD: metadata in profiles.json, certificate paths in the keyring only."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from smtui_profile_support import MemoryKeyring

from smtui.api.errors import ValidationError
from smtui.profiles import (
    Profile,
    default_profile_name,
    get_profile,
    list_profiles,
    remove_profile,
    save_profile,
    set_default_profile,
)
from smtui.profiles.errors import ProfileError
from smtui.profiles.store import config_file

SUB = "11111111-2222-3333-4444-555555555555"


def _profile(name: str = "prod", **kw: object) -> Profile:
    values: dict[str, object] = {"name": name, "subscription_id": SUB, "cert_path": "/certs/a.pem",
                                 "key_path": "/certs/a.key"}
    values.update(kw)
    return Profile(**values)  # type: ignore[arg-type]


def test_save_then_get_round_trips_and_paths_live_in_the_keyring(memory_keyring: MemoryKeyring) -> None:
    saved = save_profile(_profile(host="https://mgmt.example.net:8443/", serialize_type="json",
                                  api_version="2015-04-01", read_only=True))

    assert saved.host == "mgmt.example.net:8443"
    assert saved.serialize_type == "JSON"
    loaded = get_profile("prod")
    assert loaded == saved
    assert (loaded.cert_path, loaded.key_path) == ("/certs/a.pem", "/certs/a.key")
    raw = config_file().read_text()
    assert "a.pem" not in raw and "a.key" not in raw and "cert_path" not in raw
    assert json.loads(memory_keyring.entries[("smtui", "profile:prod")]) == {
        "cert": "/certs/a.pem", "key": "/certs/a.key"}


def test_config_file_and_dir_are_private(memory_keyring: MemoryKeyring, smtui_dirs: dict[str, Path]) -> None:
    save_profile(_profile())

    assert stat.S_IMODE(config_file().stat().st_mode) == 0o600
    assert stat.S_IMODE(smtui_dirs["config"].stat().st_mode) == 0o700


def test_list_profiles_does_not_touch_the_keyring(memory_keyring: MemoryKeyring) -> None:
    save_profile(_profile("a"))
    save_profile(_profile("b"))
    memory_keyring.entries.clear()

    assert [p.name for p in list_profiles()] == ["a", "b"]
    assert all(p.cert_path is None for p in list_profiles())
    assert get_profile("a").cert_path is None


def test_first_profile_becomes_default_and_removal_keeps_one(memory_keyring: MemoryKeyring) -> None:
    assert default_profile_name() is None
    save_profile(_profile("a"))
    save_profile(_profile("b"))
    assert default_profile_name() == "a"

    set_default_profile("b")
    assert default_profile_name() == "b"
    remove_profile("b")
    assert default_profile_name() == "a"
    remove_profile("a")
    assert default_profile_name() is None
    assert list_profiles() == []


def test_remove_deletes_the_keyring_entry(memory_keyring: MemoryKeyring) -> None:
    save_profile(_profile())
    remove_profile("prod")

    assert memory_keyring.entries == {}
    with pytest.raises(ProfileError, match="no profile named 'prod'"):
        get_profile("prod")
    with pytest.raises(ProfileError):
        remove_profile("prod")


def test_duplicate_name_needs_overwrite(memory_keyring: MemoryKeyring) -> None:
    save_profile(_profile())
    with pytest.raises(ProfileError, match="exists already"):
        save_profile(_profile(host="other.example.net"))

    save_profile(_profile(host="other.example.net"), overwrite=True)
    assert get_profile("prod").host == "other.example.net"


def test_edit_without_paths_keeps_the_stored_ones(memory_keyring: MemoryKeyring) -> None:
    save_profile(_profile())
    save_profile(_profile(cert_path=None, key_path=None, read_only=True), overwrite=True)

    loaded = get_profile("prod")
    assert loaded.read_only is True
    assert loaded.cert_path == "/certs/a.pem"


def test_rename_moves_metadata_default_and_keyring_entry(memory_keyring: MemoryKeyring) -> None:
    save_profile(_profile("old"))
    save_profile(_profile("other"))
    save_profile(_profile("new", cert_path=None, key_path=None), previous_name="old")

    assert [p.name for p in list_profiles()] == ["new", "other"]
    assert default_profile_name() == "new"
    assert get_profile("new").key_path == "/certs/a.key"
    assert ("smtui", "profile:old") not in memory_keyring.entries


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": " "}, "name"),
        ({"name": "emulator"}, "name"),
        ({"name": "bad\x1bname"}, "name"),
        ({"subscription_id": "a/b"}, "subscription_id"),
        ({"host": "http://plain.example.net"}, "host"),
        ({"host": "user@host"}, "host"),
        ({"api_version": "latest"}, "api_version"),
        ({"serialize_type": "YAML"}, "serialize_type"),
        ({"key_path": None}, "cert_path"),
    ],
)
def test_invalid_fields_are_named(
    memory_keyring: MemoryKeyring, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        save_profile(_profile(**changes))
    assert info.value.field == field
    assert not config_file().exists()


def test_relative_paths_are_stored_absolute(memory_keyring: MemoryKeyring, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    saved = save_profile(_profile(cert_path="c.pem", key_path="k.pem"))

    assert saved.cert_path == str(tmp_path / "c.pem")
    assert get_profile("prod").key_path == str(tmp_path / "k.pem")


def test_corrupt_config_file_gives_a_clear_error(memory_keyring: MemoryKeyring) -> None:
    config_file().parent.mkdir(parents=True)
    config_file().write_text("{not json")

    with pytest.raises(ProfileError, match="not valid JSON"):
        list_profiles()
