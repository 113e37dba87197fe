"""Handler modules stand alone: shared lookups come from ``lookups``, never from another handler.

Read from the source with :mod:`ast` (imports inside functions count too), so a handler that
reaches into a sibling for a lookup fails here instead of growing a hidden dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import smtui.emulator

EMULATOR = Path(smtui.emulator.__file__).parent
HANDLERS = sorted(p.stem for p in EMULATOR.glob("handlers_*.py"))


def _imported_modules(path: Path) -> set[str]:
    """Every ``smtui.emulator`` module ``path`` imports, anywhere in the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: ``from . import x`` / ``from .x import y``
                base = "smtui.emulator" + (f".{node.module}" if node.module else "")
            else:
                base = node.module or ""
            found.add(base)
            # ``from smtui.emulator import handlers_roles`` imports a module by name.
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name.removeprefix("smtui.emulator.") for name in found if name.startswith("smtui.emulator.")}


def test_the_emulator_has_handler_modules() -> None:
    assert len(HANDLERS) >= 5, HANDLERS


def test_no_handler_module_imports_another() -> None:
    offenders = {
        name: sorted(m for m in _imported_modules(EMULATOR / f"{name}.py") if m.startswith("handlers_"))
        for name in HANDLERS
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_seed_and_lookups_import_no_handler() -> None:
    for name in ("seed", "lookups", "roles", "lifecycle"):
        imported = _imported_modules(EMULATOR / f"{name}.py")
        assert not [m for m in imported if m.startswith("handlers_")], (name, imported)


def test_the_check_sees_function_level_imports(tmp_path: Path) -> None:
    sample = tmp_path / "handlers_sample.py"
    sample.write_text(
        "def f():\n    from smtui.emulator.handlers_network import x\n"
        "from smtui.emulator import handlers_roles, lookups\n"
        "from . import handlers_cloud\n"
    )
    found = _imported_modules(sample)
    assert {"handlers_network", "handlers_roles", "lookups", "handlers_cloud"} <= found
