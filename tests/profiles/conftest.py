"""Fixtures of the profile tests: private config/data dirs and controllable keyring backends."""

from __future__ import annotations

import sys
from pathlib import Path

import keyring
import keyring.backend
import pytest
from keyring.backends import fail

sys.path.insert(0, str(Path(__file__).parent))

from smtui_profile_support import memory_keyring, restore_keyring, smtui_dirs  # noqa: E402, F401


@pytest.fixture
def no_keyring() -> keyring.backend.KeyringBackend:
    """What a headless host has: keyring.backends.fail.Keyring."""
    backend = fail.Keyring()
    keyring.set_keyring(backend)
    return backend
