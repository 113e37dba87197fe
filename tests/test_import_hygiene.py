"""The headless layers must never pull in the TUI toolkit."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEADLESS_MODULES = ["smtui.api", "smtui.emulator", "smtui.cli", "smtui.forms", "smtui.profiles"]


@pytest.mark.parametrize("module", HEADLESS_MODULES)
def test_headless_module_does_not_import_textual_or_rich(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} imported {out.stdout.strip()}"
