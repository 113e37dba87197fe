"""The smtui console application: connection, header, auto-refresh, operations, palette."""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer

from smtui.tui import clipboard
from smtui.tui.clipboard import osc52_sequence
from smtui.tui.diagnose import Diagnosis, diagnose_exception, diagnose_response
from smtui.tui.messages import (
    ClearFinished,
    Connected,
    ConnectionReset,
    ListingChanged,
    OpenNode,
    OperationFinished,
    OperationsChanged,
    RefreshDue,
)
from smtui.tui.nodes import NodeRef
from smtui.tui.operations_tracker import FAILED, OperationsTracker, TrackedOperation
from smtui.tui.palette import ConsoleCommands
from smtui.tui.screens.browse import BrowseScreen
from smtui.tui.widgets.header_bar import ConnectionInfo, HeaderBar

if TYPE_CHECKING:
    from smtui.api.client import ServiceManagementClient
    from smtui.profiles.connection import Connection, ConnectionResolver

DEFAULT_REFRESH_INTERVAL = 15.0
"""Seconds between automatic reloads of the list on screen."""

FIRST_FRAME_WAIT = 1.0
"""Seconds connecting waits for the first frame before it loads the client anyway."""


def default_user_host() -> str:
    """``user@host`` of this machine (on a jump host: where the certificate lives)."""
    try:
        user = getpass.getuser()
    except Exception:  # no login name in some containers
        user = "?"
    return f"{user}@{socket.gethostname()}"


def import_client_modules() -> None:
    """Import what connecting and the first listing need (failures surface where they are used)."""
    with contextlib.suppress(Exception):
        import smtui.api.client  # noqa: F401
        import smtui.profiles.audit  # noqa: F401


class SmtuiApp(App[None]):
    """The console.

    Args:
        profile: ``--profile`` (None: the default profile, or the embedded emulator).
        read_only: ``--read-only``: hide every mutating action.
        connection: An already resolved ``smtui.profiles.connection.Connection`` (tests, the
            benchmark); the app then does not close it.
        clock: Wall clock (epoch seconds) for "updated Ns ago" and elapsed times; tests freeze it.
        user_host: Override ``user@host`` (snapshots).
        refresh_interval: Auto-refresh period in seconds (0 disables it).
        operations_file: Where pending operations are persisted (default: the data dir's).
        resolver: Resolves ``profile`` (and the profiles the user switches to) into a connection;
            the composition root (``smtui.session``) hands one that can start the embedded
            emulator. Default: named profiles only.
        connection_future: A connection being resolved already (``smtui.session`` starts it
            before importing Textual); used instead of resolving ``profile`` again.
    """

    TITLE = "smtui"
    COMMANDS = {ConsoleCommands}  # our commands above Textual's built-ins

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark,f1", "help", "Help", id="app.help"),
        # Shown by the footer as "…more" only when some keys did not fit; lists them all.
        Binding("full_stop", "help", "…more", show=False, key_display=".", id="app.more-keys"),
        Binding("o", "toggle_operations", "Ops", id="app.operations"),
        Binding("p", "toggle_pause", "Pause refresh", show=False, id="app.pause"),
        Binding("P", "profiles", "Profiles", show=False, id="app.profiles"),
        Binding("T", "track_request", "Track request id", show=False, id="app.track-request"),
        Binding("7", "fleet('deployments')", "All deployments", show=False, id="app.fleet-deployments"),
        Binding("8", "fleet('instances')", "All role instances", show=False, id="app.fleet-instances"),
        Binding("L", "audit_log", "Audit log", show=False, id="app.audit-log"),
    ]

    operations_open: var[bool] = var(False)
    """The operations sidebar is shown (the browse screen watches this)."""

    CSS = """
    Screen { background: $surface; }
    /* "Screen" above matches dialogs too and hid the list a dialog was opened from. */
    ModalScreen { background: $background 60%; }
    /* A dropdown over a form: Textual's "tall" edge is drawn in colour only and vanished in 16
       colours and NO_COLOR; line-drawing characters show in any terminal. */
    SelectOverlay { border: round $border; }
    """

    def __init__(
        self,
        profile: str | None = None,
        *,
        read_only: bool = False,
        connection: Connection | None = None,
        clock: Callable[[], float] | None = None,
        user_host: str | None = None,
        refresh_interval: float = DEFAULT_REFRESH_INTERVAL,
        operations_file: Path | None = None,
        resolver: ConnectionResolver | None = None,
        connection_future: Future[Connection] | None = None,
    ) -> None:
        super().__init__()
        self._connection_future = connection_future
        self._painted = asyncio.Event()
        """Set once the browse screen's first frame is on screen (it then calls warm_up)."""
        self._client_import: asyncio.Future[None] | None = None
        self.profile = profile
        self.read_only = read_only
        self.connection = connection
        self._owns_connection = connection is None
        self.now: Callable[[], float] = clock or time.time
        self.user_host = user_host or default_user_host()
        self.refresh_interval = refresh_interval
        self.operations_file = operations_file
        self.resolver = resolver
        self.client: ServiceManagementClient | None = None
        self.connection_info: ConnectionInfo | None = None
        self.tracker: OperationsTracker | None = None
        self.paused = False
        self._ops_closed_by_user = False
        self._refresh_timer: Timer | None = None
        self.startup_error: Diagnosis | None = None
        self._listed: ListingChanged | None = None
        """What the browser last said it shows (for the header's "updated Ns ago")."""
        self._open_after: NodeRef | None = None
        """A node to show once the connection being made is up (fleet views, audit log)."""
        self._copied = ""
        """What was last copied (``clipboard``)."""

    def get_default_screen(self) -> BrowseScreen:
        return BrowseScreen()

    @property
    def browse(self) -> BrowseScreen | None:
        """The main screen (always at the bottom of the stack)."""
        for screen in self.screen_stack:
            if isinstance(screen, BrowseScreen):
                return screen
        return None

    def on_mount(self) -> None:
        self.update_header()
        self.connect()
        self.set_interval(1.0, self._tick)

    def warm_up(self) -> None:
        """Import the client (httpx, the codec, 73 model classes: ~0.2 s) in a thread, while the
        emulator or keyring is still on its way, so the event loop later finds it imported.

        The browse screen calls it once its first frame is painted: a thread's imports share the
        GIL and would hold that paint back. Measured in bench/tui.py.
        """
        self._painted.set()
        if self._client_import is None:
            self._client_import = asyncio.ensure_future(asyncio.to_thread(import_client_modules))

    def preload_actions(self) -> None:
        """Import in a thread what the action keys open (dialogs, the request preview); the
        browse screen calls it once the first rows are painted, for the same reason."""
        from smtui.tui.action_table import preload

        threading.Thread(target=preload, name="smtui-warm-up", daemon=True).start()

    async def _import_client(self) -> None:
        """The client's modules, imported off the event loop once the first frame is painted
        (or after FIRST_FRAME_WAIT): a connection ready earlier must not delay that paint."""
        if self._client_import is None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._painted.wait(), timeout=FIRST_FRAME_WAIT)
            self.warm_up()
        assert self._client_import is not None
        await self._client_import

    async def on_unmount(self) -> None:
        await self._disconnect()

    # ------------------------------------------------------------------ connection

    @work(exclusive=True, group="connect", exit_on_error=False)
    async def connect(self, profile: str | None = None, *, use_emulator: bool = False) -> None:
        """Resolve the connection (keyring, embedded emulator) off the UI thread and probe it."""
        if profile is not None or use_emulator:
            await self._disconnect()
            # A connection given by the caller is theirs to close, and not the one asked for now.
            self.connection = None
            self.profile = "emulator" if use_emulator else profile
            self._owns_connection = True
        conn = self.connection
        future, self._connection_future = self._connection_future, None
        if conn is None and future is not None:
            try:
                conn = await asyncio.wrap_future(future)
            except Exception as exc:  # every failure is explained on screen, none is a crash
                self._show_startup_error(diagnose_exception(exc))
                return
            self.connection = conn
        if conn is None:
            from smtui.profiles.blocking import run_off_loop
            from smtui.profiles.connection import profiles_only

            name, read_only, resolver = self.profile, self.read_only, self.resolver or profiles_only

            def resolve() -> Connection:
                return resolver(name, read_only=read_only)

            try:
                conn = await run_off_loop(resolve, timeout=60.0)
            except Exception as exc:  # every failure is explained on screen, none is a crash
                self._show_startup_error(diagnose_exception(exc))
                return
            self.connection = conn
        self.read_only = self.read_only or bool(conn.read_only)
        self.connection_info = ConnectionInfo(
            profile=conn.profile_name,
            subscription_id=conn.subscription_id,
            subscription_name=conn.subscription_name,
            host=conn.host,
            user_host=self.user_host,
            is_emulator=conn.is_emulator,
            read_only=self.read_only,
        )
        self.update_header()
        await self._import_client()
        try:
            client = conn.create_client()
        except Exception as exc:
            self._show_startup_error(diagnose_exception(exc, conn.host))
            return
        # The first screen lists hosted services: that call doubles as the connection check.
        probe = await client.list_hosted_services()
        problem = diagnose_response(probe, conn.host)
        if problem is not None:
            await client.aclose()
            self._show_startup_error(problem)
            return
        self.client = client
        self.startup_error = None
        self.tracker = OperationsTracker(
            conn.subscription_id, conn.profile_name, store_path=self.operations_file, wall=self.now
        )
        stored = await asyncio.to_thread(self.tracker.load_stored)
        for warning in self.tracker.load_warnings:
            self.notify(warning, title="Operations", severity="warning", timeout=15)
        resumed = self.tracker.resume([op for op in stored if op.is_pending])
        self.tracker.restore_finished(stored)
        if resumed:
            self.notify(f"Resumed tracking {len(resumed)} pending operation(s)", title="Operations")
            self._poll_operations()
        self._redraw_operations()
        self._to_browse(Connected(probe))
        open_after, self._open_after = self._open_after, None
        if open_after is not None:
            self._to_browse(OpenNode(open_after))
        if self.refresh_interval > 0:
            self._refresh_timer = self.set_interval(
                self.refresh_interval, self._auto_refresh_tick, pause=self.paused
            )
        self.refresh_bindings()

    def switch_connection(self, profile: str | None, *, open_after: NodeRef | None = None) -> None:
        """Connect to another profile (None: the embedded emulator), back on the browse screen.

        Args:
            profile: The profile to connect to; None for the embedded emulator.
            open_after: A node to show once connected (after the hosted services are listed).
        """
        while len(self.screen_stack) > 1 and not isinstance(self.screen, BrowseScreen):
            self.pop_screen()
        self._to_browse(ConnectionReset())
        self._listed = None
        self._open_after = open_after
        self.connection_info = None
        self.update_header()
        if profile is None:
            self.connect(use_emulator=True)
        else:
            self.connect(profile)

    async def _disconnect(self) -> None:
        if self._refresh_timer is not None:
            self._refresh_timer.stop()
            self._refresh_timer = None
        if self.tracker is not None:
            # Store writes run on their own thread; the last one must land before exit.
            await asyncio.to_thread(self.tracker.close)
        client, self.client = self.client, None
        if client is not None:
            await client.aclose()
        conn = self.connection
        if conn is not None and self._owns_connection:
            self.connection = None
            await asyncio.to_thread(conn.close)

    def _show_startup_error(self, diagnosis: Diagnosis) -> None:
        from smtui.tui.screens.startup_error import StartupErrorScreen

        self.startup_error = diagnosis
        self._open_after = None

        def chosen(choice: str | None) -> None:
            if choice == "retry":
                self.connect(self.profile)
            elif choice == "emulator":
                self.connect(use_emulator=True)
            elif choice == "profiles":
                self.action_profiles()

        self.push_screen(StartupErrorScreen(diagnosis.title, diagnosis.detail, diagnosis.hints), chosen)

    # ------------------------------------------------------------------ header, refresh

    def update_header(self) -> None:
        """Redraw the header of every screen in the stack (connection, freshness)."""
        status = self._freshness()
        for screen in self.screen_stack:
            for header in screen.query(HeaderBar):
                header.info = self.connection_info
                header.status = status

    def _freshness(self) -> str:
        if self.connection_info is None:
            return "connecting…"
        if self.client is None:
            return "not connected"
        fetched_at = self._listed.fetched_at if self._listed is not None else None
        pause = " ⏸ paused" if self.paused else ""
        if fetched_at is None:
            return "loading…" + pause
        age = max(int(self.now() - fetched_at), 0)
        return f"updated {age}s ago{pause}"

    def on_listing_changed(self, message: ListingChanged) -> None:
        """The browser shows another list (or a fresh one): the header says how old it is."""
        self._listed = message
        self.update_header()

    def _to_browse(self, message: Message) -> None:
        # The browse screen is the bottom of the stack from the start; before that, nothing to tell.
        browse = self.browse
        if browse is not None:
            browse.post_message(message)

    def show_node(self, ref: NodeRef) -> None:
        """Show ``ref`` in the browser (the caller leaves its own screen)."""
        self._to_browse(OpenNode(ref))

    def _tick(self) -> None:
        self.update_header()
        tracker = self.tracker
        if tracker is not None and tracker.pending:
            self._redraw_operations()

    def _auto_refresh_tick(self) -> None:
        if self.client is not None and isinstance(self.screen, BrowseScreen):
            self._to_browse(RefreshDue())

    def action_toggle_pause(self) -> None:
        """Pause or resume auto-refresh."""
        self.paused = not self.paused
        if self._refresh_timer is not None:
            if self.paused:
                self._refresh_timer.pause()
            else:
                self._refresh_timer.resume()
        self.notify("Auto-refresh paused" if self.paused else "Auto-refresh resumed", timeout=2)
        self.update_header()

    # ------------------------------------------------------------------ operations

    def track_operation(
        self,
        request_id: str,
        operation: str,
        target: str,
        node: NodeRef | None = None,
        created: NodeRef | None = None,
    ) -> None:
        """Track a long-running operation in the sidebar until it completes.

        Args:
            request_id: The ``x-ms-request-id`` of the accepted (202) call.
            operation: What was done (``ShutdownRoleInstance`` …).
            target: What it was done to (``svc/dep/role``).
            node: The node to refresh when it completes (its ancestors are refreshed too).
            created: What the operation creates: once it succeeded, the list's cursor goes there.
        """
        if self.tracker is None:
            self.notify("Not connected: cannot track the operation", severity="error")
            return
        self.tracker.add(request_id, operation, target, node, created)
        self._redraw_operations()
        if self.size.width >= 100 and not self._ops_closed_by_user:
            self.operations_open = True
        elif not self.operations_open:
            # A narrow terminal keeps the sidebar closed: say the call was accepted and where to watch it.
            self.notify(f"{operation} on {target} accepted; press o to watch it.", title="Operation started")
        self._poll_operations()

    def track_unknown(self, operation: str, target: str, message: str, node: NodeRef | None = None) -> None:
        """Show in the sidebar a call whose answer was lost (it may have been applied).

        Nothing is re-sent: the user checks by refreshing the affected list (``r``).
        """
        if self.tracker is not None:
            self.tracker.add_unknown(operation, target, message, node)
            self._redraw_operations()
            if self.size.width >= 100:
                self.operations_open = True
        self.notify(
            f"The answer to {operation} on {target} was lost: it may or may not have been applied. "
            "Press r to refresh and check before trying again.",
            title="Outcome unknown",
            severity="warning",
            timeout=20,
        )

    def _redraw_operations(self) -> None:
        if self.tracker is not None:
            self._to_browse(OperationsChanged(list(self.tracker.operations.values())))

    def on_clear_finished(self, message: ClearFinished) -> None:
        """``c`` in the operations sidebar: forget the finished operations."""
        if self.tracker is not None:
            self.tracker.forget_finished()
            self._redraw_operations()

    @work(exclusive=True, group="operations-poller", exit_on_error=False)
    async def _poll_operations(self) -> None:
        """Poll every pending operation (one App-level worker; backoff per operation)."""
        while True:
            tracker, client = self.tracker, self.client
            if tracker is None or client is None:
                return
            for op in tracker.due():
                response = await client.get_operation_status(op.request_id)
                finished = tracker.apply(op.request_id, response)
                if finished is not None:
                    self._operation_finished(finished)
            self._redraw_operations()
            wait = tracker.next_wait()
            if wait is None:
                return
            await asyncio.sleep(max(wait, 0.05))

    def _operation_finished(self, op: TrackedOperation) -> None:
        what = f"{op.operation} on {op.target}" if op.target else op.operation
        if op.status == FAILED:
            detail = f"{op.http_status_code or ''} {op.error_code or ''}: {op.error_message or ''}".strip()
            self.notify(
                f"{what} failed\n{detail}\nrequest id {op.request_id}",
                title="Operation failed",
                severity="error",
                timeout=10,
            )
        else:
            self.notify(f"{what} succeeded", title="Operation completed")
        self._to_browse(OperationFinished(op))

    def action_toggle_operations(self) -> None:
        """Show or hide the operations sidebar."""
        self.operations_open = not self.operations_open
        # Closed with o, it stays closed for new operations (a toast says one started).
        self._ops_closed_by_user = not self.operations_open
        self._redraw_operations()

    def action_track_request(self) -> None:
        """Ask for a request id and track it."""
        from smtui.tui.screens.prompt import PromptScreen

        def got(value: str | None) -> None:
            if value:
                self.track_operation(value.strip(), "Request", "pasted id")

        self.push_screen(PromptScreen("Track an operation", "x-ms-request-id to poll"), got)

    # ------------------------------------------------------------------ quitting

    def quit_question(self) -> str | None:
        """What to ask before quitting, or None when no operation is still running."""
        pending = self.tracker.pending if self.tracker is not None else []
        if not pending:
            return None
        n = len(pending)
        running = f"{n} operations are" if n > 1 else "1 operation is"
        lines = [f"{running} still running — quit anyway? They will be tracked again on next start."]
        conn = self.connection
        if conn is not None and conn.is_emulator and self._owns_connection:
            lines.append(
                "The embedded emulator stops with the console and resumes them on next start."
            )
        lines.extend(f"  • {op.operation} on {op.target}" for op in pending[:3])
        if n > 3:
            lines.append(f"  … and {n - 3} more (o shows them all)")
        return "\n".join(lines)

    async def action_quit(self) -> None:
        """Quit; with operations still running, ask first (they resume on the next start)."""
        from smtui.tui.screens.prompt import ConfirmScreen

        if any(isinstance(s, ConfirmScreen) and s.id == "quit-pending" for s in self.screen_stack):
            return
        question = self.quit_question()
        if question is None:
            self.exit()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(ConfirmScreen("Quit smtui?", question, id="quit-pending"), answered)

    def action_help_quit(self) -> None:
        """ctrl+c on the main screen quits like ``q`` (asking first when operations run).

        Over a form or dialog it only says how to quit: a reflex ctrl+c must not lose what was typed.
        """
        if isinstance(self.screen, BrowseScreen):
            self.run_worker(self.action_quit(), exit_on_error=False)
        else:
            super().action_help_quit()

    # ------------------------------------------------------------------ misc actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("toggle_operations", "track_request", "toggle_pause"):
            return self.client is not None and isinstance(self.screen, BrowseScreen)
        if action == "fleet":
            return self.client is not None
        return True

    def action_fleet(self, view: str) -> None:
        """All deployments / all role instances of every subscription (7 / 8)."""
        from smtui.tui.screens.fleet import FleetScreen

        if isinstance(self.screen, FleetScreen):
            self.screen.action_show(view)
        else:
            self.push_screen(FleetScreen(view))

    def action_audit_log(self) -> None:
        """Every change sent from this machine, newest first (L)."""
        from smtui.tui.screens.audit_log import AuditLogScreen

        if not isinstance(self.screen, AuditLogScreen):
            self.push_screen(AuditLogScreen())

    @property
    def clipboard(self) -> str:
        """What was last copied in the console (Textual's Input and TextArea paste it)."""
        return self._copied

    def copy_to_clipboard(self, text: str) -> None:
        """OSC 52 copy, wrapped for tmux/screen (Textual's own version is not).

        Raises:
            ValueError: The text is too large for a terminal clipboard sequence.
        """
        sequence = osc52_sequence(text)  # raises before anything is copied when it is too large
        self._copied = text
        if not os.environ.get("TMUX") and sequence.startswith("\x1b]52;"):
            super().copy_to_clipboard(text)  # not wrapped: Textual writes the same bytes
            return
        # Textual offers no public way to write a sequence of our own to the terminal.
        driver = self._driver
        if driver is None:
            return
        if not os.environ.get("TMUX"):
            driver.write(sequence)
            return

        def through_tmux() -> None:
            # Runs the tmux command: off the UI thread; a fallback sequence is written from the loop.
            clipboard.copy(text, lambda seq: self.call_from_thread(driver.write, seq))

        self.run_worker(through_tmux, thread=True, group="clipboard", exit_on_error=False)

    def action_help(self) -> None:
        """Help for the focused view: its keys, grouped."""
        from smtui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_profiles(self) -> None:
        """Open the profile (connection) screen."""
        from smtui.tui.screens.profiles import ProfilesScreen

        if not isinstance(self.screen, ProfilesScreen):
            self.push_screen(ProfilesScreen())

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:  # any screen's result
        """Every action of the console for the command palette (ctrl+p)."""
        browse = self.browse
        if browse is not None and self.client is not None:
            yield from browse.palette_commands()
        yield SystemCommand("Operations sidebar", "show/hide (o)", self.action_toggle_operations)
        yield SystemCommand(
            "Track a request id", "poll an operation by its x-ms-request-id (T)", self.action_track_request
        )
        if self.client is not None:
            yield SystemCommand(
                "All deployments",
                "every deployment of every subscription (7)",
                lambda: self.action_fleet("deployments"),
            )
            yield SystemCommand(
                "All role instances",
                "every VM of every subscription (8)",
                lambda: self.action_fleet("instances"),
            )
        yield SystemCommand("Audit log", "every change sent from this machine (L)", self.action_audit_log)
        yield SystemCommand("Pause/resume auto-refresh", "(p)", self.action_toggle_pause)
        yield SystemCommand(
            "Profiles", "add, edit, remove, import .publishsettings (P)", self.action_profiles
        )
        yield SystemCommand("Help", "keys of the focused view (?)", self.action_help)
        yield from super().get_system_commands(screen)
