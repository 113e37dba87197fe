"""Shared fixtures: a running in-process Service Management emulator over real mTLS.

``emulator`` (session scope): demo seed, near-instant operations (speed 1000), its own
temporary data directory. Tests that change state should use names of their own; tests that
need a fresh or differently configured emulator use ``emulator_factory``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

FAST = 1000.0
"""Speed of the shared emulator: a VM reaches ReadyRole in about 10 ms."""


@pytest.fixture(scope="session")
def emulator_certs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Certificates generated once per session and copied into each emulator's data dir (saves RSA keygen)."""
    from smtui.emulator import certs

    directory = tmp_path_factory.mktemp("emulator-certs") / "certs"
    ca = certs.ensure_ca(directory)
    certs.ensure_server_cert(directory, ca)
    certs.ensure_management_cert(directory, "management", "smtui emulator management certificate")
    certs.ensure_management_cert(directory, "management-foreign", "smtui emulator foreign subscription")
    return directory


def _data_dir(base: Path, cert_cache: Path) -> Path:
    base.mkdir(parents=True, exist_ok=True)
    shutil.copytree(cert_cache, base / "certs", dirs_exist_ok=True)
    return base


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory, emulator_certs: Path) -> Iterator[Any]:
    """A running emulator (demo seed, speed 1000, temporary data dir) shared by the session."""
    from smtui.emulator import Emulator

    data_dir = _data_dir(tmp_path_factory.mktemp("emulator") / "data", emulator_certs)
    with Emulator.running(data_dir, seed="demo", speed=FAST) as emu:
        yield emu


@pytest.fixture
def emulator_factory(tmp_path: Path, emulator_certs: Path) -> Iterator[Callable[..., Any]]:
    """Start emulators with custom options (``seed``, ``speed``, ``faults``, ``scale``, ``data_dir``);
    all are stopped at the end of the test."""
    from smtui.emulator import Emulator

    started: list[Any] = []

    def start(**options: Any) -> Any:
        data_dir = options.pop("data_dir", None) or tmp_path / f"emulator-{len(started)}"
        options.setdefault("seed", "empty")
        options.setdefault("speed", FAST)
        emu = Emulator(_data_dir(Path(data_dir), emulator_certs), **options)
        emu.start()
        started.append(emu)
        return emu

    yield start
    for emu in reversed(started):
        emu.stop()
