"""Fixtures of the profile tests: private config/data dirs and controllable keyring backends."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest
from keyring.backends import fail

sys.path.insert(0, str(Path(__file__).parent))

from smtui_profile_support import MemoryKeyring  # noqa: E402

from smtui.profiles import credentials  # noqa: E402


@pytest.fixture(autouse=True)
def smtui_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """Point the config and data dirs at fresh temporary directories."""
    dirs = {"config": tmp_path / "config", "data": tmp_path / "data"}
    monkeypatch.setenv("SMTUI_CONFIG_DIR", str(dirs["config"]))
    monkeypatch.setenv("SMTUI_DATA_DIR", str(dirs["data"]))
    return dirs


@pytest.fixture(autouse=True)
def _restore_keyring() -> Iterator[None]:
    before = keyring.get_keyring()
    credentials.reset_keyring_state()
    yield
    keyring.set_keyring(before)
    credentials.reset_keyring_state()


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    """An in-memory keyring installed as keyring's backend."""
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def no_keyring() -> keyring.backend.KeyringBackend:
    """What a headless host has: keyring.backends.fail.Keyring."""
    backend = fail.Keyring()
    keyring.set_keyring(backend)
    return backend
