"""The audit log screen (``L``): every change sent from this machine, newest first.

Rows come from :mod:`smtui.profiles.audit` (read off the event loop). Enter opens the entry's
target in the browser when it belongs to the subscription the console is connected to.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from smtui.tui.nodes import Kind, NodeRef, category, status_style
from smtui.tui.table_model import Column, TableRow
from smtui.tui.widgets.big_table import BigTable
from smtui.tui.widgets.header_bar import HeaderBar
from smtui.tui.widgets.key_footer import KeyFooter
from smtui.tui.widgets.resource_list import ResourceList

if TYPE_CHECKING:
    from smtui.profiles.audit import AuditEntry
    from smtui.tui.app import SmtuiApp

COLUMNS = (
    Column("time", "Time"),
    Column("user", "User@host", max_width=28),
    Column("profile", "Profile", max_width=20),
    Column("operation", "Operation", keep=True),
    Column("target", "Target", max_width=40),
    Column("status", "Status", style=status_style),
    Column("request", "Request id", max_width=36),
    Column("error", "Error", max_width=60),
)

_KINDS = {
    "hostedservices": Kind.SERVICE,
    "deployments": Kind.DEPLOYMENT,
    "deploymentslots": Kind.DEPLOYMENT,
    "roles": Kind.ROLE,
    "roleinstances": Kind.ROLE,
    "images": Kind.IMAGE,
    "disks": Kind.DISK,
    "storageservices": Kind.STORAGE_ACCOUNT,
}
_TOP = {
    "hostedservices": Kind.SERVICES,
    "images": Kind.IMAGES,
    "disks": Kind.DISKS,
    "storageservices": Kind.STORAGE,
}


def node_for_path(path: str) -> NodeRef | None:
    """The browser node a request path acts on (the deepest resource it names).

    ``/services/hostedservices/web/deployments/prod/roleinstances/vm1/Operations`` → role
    ``web/prod/vm1``; a create (``POST /services/hostedservices``) → the services list.
    """
    from urllib.parse import unquote

    segments = [unquote(s) for s in path.split("?", 1)[0].split("/") if s]
    if segments[:1] == ["services"]:
        segments = segments[1:]
    if not segments:
        return None
    top = segments[0].lower()
    if top in ("images", "disks", "storageservices"):
        if len(segments) >= 2:
            return NodeRef(_KINDS[top], (segments[1],), segments[1])
        return category(_TOP[top])
    if top != "hostedservices":
        return None
    names: list[str] = []
    kind = Kind.SERVICES
    index = 1
    while index < len(segments):
        collection = segments[index - 1].lower() if index > 0 else ""
        found = _KINDS.get(collection)
        if found is None or len(names) >= 3:
            break
        if collection == "deploymentslots":
            break  # a slot names no deployment: stay on the service
        names.append(segments[index])
        kind = found
        index += 2
    if not names:
        return category(Kind.SERVICES)
    return NodeRef(kind, tuple(names), names[-1])


class AuditLogScreen(Screen[None]):
    """The audit log, newest first; Enter jumps to the entry's target."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Back", id="audit.back"),
        Binding("r", "reload", "Reload", id="audit.reload"),
    ]

    DEFAULT_CSS = """
    AuditLogScreen {
        & #audit-title { height: 1; text-style: bold; color: $accent; padding: 0 1; }
        & #audit-detail { height: auto; max-height: 4; color: $text-muted; padding: 0 1; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[str, AuditEntry] = {}

    @property
    def smtui(self) -> SmtuiApp:
        """The app, typed (this screen runs only in ``SmtuiApp``; importing it here would be a cycle)."""
        return cast("SmtuiApp", self.app)

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield Static("Audit log — every change sent from this machine, newest first", id="audit-title")
        yield ResourceList(COLUMNS, id="audit-list", noun="entries in the log")
        yield Static("", id="audit-detail", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(ResourceList).table
        table.empty_text = "Nothing changed from here yet"
        table.focus()
        self.smtui.update_header()
        self.action_reload()

    @work(exclusive=True, group="audit-load", exit_on_error=False)
    async def action_reload(self) -> None:
        """Read the log again (another console or the CLI may have added to it)."""
        from smtui.profiles import audit

        try:
            entries = await asyncio.to_thread(audit.read_entries)
        except OSError as exc:
            self.query_one(ResourceList).table.empty_text = f"Cannot read {audit.audit_file()}: {exc}"
            return
        rows = []
        self.entries = {}
        for index, entry in enumerate(reversed(entries)):
            key = f"{index}:{entry.request_id or entry.time}"
            self.entries[key] = entry
            status = entry.status if entry.http_status is None else f"{entry.status} {entry.http_status}"
            cells = (
                entry.time,
                entry.user_host,
                entry.profile or "EMULATOR",
                entry.operation,
                entry.target,
                status,
                entry.request_id or "",
                entry.error or "",
            )
            rows.append(TableRow(key, cells))
        self.query_one(ResourceList).set_rows(rows, source="audit", version=object())
        self._update_detail()

    def _selected(self) -> AuditEntry | None:
        key = self.query_one(ResourceList).table.cursor_key
        return self.entries.get(key) if key is not None else None

    def _update_detail(self) -> None:
        if not self.is_attached or not self.query(ResourceList):
            return  # a late message while the screen is being removed
        entry = self._selected()
        text = ""
        if entry is not None:
            text = f"{entry.method} {entry.path}  ·  subscription {entry.subscription_id}"
            if entry.finished:
                text += f"  ·  finished {entry.finished}"
            if entry.error:
                text += f"\n{entry.error}"
        self.query_one("#audit-detail", Static).update(text)

    @on(BigTable.CursorMoved, "#audit-list BigTable")
    def _cursor_moved(self, event: BigTable.CursorMoved) -> None:
        self._update_detail()

    @on(BigTable.Selected, "#audit-list BigTable")
    def _open(self, event: BigTable.Selected) -> None:
        entry = self.entries.get(event.key)
        if entry is None:
            return
        ref = node_for_path(entry.path)
        if ref is None:
            self.app.notify(f"No view shows {entry.path}", severity="warning", timeout=5)
            return
        app = self.smtui
        conn = app.connection
        if conn is None or app.client is None or conn.subscription_id != entry.subscription_id:
            where = entry.profile or "the embedded emulator"
            self.app.notify(
                f"This change was made in {where} (subscription {entry.subscription_id}); "
                "connect to it (P) to open its target.",
                severity="warning",
                timeout=8,
            )
            return
        app.pop_screen()
        app.show_node(ref)

    def action_leave(self) -> None:
        """Back to the browser (first clears a filter)."""
        if not self.query_one(ResourceList).clear_filter():
            self.app.pop_screen()
