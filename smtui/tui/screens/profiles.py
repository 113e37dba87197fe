"""The profile (connection) screen: list, add, edit, remove subscriptions; import .publishsettings."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from smtui.profiles.blocking import run_off_loop
from smtui.tui.table_model import Column, TableRow
from smtui.tui.widgets.big_table import BigTable
from smtui.tui.widgets.header_bar import HeaderBar
from smtui.tui.widgets.key_footer import KeyFooter
from smtui.tui.widgets.resource_list import ResourceList

if TYPE_CHECKING:
    from smtui.profiles.model import Profile
    from smtui.tui.app import SmtuiApp

COLUMNS = (
    Column("name", "Profile"),
    Column("subscription", "Subscription"),
    Column("host", "Host"),
    Column("api", "API version"),
    Column("format", "Format"),
    Column("flags", "Flags"),
)

KEYRING_TIMEOUT = 30.0
"""Seconds a keyring/profile call may take before the screen gives up on it (a locked keyring)."""


class ProfilesScreen(Screen[None]):
    """Every configured subscription; Enter connects to the highlighted one.

    All profile and keyring calls run off the event loop (``run_off_loop``): a locked Secret
    Service must not freeze the console.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="profiles.back"),
        Binding("enter", "use", "Connect", id="profiles.use"),
        Binding("a", "add", "Add", id="profiles.add"),
        Binding("e", "edit", "Edit", id="profiles.edit"),
        Binding("d", "remove", "Remove", id="profiles.remove"),
        Binding("i", "import_file", "Import", tooltip="Import a .publishsettings file", id="profiles.import"),
        Binding("D", "make_default", "Make default", show=False, id="profiles.default"),
        Binding("E", "use_emulator", "Use emulator", show=False, id="profiles.emulator"),
    ]

    DEFAULT_CSS = """
    ProfilesScreen {
        & > #profiles-title { height: 1; padding: 0 1; text-style: bold; background: $panel; }
        & > #profiles-note { height: auto; padding: 0 1; color: $text-muted; }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self.profiles: dict[str, Profile] = {}

    def compose(self) -> ComposeResult:
        yield HeaderBar()
        yield Static("Profiles — subscriptions smtui can connect to", id="profiles-title")
        yield ResourceList(COLUMNS, id="profiles-list", noun="profiles")
        yield Static(
            "Enter connects · a add · e edit · d remove · i import a .publishsettings file · "
            "D make default · E embedded emulator. Certificate paths are kept in the OS keyring.",
            id="profiles-note",
            markup=False,
        )
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(BigTable)
        table.empty_text = "No profiles yet: press a to add one or i to import a .publishsettings file"
        table.focus()
        self.reload()

    @property
    def selected(self) -> Profile | None:
        """The highlighted profile."""
        key = self.query_one(BigTable).cursor_key
        return self.profiles.get(key) if key else None

    @work(exclusive=True, group="profiles", exit_on_error=False)
    async def reload(self) -> None:
        """Read the profiles (config file; no keyring needed for the list)."""
        from smtui.profiles import store

        def read() -> tuple[list[Profile], str | None]:
            return store.list_profiles(), store.default_profile_name()

        try:
            profiles, default = await run_off_loop(read, timeout=KEYRING_TIMEOUT)
        except Exception as exc:
            self.app.notify(str(exc), title="Could not read profiles", severity="error")
            return
        self.profiles = {p.name: p for p in profiles}
        rows = []
        for p in profiles:
            flags = ", ".join(
                f for f, on_ in (("default", p.name == default), ("read-only", p.read_only)) if on_
            )
            sub = (
                p.subscription_id
                if not p.subscription_name
                else f"{p.subscription_name} ({p.subscription_id})"
            )
            rows.append(TableRow(p.name, (p.name, sub, p.host, p.api_version, p.serialize_type, flags)))
        self.query_one(ResourceList).set_rows(rows)

    def _run(self, what: str, fn: Any, *args: Any, **kwargs: Any) -> None:
        async def job() -> None:
            try:
                result = await run_off_loop(lambda: fn(*args, **kwargs), timeout=KEYRING_TIMEOUT)
            except Exception as exc:  # ValidationError, ProfileError, keyring failures: all shown
                self.app.notify(str(exc), title=f"{what} failed", severity="error", timeout=10)
                return
            self._done(what, result)
            self.reload()

        self.run_worker(job(), group="profiles-change", exit_on_error=False)

    def _done(self, what: str, result: Any) -> None:
        from smtui.profiles.credentials import mark_keyring_notice_shown, pending_keyring_notice

        created = getattr(result, "created", None)
        if created is not None:
            names = ", ".join(created + getattr(result, "updated", [])) or "nothing"
            self.app.notify(f"Imported: {names}", title="Publish settings")
        else:
            self.app.notify(what, timeout=3)
        notice = pending_keyring_notice()
        if notice:
            self.app.notify(notice, title="Keyring", severity="warning", timeout=15)
            mark_keyring_notice_shown()

    def action_add(self) -> None:
        from smtui.profiles import store
        from smtui.tui.screens.profile_form import ProfileForm

        def saved(profile: Profile | None) -> None:
            if profile is not None:
                self._run(f"Saved {profile.name}", store.save_profile, profile)

        self.app.push_screen(ProfileForm(), saved)

    @work(group="profiles-edit", exit_on_error=False)
    async def action_edit(self) -> None:
        from smtui.profiles import store
        from smtui.tui.screens.profile_form import ProfileForm

        current = self.selected
        if current is None:
            return
        try:  # the certificate paths live in the keyring: fetch them off the loop
            full = await run_off_loop(lambda: store.get_profile(current.name), timeout=KEYRING_TIMEOUT)
        except Exception as exc:
            self.app.notify(str(exc), title="Could not read the profile", severity="error")
            full = current
        profile = await self.app.push_screen_wait(ProfileForm(full))
        if profile is not None:
            self._run(
                f"Saved {profile.name}",
                store.save_profile,
                profile,
                overwrite=True,
                previous_name=current.name,
            )

    def action_remove(self) -> None:
        from smtui.profiles import store
        from smtui.tui.screens.prompt import ConfirmScreen

        current = self.selected
        if current is None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self._run(f"Removed {current.name}", store.remove_profile, current.name)

        self.app.push_screen(
            ConfirmScreen(
                "Remove profile",
                f"Remove profile {current.name!r} and its keyring entry? Certificate files are kept.",
            ),
            answer,
        )

    def action_import_file(self) -> None:
        from smtui.profiles.publishsettings import import_publishsettings
        from smtui.tui.screens.prompt import PromptScreen

        def chosen(path: str | None) -> None:
            if path:
                self._run("Import", import_publishsettings, Path(path).expanduser())

        self.app.push_screen(
            PromptScreen(
                "Import a .publishsettings file",
                "path to the file",
                hint="The management certificate is converted to PEM files (0600) in the config dir.",
            ),
            chosen,
        )

    def action_make_default(self) -> None:
        from smtui.profiles import store

        current = self.selected
        if current is not None:
            self._run(f"{current.name} is the default profile", store.set_default_profile, current.name)

    def action_use(self) -> None:
        current = self.selected
        if current is None:
            return
        self._switch(current.name)

    def action_use_emulator(self) -> None:
        self._switch(None)

    def _switch(self, name: str | None) -> None:
        app = cast("SmtuiApp", self.app)  # this screen runs only in SmtuiApp
        app.pop_screen()
        app.switch_connection(name)

    @on(BigTable.Selected)
    def _selected(self, event: BigTable.Selected) -> None:
        self.action_use()
