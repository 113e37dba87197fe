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


def _tui_import_graph() -> dict[str, set[str]]:
    """``smtui.tui`` module → the ``smtui.tui`` modules it imports at run time.

    Function-level imports count (they run too); imports under ``if TYPE_CHECKING:`` do not.
    """
    import ast
    from pathlib import Path

    import smtui.tui

    root = Path(smtui.tui.__file__).parent
    modules: dict[str, Path] = {}
    for path in root.rglob("*.py"):
        parts = ("smtui", "tui", *path.relative_to(root).with_suffix("").parts)
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path

    def type_checking_only(node: ast.AST) -> bool:
        test = node.test if isinstance(node, ast.If) else None
        return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        )

    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        found: set[str] = set()
        pending: list[ast.AST] = [ast.parse(path.read_text(encoding="utf-8"))]
        while pending:
            node = pending.pop()
            for child in ast.iter_child_nodes(node):
                if type_checking_only(child):
                    assert isinstance(child, ast.If)
                    pending.extend(child.orelse)
                    continue
                if isinstance(child, ast.Import):
                    found.update(alias.name for alias in child.names)
                elif isinstance(child, ast.ImportFrom):
                    base = child.module or ""
                    if child.level:
                        prefix = package[: len(package) - child.level + 1]
                        base = ".".join([*prefix, base] if base else prefix)
                    found.add(base)
                    found.update(f"{base}.{alias.name}" for alias in child.names)
                pending.append(child)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


KNOWN_TUI_CYCLES = [{"smtui.tui.dialogs._form_screen", "smtui.tui.screens.prompt"}]
"""Left to the form dialogs' owners: ``settled``/``clear_toasts`` belong in a module of their own."""


def test_no_import_cycle_inside_the_tui() -> None:
    graph = _tui_import_graph()
    cycles: list[set[str]] = []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:  # Tarjan: each strongly connected group of 2+ modules is a cycle
        index[node] = low[node] = len(index)
        stack.append(node)
        for dep in sorted(graph[node]):
            if dep not in index:
                visit(dep)
                low[node] = min(low[node], low[dep])
            elif dep in stack:
                low[node] = min(low[node], index[dep])
        if low[node] == index[node]:
            group = {stack.pop()}
            while node not in group:
                group.add(stack.pop())
            if len(group) > 1:
                cycles.append(group)

    for module in sorted(graph):
        if module not in index:
            visit(module)
    assert "smtui.tui.screens.browse" in graph and graph["smtui.tui.app"], "the graph was not read"
    assert [c for c in cycles if c not in KNOWN_TUI_CYCLES] == []
