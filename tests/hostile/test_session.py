"""The composition root when its emulator child cannot start: one clear error, no child left."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smtui.emulator.dirlock import read_holder
from smtui.profiles.errors import ProfileError
from smtui.session import resolve_connection


def test_an_emulator_child_that_cannot_open_its_state_is_one_clear_error(
    tmp_path: Path, emulator_certs: Path
) -> None:
    data = tmp_path / "embedded"
    shutil.copytree(emulator_certs, data / "certs")
    (data / "state.db").mkdir()  # SQLite cannot open a directory
    with pytest.raises(ProfileError, match=r"the embedded emulator did not start: .* \(see .*embedded.log\)"):
        resolve_connection("emulator", emulator_data=data, emulator_process=True)
    assert read_holder(data) is None  # the child exited and released the directory


def test_a_stale_lock_record_of_a_dead_emulator_does_not_stop_the_start(
    tmp_path: Path, emulator_certs: Path
) -> None:
    """After a ``kill -9`` the lock file still names the dead emulator: start a new one anyway."""
    data = tmp_path / "embedded"
    shutil.copytree(emulator_certs, data / "certs")
    (data / "emulator.lock").write_text(
        '{"pid": 999999999, "host": "127.0.0.1:1", "subscription_id": "dead", '
        '"client_cert": "x", "client_key": "y", "ca_file": "z"}'
    )
    with resolve_connection("emulator", emulator_data=data, emulator_process=True) as conn:
        assert conn.subscription_id != "dead" and conn.host != "127.0.0.1:1"
    assert read_holder(data) is None


def test_the_emulator_child_stops_when_the_console_dies_without_closing_it(
    tmp_path: Path, emulator_certs: Path
) -> None:
    """A console killed (kill -9, a crash) cannot close its connection: the child sees its stdin
    close and stops on its own, releasing the data directory."""
    data = tmp_path / "embedded"
    shutil.copytree(emulator_certs, data / "certs")
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from smtui.session import resolve_connection\n"
        f"conn = resolve_connection('emulator', emulator_data=Path({str(data)!r}), emulator_process=True)\n"
        "print(conn.host, flush=True)\n"
        "os._exit(9)  # no close, no atexit: as if killed\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 9, out.stderr[-2000:]
    deadline = time.monotonic() + 30
    while read_holder(data) is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert read_holder(data) is None, "the emulator child outlived its console"
