"""The action table is the one place resource actions are declared (issue 11 §5)."""

from __future__ import annotations

import inspect
import subprocess
import sys

from smtui.tui import registry
from smtui.tui.action_table import ACTIONS
from smtui.tui.action_types import DeferredFlow
from smtui.tui.screens.browse import BrowseScreen


def test_every_row_is_bound_on_the_browse_screen_by_its_id() -> None:
    bound = {(b.key, b.action, b.id) for b in BrowseScreen.BINDINGS if not isinstance(b, tuple | str)}
    for action in ACTIONS:
        for key in action.keys:
            assert (key, f"resource_action('{action.action_id}')", action.action_id) in bound


def test_rows_have_unique_ids_and_run_a_coroutine() -> None:
    ids = [action.action_id for action in ACTIONS]
    assert len(ids) == len(set(ids))
    for action in ACTIONS:
        run = action.run.resolve() if isinstance(action.run, DeferredFlow) else action.run
        assert inspect.iscoroutinefunction(run), action.action_id
        assert registry.get(action.action_id) is action


def test_the_console_starts_without_the_action_modules() -> None:
    """The console's first frame needs the table's keys and wording, not the dialogs, the API
    models or the preview's highlighter behind them (~0.15 s of every start, issue 12 §2)."""
    code = (
        "import sys; sys.modules['trio'] = None; import smtui.tui.app; "
        "print(sorted(m for m in ('smtui.tui.actions', 'smtui.tui.dialogs.preview', 'smtui.api.models', "
        "'smtui.api.client', 'pygments', 'keyring', 'cryptography', 'lxml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_key_shared_by_rows_never_applies_to_two_at_once() -> None:
    # ``c`` creates what the list shows, ``d`` deletes the selected row: one row per place.
    seen: dict[tuple[str, str, object], str] = {}
    for action in ACTIONS:
        for kind in action.kinds:
            for key in action.keys:
                place = (key, action.scope, kind)
                assert place not in seen, f"{action.action_id} and {seen[place]} share {place}"
                seen[place] = action.action_id
