"""Where the browser gets resource actions from (create, shut down, attach disk …).

The browse screen does not know any mutating action itself: it reads the rows of
:data:`smtui.tui.action_table.ACTIONS` through this module, binds each action's key, offers it in
the command palette and the help screen, shows it only where it applies (the selected row's kind,
or the listed node's kind) and hides every ``mutating`` action in read-only mode
(``check_action``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from textual.binding import Binding

from smtui.api.errors import SmError
from smtui.tui import action_table
from smtui.tui.action_types import ActionContext, ResourceAction

if TYPE_CHECKING:
    from smtui.tui.nodes import Item, NodeRef

__all__ = ["ActionContext", "ResourceAction", "actions", "applies", "bindings", "get", "launch"]

logger = logging.getLogger(__name__)



def actions() -> list[ResourceAction]:
    """Every action, in the table's order."""
    # Read at each call (17 rows): a test may extend the table with monkeypatch.
    return list(action_table.ACTIONS)


def get(action_id: str) -> ResourceAction | None:
    """The action with ``action_id``, if there is one."""
    return next((a for a in action_table.ACTIONS if a.action_id == action_id), None)


def applies(action: ResourceAction, node: NodeRef, item: Item | None) -> bool:
    """True when ``action`` makes sense for the current listing/selection."""
    if action.scope == "node":
        return node.kind in action.kinds
    return item is not None and item.ref.kind in action.kinds


def bindings(table: tuple[ResourceAction, ...] | None = None) -> list[Binding]:
    """One binding per key of each action of ``table`` (default: every action):
    ``resource_action('<id>')``, enabled by the browse screen where it applies."""
    if table is None:
        table = action_table.ACTIONS
    return [
        Binding(
            key,
            f"resource_action('{action.action_id}')",
            action.footer_label,
            show=action.show,
            tooltip=action.description,
            id=action.action_id,
        )
        for action in table
        for key in action.keys
    ]


def launch(action: ResourceAction, ctx: ActionContext) -> None:
    """Run ``action`` in a worker (it may wait on dialogs); failures become notifications."""

    async def guarded() -> None:
        try:
            await action.run(ctx)
        except SmError as exc:
            ctx.app.notify(str(exc), title="Not sent", severity="error", timeout=10)
        except Exception as exc:  # a bug must be visible, not swallowed by the worker
            logger.exception("action failed")
            ctx.app.notify(
                f"{type(exc).__name__}: {exc}", title="Action failed", severity="error", timeout=15
            )

    ctx.app.run_worker(guarded(), group="resource-action", exit_on_error=False)
