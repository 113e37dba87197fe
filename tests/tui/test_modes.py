"""Read-only mode, actions that apply where they belong, start-up errors, copy, the profile screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from smtui.profiles.connection import Connection
from smtui.tui import action_table, registry
from smtui.tui import app as app_module
from smtui.tui.app import SmtuiApp
from smtui.tui.nodes import Kind
from smtui.tui.screens.browse import BrowseScreen
from smtui.tui.screens.startup_error import StartupErrorScreen
from tests.tui.helpers import connection_for, loaded, wait_for

CALLS: list[str] = []


@pytest.fixture
def test_actions(monkeypatch: pytest.MonkeyPatch) -> Any:
    """One mutating and one read-only action on hosted services, added to the action table."""
    CALLS.clear()

    async def poke(ctx: registry.ActionContext) -> None:
        assert ctx.item is not None
        CALLS.append(ctx.item.ref.name)

    async def look(ctx: registry.ActionContext) -> None:
        assert ctx.item is not None
        CALLS.append("look " + ctx.item.ref.name)

    mutating = registry.ResourceAction(
        "test.poke", "f7", "Poke service", frozenset({Kind.SERVICE}), poke, show=True
    )
    reading = registry.ResourceAction(
        "test.look", "f8", "Look at service", frozenset({Kind.SERVICE}), look, mutating=False
    )
    extra = (mutating, reading)
    monkeypatch.setattr(action_table, "ACTIONS", action_table.ACTIONS + extra)

    class BrowseWithTestActions(BrowseScreen):
        BINDINGS = registry.bindings(extra)

    monkeypatch.setattr(app_module, "BrowseScreen", BrowseWithTestActions)
    return mutating, reading


def shown_actions(app: Any) -> set[str]:
    return {b.binding.action for b in app.screen.active_bindings.values() if b.enabled}


async def test_read_only_hides_mutating_actions(demo_emulator: Any, make_app: Any, test_actions: Any) -> None:
    app = make_app(demo_emulator, read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        actions = shown_actions(app)
        assert "resource_action('test.look')" in actions
        assert not any(a.startswith("resource_action") and "look" not in a for a in actions)
        await pilot.press("f7", "f8")
        await app.workers.wait_for_complete()  # actions run in a worker
        assert CALLS == ["look contoso-web"]
        palette = [c.title for c in app.get_system_commands(app.screen)]
        assert "Look at service" in palette and "Poke service" not in palette
        for action in registry.actions():  # the real actions of issue 5 too
            if action.mutating:
                assert action.description not in palette
        assert app.query_one("HeaderBar").info.read_only


async def test_mutating_actions_apply_where_they_belong(
    demo_emulator: Any, make_app: Any, test_actions: Any
) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        assert "resource_action('test.poke')" in shown_actions(app)
        await pilot.press("f7")
        await app.workers.wait_for_complete()  # actions run in a worker
        assert CALLS == ["contoso-web"]
        await pilot.press("2")  # images: a service action does not apply there
        await wait_for(pilot, lambda: loaded(app, Kind.IMAGES))
        assert "resource_action('test.poke')" not in shown_actions(app)


async def test_unreachable_host_shows_a_clear_screen(emulator: Any, tmp_path: Path) -> None:
    conn = connection_for(emulator)
    conn = Connection(**{**conn.__dict__, "host": "127.0.0.1:9"})  # nothing listens on the discard port
    app = SmtuiApp(connection=conn, refresh_interval=0, operations_file=tmp_path / "ops.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartupErrorScreen), timeout=30)  # retries first
        screen = app.screen
        assert screen.error_title == "Cannot reach 127.0.0.1:9"
        assert "ConnectError" in screen.detail
        assert any("retry" in hint for hint in screen.hints)


async def test_bad_certificate_shows_what_to_fix(emulator: Any, tmp_path: Path) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate")
    conn = connection_for(emulator)
    conn = Connection(**{**conn.__dict__, "cert_path": str(bad), "key_path": str(bad)})
    app = SmtuiApp(connection=conn, refresh_interval=0, operations_file=tmp_path / "ops.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartupErrorScreen), timeout=30)  # retries first
        assert app.screen.error_title == "The management certificate could not be loaded"
        assert str(bad) in app.screen.detail


async def test_foreign_certificate_is_refused(emulator: Any, tmp_path: Path) -> None:
    conn = connection_for(emulator)
    conn = Connection(**{**conn.__dict__, "subscription_id": emulator.foreign_subscription_id})
    app = SmtuiApp(connection=conn, refresh_interval=0, operations_file=tmp_path / "ops.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartupErrorScreen), timeout=30)  # retries first
        assert app.screen.error_title == "The service refused the management certificate"
        assert "ForbiddenError" in app.screen.detail


async def test_copy_name_uses_osc52(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await pilot.press("y")
        assert app.clipboard == "contoso-web"


async def test_profile_screen_imports_publishsettings(
    demo_emulator: Any, make_app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring
    from keyring.backend import KeyringBackend

    from smtui.profiles import credentials, store

    class MemoryKeyring(KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            self.data: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.data.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.data[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.data.pop((service, username), None)

    backend = MemoryKeyring()
    before = keyring.get_keyring()
    keyring.set_keyring(backend)
    credentials.reset_keyring_state()
    try:
        publish = demo_emulator.data_dir / "emulator.publishsettings"
        if not publish.exists():
            publish = next(demo_emulator.data_dir.rglob("*.publishsettings"))
        app = make_app(demo_emulator)
        async with app.run_test(size=(100, 30)) as pilot:
            await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
            await pilot.press("P")
            assert type(app.screen).__name__ == "ProfilesScreen"
            await pilot.press("i", *str(publish), "enter")
            await wait_for(pilot, lambda: app.screen.query_one("BigTable").row_count == 1)
        profiles = store.list_profiles()
        assert len(profiles) == 1
        full = store.get_profile(profiles[0].name)
        assert full.cert_path and any(full.cert_path in value for value in backend.data.values())
        assert full.cert_path and Path(full.cert_path).is_file()
        assert Path(full.key_path or "").stat().st_mode & 0o077 == 0  # key written 0600
    finally:
        keyring.set_keyring(before)
        credentials.reset_keyring_state()
