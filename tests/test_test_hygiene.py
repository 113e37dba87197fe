"""The tests' own house rules, read from their source (issue 11 §6).

- No module imports a test module: what tests share lives in helper modules (``tests/tui/helpers.py``,
  ``tests/emulator/wire.py`` …), so moving or renaming a test never breaks another.
- The console tests' conftest holds fixtures only, and nothing imports it.
- The console tests never sleep for a fixed time: ``pilot.pause(delay)`` only sleeps in Textual 8, so
  on a loaded machine it is too short. They wait for a condition (``helpers.wait_for``) instead.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).parent
TUI = TESTS / "tui"
WAITING_HELPERS = {TUI / "helpers.py"}  # wait_for polls its condition between short pauses


def modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(TESTS.rglob("*.py")):
        if "__snapshots__" not in path.parts:
            yield path, ast.parse(path.read_text(), str(path))


def imported(tree: ast.Module) -> Iterator[tuple[int, str]]:
    """Every module ``tree`` imports (``from a import b`` yields ``a`` and ``a.b``), with its line."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def where(path: Path, line: int) -> str:
    return f"{path.relative_to(TESTS.parent)}:{line}"


def test_no_module_imports_a_test_module() -> None:
    offenders = [
        f"{where(path, line)}: {name}"
        for path, tree in modules()
        for line, name in imported(tree)
        if name.startswith("tests.") and any(part.startswith("test_") for part in name.split(".")[1:])
    ]
    assert offenders == []


def test_nothing_imports_the_console_tests_conftest() -> None:
    offenders = [
        f"{where(path, line)}: {name}"
        for path, tree in modules()
        for line, name in imported(tree)
        if name == "tests.tui.conftest" or name.startswith("tests.tui.conftest.")
    ]
    assert offenders == []


def test_the_console_tests_conftest_holds_fixtures_only() -> None:
    tree = ast.parse((TUI / "conftest.py").read_text())
    public = [
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and not node.name.startswith("_")
        and not any("fixture" in ast.unparse(decorator) for decorator in node.decorator_list)
    ]
    assigned = [
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    ]
    assert public == [] and assigned == []


def test_console_tests_wait_for_conditions_not_for_time() -> None:
    offenders = []
    for path, tree in modules():
        if TUI not in path.parents or path in WAITING_HELPERS:
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            call = ast.unparse(node.func)
            delay = node.args[0] if node.args else None
            fixed_pause = node.func.attr == "pause" and delay is not None
            # asyncio.sleep(0) yields one turn of the loop (a test may count turns); more is a sleep.
            one_turn = isinstance(delay, ast.Constant) and delay.value == 0
            fixed_sleep = call == "asyncio.sleep" and not one_turn
            if fixed_pause or fixed_sleep:
                offenders.append(f"{where(path, node.lineno)}: {ast.unparse(node)}")
    assert offenders == []
