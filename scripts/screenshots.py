"""Regenerate the console's README screenshots (SVG) from the app on the emulator's demo seed.

Usage: ``python scripts/screenshots.py [--out screenshots]``. Starts a fresh demo emulator in a
temporary directory (slow enough that a started operation is still pending when captured),
drives ``SmtuiApp`` headless with keys like a user and saves one SVG per main screen. Forms and
dialogs are taken in the same console, over the browse screen they were opened from (no harness).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

SIZE = (120, 36)


async def wait_for(pilot: Any, condition: Callable[[], bool], timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError(f"the app did not reach the expected state ({pilot.app.screen!r})")
        await pilot.pause(0.05)


def listed(app: Any, kind: str) -> bool:
    browse = app.browse
    return (
        app.client is not None
        and browse.current.kind.value == kind
        and browse.current.key in browse.listings
        and browse.table.row_count > 0
    )


def listed_key(app: Any, service: str) -> bool:
    """The deployments list of ``service`` is the current list, loaded."""
    browse = app.browse
    return bool(browse.current.key == f"service/{service}" and browse.current.key in browse.listings)


async def capture(emu: Any, out: Path, work: Path) -> list[Path]:
    from smtui.profiles import audit, store
    from smtui.profiles.connection import Connection
    from smtui.profiles.model import Profile
    from smtui.tui.app import SmtuiApp

    # The audit log records who sent a change: the screenshots show the same user@host as the header.
    audit.local_user_host = lambda: "operator@jumphost"
    conn = Connection.to_emulator(emu, subscription_name="smtui Emulator Subscription")
    app = SmtuiApp(
        connection=conn,
        refresh_interval=0,
        user_host="operator@jumphost",
        operations_file=work / "operations.json",
    )
    saved: list[Path] = []

    def shot(name: str, prefix: str = "console-") -> None:
        path = out / f"{prefix}{name}.svg"
        app.save_screenshot(filename=path.name, path=str(out))
        saved.append(path)

    async def focus_property(name_start: str) -> None:
        from smtui.tui.widgets.property_tree import PropertyTree

        tree = app.browse.query_one(PropertyTree)
        for _ in range(6):
            if app.focused is tree:
                break
            await pilot.press("tab")
        for _ in range(40):
            node = tree.cursor_node
            if node is not None and node.data is not None and node.data.name.startswith(name_start):
                break
            await pilot.press("down")

    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: listed(app, "services"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: listed(app, "service"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: listed(app, "deployment"))
        await pilot.pause(0.3)
        shot("tree-table")

        await focus_property("http ")  # the role's Properties tree, on its first input endpoint
        for width, height in ((120, 40), (80, 24)):
            await pilot.resize_terminal(width, height)
            await pilot.pause(0.3)
            shot(f"properties-tree-{width}x{height}")
        await pilot.resize_terminal(*SIZE)
        app.browse.table.focus()
        await pilot.pause(0.2)

        await pilot.press("enter")
        await wait_for(pilot, lambda: listed(app, "role"))
        await pilot.press("x")
        await pilot.pause(0.3)
        shot("details-xml")

        await pilot.press("escape", "x", "x")  # back to the roles; details back on Properties
        async with conn.create_client() as client:
            response = await client.shutdown_role_instance(
                "contoso-web", "contoso-web-prod", "web02", "Stopped"
            )
        app.track_operation(
            str(response.request_id), "ShutdownRoleInstance", "contoso-web/contoso-web-prod/web02"
        )
        await pilot.press("r")
        await pilot.pause(0.5)
        shot("operations")

        store.save_profile(
            Profile(
                "production",
                "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
                read_only=True,
                subscription_name="Contoso Production",
            )
        )
        store.save_profile(Profile("staging", "11111111-2222-3333-4444-555555555555", serialize_type="JSON"))
        await pilot.press("P")
        await wait_for(
            pilot,
            lambda: (
                type(app.screen).__name__ == "ProfilesScreen"
                and app.screen.query_one("BigTable").row_count == 2
            ),
        )
        await pilot.pause(0.3)
        shot("profiles")

        await pilot.press("escape", "question_mark")
        await pilot.pause(0.3)
        shot("help")

        # Fleet views: the emulator's subscription plus the two profiles above, which have no
        # certificate, so their rows carry the error instead.
        await pilot.press("escape", "7")
        await wait_for(
            pilot,
            lambda: type(app.screen).__name__ == "FleetScreen" and app.screen.load_status == "done",
        )
        await pilot.pause(0.5)
        shot("fleet-deployments")
        await pilot.press("8", "slash", *"status:!ReadyRole", "enter")
        await pilot.pause(0.5)
        shot("fleet-instances")

        await pilot.press("escape", "escape", "L")
        await wait_for(
            pilot,
            lambda: (
                type(app.screen).__name__ == "AuditLogScreen"
                and app.screen.query_one("BigTable").row_count > 0
            ),
        )
        await pilot.pause(0.3)
        shot("audit-log")
        await pilot.press("escape")
        await capture_dialogs(app, pilot, shot)
    return saved


async def capture_dialogs(app: Any, pilot: Any, shot: Callable[..., None]) -> None:
    """The confirmation, the VM role builder and the request preview, each over its list."""
    from textual.widgets import Input

    browse = app.browse
    await wait_for(pilot, lambda: type(app.screen).__name__ == "BrowseScreen")
    await pilot.press("1")
    await wait_for(pilot, lambda: listed(app, "services"))
    browse.table.move_cursor_to_key("service/contoso-web")
    await pilot.press("enter")
    await wait_for(pilot, lambda: listed(app, "service"))
    await pilot.press("enter")
    await wait_for(pilot, lambda: listed(app, "deployment"))
    await pilot.press("d")  # on role web01
    await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog")
    await pilot.pause(0.3)
    shot("confirm-delete-role", prefix="")
    await pilot.press("escape")

    await pilot.press("1")
    await wait_for(pilot, lambda: listed(app, "services"))
    browse.table.move_cursor_to_key("service/northwind-db")
    await pilot.press("enter")
    await wait_for(pilot, lambda: listed_key(app, "northwind-db"))
    await pilot.press("c")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "VMRoleBuilder")
    builder = app.screen

    async def fill(key: str, text: str) -> None:
        control = builder.field(key).control
        assert isinstance(control, Input)
        control.focus()
        await pilot.press("end", *text)

    await fill("role_name", "web1")
    await fill("image_filter", "Ubuntu-14_04")
    builder.field("os_disk.source_image_name").control.focus()
    await pilot.press("enter", "down", "enter")
    await fill("provisioning.host_name", "web1")
    await fill("provisioning.user_name", "azureuser")
    await fill("provisioning.password", "Screenshot-Pw1!")
    builder.query_one("#add-disk").focus()
    await pilot.press("enter")
    builder.field("role_name").control.focus()
    await pilot.pause(0.3)
    shot("vm-role-builder", prefix="")
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "RequestPreviewDialog")
    await pilot.pause(0.3)
    shot("request-preview", prefix="")
    await pilot.press("escape", "escape")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["SMTUI_CONFIG_DIR"] = str(work / "config")
        os.environ["SMTUI_DATA_DIR"] = str(work / "data")
        os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
        from smtui.emulator import Emulator

        with Emulator.running(work / "emulator", seed="demo", speed=0.05) as emu:
            for path in asyncio.run(capture(emu, args.out, work)):
                print(path)


if __name__ == "__main__":
    main()
