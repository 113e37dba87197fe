"""`smtui emulator` and the console's embedded emulator keep their state in the same place."""

from __future__ import annotations

from pathlib import Path

import pytest

from smtui.emulator.server import default_data_dir
from smtui.profiles.paths import emulator_data_dir


def test_default_data_dir_follows_smtui_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTUI_DATA_DIR", str(tmp_path))
    assert default_data_dir() == tmp_path / "emulator"
    assert default_data_dir() == emulator_data_dir()


def test_default_data_dir_matches_the_console_without_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMTUI_DATA_DIR", raising=False)
    assert default_data_dir() == emulator_data_dir()
