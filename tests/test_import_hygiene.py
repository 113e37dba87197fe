"""The layers hold: the headless ones never pull in the TUI toolkit, no package imports another
that it must not use (also in pyproject's import-linter contracts, run by .ci/run), and no import
cycle joins smtui's packages."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Collection
from pathlib import Path

import pytest

HEADLESS_MODULES = [
    "smtui.api", "smtui.emulator", "smtui.cli", "smtui.forms", "smtui.profiles", "smtui.session",
]


@pytest.mark.parametrize("module", HEADLESS_MODULES)
def test_headless_module_does_not_import_textual_or_rich(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} imported {out.stdout.strip()}"


# ----------------------------------------------------------------------------- layers and cycles

SMTUI = Path(__file__).resolve().parent.parent / "smtui"


def _module_files() -> dict[str, Path]:
    files: dict[str, Path] = {}
    for path in SMTUI.rglob("*.py"):
        parts = list(path.relative_to(SMTUI.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        files[".".join(parts)] = path
    return files


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(tree: ast.AST, known: Collection[str]) -> set[str]:
    """Every smtui module ``tree`` imports, at module level or inside functions.

    Imports under ``if TYPE_CHECKING:`` are left out: they never run, so they cannot form a cycle
    at run time (they exist precisely to name a type without importing its module).
    """
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit_one(other)
                continue
            visit_one(child)

    def visit_one(node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in known else node.module)
        visit(node)

    visit(tree)
    return {name for name in found if name in known}


def import_graph() -> dict[str, set[str]]:
    """smtui's modules → the smtui modules each imports (AST, no import executed)."""
    files = _module_files()
    return {
        module: _imported(ast.parse(path.read_text(encoding="utf-8")), files) - {module}
        for module, path in files.items()
    }


def package_of(module: str) -> str:
    """``smtui.tui.screens.browse`` → ``smtui.tui``; ``smtui.cli`` → ``smtui.cli``."""
    return ".".join(module.split(".")[:2])


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components with more than one node (Tarjan), i.e. the import cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_no_import_cycle_between_smtui_packages() -> None:
    packages: dict[str, set[str]] = {}
    for module, imported in import_graph().items():
        packages.setdefault(package_of(module), set()).update(
            package_of(other) for other in imported if package_of(other) != package_of(module)
        )
    assert cycles(packages) == []


# Module cycles inside one package that exist today, each being broken on its own branch (issue 11
# §2, §5). A cycle found must lie inside one of these: new cycles fail, and breaking one never does.
KNOWN_MODULE_CYCLES = [
    # tui-seams: the app and its screens reach into each other (messages, not reach-ins).
    {"smtui.tui.app", "smtui.tui.screens.browse", "smtui.tui.screens.audit_log", "smtui.tui.screens.fleet"},
    # forms: the shared form screen and the prompt dialogs.
    {"smtui.tui.dialogs._form_screen", "smtui.tui.screens.prompt"},
    # ceremony: emulator handlers import lookups from each other (a lookups module ends it).
    {"smtui.emulator.handlers_network", "smtui.emulator.handlers_services"},
]


def test_no_new_import_cycle_between_modules() -> None:
    new = [
        sorted(cycle)
        for cycle in cycles(import_graph())
        if not any(cycle <= known for known in KNOWN_MODULE_CYCLES)
    ]
    assert new == []


def test_the_cycle_finder_sees_function_level_imports_and_skips_type_checking() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from smtui.tui.app import SmtuiApp\n"
        "def later():\n    from smtui.profiles import paths\n"
    )
    assert _imported(tree, {"smtui.tui.app", "smtui.profiles.paths", "smtui.profiles"}) == {
        "smtui.profiles.paths"
    }
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]


# A module set to None in sys.modules cannot be imported: the import raises ImportError.
BLOCK = "import sys\nfor name in {blocked!r}:\n    sys.modules[name] = None\n"


@pytest.mark.parametrize(
    ("modules", "blocked"),
    [
        # Profiles resolve named profiles with no emulator in reach; the composition root adds it.
        (
            [f"smtui.profiles.{path.stem}" for path in sorted((SMTUI / "profiles").glob("*.py"))],
            ["smtui.emulator", "smtui.session", "smtui.tui", "smtui.commands", "smtui.cli"],
        ),
        # The emulator runs without smtui's profiles, forms or console.
        (
            ["smtui.emulator.server", "smtui.emulator.cli", "smtui.emulator.app"],
            ["smtui.profiles", "smtui.forms", "smtui.tui", "smtui.commands", "smtui.session", "smtui.cli"],
        ),
        # The console is handed its connection: it never needs the emulator or the commands.
        (
            ["smtui.tui.app", "smtui.tui.screens.fleet", "smtui.tui.screens.profiles"],
            ["smtui.emulator", "smtui.commands", "smtui.session", "smtui.cli"],
        ),
    ],
    ids=["profiles", "emulator", "tui"],
)
def test_a_layer_imports_without_the_layers_it_must_not_use(modules: list[str], blocked: list[str]) -> None:
    code = BLOCK.format(blocked=blocked) + "".join(f"import {module}\n" for module in modules)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]


def test_profiles_resolve_a_named_profile_without_the_emulator(tmp_path: Path) -> None:
    """The profiles half of the answer works with ``smtui.emulator`` unimportable; asking it for
    the emulator is one clear error, not an ImportError."""
    code = BLOCK.format(blocked=["smtui.emulator", "smtui.session"]) + (
        "from smtui.profiles import Profile, ProfileError, profile_connection, profiles_only, save_profile\n"
        f"save_profile(Profile(name='p', subscription_id='s', cert_path={str(tmp_path / 'c.pem')!r},\n"
        f"                     key_path={str(tmp_path / 'k.pem')!r}))\n"
        "conn = profile_connection('p', read_only=True)\n"
        "assert conn.profile_name == 'p' and conn.read_only and not conn.is_emulator\n"
        "try:\n    profiles_only('emulator')\nexcept ProfileError as exc:\n    print('refused:', exc)\n"
    )
    for name in ("c.pem", "k.pem"):
        (tmp_path / name).write_text("x")
    env = dict(
        os.environ,
        SMTUI_CONFIG_DIR=str(tmp_path / "config"),
        SMTUI_DATA_DIR=str(tmp_path / "data"),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "refused: the embedded emulator is not available here" in out.stdout
