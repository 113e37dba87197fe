"""Issue 8 §5: quitting with operations still running, and write keys in a read-only profile.

Keys only (``q``, ctrl+c, ``T`` to track a request id, the action keys), against real emulators.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from smtui.session import connection_resolver
from smtui.tui.app import SmtuiApp
from smtui.tui.nodes import Kind, category
from smtui.tui.screens.prompt import ConfirmScreen
from tests.tui.helpers import connection_for, console, screen_text, wait_for

DEMO_VM = ("fabrikam-api", "fabrikam-api", "api01")
"""A running VM of the demo seed."""


async def start_slow_shutdown(emu: Any) -> str:
    """Shut the demo VM down on an emulator slow enough that the operation stays InProgress."""
    emu.engine.speed = 1e-4  # hours per operation: it is still running whenever the test looks
    async with connection_for(emu).create_client() as client:
        response = await client.shutdown_role_instance(*DEMO_VM, "Stopped")
    assert response.status_code == 202, response.error
    assert response.request_id
    return str(response.request_id)


async def track_by_keys(pilot: Any, app: SmtuiApp, request_id: str) -> None:
    """``T``, paste the request id, Enter: the sidebar tracks it."""
    await pilot.press("T")
    await wait_for(pilot, lambda: app.screen.query("#prompt-input"), what="the track prompt")
    await pilot.press(*request_id, "enter")
    await wait_for(pilot, lambda: app.tracker is not None and app.tracker.pending, what="a pending operation")


async def quit_prompt(pilot: Any, app: SmtuiApp) -> ConfirmScreen:
    return await wait_for(  # type: ignore[no-any-return]
        pilot,
        lambda: (
            app.screen if isinstance(app.screen, ConfirmScreen) and app.screen.id == "quit-pending" else None
        ),
        what="the quit prompt",
    )


async def test_quit_with_operations_running_asks_first(emulator_factory: Any, tmp_path: Path) -> None:
    emu = emulator_factory(seed="demo")
    request_id = await start_slow_shutdown(emu)
    async with console(emu, tmp_path) as (app, pilot):
        await track_by_keys(pilot, app, request_id)
        await pilot.press("q")
        prompt = await quit_prompt(pilot, app)
        assert prompt.question.startswith(
            "1 operation is still running — quit anyway? They will be tracked again on next start."
        )
        assert "• Request on pasted id" in prompt.question
        assert "embedded emulator" not in prompt.question  # this emulator is not the console's own
        await pilot.pause()
        assert "quit anyway?" in screen_text(app)
        await pilot.press("n")  # the safe answer: stay
        await wait_for(pilot, lambda: app.screen is app.browse, what="back to the list")
        assert app.return_code is None

        await pilot.press("ctrl+c")  # ctrl+c outside a text field quits like q, asking the same
        await quit_prompt(pilot, app)
        await pilot.press("y")
        await wait_for(pilot, lambda: app.return_code is not None, what="the app to exit")
    # Still pending in the store: the next start tracks it again.
    assert app.tracker is not None
    assert [p.request_id for p in app.tracker.load_pending()] == [request_id]


async def test_quit_with_nothing_running_does_not_ask(emulator: Any, tmp_path: Path) -> None:
    async with console(emulator, tmp_path) as (app, pilot):
        await pilot.press("q")
        await wait_for(pilot, lambda: app.return_code is not None, what="the app to exit")
        assert not isinstance(app.screen, ConfirmScreen)


async def test_quit_in_embedded_emulator_mode_says_the_emulator_stops(
    tmp_path: Path, emulator_certs: Path
) -> None:
    data = tmp_path / "embedded"
    shutil.copytree(emulator_certs, data / "certs")  # no key generation in the test
    app = SmtuiApp(
        "emulator",
        resolver=connection_resolver(emulator_data=data),
        refresh_interval=0,
        operations_file=tmp_path / "ops.json",
    )
    async with app.run_test(size=(120, 40)) as pilot:
        services = category(Kind.SERVICES).key
        await wait_for(
            pilot, lambda: app.browse is not None and services in app.browse.listings, 30, "services"
        )
        assert app.connection is not None and app.connection.emulator is not None
        request_id = await start_slow_shutdown(app.connection.emulator)
        await track_by_keys(pilot, app, request_id)
        await pilot.press("q")
        prompt = await quit_prompt(pilot, app)
        assert (
            "The embedded emulator stops with the console and resumes them on next start." in prompt.question
        )
        await pilot.press("y")
        await wait_for(pilot, lambda: app.return_code is not None, what="the app to exit")


# ----------------------------------------------------------------------------- read-only profile


def notes(app: SmtuiApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_read_only_write_keys_say_they_are_disabled(emulator: Any, tmp_path: Path) -> None:
    async with console(emulator, tmp_path, read_only=True) as (app, pilot):
        await pilot.press("c")  # Create hosted service, on the services list
        await wait_for(pilot, lambda: "read-only profile: Create hosted service is disabled" in notes(app))
        assert app.screen is app.browse
        await wait_for(pilot, lambda: app.browse is not None and "service/fabrikam-api" in app.browse.items)
        await pilot.press("d")  # Delete hosted service, on the selected service
        await wait_for(pilot, lambda: any("Delete hosted service is disabled" in n for n in notes(app)))
        assert app.screen is app.browse


async def test_read_only_palette_lists_write_actions_as_disabled(emulator: Any, tmp_path: Path) -> None:
    async with console(emulator, tmp_path, read_only=True) as (app, pilot):
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"delete role")
        # (The match highlight splits the title: compare without spaces.)
        await wait_for(
            pilot,
            lambda: "Deleterole(disabled)" in screen_text(app).replace(" ", ""),
            what="the palette entry",
        )
        text = screen_text(app)
        assert "No matches" not in text
        assert "read-only profile: Delete role is disabled" in text
        await pilot.press("enter")
        await wait_for(pilot, lambda: "read-only profile: Delete role is disabled" in notes(app))


async def test_ctrl_c_over_a_form_does_not_quit(emulator: Any, tmp_path: Path) -> None:
    async with console(emulator, tmp_path) as (app, pilot):
        await pilot.press("c")  # Create hosted service
        await wait_for(
            pilot, lambda: type(app.screen).__name__ == "CreateHostedServiceDialog", what="the form"
        )
        await pilot.press(*"kept", "tab", "tab", "tab", "tab")  # away from the text fields
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.return_code is None and type(app.screen).__name__ == "CreateHostedServiceDialog"
        assert app.screen.value("service_name") == "kept"  # type: ignore[attr-defined]
