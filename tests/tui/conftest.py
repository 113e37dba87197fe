"""Fixtures of the console tests: isolated config/data dirs, connections to the emulator, app factory.

Apps are driven with Pilot like a user (keys), against the real emulator over mTLS.
``frozen`` apps use a fixed clock and ``user@host`` so screens are reproducible.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from smtui.profiles.connection import Connection

FROZEN_NOW = 1_800_000_000.0
"""The wall clock of frozen apps (so "updated 0s ago" and elapsed times never change)."""


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("SMTUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


def connection_for(emu: Any, *, read_only: bool = False) -> Connection:
    """A :class:`Connection` to a running emulator (the app does not own or stop it)."""
    return Connection.to_emulator(emu, read_only=read_only)


@pytest.fixture(scope="module")
def demo_emulator(tmp_path_factory: pytest.TempPathFactory, emulator_certs: Path) -> Iterator[Any]:
    """A fresh demo emulator per test module (the session one is changed by other tests)."""
    from smtui.emulator import Emulator

    data_dir = tmp_path_factory.mktemp("tui-emulator") / "data"
    data_dir.mkdir(parents=True)
    shutil.copytree(emulator_certs, data_dir / "certs", dirs_exist_ok=True)
    with Emulator.running(data_dir, seed="demo", speed=1000.0) as emu:
        yield emu


@pytest.fixture
def make_app(tmp_path: Path) -> Callable[..., Any]:
    """Build a ``SmtuiApp`` connected to an emulator; ``frozen=True`` fixes clock and user@host."""
    from smtui.tui.app import SmtuiApp

    def make(emu: Any, *, read_only: bool = False, frozen: bool = False, **options: Any) -> SmtuiApp:
        options.setdefault("refresh_interval", 0)
        options.setdefault("operations_file", tmp_path / "operations.json")
        options.setdefault("user_host", "operator@jumphost")
        if frozen:
            options.setdefault("clock", lambda: FROZEN_NOW)
        return SmtuiApp(connection=connection_for(emu, read_only=read_only), read_only=read_only, **options)

    return make


async def wait_for(pilot: Any, condition: Callable[[], Any], timeout: float = 10.0, what: str = "") -> Any:
    """Let the app run until ``condition()`` is truthy (workers load in the background); return it.

    Args:
        what: Named in the failure message instead of the condition's repr.
    """
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause(0.02)
