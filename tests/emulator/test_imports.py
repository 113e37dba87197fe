"""The emulator's modules never load the TUI toolkit (the top-level package imports lazily)."""

from __future__ import annotations

import subprocess
import sys


def test_emulator_modules_do_not_import_textual_or_rich() -> None:
    code = (
        "import sys, smtui.emulator.server, smtui.emulator.app, smtui.emulator.cli, smtui.emulator.seed\n"
        "from smtui.emulator import Emulator, Faults\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_registering_the_subcommand_does_not_load_the_server() -> None:
    code = (
        "import sys, argparse\n"
        "from smtui.emulator.cli import register\n"
        "from pathlib import Path\n"
        "register(argparse.ArgumentParser().add_subparsers(), default_data_dir=Path.cwd)\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('uvicorn', 'starlette'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
