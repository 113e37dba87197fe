"""Fixtures of the CLI tests: private config/data dirs, keyrings, and a runner for `smtui`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROFILE_SUPPORT = Path(__file__).resolve().parents[1] / "profiles"
sys.path.insert(0, str(PROFILE_SUPPORT))

from smtui_profile_support import (  # noqa: E402, F401
    Result,
    RunSmtui,
    memory_keyring,
    restore_keyring,
    smtui_dirs,
)


@pytest.fixture
def run_smtui(tmp_path: Path) -> RunSmtui:
    """Run `smtui ARGS` in a fresh interpreter; also reports which top-level modules got imported.

    ``keyring_file=True`` selects a file-backed test keyring (PYTHON_KEYRING_BACKEND); otherwise
    the subprocess sees this host's real keyring setup (headless CI: the fail backend).
    """

    def run(*args: str, keyring_file: bool = False, timeout: float = 120) -> Result:
        env = dict(os.environ)
        env.pop("PYTHON_KEYRING_BACKEND", None)
        if keyring_file:
            env["PYTHON_KEYRING_BACKEND"] = "smtui_profile_support.JsonFileKeyring"
            env["SMTUI_TEST_KEYRING_FILE"] = str(tmp_path / "test-keyring.json")
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROFILE_SUPPORT), env.get("PYTHONPATH")]))
        code = (
            "import sys\n"
            "from smtui.cli import main\n"
            "rc = main(sys.argv[1:])\n"
            "sys.stdout.flush()\n"
            "mods = sorted({m.split('.')[0] for m in sys.modules})\n"
            "sys.stderr.write('\\nMODULES:' + ','.join(mods) + '\\n')\n"
            "raise SystemExit(rc)\n"
        )
        proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                              timeout=timeout)
        if "\nMODULES:" not in proc.stderr:  # argparse exited before main returned
            return Result(proc.returncode, proc.stdout, proc.stderr, set())
        stderr, _, mods = proc.stderr.rpartition("\nMODULES:")
        return Result(proc.returncode, proc.stdout, stderr, set(mods.strip().split(",")))

    return run
