"""Commands in a hostile set-up: an unusable HOME or data dir, a corrupt operations file, a fresh HOME.

Every command runs as a user would run it (``python -m smtui …`` in a fresh interpreter) and
must end in one clear line and exit code 2 — never a traceback.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.profiles.smtui_profile_support import make_pfx_b64, publishsettings_v2

ENV_DROPPED = ("SMTUI_CONFIG_DIR", "SMTUI_DATA_DIR", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME")


@dataclass
class Ran:
    code: int
    out: str
    err: str


def smtui(*args: str, home: Path, cwd: Path | None = None, timeout: float = 120, **env: str) -> Ran:
    environ = {k: v for k, v in os.environ.items() if k not in ENV_DROPPED}
    environ.update(HOME=str(home), PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", **env)
    proc = subprocess.run(
        [sys.executable, "-m", "smtui", *args],
        capture_output=True,
        text=True,
        env=environ,
        cwd=cwd or home if (cwd or home).is_dir() else None,
        timeout=timeout,
        check=False,
    )
    return Ran(proc.returncode, proc.stdout, proc.stderr)


def assert_one_line_error(ran: Ran) -> None:
    assert ran.code == 2, (ran.code, ran.err)
    assert "Traceback" not in ran.err
    lines = [line for line in ran.err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("smtui: error: "), ran.err


@pytest.fixture
def unusable_home(tmp_path: Path) -> Path:
    """A HOME nothing can be created under, even by root: its "directory" is a regular file."""
    home = tmp_path / "home-is-a-file"
    home.write_text("not a directory")
    return home


@pytest.fixture
def publishsettings(tmp_path: Path) -> Path:
    pfx, _ = make_pfx_b64()
    file = tmp_path / "real.publishsettings"
    file.write_bytes(
        publishsettings_v2([("sub-1", "Pay-As-You-Go", "https://management.core.windows.net", pfx)])
    )
    return file


@pytest.fixture
def pem_pair(tmp_path: Path, emulator_certs: Path) -> tuple[Path, Path]:
    return emulator_certs / "management.pem", emulator_certs / "management.key"


@pytest.mark.parametrize(
    "command",
    [
        ["ls", "services"],
        ["ls", "images", "--timeout", "5"],
        ["emulator", "--port", "0"],
    ],
    ids=["ls", "ls-images", "emulator"],
)
def test_an_unusable_home_is_one_line_and_exit_2(
    unusable_home: Path, tmp_path: Path, command: list[str]
) -> None:
    ran = smtui(*command, home=unusable_home, cwd=tmp_path, timeout=60)
    assert_one_line_error(ran)
    assert str(unusable_home) in ran.err


def test_profiles_add_with_an_unusable_home(
    unusable_home: Path, tmp_path: Path, pem_pair: tuple[Path, Path]
) -> None:
    cert, key = pem_pair
    ran = smtui(
        "profiles", "add", "p", "--subscription-id", "s", "--cert", str(cert), "--key", str(key),
        home=unusable_home, cwd=tmp_path,
    )  # fmt: skip
    assert_one_line_error(ran)


def test_profiles_import_with_an_unusable_home(
    unusable_home: Path, tmp_path: Path, publishsettings: Path
) -> None:
    assert_one_line_error(smtui("profiles", "import", str(publishsettings), home=unusable_home, cwd=tmp_path))


def test_an_unusable_data_dir_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "data-is-a-file"
    blocker.write_text("x")
    home = tmp_path / "home"
    home.mkdir()
    for command in (["ls", "services"], ["emulator", "--port", "0"]):
        ran = smtui(*command, home=home, SMTUI_DATA_DIR=str(blocker / "smtui"), timeout=60)
        assert_one_line_error(ran)


def test_reading_commands_still_work_with_an_unusable_home(unusable_home: Path, tmp_path: Path) -> None:
    listed = smtui("profiles", "list", home=unusable_home, cwd=tmp_path)
    assert listed.code == 0 and "Traceback" not in listed.err
    ops = smtui("ls", "operations", home=unusable_home, cwd=tmp_path)
    assert ops.code == 0 and json.loads(ops.out) == []


# ------------------------------------------------------------------ corrupt operations file


def test_a_corrupt_operations_file_is_set_aside_with_a_warning(tmp_path: Path) -> None:
    home = tmp_path / "home"
    data = tmp_path / "data"
    data.mkdir(parents=True)
    home.mkdir()
    (data / "operations.json").write_text('[{"request_id": "abc", "operation": "Create"')  # cut short
    ran = smtui("ls", "operations", home=home, SMTUI_DATA_DIR=str(data))
    assert ran.code == 0 and json.loads(ran.out) == []
    assert "warning" in ran.err and "corrupt" in ran.err and "Traceback" not in ran.err
    aside = list(data.glob("operations.json.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_text().startswith('[{"request_id": "abc"')
    assert not (data / "operations.json").exists()
    again = smtui("ls", "operations", home=home, SMTUI_DATA_DIR=str(data))
    assert again.code == 0 and "corrupt" not in again.err


def test_the_console_tracker_reports_a_corrupt_file(tmp_path: Path) -> None:
    from smtui.tui.operations_tracker import OperationsTracker

    store = tmp_path / "operations.json"
    store.write_text("{not json")
    tracker = OperationsTracker("sub", store_path=store, persist=False)
    try:
        assert tracker.load_pending() == []
        assert (
            len(tracker.load_warnings) == 1
            and "moved to operations.json.corrupt-" in tracker.load_warnings[0]
        )
    finally:
        tracker.close()


# ------------------------------------------------------------------ the README, verbatim, in a fresh HOME


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def running_emulator(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    """`smtui emulator --port P --data-dir ./emu` started as the README says, in a fresh HOME."""
    home = tmp_path / "fresh-home"
    home.mkdir()
    port = _free_port()
    environ = {k: v for k, v in os.environ.items() if k not in ENV_DROPPED}
    environ.update(HOME=str(home), PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    proc = subprocess.Popen(
        [sys.executable, "-m", "smtui", "emulator", "--port", str(port), "--data-dir", "./emu"],
        cwd=home,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (home / "emu" / "emulator.publishsettings").exists() or not _accepts(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    f"the emulator did not start: {proc.stdout.read() if proc.stdout else ''}"
                )
            time.sleep(0.1)
        yield home, port
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def test_the_readme_flow_works_as_written(running_emulator: tuple[Path, int], tmp_path: Path) -> None:
    home, port = running_emulator
    # smtui profiles import ./emu/emulator.publishsettings # then: smtui --profile <name>
    imported = smtui("profiles", "import", "./emu/emulator.publishsettings", home=home)
    assert imported.code == 0, imported.err
    assert "Traceback" not in imported.err
    name = "smtui-emulator-subscription"  # a slug: no quotes needed after --profile
    assert f"created profile '{name}'" in imported.out
    assert f"smtui --profile {name}" in imported.err
    listed = smtui("--profile", name, "ls", "services", home=home)
    assert listed.code == 0, listed.err
    assert {"contoso-web"} <= {s["ServiceName"] for s in json.loads(listed.out)}
    # The import said it did not become the default, and plain `smtui ls` still works (embedded emulator).
    assert "is now the default" not in imported.err
    plain = smtui("ls", "services", home=home, timeout=120)
    assert plain.code == 0, plain.err
    shown = json.loads(smtui("profiles", "show", name, "--json", home=home).out)
    assert shown["host"] == f"127.0.0.1:{port}"
    assert shown["ca_file"] == str((home / "emu" / "certs" / "ca.pem").resolve())
    assert Path(shown["cert_path"]).is_absolute() and Path(shown["key_path"]).is_absolute()


def test_profiles_add_stores_absolute_paths_and_says_it_became_the_default(
    running_emulator: tuple[Path, int],
) -> None:
    home, port = running_emulator
    shutil.copy(home / "emu" / "certs" / "ca.pem", home / "ca.pem")
    sub = re.search(r'Id="([^"]+)"', (home / "emu" / "emulator.publishsettings").read_text()).group(1)  # type: ignore[union-attr]
    added = smtui(
        "profiles", "add", "local", "--subscription-id", sub, "--host", f"127.0.0.1:{port}",
        "--cert", "emu/certs/management.pem", "--key", "emu/certs/management.key", "--ca-file", "ca.pem",
        home=home,
    )  # fmt: skip
    assert added.code == 0, added.err
    assert "'local' is now the default profile" in added.err
    shown = json.loads(smtui("profiles", "show", "local", "--json", home=home).out)
    assert shown["ca_file"] == str(home / "ca.pem")
    assert shown["cert_path"] == str(home / "emu" / "certs" / "management.pem")
    elsewhere = smtui("ls", "locations", home=home, cwd=home / "emu")
    assert elsewhere.code == 0, elsewhere.err


def test_no_message_names_internal_auth_keys(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    ran = smtui(
        "profiles",
        "add",
        "p",
        "--subscription-id",
        "s",
        "--cert",
        "missing.pem",
        "--key",
        "missing.key",
        home=home,
    )
    assert_one_line_error(ran)
    assert "auth[" not in ran.err and "certfile" not in ran.err and "keyfile" not in ran.err
    assert "missing.pem" in ran.err or "missing.key" in ran.err


def test_a_profile_can_allow_redirect_hosts(
    tmp_path: Path, pem_pair: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    cert, key = pem_pair
    common = ("--subscription-id", "s", "--cert", str(cert), "--key", str(key), "--no-check")
    added = smtui("profiles", "add", "p", *common, "--redirect-host", "Regional.Example.com:8443", home=home)
    assert added.code == 0, added.err
    shown = json.loads(smtui("profiles", "show", "p", "--json", home=home).out)
    assert shown["redirect_hosts"] == ["regional.example.com:8443"]
    bad = smtui("profiles", "add", "q", *common, "--redirect-host", "https://x/y", home=home)
    assert_one_line_error(bad)
    assert "redirect_hosts" in bad.err

    from smtui.profiles import credentials
    from smtui.session import resolve_connection

    monkeypatch.setenv("HOME", str(home))
    for name in ENV_DROPPED:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    credentials.reset_keyring_state()
    try:
        with resolve_connection("p") as connection:
            assert connection.client_options()["redirect_hosts"] == ["regional.example.com:8443"]
    finally:
        credentials.reset_keyring_state()


def test_importing_a_real_subscription_says_it_became_the_default(
    tmp_path: Path, publishsettings: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    ran = smtui("profiles", "import", str(publishsettings), home=home)
    assert ran.code == 0, ran.err
    assert "created profile 'pay-as-you-go'" in ran.out
    assert "'pay-as-you-go' is now the default profile" in ran.err
    assert "emulator's file" not in ran.err
    shown = json.loads(smtui("profiles", "show", "pay-as-you-go", "--json", home=home).out)
    assert shown["default"] is True and shown["ca_file"] is None


def test_ls_against_an_untrusted_endpoint_says_which_ca_to_give(running_emulator: tuple[Path, int]) -> None:
    home, port = running_emulator
    sub = re.search(r'Id="([^"]+)"', (home / "emu" / "emulator.publishsettings").read_text()).group(1)  # type: ignore[union-attr]
    added = smtui(
        "profiles", "add", "noca", "--subscription-id", sub, "--host", f"127.0.0.1:{port}",
        "--cert", "emu/certs/management.pem", "--key", "emu/certs/management.key", home=home,
    )  # fmt: skip
    assert added.code == 0, added.err
    ran = smtui("ls", "services", "--profile", "noca", home=home)
    assert ran.code == 1
    error = json.loads(ran.err)["error"]
    assert error["code"] == "TLSError" and "--ca-file" in error["hint"]
