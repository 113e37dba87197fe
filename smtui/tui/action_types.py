"""What a resource action is (:class:`ResourceAction`) and what it gets when run (:class:`ActionContext`).

The rows themselves are in :mod:`smtui.tui.action_table`; :mod:`smtui.tui.registry` looks them up.
This module imports neither, so the action modules can use these types without a cycle.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from smtui.api.errors import SmError

if TYPE_CHECKING:
    from smtui.api.client import ServiceManagementClient
    from smtui.tui.app import SmtuiApp
    from smtui.tui.nodes import Item, Kind, NodeRef


class NotConnected(SmError):
    """The console lost its connection while an action was running."""


@dataclass
class ActionContext:
    """What an action gets when the user triggers it.

    Attributes:
        app: The running console (``app.track_operation(...)``, ``app.notify``, ``push_screen_wait``).
        node: The node whose children are listed (the table's "directory").
        item: The selected row, or None (empty list / scope ``"node"``).
        refresh: Call to reload the listing (e.g. after a synchronous change).
        select_when_listed: Call with a node just created: the list's cursor goes there once it
            is listed.
    """

    app: SmtuiApp
    node: NodeRef
    item: Item | None
    refresh: Callable[[], None]
    select_when_listed: Callable[[NodeRef], None] = lambda ref: None

    @property
    def client(self) -> ServiceManagementClient:
        """The connected client (actions only start while connected).

        Raises:
            NotConnected: The connection was switched or closed meanwhile.
        """
        client = self.app.client
        if client is None:
            raise NotConnected("Not connected: the action was not sent.")
        return client

    def track_operation(self, request_id: str, operation: str, target: str | None = None) -> None:
        """Add a long-running operation (202's request id) to the operations sidebar."""
        node = self.item.ref if self.item is not None else self.node
        self.app.track_operation(
            request_id, operation, target or "/".join(node.parts) or node.display, node=node
        )


Flow = Callable[[ActionContext], Awaitable[None]]
"""The coroutine function of an action; it runs in a worker, so it may wait on dialogs."""


@dataclass(frozen=True)
class DeferredFlow:
    """A :data:`Flow` named by module and function, imported when first run.

    The action modules bring the API models, every dialog and the request preview (its syntax
    highlighter): ~0.13 s that would otherwise be paid before the console's first frame
    (``bench/tui.py``). :func:`smtui.tui.action_table.preload` imports them once the first rows
    are on screen, so the first key press does not wait either.
    """

    module: str
    name: str

    def resolve(self) -> Flow:
        """The coroutine function itself (imports its module)."""
        flow: Flow = getattr(importlib.import_module(self.module), self.name)
        return flow

    def __call__(self, ctx: ActionContext) -> Awaitable[None]:
        return self.resolve()(ctx)


@dataclass(frozen=True)
class ResourceAction:
    """An action on a resource: one row of :data:`smtui.tui.action_table.ACTIONS`.

    Attributes:
        action_id: Unique id, also the binding id users can remap (``"role.shutdown"``).
        key: Key(s), Textual syntax (``"S"``, ``"ctrl+n"``; comma-separated alternatives).
        description: What it does, for the palette and help (``"Shut down"``).
        kinds: Where it applies: kinds of the selected row (``scope="item"``) or of the listed
            node (``scope="node"``, e.g. "create hosted service" while the services list is shown).
        run: The coroutine function run (in a worker) with an :class:`ActionContext` (in the
            table a :class:`DeferredFlow`, so that its module loads after the first frame).
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
    run: Flow
    mutating: bool = True
    scope: Literal["item", "node"] = "item"
    show: bool = False
    help: str = field(default="")
    label: str = ""

    @property
    def footer_label(self) -> str:
        """What the footer shows next to the key."""
        return self.label or self.description

    @property
    def keys(self) -> tuple[str, ...]:
        """Each key of :attr:`key` (comma-separated alternatives split)."""
        return tuple(k.strip() for k in self.key.split(","))
