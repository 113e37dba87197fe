"""`smtui ls deployments|instances --all`: the fleet of one or several subscriptions, JSON or a table."""

from __future__ import annotations

import json
import os
import pty
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from smtui_profile_support import MemoryKeyring

from smtui.cli import main
from smtui.profiles import Profile, save_profile


def _profile(name: str, emu: Any, *, host: str | None = None, foreign: bool = False, **extra: Any) -> str:
    save_profile(Profile(
        name=name,
        subscription_id=emu.subscription_id,
        host=host or emu.host,
        ca_file=str(emu.ca_file),
        cert_path=str(emu.foreign_cert if foreign else emu.client_cert),
        key_path=str(emu.foreign_key if foreign else emu.client_key),
        **extra,
    ))
    return name


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any, str]:
    code = main(["ls", *args])
    captured = capsys.readouterr()
    out = json.loads(captured.out) if captured.out.strip().startswith("[") else captured.out
    return code, out, captured.err


def test_all_deployments_and_instances_of_one_subscription(
    memory_keyring: MemoryKeyring, emulator: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    name = _profile("demo", emulator)
    assert main(["ls", "services", "--profile", name]) == 0
    services = [s["ServiceName"] for s in json.loads(capsys.readouterr().out)]

    code, rows, err = _run(capsys, "deployments", "--all", "--profile", name)
    assert code == 0, err
    assert err == ""  # not a terminal: no progress line
    assert {r["service"] for r in rows} <= set(services)
    assert all(r["profile"] == name and r["subscription_id"] == emulator.subscription_id for r in rows)
    # the same deployments `ls deployments SERVICE` shows, service by service
    for service in {r["service"] for r in rows}:
        assert main(["ls", "deployments", service, "--profile", name]) == 0
        one = json.loads(capsys.readouterr().out)
        fleet = sorted(r["deployment"] for r in rows if r["service"] == service)
        assert sorted(d["Name"] for d in one) == fleet
    assert all(0 <= r["instances_ready"] <= r["instances_total"] for r in rows)

    code, instances, _ = _run(capsys, "instances", "--all", "--profile", name)
    assert code == 0
    assert len(instances) == sum(r["instances_total"] for r in rows)
    assert all(i["role"] and i["status"] for i in instances)


def test_all_profiles_with_a_failing_one_still_lists_the_others(
    memory_keyring: MemoryKeyring, emulator: Any, emulator_factory: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    other = emulator_factory(seed="empty", scale=3)
    _profile("demo", emulator)
    _profile("down", emulator, host=f"127.0.0.1:{_closed_port()}")
    _profile("scale", other)

    code, rows, err = _run(capsys, "deployments", "--all", "--all-profiles", "--timeout", "10")

    assert code == 1  # an endpoint failed: as any service/network error of `smtui ls`
    by_profile = [r["profile"] for r in rows]
    assert by_profile == sorted(by_profile, key=["demo", "down", "scale"].index)  # each in its place
    failed = [r for r in rows if r["profile"] == "down"]
    assert len(failed) == 1 and failed[0]["error"]["code"] == "ConnectError" and failed[0]["service"] is None
    assert "profile down: ConnectError" in err
    scale = [r for r in rows if r["profile"] == "scale"]
    assert sorted(r["service"] for r in scale) == [f"svc{i:05d}" for i in range(3)]
    assert {r["subscription_id"] for r in scale} == {other.subscription_id}
    assert any(r["profile"] == "demo" and "error" not in r for r in rows)


def test_a_profile_that_cannot_be_used_is_exit_2_and_the_others_still_load(
    memory_keyring: MemoryKeyring, emulator: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _profile("demo", emulator)
    save_profile(Profile(name="nocert", subscription_id="x", host=emulator.host,
                         cert_path=str(tmp_path / "gone.pem"), key_path=str(tmp_path / "gone.key")))

    code, rows, err = _run(capsys, "instances", "--all", "--profile", "nocert", "--profile", "demo")

    assert code == 2
    assert rows[0]["profile"] == "nocert" and rows[0]["error"]["code"] == "ProfileError"
    assert len(rows) > 1 and all("error" not in r for r in rows[1:])
    assert "gone.pem" in err


def test_table_output_has_a_subscription_column_for_several_profiles(
    memory_keyring: MemoryKeyring, emulator: Any, emulator_factory: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    other = emulator_factory(seed="empty", scale=2)
    _profile("demo", emulator)
    _profile("scale", other)

    code, out, err = _run(capsys, "deployments", "--all", "--all-profiles", "--output", "table")
    assert code == 0, err
    header, *lines = out.splitlines()
    assert header.split() == ["SUBSCRIPTION", "SERVICE", "DEPLOYMENT", "SLOT", "STATUS", "READY", "ROLES",
                              "SIZES", "LOCATION", "LABEL", "CREATED", "URL"]
    assert sum(line.startswith("scale ") for line in lines) == 2
    assert any(line.startswith("demo ") and "Production" in line for line in lines)

    code, out, _ = _run(capsys, "instances", "--all", "--profile", "scale", "--output", "table")
    assert code == 0
    assert out.splitlines()[0].split()[:3] == ["SERVICE", "DEPLOYMENT", "SLOT"]  # one profile: no column


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["deployments"], "service: missing (or use --all"),
        (["deployments", "svc", "--all"], "--all: takes no service"),
        (["instances", "--all", "--all-profiles", "--profile", "x"], "leave out --profile"),
        (["deployments", "svc", "--profile", "a", "--profile", "b"], "several profiles only with --all"),
    ],
)
def test_misuse_is_one_line_and_exit_2(
    memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["ls", *args]) == 2
    assert message in capsys.readouterr().err


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_line_only_on_a_terminal_and_json_unchanged(tmp_path: Path) -> None:
    # No profile configured: the embedded emulator (its own data dir, from smtui_dirs).
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "smtui", "ls", "deployments", "--all"],
            stdout=subprocess.PIPE, stderr=follower, stdin=subprocess.DEVNULL, timeout=120,
            env={**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
        )
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO once the terminal's writer is gone
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        if follower >= 0:
            os.close(follower)
        os.close(leader)
    assert proc.returncode == 0
    terminal = b"".join(chunks).decode()
    rows = json.loads(proc.stdout)
    total = len({r["service"] for r in rows})
    assert "services" in terminal and terminal.rstrip().endswith("\x1b[K")  # drawn, then wiped
    assert any(f"/{n} services" in terminal for n in range(total, total + 10))

    piped = subprocess.run(
        [sys.executable, "-m", "smtui", "ls", "deployments", "--all"],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
        env={**os.environ, "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"},
    )
    assert piped.returncode == 0
    assert "services" not in piped.stderr and "\x1b" not in piped.stderr
    assert [(r["service"], r["deployment"]) for r in json.loads(piped.stdout)] == [
        (r["service"], r["deployment"]) for r in rows]
