"""`smtui profiles list|show|add|remove|import|default`."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from smtui_profile_support import (
    MemoryKeyring,
    RunSmtui,
    make_cert,
    make_key,
    make_pfx_b64,
    publishsettings_v1,
    publishsettings_v2,
)

from smtui.cli import main
from smtui.profiles import get_profile, list_profiles
from tests.reference import RECORDINGS

SAMPLES = RECORDINGS / "publishsettings"


def _pem_pair(directory: Path, key_index: int = 0, cert_key_index: int | None = None) -> tuple[Path, Path]:
    key = make_key(key_index)
    cert = make_cert(make_key(key_index if cert_key_index is None else cert_key_index), "cli test")
    cert_path, key_path = directory / f"cert{key_index}.pem", directory / f"key{key_index}.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_add_list_show_default_remove(memory_keyring: MemoryKeyring, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    cert, key = _pem_pair(tmp_path)

    assert main(["profiles", "add", "prod", "--subscription-id", "sub-1", "--cert", str(cert),
                 "--key", str(key), "--host", "https://mgmt.example.net/", "--serialize-type", "json",
                 "--read-only"]) == 0
    assert "profile 'prod' saved" in capsys.readouterr().err
    assert main(["profiles", "add", "dev", "--subscription-id", "sub-2", "--cert", str(cert), "--key",
                 str(key)]) == 0
    capsys.readouterr()

    assert main(["profiles", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(p["name"], p["default"], p["host"], p["serialize_type"], p["read_only"]) for p in listed] == [
        ("prod", True, "mgmt.example.net", "JSON", True),
        ("dev", False, "management.core.windows.net", "XML", False),
    ]
    assert "cert_path" not in listed[0]

    assert main(["profiles", "list"]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[0].split() == [
        "NAME", "SUBSCRIPTION", "HOST", "API", "VERSION", "FORMAT", "READ-ONLY"]
    assert text.splitlines()[1].startswith("*  prod")

    assert main(["profiles", "show", "prod", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["cert_path"], shown["key_path"]) == (str(cert), str(key))

    assert main(["profiles", "default", "dev"]) == 0
    assert capsys.readouterr().out.strip() == "dev"
    assert main(["profiles", "remove", "dev"]) == 0
    assert main(["profiles", "default"]) == 0
    assert capsys.readouterr().out.strip().endswith("prod")
    assert main(["profiles", "default", "--clear"]) == 0
    assert "embedded emulator" in capsys.readouterr().out
    assert [p.name for p in list_profiles()] == ["prod"]


def test_add_refuses_a_key_that_does_not_match(memory_keyring: MemoryKeyring, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    cert, key = _pem_pair(tmp_path, key_index=0, cert_key_index=1)

    args = ["profiles", "add", "prod", "--subscription-id", "s", "--cert", str(cert), "--key", str(key)]
    assert main(args) == 2

    err = capsys.readouterr().err
    assert err.startswith("smtui: error:") and "match" in err
    assert "PRIVATE KEY" not in err
    assert list_profiles() == []


def test_add_twice_needs_force(memory_keyring: MemoryKeyring, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    cert, key = _pem_pair(tmp_path)
    args = ["profiles", "add", "p", "--subscription-id", "s", "--cert", str(cert), "--key", str(key)]
    assert main(args) == 0
    assert main(args) == 2
    assert "exists already" in capsys.readouterr().err
    assert main([*args, "--force", "--api-version", "2015-04-01"]) == 0
    assert get_profile("p").api_version == "2015-04-01"


def test_invalid_field_is_an_error_line_not_a_traceback(memory_keyring: MemoryKeyring, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    cert, key = _pem_pair(tmp_path)
    assert main(["profiles", "add", "p", "--subscription-id", "s", "--cert", str(cert), "--key", str(key),
                 "--api-version", "latest"]) == 2
    assert capsys.readouterr().err.strip() == (
        "smtui: error: api_version: must look like 2014-10-01, got 'latest'")


def test_show_and_remove_unknown_profile(
    memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["profiles", "show", "nope"]) == 2
    assert main(["profiles", "remove", "nope"]) == 2
    assert capsys.readouterr().err.count("no profile named 'nope'") == 2


def test_import_v2_prints_json_and_writes_private_files(memory_keyring: MemoryKeyring, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    pfx, _ = make_pfx_b64()
    file = tmp_path / "my.publishsettings"
    file.write_bytes(publishsettings_v2([("sub-9", "Nine", "https://nine.example.net", pfx)]))

    assert main(["profiles", "import", str(file), "--json", "--read-only"]) == 0

    result = json.loads(capsys.readouterr().out)
    assert result["schema_version"] == "2.0"
    assert result["created"] == ["nine"]
    assert result["profiles"][0]["read_only"] is True
    assert result["profiles"][0]["default"] is True
    for path in result["files"]:
        assert stat.S_IMODE(Path(path).stat().st_mode) == 0o600


def test_remove_delete_files_removes_imported_pems(memory_keyring: MemoryKeyring, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    pfx, _ = make_pfx_b64()
    file = tmp_path / "two.publishsettings"
    file.write_bytes(publishsettings_v1(pfx, [("a", "A"), ("b", "B")]))
    assert main(["profiles", "import", str(file)]) == 0
    cert_path = Path(get_profile("a").cert_path or "")

    assert main(["profiles", "remove", "a", "--delete-files"]) == 0
    assert cert_path.exists()  # still used by profile B
    assert main(["profiles", "remove", "b", "--delete-files"]) == 0
    assert not cert_path.exists()
    assert "deleted 2 file(s)" in capsys.readouterr().err


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared recordings not available")
def test_import_of_a_redacted_sample_explains_why(memory_keyring: MemoryKeyring,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["profiles", "import", str(SAMPLES / "azure-sdk-for-ruby__azure.publishsettings")]) == 2

    err = capsys.readouterr().err
    assert "Ruby Tests" in err and "not base64" in err


def test_headless_import_tells_about_the_fallback_once(run_smtui: RunSmtui, tmp_path: Path,
                                                       smtui_dirs: dict[str, Path]) -> None:
    backend = json.loads(run_smtui("info", "--json").stdout)["keyring"]["backend"]
    if backend != "keyring.backends.fail.Keyring":
        pytest.skip("this host has a keyring backend")
    pfx, _ = make_pfx_b64()
    file = tmp_path / "x.publishsettings"
    file.write_bytes(publishsettings_v1(pfx, [("s1", "One")]))

    first = run_smtui("profiles", "import", str(file))
    second = run_smtui("profiles", "import", str(file))

    assert first.returncode == 0 and second.returncode == 0
    assert "No usable OS keyring" in first.stderr and "credentials.json" in first.stderr
    assert "No usable OS keyring" not in second.stderr
    assert "updated profile 'one'" in second.stdout
    fallback = smtui_dirs["config"] / "credentials.json"
    assert stat.S_IMODE(fallback.stat().st_mode) == 0o600
    assert "profile:one" in json.loads(fallback.read_text())
    assert "textual" not in first.modules


def test_import_with_a_keyring_keeps_paths_out_of_files(run_smtui: RunSmtui, tmp_path: Path,
                                                        smtui_dirs: dict[str, Path]) -> None:
    pfx, _ = make_pfx_b64()
    file = tmp_path / "x.publishsettings"
    file.write_bytes(publishsettings_v1(pfx, [("s1", "One")]))

    result = run_smtui("profiles", "import", str(file), keyring_file=True)

    assert result.returncode == 0, result.stderr
    assert "No usable OS keyring" not in result.stderr
    assert not (smtui_dirs["config"] / "credentials.json").exists()
    stored = json.loads((tmp_path / "test-keyring.json").read_text())
    assert json.loads(stored["smtui|profile:one"])["cert"].startswith(str(smtui_dirs["config"] / "certs"))
    shown = run_smtui("profiles", "show", "one", "--json", keyring_file=True)
    assert json.loads(shown.stdout)["key_path"].endswith(".key")
