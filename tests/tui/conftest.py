"""Fixtures of the console tests: isolated config/data dirs, emulators (demo, frozen), app factory.

Apps are driven with Pilot like a user (keys), against the real emulator over mTLS.
``frozen`` apps use a fixed clock and ``user@host`` so screens are reproducible. Fixtures only:
what tests call lives in ``tests/tui/helpers.py``.
"""

from __future__ import annotations

import functools
import random
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.tui.helpers import FROZEN_NOW, IDS, connection_for


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("SMTUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


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


def _frozen(tmp_path_factory: pytest.TempPathFactory, emulator_certs: Path) -> Iterator[Any]:
    from smtui.emulator import Emulator, engine, server

    IDS.counter = 0
    data_dir = tmp_path_factory.mktemp("snapshot-emulator") / "data"
    data_dir.mkdir(parents=True)
    shutil.copytree(emulator_certs, data_dir / "certs", dirs_exist_ok=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(server, "Engine", functools.partial(engine.Engine, clock=lambda: FROZEN_NOW))
        mp.setattr(server, "uuid", IDS)
        mp.setattr(engine, "uuid", IDS)
        random.seed(20140101)
        with Emulator.running(data_dir, seed="demo", speed=1.0) as emu:
            yield emu


@pytest.fixture(scope="module")
def frozen_emulator(tmp_path_factory: pytest.TempPathFactory, emulator_certs: Path) -> Iterator[Any]:
    """A demo emulator whose clock never moves and whose ids repeat; the tests only read from it."""
    yield from _frozen(tmp_path_factory, emulator_certs)


@pytest.fixture
def frozen_emulator_for_changes(
    tmp_path_factory: pytest.TempPathFactory, emulator_certs: Path
) -> Iterator[Any]:
    """Like ``frozen_emulator``, fresh for one test that changes state (operations stay InProgress)."""
    yield from _frozen(tmp_path_factory, emulator_certs)
