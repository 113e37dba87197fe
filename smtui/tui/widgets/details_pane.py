"""Provides the details pane: properties, the raw XML the service returned, and the request."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static, TabbedContent, TabPane

from smtui.tui.nodes import Source
from smtui.tui.properties import Prop, property_tree, raw_text, request_rows
from smtui.tui.table_model import Column, TableRow
from smtui.tui.widgets.big_table import BigTable
from smtui.tui.widgets.property_tree import PropertyTree, rich_tree

if TYPE_CHECKING:
    from rich.syntax import Syntax

TABS = ("properties", "xml", "request")

TABS_AT_THE_LATEST = 1.0
"""Seconds after mounting when the tabs are mounted if nothing was shown yet."""

PROPERTY_COLUMNS = (Column("name", "Property", max_width=34), Column("value", "Value", max_width=400))


class DetailsPane(Vertical):
    """Three tabs about the selected object: *Properties* (a tree named as the service names
    things), *XML* (its element
    of the response body, pretty-printed, secrets masked) and *Request* (method, URL,
    ``x-ms-version``, status, request id).
    """

    ALLOW_MAXIMIZE = True

    DEFAULT_CSS = """
    DetailsPane {
        height: 1fr;
        background: $surface;
        border-top: solid $panel-lighten-1;
        & > #details-title { height: 1; padding: 0 1; text-style: bold; background: $panel;
                              text-wrap: nowrap; text-overflow: ellipsis; }
        & TabbedContent { height: 1fr; }
        & TabPane { padding: 0; height: 1fr; }
        & BigTable { height: 1fr; }
        & PropertyTree { height: 1fr; }
        & #props-full { height: 1fr; display: none; background: $surface; }
        &.-zoomed PropertyTree { display: none; }
        &.-zoomed #props-full { display: block; }
        & #xml-scroll { height: 1fr; background: $surface; }
        & #xml { width: auto; }
        & ContentTabs { height: 1; }
        & Tabs { height: 1; }
        & Tab { height: 1; padding: 0 1; }
        & Underline { display: none; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.raw = ""
        self.title = ""
        self.props: list[Prop] = []
        self.zoomed = False
        self._xml_pending: tuple[str, str] | None = None
        """The XML tab's text and lexer, not rendered yet (the tab is not shown)."""
        self._tabs: TabbedContent | None = None
        self._wanted_tab = "properties"
        self._focus_wanted = False
        self._pending: tuple[tuple[Any, ...], dict[str, Any]] | None = None
        """What :meth:`show` was asked to show before the tabs were mounted."""

    def compose(self) -> ComposeResult:
        yield Static("", id="details-title")

    def on_mount(self) -> None:
        # The tabs (16 widgets: a third of the browse screen's) are mounted when first needed (the
        # first row selected), or TABS_AT_THE_LATEST after the first frame: composed with it, they
        # held it back ~0.05 s, and mounted right after it, they held back the first rows as much
        # (bench/tui.py). Until then the pane is empty, as it is until a row is selected anyway.
        self.set_timer(TABS_AT_THE_LATEST, self._mount_tabs)

    def _mount_tabs(self) -> None:
        if self._tabs is not None or not self.is_attached:
            return
        # No initial=: a ContentTabs told its first tab is mounted after its tabs, and an app quit
        # in between raised "No Tab with id"; the wanted tab is activated once they are mounted.
        tabs = TabbedContent(id="details-tabs")
        for pane in (
            TabPane(
                "Properties",
                PropertyTree(id="props"),
                VerticalScroll(Static("", id="props-full-body"), id="props-full"),
                id="properties",
            ),
            TabPane("XML", VerticalScroll(Static("", id="xml-body"), id="xml-scroll"), id="xml"),
            TabPane("Request", BigTable(PROPERTY_COLUMNS, id="req", blurred_cursor=False), id="request"),
        ):
            tabs.compose_add_child(pane)  # what `with TabbedContent():` does in a compose()
        self._tabs = tabs
        self.mount(tabs)
        self.call_after_refresh(self._tabs_mounted)

    def _tabs_mounted(self) -> None:
        if not self.ready:
            return  # the app is quitting
        if self._wanted_tab != "properties":
            self.query_one(TabbedContent).active = self._wanted_tab
        shown, self._pending = self._pending, None
        if shown is not None:
            self.show(*shown[0], **shown[1])  # renders the zoomed view too
        elif self.zoomed:
            self._render_full()
        if self._focus_wanted:
            self._focus_wanted = False
            self.focus_content()

    @property
    def ready(self) -> bool:
        """Whether the tabs are mounted (shortly after the first frame)."""
        return self._tabs is not None and self._tabs.is_mounted

    @property
    def active_tab(self) -> str:
        """``properties``, ``xml`` or ``request``."""
        if not self.ready:
            return self._wanted_tab
        return self.query_one(TabbedContent).active or "properties"

    def show_tab(self, tab: str) -> None:
        """Switch to a tab (``properties``, ``xml``, ``request``)."""
        self._wanted_tab = tab
        if self.ready:
            self.query_one(TabbedContent).active = tab
        else:
            self._mount_tabs()

    def focus_content(self) -> None:
        """Focus what the active tab shows (so arrow keys and PgDn scroll it)."""
        if not self.ready:
            self._focus_wanted = True
            self._mount_tabs()
            return
        props = "#props-full" if self.zoomed else "#props"
        targets = {"properties": props, "xml": "#xml-scroll", "request": "#req"}
        self.query_one(targets.get(self.active_tab, "#props")).focus()

    def next_tab(self) -> None:
        """Cycle Properties → XML → Request."""
        index = TABS.index(self.active_tab) if self.active_tab in TABS else 0
        self.show_tab(TABS[(index + 1) % len(TABS)])

    def show(
        self,
        title: str,
        model: Any,
        source: Source | None,
        *,
        message: str | None = None,
        identity: str | None = None,
        now: float | None = None,
    ) -> None:
        """Show an object.

        Args:
            title: Heading (the object's name and kind).
            model: The parsed model (properties tab).
            source: The response it came from (XML and request tabs).
            message: A line shown first in the properties tab (errors, hints).
            identity: What the object is (its node key): showing the same one again keeps
                the tree's folds, cursor and scroll position (auto-refresh).
            now: The wall clock, for the age of timestamps.
        """
        if not self.ready:  # shown once the tabs are mounted
            self._pending = ((title, model, source), {"message": message, "identity": identity, "now": now})
            self._mount_tabs()
            return
        self.title = title
        self.query_one("#details-title", Static).update(Text(title, no_wrap=True, overflow="ellipsis"))
        props: list[Prop] = [Prop("!", message, message, path="/!")] if message else []
        props.extend(property_tree(model, now=now))
        self.props = props
        self.query_one(PropertyTree).show(props, identity or title)
        if self.zoomed:
            self._render_full()
        raw, lexer = raw_text(source)
        self.raw = raw
        self._xml_pending = raw, lexer
        if self.active_tab == "xml":
            self._render_xml()
        self._fill(self.query_one("#req", BigTable), request_rows(source))

    @on(TabbedContent.TabActivated)
    def _on_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id == "xml":
            self._render_xml()

    def _render_xml(self) -> None:
        """Highlight the XML tab's body when that tab is shown: the highlighter (pygments, ~0.1 s
        to import) then never holds back the paint of the first rows, nor of each cursor move."""
        if self._xml_pending is None:
            return
        from rich.syntax import Syntax

        raw, lexer = self._xml_pending
        self._xml_pending = None
        body: Syntax | Text = (
            Syntax(raw, lexer, theme="ansi_dark", background_color="default", word_wrap=True)
            if lexer in ("xml", "json")
            else Text(raw)
        )
        self.query_one("#xml-body", Static).update(body)

    def set_zoomed(self, zoomed: bool) -> None:
        """Zoomed, the properties show every node expanded with long values whole, wrapped."""
        self.zoomed = zoomed
        self.set_class(zoomed, "-zoomed")
        if zoomed:
            self._render_full()

    def _render_full(self) -> None:
        if self.ready:
            self.query_one("#props-full-body", Static).update(rich_tree(self.props))

    @staticmethod
    def _fill(table: BigTable, rows: Sequence[tuple[str, str]]) -> None:
        # Keys must be unique; a property name can repeat only across the two sources of "req".
        table.set_rows(TableRow(f"{i}:{name}", (name, value)) for i, (name, value) in enumerate(rows))
