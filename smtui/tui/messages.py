"""Messages between the app and its screens, so neither reaches into the other.

The app owns the connection, the client and the operations; it tells the browse screen what
happened (:class:`Connected`, :class:`ConnectionReset`, :class:`OperationFinished`,
:class:`OperationsChanged`, :class:`RefreshDue`, :class:`OpenNode`). The browse screen tells the
app what it shows (:class:`ListingChanged`, which bubbles up), for the header's freshness.
This module imports neither the app nor a screen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from smtui.api.models import HostedService
    from smtui.api.response import Response
    from smtui.tui.nodes import NodeRef
    from smtui.tui.operations_tracker import TrackedOperation


@dataclass
class Connected(Message, bubble=False):
    """The app has a client: show the subscription and start at the hosted services."""

    services: Response[list[HostedService]] | None = None
    """The ``List Hosted Services`` answer of the connection check (shown without a new call)."""


class ConnectionReset(Message, bubble=False):
    """The connection is about to change: forget everything loaded."""


@dataclass
class OperationFinished(Message, bubble=False):
    """A tracked operation completed: reload what it changed (and select what it created)."""

    operation: TrackedOperation


@dataclass
class OperationsChanged(Message, bubble=False):
    """The tracked operations changed (or their elapsed times): redraw the sidebar."""

    operations: Sequence[TrackedOperation]


class RefreshDue(Message, bubble=False):
    """Auto-refresh: reload the list on screen unless a load is running."""


@dataclass
class OpenNode(Message, bubble=False):
    """Show ``ref`` in the browser (from the fleet views or the audit log)."""

    ref: NodeRef


class ClearFinished(Message):
    """The user asked to clear finished operations from the sidebar (bubbles to the app)."""


@dataclass
class ListingChanged(Message):
    """The browser shows another list, or a fresh copy of it (bubbles to the app).

    Attributes:
        node: The node whose children are listed.
        fetched_at: When that list was fetched (epoch seconds); None while it loads.
    """

    node: NodeRef
    fetched_at: float | None
