"""Provides the navigation tree: subscription → services → deployments → roles → instance/disks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from smtui.tui.nodes import (
    CATEGORY_TITLES,
    SUBSCRIPTION,
    TREE_LEAVES,
    Item,
    Kind,
    NodeRef,
    category,
    status_style,
)

EXPANDABLE = frozenset({Kind.SUBSCRIPTION, Kind.SERVICES, Kind.SERVICE, Kind.DEPLOYMENT, Kind.ROLE})
"""Kinds whose children appear in the tree (image/disk lists only appear in the table)."""

STATE_COLUMN: dict[Kind, int] = {Kind.DEPLOYMENT: 2, Kind.ROLE: 2, Kind.INSTANCE: 2, Kind.SERVICE: 2}
"""Which cell of an item holds the state shown next to its name in the tree."""


TREE_MIN = 24
"""Width of the tree at 80 columns (the list needs the room) and beside the operations sidebar."""
TREE_MAX = 48
"""Widest the tree gets: on a wide terminal the rest goes to the list."""
TREE_SHARE = 0.4
"""Share of the columns beyond 80 the tree takes (at 120: 40, so a deployment with its slot fits
three levels down)."""


def tree_width(columns: int, *, beside_sidebar: bool = False) -> int:
    """Cells the tree takes on a terminal ``columns`` wide."""
    if beside_sidebar:
        return TREE_MIN
    return max(TREE_MIN, min(TREE_MAX, TREE_MIN + int((columns - 80) * TREE_SHARE)))


class NavTree(Tree[NodeRef]):
    """A lazily filled tree of containers; children arrive via :meth:`set_children`.

    Expanding a node that was never loaded shows a ``loading…`` placeholder at once and posts
    :class:`NavTree.LoadRequested`; the screen loads it in a worker and calls
    :meth:`set_children`.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right,l", "expand_node", "Expand", show=False, id="tree.expand"),
        Binding("left,h", "collapse_node", "Collapse", show=False, id="tree.collapse"),
    ]

    DEFAULT_CSS = """
    NavTree {
        width: 24;
        height: 1fr;
        background: $surface;
        border-right: solid $panel-lighten-1;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }
    """

    class LoadRequested(Message):
        """A node was expanded and its children are not known yet."""

        def __init__(self, ref: NodeRef) -> None:
            super().__init__()
            self.ref = ref

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(SUBSCRIPTION.display, data=SUBSCRIPTION, id=id)
        self.show_root = True
        self.guide_depth = 2
        self._by_key: dict[str, TreeNode[NodeRef]] = {}
        self._loaded: set[str] = set()
        self.reset_to_subscription()

    def reset_to_subscription(self) -> None:
        """Back to the subscription and its categories (a new connection)."""
        self.clear()
        self._by_key = {SUBSCRIPTION.key: self.root}
        self._loaded = {SUBSCRIPTION.key}
        for kind in CATEGORY_TITLES:
            ref = category(kind)
            node = self.root.add(ref.display, data=ref, allow_expand=kind in EXPANDABLE)
            self._by_key[ref.key] = node
        self.root.expand()

    def set_root_label(self, label: str) -> None:
        """Name the subscription (root) node."""
        self.root.set_label(label)

    def node_for(self, ref: NodeRef) -> TreeNode[NodeRef] | None:
        """The tree node of ``ref``, if shown."""
        return self._by_key.get(ref.key)

    def is_loaded(self, ref: NodeRef) -> bool:
        """True once children of ``ref`` were set."""
        return ref.key in self._loaded

    @staticmethod
    def _label(item: Item) -> Text:
        label = Text(item.ref.display, no_wrap=True)
        column = STATE_COLUMN.get(item.ref.kind)
        if column is not None and column < len(item.cells) and item.cells[column]:
            state = item.cells[column]
            label.append(" ")
            label.append("●", style=status_style(state) or "")
        return label

    def set_children(self, ref: NodeRef, items: Sequence[Item]) -> None:
        """Show ``items`` (those that belong in the tree) under ``ref``, keeping expanded nodes."""
        parent = self._by_key.get(ref.key)
        if parent is None or ref.kind not in EXPANDABLE or ref.kind is Kind.SUBSCRIPTION:
            return
        self._loaded.add(ref.key)
        wanted = [it for it in items if it.ref.kind in EXPANDABLE or it.ref.kind in TREE_LEAVES]
        wanted_keys = {it.ref.key for it in wanted}
        for child in list(parent.children):
            data = child.data
            if data is None or data.key not in wanted_keys:
                self._forget(child)
                child.remove()
        existing = {child.data.key: child for child in parent.children if child.data is not None}
        for it in wanted:
            node = existing.get(it.ref.key)
            if node is None:
                node = parent.add(self._label(it), data=it.ref, allow_expand=it.ref.kind in EXPANDABLE)
                self._by_key[it.ref.key] = node
            else:
                node.set_label(self._label(it))
                node.data = it.ref
        # Keep the service's order (children were appended; reorder only when it differs).
        # Textual has no public way to reorder a node's children without removing them (which
        # would collapse their subtrees): this uses TreeNode._children and Tree._invalidate.
        order = [self._by_key[it.ref.key] for it in wanted]
        if list(parent.children) != order:
            parent._children[:] = order
            self._invalidate()

    def _forget(self, node: TreeNode[NodeRef]) -> None:
        for child in node.children:
            self._forget(child)
        if node.data is not None:
            self._by_key.pop(node.data.key, None)
            self._loaded.discard(node.data.key)

    def mark_loading(self, ref: NodeRef) -> None:
        """Show a ``loading…`` placeholder under ``ref`` if it has no children yet."""
        node = self._by_key.get(ref.key)
        if node is not None and not node.children and ref.kind in EXPANDABLE:
            node.add_leaf(Text("loading…", style="dim italic"), data=None)

    def reveal(self, ref: NodeRef) -> None:
        """Expand the ancestors of ``ref`` and put the cursor on it (if it is in the tree)."""
        node = self._by_key.get(ref.key)
        if node is None:
            return
        parent = node.parent
        while parent is not None:
            parent.expand()
            parent = parent.parent
        self.move_cursor(node)

    def _on_tree_node_expanded(self, event: Tree.NodeExpanded[NodeRef]) -> None:
        ref = event.node.data
        if ref is not None and ref.key not in self._loaded:
            self.mark_loading(ref)
            self.post_message(self.LoadRequested(ref))

    def action_expand_node(self) -> None:
        node = self.cursor_node
        if node is not None and node.allow_expand and not node.is_expanded:
            node.expand()

    def action_collapse_node(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.is_expanded and node.children:
            node.collapse()
        elif node.parent is not None:
            self.move_cursor(node.parent)
