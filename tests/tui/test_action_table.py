"""The action table is the one place resource actions are declared (issue 11 §5)."""

from __future__ import annotations

import inspect

from smtui.tui import registry
from smtui.tui.action_table import ACTIONS
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
        assert inspect.iscoroutinefunction(action.run), action.action_id
        assert registry.get(action.action_id) is action


def test_a_key_shared_by_rows_never_applies_to_two_at_once() -> None:
    # ``c`` creates what the list shows, ``d`` deletes the selected row: one row per place.
    seen: dict[tuple[str, str, object], str] = {}
    for action in ACTIONS:
        for kind in action.kinds:
            for key in action.keys:
                place = (key, action.scope, kind)
                assert place not in seen, f"{action.action_id} and {seen[place]} share {place}"
                seen[place] = action.action_id
