"""The fleet views: every deployment, or every role instance, of one or more subscriptions.

One fan-out (``Get Hosted Service`` with detail, per service, bounded per subscription) feeds
both views; ``7`` / ``8`` switch between them without asking again. Rows appear as answers
arrive, under a progress bar (n/N services, errors). ``r`` refreshes concurrently and marks
what changed; ``c`` chooses the subscriptions (profiles; default: all). Enter opens the row's
deployment (or instance) in the browser — after switching to its profile if it is another
subscription. Leaving the screen cancels whatever is still in flight.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, ProgressBar, SelectionList, Static

from smtui.tui.fleet_data import (
    DEPLOYMENT_COLUMNS,
    DEPLOYMENTS,
    INSTANCE_COLUMNS,
    INSTANCES,
    FleetSource,
    FleetState,
    configured_concurrency,
    load_source,
    table_rows,
    target_of,
)
from smtui.tui.nodes import NodeRef
from smtui.tui.table_model import Column, TableRow
from smtui.tui.widgets.big_table import BigTable
from smtui.tui.widgets.header_bar import HeaderBar
from smtui.tui.widgets.key_footer import KeyFooter
from smtui.tui.widgets.resource_list import ResourceList

if TYPE_CHECKING:
    from collections.abc import Callable

    from smtui.api.client import ServiceManagementClient
    from smtui.profiles.connection import Connection
    from smtui.tui.app import SmtuiApp

TITLES = {DEPLOYMENTS: "All deployments", INSTANCES: "All role instances"}
REDRAW_EVERY = 0.1
"""Seconds between two redraws of the table while answers stream in."""

PROGRESS_EVERY = 1 / 30
"""Seconds between two updates of the progress line (at 64 in flight answers come in bursts, and
updating the bar after each cost the console 0.2 ms a time)."""


class ProfilePicker(ModalScreen[list[str] | None]):
    """Choose the subscriptions (profiles) the fleet views inspect."""

    DEFAULT_CSS = """
    ProfilePicker {
        align: center middle;
        & > Vertical { width: 70; height: auto; max-height: 90%; border: round $accent;
                       background: $surface; padding: 0 1; }
        & SelectionList { height: auto; max-height: 20; }
        & #picker-buttons { height: auto; align-horizontal: right; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="fleet-picker.cancel"),
        Binding("ctrl+s", "done", "Apply", id="fleet-picker.apply"),
    ]

    def __init__(self, choices: list[str], chosen: set[str]) -> None:
        super().__init__()
        self.choices = choices
        self.chosen = chosen

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Subscriptions to inspect (space toggles, ctrl+s applies)", markup=False)
            yield SelectionList[str](*((c, c, c in self.chosen) for c in self.choices), id="picker")
            with Horizontal(id="picker-buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Apply", id="apply", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#apply")
    def action_done(self) -> None:
        self.dismiss(list(self.query_one(SelectionList).selected))


class FleetScreen(Screen[None]):
    """All deployments / all role instances of the chosen subscriptions, filled progressively.

    Args:
        view: :data:`~smtui.tui.fleet_data.DEPLOYMENTS` or :data:`~smtui.tui.fleet_data.INSTANCES`.
        concurrency: Most requests in flight per subscription (default: ``SMTUI_FLEET_CONCURRENCY`` or 64).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Back", id="fleet.back"),
        Binding("r", "refresh", "Refresh", id="fleet.refresh"),
        Binding("7", "show('deployments')", "Deployments", id="fleet.deployments"),
        Binding("8", "show('instances')", "Instances", id="fleet.instances"),
        Binding("c", "choose", "Subscriptions", id="fleet.choose"),
    ]

    DEFAULT_CSS = """
    FleetScreen {
        & #fleet-title { height: 1; text-style: bold; color: $accent; padding: 0 1; }
        & #fleet-progress { height: 1; padding: 0 1; }
        & #fleet-progress ProgressBar { width: 32; }
        & #fleet-progress-text { width: 1fr; color: $text-muted; padding-left: 1; }
        & #fleet-detail { height: auto; max-height: 3; color: $text-muted; padding: 0 1; }
    }
    """

    def __init__(self, view: str = DEPLOYMENTS, *, concurrency: int | None = None) -> None:
        super().__init__()
        self.view = view
        self.concurrency = concurrency or configured_concurrency()
        self.state = FleetState()
        self.chosen: set[str] | None = None
        """Labels of the chosen sources (None: all)."""
        self.available: list[FleetSource] = []
        self._baseline: dict[str, list[TableRow]] | None = None
        self._last_update: dict[str, float] = {}  # throttled update -> when it last ran
        self._pending: set[str] = set()  # throttled updates waiting for their timer
        self._detail_text = ""
        self._list: ResourceList | None = None
        self.load_status = "idle"
        """``idle``, ``loading``, ``done``, ``cancelled`` or ``failed`` (tests, the progress line)."""

    @property
    def smtui(self) -> SmtuiApp:
        """The app, typed (this screen runs only in ``SmtuiApp``; importing it here would be a cycle)."""
        return cast("SmtuiApp", self.app)

    @property
    def table(self) -> BigTable:
        """The list's table."""
        return self.query_one(ResourceList).table

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield Static(TITLES[self.view], id="fleet-title", markup=False)
        with Horizontal(id="fleet-progress"):
            yield ProgressBar(total=None, show_eta=False, show_percentage=False)
            yield Static("starting…", id="fleet-progress-text", markup=False)
        self._list = ResourceList(self._columns(), id="fleet-list", noun=self.view)
        yield self._list
        yield Static("", id="fleet-detail", markup=False)
        yield KeyFooter()

    def _columns(self) -> tuple[Column, ...]:
        return DEPLOYMENT_COLUMNS if self.view == DEPLOYMENTS else INSTANCE_COLUMNS

    def on_mount(self) -> None:
        self.table.empty_text = "Listing hosted services…"
        self.table.focus()
        self.smtui.update_header()
        self.load()

    # ------------------------------------------------------------------ sources

    async def _sources(self) -> list[FleetSource]:
        """The console's connection, then every other configured profile (resolved off the loop)."""
        app = self.smtui
        sources: list[FleetSource] = []
        conn = app.connection
        if conn is not None:
            sources.append(FleetSource(conn.label, conn.profile_name, conn, current=True))
        from smtui.profiles.blocking import run_off_loop

        def names() -> list[str]:
            from smtui.profiles import store

            return store.profile_names()

        try:
            profile_names = await run_off_loop(names, timeout=10.0)
        except Exception as exc:  # an unreadable config must not hide the current subscription
            app.notify(f"cannot read the profiles: {exc}", title="Fleet", severity="warning")
            profile_names = []
        current = conn.profile_name if conn is not None else None
        for name in profile_names:
            if name == current:
                continue
            sources.append(FleetSource(name, name))
        return sources

    async def _resolve(self, source: FleetSource) -> None:
        if source.connection is not None or source.error is not None:
            return
        from smtui.profiles.blocking import run_off_loop
        from smtui.profiles.connection import profile_connection

        name = source.profile
        if name is None:  # only the console's own connection has no profile, and it is resolved
            return

        def resolve() -> Connection:
            return profile_connection(name, read_only=True)

        try:
            source.connection = await run_off_loop(resolve, timeout=30.0)
        except Exception as exc:  # shown in the profile's rows, the others still load
            source.error = str(exc) or type(exc).__name__

    # ------------------------------------------------------------------ loading

    @work(exclusive=True, group="fleet-load", exit_on_error=False)
    async def load(self, refresh: bool = False) -> None:
        """Fan out over every chosen subscription; cancelled when the screen goes away."""
        self.load_status = "loading"
        if not self.available:
            self.available = await self._sources()
        for source in self.available:
            if source.error is not None:  # fixed since (a certificate imported …)? try again
                source.error = None
        sources = [s for s in self.available if self.chosen is None or s.label in self.chosen]
        state = self.state
        if refresh:
            self._baseline = {view: table_rows(state, view) for view in (DEPLOYMENTS, INSTANCES)}
        state.start(sources)
        self._show_progress()
        clients: list[ServiceManagementClient] = []
        try:
            await asyncio.gather(*(self._load_one(source, clients) for source in sources))
            state.finished = time.monotonic()
            self.load_status = "done"
        except asyncio.CancelledError:  # the user left, or a newer load replaced this one
            self.load_status = "cancelled"
            raise
        except Exception:  # a bug: the worker reports it; this load is over either way
            self.load_status = "failed"
            raise
        finally:
            for client in clients:
                with contextlib.suppress(Exception):
                    await client.aclose()
            if self._alive():
                self._redraw()
                self._show_progress()

    async def _load_one(self, source: FleetSource, clients: list[ServiceManagementClient]) -> None:
        state = self.state
        await self._resolve(source)
        if source.error is not None or source.connection is None:
            state.source_errors[source.label] = source.error or "no connection"
            state.sources_done += 1
            self._changed()
            return
        try:
            client = source.connection.create_client(max_in_flight=self.concurrency)
        except Exception as exc:  # a bad certificate: that profile's rows say so
            state.source_errors[source.label] = str(exc) or type(exc).__name__
            state.sources_done += 1
            self._changed()
            return
        clients.append(client)
        await load_source(state, source, client, self._changed)

    def _alive(self) -> bool:
        """False once the screen is being removed (late messages and timers must do nothing)."""
        return self._list is not None and self._list.is_attached

    def _changed(self) -> None:
        """An answer arrived: update the progress and the table, each at most so often."""
        if not self._alive():
            return  # the user left: the load is being cancelled
        self._throttled("progress", PROGRESS_EVERY, self._show_progress)
        self._throttled("table", REDRAW_EVERY, self._redraw)

    def _throttled(self, name: str, every: float, update: Callable[[], None]) -> None:
        """Run ``update`` now if it has not run for ``every`` seconds, else once they are over.

        The leading edge shows the first answers at once (a timer alone held the first rows back
        by ``every``); the trailing one shows the last answers of a burst.
        """
        if name in self._pending:
            return
        wait = self._last_update.get(name, -every) + every - time.monotonic()
        if wait <= 0:
            self._last_update[name] = time.monotonic()
            update()
            return
        self._pending.add(name)

        def trailing() -> None:
            self._pending.discard(name)
            self._last_update[name] = time.monotonic()
            update()

        self.set_timer(wait, trailing)

    def _redraw(self) -> None:
        if not self._alive():
            return
        rows = table_rows(self.state, self.view)
        since = self._baseline.get(self.view) if self._baseline is not None else None
        self.query_one(ResourceList).set_rows(rows, since=since)
        self.table.empty_text = "Nothing here" if self.state.complete else "Loading…"
        self._update_detail()

    def _show_progress(self) -> None:
        if not self._alive():
            return
        state = self.state
        bar = self.query_one(ProgressBar)
        if state.total:
            bar.update(total=state.total, progress=state.done)
        elif state.complete:
            bar.update(total=1, progress=1)
        text = state.progress_text()
        if self.load_status == "cancelled":
            text += " · cancelled"
        elif state.complete and not state.sources:
            text = "no subscription to inspect (c chooses)"
        # Its size is fixed (1fr x 1): no layout, which costs a frame of the whole screen (~20 ms
        # with a big table) and came after every answer.
        self.query_one("#fleet-progress-text", Static).update(text, layout=False)

    # ------------------------------------------------------------------ details, drill-in

    def _selected_row(self) -> TableRow | None:
        key = self.table.cursor_key
        if key is None:
            return None
        index = self.table.model.index_of(key)
        return self.table.model.view[index] if index is not None else None

    def _update_detail(self) -> None:
        if not self._alive():
            return
        row = self._selected_row()
        if row is None:
            text = ""
        elif row.key.endswith("/!error"):
            text = f"{row.cells[0]} · {row.cells[1]}: {row.cells[2]}"
        else:
            names = [c.label for c in self.table.columns]
            text = "  ".join(f"{n}: {v}" for n, v in zip(names, row.cells, strict=False) if v)
        # Every redraw asks; the same text again would still cost a layout of the whole screen.
        if text != self._detail_text:
            self._detail_text = text
            self.query_one("#fleet-detail", Static).update(text)

    @on(BigTable.CursorMoved, "#fleet-list BigTable")
    def _cursor_moved(self, event: BigTable.CursorMoved) -> None:
        self._update_detail()

    @on(BigTable.Selected, "#fleet-list BigTable")
    def _selected(self, event: BigTable.Selected) -> None:
        if not self._alive():
            return
        row = self._selected_row()
        if row is None or self.table.model.mark_of(row.key) == "removed":
            return
        target = target_of(row, self.view)
        if target is None:
            self.app.notify(row.cells[2], title=f"{row.cells[0]}: error", severity="error", timeout=8)
            return
        label, ref = target
        source = self.state.source(label)
        if source is None:
            return
        app = self.smtui
        if source.current:
            app.pop_screen()
            app.show_node(ref)
            return
        open_in_profile(app, source.profile, ref)

    # ------------------------------------------------------------------ actions

    def action_leave(self) -> None:
        """Back to the browser (cancels the load: the screen's workers go with it)."""
        lst = self.query_one(ResourceList)
        if lst.clear_filter():
            return
        self.app.pop_screen()

    def action_refresh(self) -> None:
        """Ask every subscription again, concurrently; what changed is marked."""
        self.load_status = "loading"  # at once: nothing reads the old "done" as this load's
        self.load(refresh=True)

    def action_show(self, view: str) -> None:
        """Switch between all deployments and all role instances (no new requests)."""
        if view == self.view:
            return
        self.view = view
        self.query_one("#fleet-title", Static).update(TITLES[view])
        lst = self.query_one(ResourceList)
        lst.noun = view
        lst.set_columns(self._columns())
        self._redraw()

    @work(group="fleet-choose", exit_on_error=False)
    async def action_choose(self) -> None:
        """Choose which subscriptions to inspect, then load them."""
        if not self.available:
            self.available = await self._sources()
        labels = [s.label for s in self.available]
        chosen = set(labels) if self.chosen is None else set(self.chosen)
        picked = await self.app.push_screen_wait(ProfilePicker(labels, chosen))
        if picked is None:
            return
        self.chosen = set(picked)
        self._baseline = None
        self.load_status = "loading"
        self.load()


def open_in_profile(app: SmtuiApp, profile: str | None, ref: NodeRef) -> None:
    """Switch the console to ``profile`` and open ``ref`` there once connected."""
    app.notify(f"Switching to {profile or 'the emulator'} to open {ref.display}", timeout=4)
    app.switch_connection(profile, open_after=ref)
