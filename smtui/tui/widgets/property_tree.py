"""Provides the properties tree of the details pane (k9s ``describe``, folded by element)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from rich.tree import Tree as RichTree
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from smtui.tui.properties import Prop

MAX_NAME_WIDTH = 28
"""Widest name column; longer names push their value right."""

COLLAPSE_OVER = 40
"""A group with more nodes than this under it starts collapsed (a deployment's RoleList)."""


def label_of(prop: Prop, name_width: int, *, one_line: bool = True) -> Text:
    """``Name   value`` with the names of one level aligned.

    Args:
        one_line: Join a value's lines (a tree row is one line; zoom shows them as they are).
    """
    value = " ".join(prop.value.split()) if one_line and "\n" in prop.value else prop.value
    if not prop.name:
        return Text(value)
    label = Text(prop.name, style="bold")
    if value:
        label.append(" " * max(2, name_width - len(prop.name) + 2))
        label.append(value)
    return label


def _name_width(props: Sequence[Prop]) -> int:
    return min(MAX_NAME_WIDTH, max((len(p.name) for p in props if p.value), default=0))


def _size(prop: Prop) -> int:
    return sum(1 for _ in prop.walk()) - 1


def rich_tree(props: Sequence[Prop], title: str = "") -> RichTree:
    """Every node expanded, as a Rich tree whose long values wrap under their guide (zoom)."""
    root = RichTree(Text(title, style="bold"), hide_root=not title, guide_style="dim")

    def add(parent: RichTree, nodes: Sequence[Prop]) -> None:
        width = _name_width(nodes)
        for prop in nodes:
            label = label_of(prop, width, one_line=False)
            label.overflow = "fold"
            add(parent.add(label), prop.children)

    add(root, props)
    return root


class PropertyTree(Tree[Prop]):
    """The properties of the selected object as a collapsible tree.

    ``y`` copies the highlighted property's value; Enter folds a group and zooms a value.
    Rebuilding with the same object (an auto-refresh) keeps the folded groups, the cursor and
    the scroll position.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "copy_value", "Copy value", show=False, id="details.copy-value"),
    ]

    DEFAULT_CSS = """
    PropertyTree { background: $surface; padding: 0; overflow-x: hidden; }
    """

    @dataclass
    class CopyRequested(Message):
        """The user asked to copy a property's value."""

        name: str
        value: str

    @dataclass
    class ZoomRequested(Message):
        """Enter on a value: show it whole."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("properties", id=id)
        self.show_root = False
        self.guide_depth = 3
        self.identity: str | None = None
        self.props: list[Prop] = []

    def show(self, props: list[Prop], identity: str) -> None:
        """Show ``props``; when ``identity`` is unchanged, keep folds, cursor and scroll."""
        same = identity == self.identity and bool(self.props)
        collapsed: set[str] = set()
        expanded: set[str] = set()
        cursor_path = None
        scroll = (self.scroll_x, self.scroll_y)
        if same:
            for node in self._all_nodes():
                if node.data is not None and node.allow_expand:
                    (expanded if node.is_expanded else collapsed).add(node.data.path)
            if self.cursor_node is not None and self.cursor_node.data is not None:
                cursor_path = self.cursor_node.data.path
        self.identity = identity
        self.props = props
        self.clear()
        self._add(self.root, props, collapsed, expanded)
        if same:
            def restore() -> None:
                target = next((n for n in self._all_nodes() if n.data and n.data.path == cursor_path), None)
                if target is not None:
                    self.move_cursor(target, animate=False)
                self.scroll_to(*scroll, animate=False, immediate=True)

            self.call_after_refresh(restore)
        else:
            self.cursor_line = 0 if props else -1
            self.scroll_to(0, 0, animate=False)

    def _all_nodes(self) -> list[TreeNode[Prop]]:
        found: list[TreeNode[Prop]] = []
        pending = list(self.root.children)
        while pending:
            node = pending.pop(0)
            found.append(node)
            pending[:0] = node.children
        return found

    def _add(
        self, parent: TreeNode[Prop], props: Sequence[Prop], collapsed: set[str], expanded: set[str]
    ) -> None:
        width = _name_width(props)
        for prop in props:
            label = label_of(prop, width)
            if prop.children:
                if prop.path in collapsed or prop.path in expanded:
                    expand = prop.path in expanded
                else:
                    expand = _size(prop) <= COLLAPSE_OVER
                label.append(f"  ({len(prop.children)})" if not expand else "", style="dim")
                node = parent.add(label, data=prop, expand=expand)
                self._add(node, prop.children, collapsed, expanded)
            else:
                parent.add_leaf(label, data=prop)

    def _on_tree_node_expanded(self, event: Tree.NodeExpanded[Prop]) -> None:
        self._relabel(event.node)

    def _on_tree_node_collapsed(self, event: Tree.NodeCollapsed[Prop]) -> None:
        self._relabel(event.node)

    def _relabel(self, node: TreeNode[Prop]) -> None:
        prop = node.data
        if prop is None or node.parent is None:
            return
        siblings = [c.data for c in node.parent.children if c.data is not None]
        label = label_of(prop, _name_width(siblings))
        if not node.is_expanded:
            label.append(f"  ({len(prop.children)})", style="dim")
        node.set_label(label)

    def _on_tree_node_selected(self, event: Tree.NodeSelected[Prop]) -> None:
        if not event.node.allow_expand:
            event.stop()
            self.post_message(self.ZoomRequested())

    def action_copy_value(self) -> None:
        """Copy the highlighted property's value (a group: its lines)."""
        node = self.cursor_node
        if node is None or node.data is None:
            return
        prop = node.data
        if prop.children:
            from smtui.tui.properties import plain_lines

            self.post_message(self.CopyRequested(prop.name, "\n".join(plain_lines(prop.children))))
        else:
            self.post_message(self.CopyRequested(prop.name, prop.copy or prop.value))
