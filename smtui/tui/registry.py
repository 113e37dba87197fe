"""Where the browser gets resource actions from (create, shut down, attach disk …).

The browse screen does not know any mutating action itself. Action modules (``smtui.tui.actions*``)
call :func:`register` at import time; the browse screen binds each action's key, offers it in the
command palette and the help screen, shows it only where it applies (the selected row's kind, or
the listed node's kind) and hides every ``mutating`` action in read-only mode (``check_action``).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from smtui.tui.nodes import Item, Kind, NodeRef


@dataclass
class ActionContext:
    """What an action gets when the user triggers it.

    Attributes:
        app: The running ``SmtuiApp`` (``app.client``, ``app.track_operation(...)``, ``app.notify``).
        node: The node whose children are listed (the table's "directory").
        item: The selected row, or None (empty list / scope ``"node"``).
        refresh: Call to reload the listing (e.g. after a synchronous change).
    """

    app: Any
    node: NodeRef
    item: Item | None
    refresh: Callable[[], None]

    @property
    def client(self) -> Any:
        """The connected ``ServiceManagementClient``."""
        return self.app.client

    def track_operation(self, request_id: str, operation: str, target: str | None = None) -> None:
        """Add a long-running operation (202's request id) to the operations sidebar."""
        node = self.item.ref if self.item is not None else self.node
        self.app.track_operation(
            request_id, operation, target or "/".join(node.parts) or node.display, node=node
        )


@dataclass(frozen=True)
class ResourceAction:
    """An action on a resource.

    Attributes:
        action_id: Unique id, also the binding id users can remap (``"role.shutdown"``).
        key: Key(s), Textual syntax (``"S"``, ``"ctrl+n"``; comma-separated alternatives).
        description: What it does, for the palette and help (``"Shut down"``).
        kinds: Where it applies: kinds of the selected row (``scope="item"``) or of the listed
            node (``scope="node"``, e.g. "create hosted service" while the services list is shown).
        run: Called with an :class:`ActionContext`; may be async. Runs on the event loop.
        mutating: Hidden in read-only mode.
        scope: ``"item"`` or ``"node"`` (see ``kinds``).
        show: Show in the footer when it applies (keep it to the few that matter).
        help: One line for the help screen and palette.
        label: One short word for the footer (default: ``description``); 80 columns hold
            the essentials plus two or three of these.
    """

    action_id: str
    key: str
    description: str
    kinds: frozenset[Kind]
    run: Callable[[ActionContext], Awaitable[None] | None]
    mutating: bool = True
    scope: Literal["item", "node"] = "item"
    show: bool = False
    help: str = field(default="")
    label: str = ""

    @property
    def footer_label(self) -> str:
        """What the footer shows next to the key."""
        return self.label or self.description


_ACTIONS: dict[str, ResourceAction] = {}
_loaded = False


def register(action: ResourceAction) -> ResourceAction:
    """Add (or replace, by ``action_id``) an action; returns it so modules can keep a handle."""
    _ACTIONS[action.action_id] = action
    return action


def unregister(action_id: str) -> None:
    """Remove an action (tests)."""
    _ACTIONS.pop(action_id, None)


def actions() -> list[ResourceAction]:
    """Every registered action, after importing the action modules once."""
    load_action_modules()
    return list(_ACTIONS.values())


def get(action_id: str) -> ResourceAction | None:
    """The action with ``action_id``, if registered."""
    load_action_modules()
    return _ACTIONS.get(action_id)


def load_action_modules() -> None:
    """Import ``smtui.tui.actions`` and ``smtui.tui.actions_*`` (they call :func:`register`)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    import smtui.tui as package

    for info in pkgutil.iter_modules(package.__path__):
        if info.name == "actions" or info.name.startswith("actions_"):
            importlib.import_module(f"smtui.tui.{info.name}")


def applies(action: ResourceAction, node: NodeRef, item: Item | None) -> bool:
    """True when ``action`` makes sense for the current listing/selection."""
    if action.scope == "node":
        return node.kind in action.kinds
    return item is not None and item.ref.kind in action.kinds
