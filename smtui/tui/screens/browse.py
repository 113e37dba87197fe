"""The main screen: navigation tree, the list of the current node, and the details pane."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events, on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Tree

from smtui.tui import registry
from smtui.tui.loaders import load, services_listing
from smtui.tui.messages import (
    Connected,
    ConnectionReset,
    ListingChanged,
    OpenNode,
    OperationFinished,
    OperationsChanged,
    RefreshDue,
)
from smtui.tui.nodes import (
    CATEGORY_TITLES,
    COLUMNS,
    SUBSCRIPTION,
    Item,
    Kind,
    Listing,
    NodeRef,
    category,
)
from smtui.tui.operations_tracker import FAILED
from smtui.tui.table_model import TableRow
from smtui.tui.widgets.big_table import BigTable
from smtui.tui.widgets.breadcrumbs import Breadcrumbs
from smtui.tui.widgets.details_pane import DetailsPane
from smtui.tui.widgets.header_bar import HeaderBar
from smtui.tui.widgets.key_footer import KeyFooter
from smtui.tui.widgets.nav_tree import NavTree, tree_width
from smtui.tui.widgets.ops_sidebar import OpsSidebar
from smtui.tui.widgets.property_tree import PropertyTree
from smtui.tui.widgets.resource_list import ResourceList

if TYPE_CHECKING:
    from smtui.tui.app import SmtuiApp

JUMPS = {
    "1": Kind.SERVICES,
    "2": Kind.IMAGES,
    "3": Kind.DISKS,
    "4": Kind.STORAGE,
    "5": Kind.LOCATIONS,
    "6": Kind.ROLE_SIZES,
}
"""Number keys that jump straight to a top-level list (7 and 8 open the fleet views)."""

UNKEYED_LISTS = (Kind.VM_IMAGES, Kind.AFFINITY_GROUPS, Kind.QUOTAS)
"""Top-level lists without a number key: reached from the Subscription node or the palette."""

WHERE = {
    Kind.SERVICES: "the hosted services list",
    Kind.SERVICE: "a hosted service",
    Kind.DEPLOYMENT: "a deployment",
    Kind.ROLE: "a role",
    Kind.INSTANCE: "a role instance",
    Kind.DATA_DISK: "a data disk",
    Kind.IMAGES: "the OS images list",
    Kind.STORAGE_ACCOUNT: "a storage account",
}
"""How the "not here" message names where an action applies."""

TYPED_AHEAD_MOVES = {
    "up": "cursor_up", "k": "cursor_up", "down": "cursor_down", "j": "cursor_down",
    "pageup": "page_up", "ctrl+b": "page_up", "pagedown": "page_down", "ctrl+f": "page_down",
    "home": "first", "g": "first", "end": "last", "G": "last",
}
"""Keys pressed while the next list loads that are applied to it once shown (with Enter)."""

NOUNS = {
    Kind.SUBSCRIPTION: ("list", "lists"),
    Kind.SERVICES: ("hosted service", "hosted services"),
    Kind.SERVICE: ("deployment", "deployments"),
    Kind.DEPLOYMENT: ("role", "roles"),
    Kind.ROLE: ("instance or disk", "instances or disks"),
    Kind.IMAGES: ("OS image", "OS images"),
    Kind.DISKS: ("disk", "disks"),
    Kind.STORAGE: ("storage account", "storage accounts"),
    Kind.LOCATIONS: ("location", "locations"),
    Kind.ROLE_SIZES: ("role size", "role sizes"),
}
"""What a row of each list is (one, many): for the count and the empty list."""

NARROW = 100
"""Terminal width below which the tree and the operations sidebar are not shown together."""

STALE_AFTER = 5.0
"""Seconds after which a cached listing is reloaded when the user navigates back to it."""

SLOW_CONNECTION = 0.5
"""Seconds of connecting after which the list shows the animated loading indicator."""


def read_only_reason(action: registry.ResourceAction) -> str:
    """What a write action says in a read-only profile."""
    return f"read-only profile: {action.description} is disabled"


class BrowseScreen(Screen[None]):
    """Tree on the left; on the right the children of the current node and the selected one's details.

    Enter drills into a row (or zooms the details of a leaf), Esc goes back up with the cursor on
    where you came from. Every load runs in a worker; cached lists show at once and refresh
    behind. Resource actions come from :mod:`smtui.tui.registry`.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,backspace", "back", "Back", id="browse.back"),
        Binding("r", "refresh", "Refresh", show=False, id="browse.refresh"),
        Binding("y", "copy_name", "Copy name", show=False, id="browse.copy-name"),
        Binding("Y", "copy_xml", "Copy XML", show=False, id="browse.copy-xml"),
        Binding(
            "x", "next_tab", "XML", tooltip="Details: properties → XML → request", id="browse.details-tab"
        ),
        Binding("z", "zoom", "Zoom details", show=False, id="browse.zoom"),
        Binding("t", "toggle_tree", "Toggle tree", show=False, id="browse.toggle-tree"),
        Binding("tab", "app.focus_next", "Next pane", show=False, id="browse.focus-next"),
        Binding("shift+tab", "app.focus_previous", "Previous pane", show=False, id="browse.focus-previous"),
        *(
            Binding(key, f"jump('{kind.value}')", f"Go to {kind.value}", show=False, id=f"browse.jump-{key}")
            for key, kind in JUMPS.items()
        ),
        # The resource actions: enabled where they apply by ``check_action``.
        *registry.bindings(),
    ]

    DEFAULT_CSS = """
    BrowseScreen {
        & #main { height: 1fr; }
        & #right { width: 1fr; }
        & #right > ResourceList { height: 3fr; }
        & #right > DetailsPane { height: 2fr; min-height: 6; }
        & NavTree:focus, & BigTable:focus { background-tint: $foreground 4%; }
        &.-no-tree NavTree, &.-ops-narrow NavTree { display: none; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.current: NodeRef = SUBSCRIPTION
        self.listings: dict[str, Listing] = {}
        self.items: dict[str, Item] = {}
        self._details_timer: Timer | None = None
        self._connecting_timer: Timer | None = None
        self._from_tree = False
        self._labels: dict[str, str] = {}
        """Node key → label from the last listing that showed it (a deployment's carries its slot)."""
        self._select_next: dict[str, str] = {}
        """Listing key → row key the cursor goes to once that list shows it (a created item)."""
        self._awaiting: NodeRef | None = None
        """The node whose list is loading with nothing of it shown yet (keys typed now are queued)."""
        self._typed_ahead: list[str] = []
        # Where the user went before the console was connected (a jump key typed at start-up).
        self._chosen_before_connect: tuple[NodeRef, str | None] | None = None
        self._connected_seen = False
        self._replaying = False

    @property
    def smtui(self) -> SmtuiApp:
        """The app, typed (this screen runs only in ``SmtuiApp``; importing it here would be a cycle)."""
        return cast("SmtuiApp", self.app)

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield Breadcrumbs()
        with Horizontal(id="main"):
            yield NavTree(id="tree")
            with Vertical(id="right"):
                yield ResourceList(COLUMNS[Kind.SUBSCRIPTION], id="list")
                yield DetailsPane(id="details")
            yield OpsSidebar(self.smtui.now, id="ops")
        yield KeyFooter()

    @property
    def table(self) -> BigTable:
        """The main list's table."""
        return self.query_one(ResourceList).table

    def on_mount(self) -> None:
        if self.smtui.client is None and not self.listings:
            # The connection may already be up (a fast emulator): only then is there nothing to wait for.
            self.query_one(ResourceList).table.empty_text = "Connecting…"
            # The animated indicator only for a connection that takes a while: drawn from the first
            # frame on, it cost every start ~0.05 s of paints while the client loads (bench/tui.py).
            self._connecting_timer = self.set_timer(SLOW_CONNECTION, self._show_connecting)
        self.table.focus()
        self.watch(self.app, "operations_open", self._show_operations, init=False)
        self.call_after_refresh(self.smtui.warm_up)  # a screen's callbacks run after its paint

    def _show_connecting(self) -> None:
        self._connecting_timer = None
        if not self._connected_seen:
            self.query_one(ResourceList).set_loading(True)

    def _show_operations(self, shown: bool) -> None:
        self.query_one(OpsSidebar).set_class(shown, "-visible")
        self.update_layout()

    # ------------------------------------------------------------------ connection

    def on_connected(self, message: Connected) -> None:
        """The app has a client: show the subscription and start at the hosted services."""
        services = message.services
        info = self.smtui.connection_info
        if info is not None:
            self.query_one(NavTree).set_root_label(
                info.subscription_name or f"Subscription {info.subscription_id[:8]}"
            )
        if self._connecting_timer is not None:
            self._connecting_timer.stop()
            self._connecting_timer = None
        self.query_one(ResourceList).set_loading(False)  # "connecting…" is over
        if services is not None and services.is_successful:
            self._store(services_listing(category(Kind.SERVICES), services))
        ref, focus_key = self._chosen_before_connect or (category(Kind.SERVICES), None)
        self._chosen_before_connect = None
        self._connected_seen = True
        self.navigate(ref, focus_key)
        # Once the first rows are painted: load what the action keys open (dialogs, models).
        self.call_after_refresh(self.smtui.preload_actions)

    def on_connection_reset(self, message: ConnectionReset) -> None:
        """Forget everything loaded (the connection is about to change)."""
        self._chosen_before_connect = None
        self._connected_seen = False
        self.workers.cancel_group(self, "listing")
        self._awaiting = None
        self._typed_ahead.clear()
        self.listings.clear()
        self.items.clear()
        self._labels.clear()
        self._select_next.clear()
        self.current = SUBSCRIPTION
        self.query_one(NavTree).reset_to_subscription()
        lst = self.query_one(ResourceList)
        lst.set_columns(COLUMNS[Kind.SUBSCRIPTION])
        lst.table.empty_text = "Connecting…"
        lst.set_loading(True)
        self._update_breadcrumbs()
        self._report_listing()

    def on_open_node(self, message: OpenNode) -> None:
        """Show a node asked for by another screen (the fleet views, the audit log)."""
        self.navigate(message.ref)

    def on_operation_finished(self, message: OperationFinished) -> None:
        """Reload what a finished operation changed; select what it created."""
        op = message.operation
        if op.created is not None and op.status != FAILED:
            self.select_when_listed(op.created)
        if op.node is not None:
            self.invalidate(op.node)
        else:
            self.refresh_current()

    def on_operations_changed(self, message: OperationsChanged) -> None:
        for sidebar in self.query(OpsSidebar):  # none while the app is closing
            sidebar.refresh_operations(message.operations)

    def on_refresh_due(self, message: RefreshDue) -> None:
        self.refresh_current()

    def _report_listing(self) -> None:
        """Tell the app which list is on screen and how old it is (the header shows it)."""
        listing = self.listings.get(self.current.key)
        self.post_message(ListingChanged(self.current, listing.fetched_at if listing is not None else None))

    # ------------------------------------------------------------------ navigation

    def navigate(self, ref: NodeRef, focus_key: str | None = None, *, reveal_tree: bool = True) -> None:
        """List the children of ``ref`` (from cache at once; reload if missing or stale)."""
        if not ref.is_container:
            parent = ref.parent()
            if parent is None:
                return
            ref, focus_key = parent, ref.key
        if not self._connected_seen:
            # Applied once the Connected message is handled instead of being overwritten by the start
            # at the hosted services (the client may already be set while that message is queued).
            self._chosen_before_connect = (ref, focus_key)
        changed_kind = ref.kind != self.current.kind or not self.listings
        if not self._replaying:
            self._typed_ahead.clear()  # keys typed for a list the user has now left
        self._awaiting = None
        self.current = ref
        lst = self.query_one(ResourceList)
        lst.singular, lst.noun = NOUNS.get(ref.kind, ("item", "items"))
        if changed_kind or ref.key not in self.listings:
            lst.set_columns(COLUMNS[ref.kind])
        self._update_breadcrumbs()
        self._report_listing()
        if reveal_tree:
            self.query_one(NavTree).reveal(ref)
        cached = self.listings.get(ref.key)
        if cached is not None:
            self._show_listing(cached, focus_key)
            if self.smtui.now() - cached.fetched_at > STALE_AFTER:
                self.load_listing(ref)
        else:
            lst.set_rows([])
            self.table.empty_text = "Loading…"
            self._awaiting = ref
            self.load_listing(ref, focus_key)

    def _update_breadcrumbs(self) -> None:
        # A parent rebuilt from a child's path has only its name; its listed label has more.
        crumbs = [self._labels.get(n.key, n.display) for n in self.current.lineage()]
        self.query_one(Breadcrumbs).set_path(crumbs)

    @work(exclusive=True, group="listing", exit_on_error=False)
    async def load_listing(self, ref: NodeRef, focus_key: str | None = None) -> None:
        """Load the children of ``ref`` (cancels a previous load of the main list)."""
        client = self.smtui.client
        if client is None:
            return
        lst = self.query_one(ResourceList)
        if ref == self.current:
            lst.set_loading(True)
        try:
            listing = await load(client, ref)
        finally:
            if ref == self.current:
                lst.set_loading(False)
        self._store(listing)
        if ref == self.current:
            self._show_listing(self.listings[ref.key], focus_key)
            if listing.error:
                self.app.notify(
                    listing.error, title=f"Could not list {ref.display}", severity="error", timeout=8
                )

    @work(group="tree-load", exit_on_error=False)
    async def load_tree_node(self, ref: NodeRef) -> None:
        """Load a node expanded in the tree (without changing the main list)."""
        client = self.smtui.client
        if client is None:
            return
        listing = await load(client, ref)
        self._store(listing)
        if ref == self.current:
            self._show_listing(self.listings[ref.key])

    def _store(self, listing: Listing) -> None:
        listing = dataclasses.replace(listing, fetched_at=self.smtui.now())
        self.listings[listing.node.key] = listing
        self._labels.update((item.ref.key, item.ref.label) for item in listing.items if item.ref.label)
        if not listing.error:
            self.query_one(NavTree).set_children(listing.node, listing.items)
        self._report_listing()

    def select_when_listed(self, ref: NodeRef) -> None:
        """Put the cursor on ``ref`` as soon as its list shows it (an item just created)."""
        parent = ref.parent()
        if parent is not None:
            self._select_next[parent.key] = ref.key

    def _show_listing(self, listing: Listing, focus_key: str | None = None) -> None:
        self.items = {item.ref.key: item for item in listing.items}
        if self._select_next.get(listing.node.key) in self.items:
            focus_key = self._select_next.pop(listing.node.key)
        node = self.query_one(NavTree).node_for(listing.node)
        if not listing.error and node is not None and node.allow_expand and not node.is_expanded:
            node.expand()  # drilling in opens the node in the tree too (its children are cached)
        table = self.table
        table.empty_text = f"Error: {listing.error}" if listing.error else self._empty_text(listing.node)
        # Same node as shown before: a refresh, so what changed since is marked.
        rows = [TableRow(item.ref.key, item.cells) for item in listing.items]
        source = None if listing.error else listing.node.key
        table.set_rows(rows, source=source, version=listing)
        if focus_key is not None:
            table.move_cursor_to_key(focus_key)
        self._schedule_details()
        self.refresh_bindings()
        self._report_listing()
        if self._awaiting is not None and listing.node == self._awaiting:
            self._awaiting = None
            if listing.error and self._typed_ahead:
                self.app.notify(
                    f"Not applied: {' '.join(self._typed_ahead)} (the list could not be loaded)", timeout=4
                )
                self._typed_ahead.clear()
            self._replay()

    def _empty_text(self, node: NodeRef) -> str:
        """What an empty list misses and which key makes one (``No deployments in x — press c …``)."""
        noun = NOUNS.get(node.kind, ("item", "items"))[1]
        where = f" in {node.name}" if node.kind in (Kind.SERVICE, Kind.DEPLOYMENT, Kind.ROLE) else ""
        text = f"No {noun}{where}"
        for action in registry.actions():
            creates = action.scope == "node" and node.kind in action.kinds and action.key == "c"
            if creates and self._action_allowed(action, node, None):
                verb = action.description.split()[0].lower()
                return f"{text} — press {action.key} to {verb} one"
        return text

    # ------------------------------------------------------------------ typed-ahead keys

    def on_key(self, event: events.Key) -> None:
        """While the next list loads, queue navigation keys and drop keys that act on an item."""
        if self._explain_read_only(event):
            return
        if self.focused is not self.table:
            return
        key = event.key
        if self._awaiting is None:
            # Enter and the jumps are applied here, not later from a message or a binding, so
            # that the keys typed right after them already find the next list loading.
            if key == "enter":
                self._open(self.selected)
            elif key in TYPED_AHEAD_MOVES:
                # Here too, not in the table's binding (which runs once the key has bubbled up to
                # the app): "j j Enter" in one burst opened the row the cursor was on before the j's.
                getattr(self.table, f"action_{TYPED_AHEAD_MOVES[key]}")()
            elif key in JUMPS:
                self.navigate(category(JUMPS[key]))
            else:
                return
            event.stop()
            event.prevent_default()
            return
        if key == "enter" or key in TYPED_AHEAD_MOVES:
            self._typed_ahead.append(key)
        elif key in self._action_keys():
            # Never act on an item of a list the user has not seen.
            self.app.notify(f"Not applied: {key} (the list was still loading)", timeout=3)
        else:
            return
        event.stop()
        event.prevent_default()

    @staticmethod
    def _action_keys() -> set[str]:
        return {key for action in registry.actions() for key in action.keys}

    def _replay(self) -> None:
        """Apply the keys typed ahead, in order, until one opens a list still to be loaded."""
        if self._replaying:
            return
        self._replaying = True
        try:
            while self._typed_ahead and self._awaiting is None:
                key = self._typed_ahead.pop(0)
                if key == "enter":
                    self._open(self.selected)
                else:
                    getattr(self.table, f"action_{TYPED_AHEAD_MOVES[key]}")()
        finally:
            self._replaying = False

    def _open(self, item: Item | None) -> None:
        if item is None:
            return
        if item.ref.is_container:
            self.navigate(item.ref)
        else:
            self.action_zoom()

    @property
    def selected(self) -> Item | None:
        """The highlighted row's item."""
        key = self.table.cursor_key
        return self.items.get(key) if key is not None else None

    # ------------------------------------------------------------------ details

    def _schedule_details(self) -> None:
        # Holding a key down over 50,000 rows must not parse XML for every row passed.
        if self._details_timer is not None:
            self._details_timer.stop()
        self._details_timer = self.set_timer(0.05, self._update_details)

    def _update_details(self) -> None:
        found = self.query(DetailsPane)
        if not found:  # the timer fired while the app was closing
            return
        details = found.first()
        item = self.selected
        listing = self.listings.get(self.current.key)
        if item is None:
            if listing is not None and listing.error:
                details.show(f"{self.current.display}: error", None, listing.source, message=listing.error)
            elif listing is not None:
                details.show(
                    self.current.display, listing.model, listing.source, identity=self.current.key,
                    now=self.smtui.now(),
                )
            return
        message = None
        if item.ref.kind is Kind.STORAGE_ACCOUNT:
            message = "press K for the access keys (masked)"
        details.show(
            f"{item.ref.kind.value}: {item.ref.name}", item.model, item.source, message=message,
            identity=item.ref.key, now=self.smtui.now(),
        )

    # ------------------------------------------------------------------ events

    @on(BigTable.CursorMoved, "#list BigTable")
    def _cursor_moved(self, event: BigTable.CursorMoved) -> None:
        self._schedule_details()
        self.refresh_bindings()

    @on(BigTable.Selected, "#list BigTable")
    def _row_selected(self, event: BigTable.Selected) -> None:
        self._open(self.items.get(event.key))

    @on(PropertyTree.ZoomRequested)
    def _zoom_property(self, event: PropertyTree.ZoomRequested) -> None:
        self.action_zoom()

    @on(PropertyTree.CopyRequested)
    def _copy_property(self, event: PropertyTree.CopyRequested) -> None:
        self._copy(event.value, f"the value of {event.name}" if event.name else "the value")

    @on(Tree.NodeHighlighted, "#tree")
    def _tree_highlighted(self, event: Tree.NodeHighlighted[NodeRef]) -> None:
        ref = event.node.data
        if ref is None or self.focused is not self.query_one(NavTree):
            return
        if ref.is_container:
            if ref != self.current:
                self.navigate(ref, reveal_tree=False)
        else:
            parent = ref.parent()
            if parent is not None and parent != self.current:
                self.navigate(parent, ref.key, reveal_tree=False)
            else:
                self.table.move_cursor_to_key(ref.key)

    @on(Tree.NodeSelected, "#tree")
    def _tree_selected(self, event: Tree.NodeSelected[NodeRef]) -> None:
        ref = event.node.data
        if ref is not None and not event.node.allow_expand:
            self.table.focus()

    @on(NavTree.LoadRequested)
    def _tree_load(self, event: NavTree.LoadRequested) -> None:
        cached = self.listings.get(event.ref.key)
        if cached is not None and not cached.error:
            self.query_one(NavTree).set_children(event.ref, cached.items)
        else:
            self.load_tree_node(event.ref)

    # ------------------------------------------------------------------ actions

    def action_back(self) -> None:
        """Esc: leave zoom, then clear the filter, then go up one level."""
        if self.maximized is not None:
            self._unzoom()
            return
        lst = self.query_one(ResourceList)
        if lst.clear_filter():
            return
        parent = self.current.parent()
        if parent is not None:
            self.navigate(parent, focus_key=self.current.key)
            self.table.focus()

    def action_refresh(self) -> None:
        """Reload the current list now."""
        self.load_listing(self.current, self.table.cursor_key)

    def refresh_current(self) -> None:
        """Reload the current list unless a load is running (auto-refresh)."""
        if not any(w.group == "listing" and w.is_running for w in self.workers):
            self.load_listing(self.current, self.table.cursor_key)

    def invalidate(self, ref: NodeRef) -> None:
        """Forget cached lists of ``ref`` and its ancestors; reload what is on screen."""
        for node in ref.lineage():
            self.listings.pop(node.key, None)
        self._report_listing()
        self.refresh_current()

    def action_jump(self, kind: str) -> None:
        self.navigate(category(Kind(kind)))
        self.table.focus()

    def action_zoom(self) -> None:
        """Show the details pane full screen (Esc returns)."""
        if self.maximized is not None:
            self._unzoom()
            return
        details = self.query_one(DetailsPane)
        details.set_zoomed(True)
        self.maximize(details)
        # Keys must scroll what is on screen, not move the hidden list's cursor or tree.
        details.focus_content()

    def _unzoom(self) -> None:
        self.minimize()

    def minimize(self) -> None:
        """Leave zoom (also Textual's own Esc binding) with the focus back on the list."""
        super().minimize()
        self.query_one(DetailsPane).set_zoomed(False)
        self.table.focus()

    def action_next_tab(self) -> None:
        """Cycle the details pane: properties, raw XML, request."""
        details = self.query_one(DetailsPane)
        details.next_tab()
        if self.maximized is not None:
            self.call_after_refresh(details.focus_content)

    def action_toggle_tree(self) -> None:
        self.toggle_class("-no-tree")

    def update_layout(self) -> None:
        """Size the tree to the terminal; below NARROW columns the operations sidebar replaces it
        (the list keeps its width), above it the tree shrinks to its minimum beside the sidebar."""
        visible = self.query_one(OpsSidebar).has_class("-visible")
        narrow = visible and self.size.width < NARROW
        self.set_class(narrow, "-ops-narrow")
        # CSS has no "24 plus a share of the columns beyond 80": the width is set here.
        tree = self.query_one(NavTree)
        tree.styles.width = tree_width(self.size.width, beside_sidebar=visible and not narrow)
        if narrow and self.focused is self.query_one(NavTree):
            self.table.focus()

    def on_resize(self) -> None:
        self.update_layout()

    def _copy(self, text: str, what: str) -> None:
        try:
            self.smtui.copy_to_clipboard(text)
        except ValueError as exc:
            self.app.notify(str(exc), severity="warning")
            return
        self.app.notify(f"Copied {what}", timeout=2)

    def action_copy_name(self) -> None:
        item = self.selected
        name = item.ref.name if item is not None else self.current.name
        self._copy(name, repr(name))

    def action_copy_xml(self) -> None:
        self._update_details()
        self._copy(self.query_one(DetailsPane).raw, "the XML")

    def action_resource_action(self, action_id: str) -> None:
        action = registry.get(action_id)
        if action is None:
            return
        if not self._action_allowed(action):
            # Only the command palette gets here (keys are disabled where they do not apply):
            # say why instead of doing nothing.
            self.app.notify(self._why_not(action), title=action.description, severity="warning", timeout=5)
            return
        context = registry.ActionContext(
            self.smtui, self.current, self.selected, self.action_refresh, self.select_when_listed
        )
        registry.launch(action, context)

    def _explain_read_only(self, event: events.Key) -> bool:
        # In read-only mode a write key is disabled; say so instead of doing nothing.
        if not self.smtui.read_only or self.smtui.client is None:
            return False
        for action in registry.actions():
            if (
                action.mutating
                and event.key in action.keys
                and registry.applies(action, self.current, self.selected)
            ):
                event.stop()
                self.app.notify(read_only_reason(action), severity="warning", timeout=4)
                return True
        return False

    def _why_not(self, action: registry.ResourceAction) -> str:
        if action.mutating and self.smtui.read_only:
            return read_only_reason(action)
        if self.smtui.client is None:
            return "Not connected yet."
        places = sorted({WHERE.get(kind, kind.value) for kind in action.kinds})
        verb = "Open" if action.scope == "node" else "Select"
        return f"{verb} {' or '.join(places)} first (key {action.key})."

    def _action_allowed(
        self,
        action: registry.ResourceAction,
        node: NodeRef | None = None,
        selected: Item | None = None,
    ) -> bool:
        """Whether ``action`` may run on ``node``/``selected`` (default: the list shown and its selection)."""
        if action.mutating and self.smtui.read_only:
            return False
        if node is None:
            node, selected = self.current, self.selected
        return self.smtui.client is not None and registry.applies(action, node, selected)

    def palette_commands(self) -> Iterator[SystemCommand]:
        """This screen's commands for the palette: jumps, list actions and the resource actions."""
        for key, kind in JUMPS.items():
            yield SystemCommand(
                f"Go to {CATEGORY_TITLES[kind]}", f"key {key}", lambda k=kind: self.action_jump(k.value)
            )
        for kind in UNKEYED_LISTS:
            yield SystemCommand(
                f"Go to {CATEGORY_TITLES[kind]}",
                "a list of the Subscription node",
                lambda k=kind: self.action_jump(k.value),
            )
        yield SystemCommand("Refresh", "reload the list (r)", self.action_refresh)
        yield SystemCommand("Copy name", "copy the selected name (y)", self.action_copy_name)
        yield SystemCommand("Copy XML", "copy the selected object's XML (Y)", self.action_copy_xml)
        yield SystemCommand("Zoom details", "details full screen (z)", self.action_zoom)
        yield SystemCommand("Toggle tree", "hide/show the navigation tree (t)", self.action_toggle_tree)
        for action in registry.actions():
            if action.mutating and self.smtui.read_only:
                # Listed, marked disabled with the reason, instead of "No matches".
                reason = read_only_reason(action)
                yield SystemCommand(
                    f"{action.description} (disabled)",
                    reason,
                    lambda r=reason: self.app.notify(r, severity="warning", timeout=4),
                )
                continue
            yield SystemCommand(
                action.description,
                action.help or f"key {action.key}",
                lambda a=action: self.action_resource_action(a.action_id),
            )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "resource_action" and parameters:
            found = registry.get(str(parameters[0]))
            return found is not None and self._action_allowed(found)
        return True
