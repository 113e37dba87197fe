"""`smtui info`: versions, paths, keyring backend, profiles — without importing Textual."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from smtui_profile_support import MemoryKeyring, RunSmtui

from smtui.cli import main
from smtui.profiles import Profile, save_profile


def test_info_json_in_a_fresh_interpreter_does_not_import_textual(
    run_smtui: RunSmtui, smtui_dirs: dict[str, Path]
) -> None:
    result = run_smtui("info", "--json")

    assert result.returncode == 0, result.stderr
    assert "textual" not in result.modules
    data = json.loads(result.stdout)
    assert data["versions"]["smtui"] == "0.1.0"
    assert data["versions"]["textual"]  # read from metadata, not imported
    assert data["paths"]["config_dir"] == str(smtui_dirs["config"])
    assert data["paths"]["operations_file"] == str(smtui_dirs["data"] / "operations.json")
    assert data["keyring"]["backend"]
    assert data["connects_to"].startswith("embedded emulator")
    assert data["profiles"] == []


def test_info_reports_the_fallback_file_on_a_headless_host(run_smtui: RunSmtui,
                                                            smtui_dirs: dict[str, Path]) -> None:
    backend = json.loads(run_smtui("info", "--json").stdout)["keyring"]["backend"]
    if backend != "keyring.backends.fail.Keyring":
        pytest.skip("this host has a keyring backend")
    result = run_smtui("info")

    assert result.returncode == 0
    assert "keyring.backends.fail.Keyring" in result.stdout
    assert f"{smtui_dirs['config'] / 'credentials.json'} (mode 0600)" in result.stdout
    assert "no keyring backend is available" in result.stdout


def test_info_reports_a_configured_keyring_backend(run_smtui: RunSmtui) -> None:
    result = run_smtui("info", "--json", keyring_file=True)

    keyring_info = json.loads(result.stdout)["keyring"]
    assert keyring_info["backend"] == "smtui_profile_support.JsonFileKeyring"
    assert keyring_info["store"] == "keyring"
    assert keyring_info["reason"] is None


def test_info_text_lists_profiles_and_default(memory_keyring: MemoryKeyring,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    save_profile(Profile(name="prod", subscription_id="sub-1", read_only=True, cert_path="/c", key_path="/k"))
    save_profile(Profile(name="dev", subscription_id="sub-2", host="dev.example.net"))

    assert main(["info"]) == 0

    out = capsys.readouterr().out
    assert "Connects to    prod" in out
    assert "  * prod  sub-1  management.core.windows.net read-only" in out
    assert "    dev  sub-2  dev.example.net" in out
    assert "MemoryKeyring" in out
    assert "/c\n" not in out and "/k" not in out  # certificate paths are not listed by info
