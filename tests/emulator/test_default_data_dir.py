"""`smtui emulator` and the console's embedded emulator keep their state in the same place.

The emulator does not know smtui's data dir (it never imports profiles): the ``smtui`` command
hands it the default, so both stay in ``<smtui data dir>/emulator``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smtui.cli import build_parser
from smtui.emulator.cli import data_dir_of
from smtui.profiles.paths import emulator_data_dir


def test_default_data_dir_follows_smtui_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTUI_DATA_DIR", str(tmp_path))
    args = build_parser().parse_args(["emulator"])
    assert data_dir_of(args) == tmp_path / "emulator"
    assert data_dir_of(args) == emulator_data_dir()


def test_default_data_dir_matches_the_console_without_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SMTUI_DATA_DIR", raising=False)
    assert data_dir_of(build_parser().parse_args(["emulator"])) == emulator_data_dir()


def test_data_dir_option_wins(tmp_path: Path) -> None:
    args = build_parser().parse_args(["emulator", "--data-dir", str(tmp_path / "mine")])
    assert data_dir_of(args) == tmp_path / "mine"
