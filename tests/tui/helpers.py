"""What the console tests share: waiting for the UI, opening the console and drilling down like a user,
filling forms, reading the screen, the operations sidebar, the footer, and the stand-ins that
snapshot and dialog tests put the app on.

Not a test module: test modules import from here (and from ``keyboard``), never from each other.
Every wait here waits for a condition, never for a fixed time: Textual 8's ``pilot.pause(delay)``
only sleeps, so on a loaded machine a fixed pause is too short.
"""

from __future__ import annotations

import dataclasses
import html
import io
import re
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.app import App
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.widgets._footer import FooterKey

from smtui.profiles.connection import Connection
from smtui.tui.app import SmtuiApp
from smtui.tui.dialogs.vm_role import ImageChoice, VMRoleBuilder
from smtui.tui.nodes import Kind, category
from smtui.tui.widgets.key_footer import KeyFooter
from smtui.tui.widgets.ops_sidebar import OpsSidebar

FROZEN_NOW = 1_800_000_000.0
"""The wall clock of frozen apps (so "updated 0s ago" and elapsed times never change)."""

SECRET = "Zq9!secret-PW"
IMAGE = "b39f27a8b8c64d52b05eac6a62ebad85__Ubuntu-14_04-LTS-amd64-server-20140414-en-us-30GB"


# ----------------------------------------------------------------------------- waiting


async def wait_for(pilot: Any, condition: Callable[[], Any], timeout: float = 10.0, what: str = "") -> Any:
    """Let the app run until ``condition()`` is truthy (workers load in the background); return it.

    Args:
        what: Named in the failure message instead of the condition's repr.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await pilot.pause(0.02)


async def at_rest(pilot: Any, app: Any, timeout: float = 10.0) -> None:
    """Wait until the screen stops changing: the same picture twice, each after the app went idle.

    For what a step draws a moment after the condition it waited for (a footer recomposed after the
    bindings changed, a tab switched): snapshots take the picture only once it is final.
    """
    deadline = time.monotonic() + timeout
    previous = None
    while True:
        await pilot.wait_for_scheduled_animations()
        picture = app.export_screenshot()
        if picture == previous:
            return
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the screen to stop changing")
        previous = picture
        await pilot.pause()


async def wait_screen(pilot: Any, app: SmtuiApp, kind: type) -> Any:
    """Wait until a ``kind`` screen is on top and composed (its fields exist); return it."""
    return await wait_for(
        pilot,
        lambda: app.screen if isinstance(app.screen, kind) and app.screen.is_mounted else None,
        what=kind.__name__,
    )


# ----------------------------------------------------------------------------- the console


def connection_for(emu: Any, *, read_only: bool = False) -> Connection:
    """A :class:`Connection` to a running emulator (the app does not own or stop it)."""
    return Connection.to_emulator(emu, read_only=read_only)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:6]}"


@asynccontextmanager
async def console(emulator: Any, tmp_path: Path, **kw: Any) -> AsyncIterator[tuple[SmtuiApp, Any]]:
    app = SmtuiApp(
        connection=connection_for(emulator), refresh_interval=0, operations_file=tmp_path / "ops.json",
        user_host="test@host", **kw,
    )  # fmt: skip
    async with app.run_test(size=(120, 40)) as pilot:
        services = category(Kind.SERVICES).key
        await wait_for(
            pilot, lambda: app.browse is not None and services in app.browse.listings, what="services"
        )
        yield app, pilot


def loaded(app: Any, kind: Kind | None = None) -> bool:
    browse = app.browse
    if browse is None or app.client is None:
        return False
    listing = browse.listings.get(browse.current.key)
    return (
        listing is not None and (kind is None or browse.current.kind is kind) and browse.table.row_count > 0
    )


async def open_row(pilot: Any, app: SmtuiApp, key: str) -> None:
    """Put the cursor on the row ``key`` and press Enter (drill down)."""
    await select_row(pilot, app, key)
    await pilot.press("enter")
    browse = app.browse
    assert browse is not None
    await wait_for(pilot, lambda: browse.current.key == key and key in browse.listings, what=f"listing {key}")


async def select_row(pilot: Any, app: SmtuiApp, key: str) -> None:
    browse = app.browse
    assert browse is not None
    await wait_for(pilot, lambda: key in browse.items, what=f"row {key}")
    browse.table.focus()
    browse.table.move_cursor_to_key(key)
    await pilot.pause()


async def services_shown(pilot: Any) -> Any:
    """Press 1 once the console has listed its hosted services; the browse screen showing them."""
    app = pilot.app
    key = category(Kind.SERVICES).key
    await wait_for(pilot, lambda: app.browse is not None and key in app.browse.listings, what="the console")
    await pilot.press("1")
    browse = app.browse
    await wait_for(pilot, lambda: browse.current.key == key and browse.table.model.view, what="the services")
    return browse


async def go_to_role(pilot: Any, app: SmtuiApp, service: str, deployment: str, role: str) -> None:
    await open_row(pilot, app, f"service/{service}")
    await open_row(pilot, app, f"deployment/{service}/{deployment}")
    await open_row(pilot, app, f"role/{service}/{deployment}/{role}")


async def drill(pilot: Any, app: Any, *kinds: Kind) -> None:
    """Press Enter once per kind, each time waiting for that kind's list (the cursor's row opens)."""
    for kind in kinds:
        await pilot.press("enter")
        await wait_for(pilot, lambda kind=kind: loaded(app, kind), what=f"the {kind.name} list")


# ----------------------------------------------------------------------------- the emulator, directly


async def run_client(emulator: Any, call: Callable[[Any], Any]) -> Any:
    client = connection_for(emulator).create_client()
    try:
        return await call(client)
    finally:
        await client.aclose()


async def make_vm(emulator: Any, *, roles: int = 1) -> tuple[str, str, list[str]]:
    """A hosted service with a Linux VM deployment (made through the client, not the UI)."""
    from smtui.api import models

    service = unique("t")
    names = [f"vm{i}" for i in range(roles)]

    def role(name: str, port: int) -> models.VMRole:
        return models.VMRole(
            role_name=name,
            role_size="Small",
            configuration_sets=[
                models.LinuxProvisioningConfiguration(
                    host_name=name,
                    user_name="azureuser",
                    user_password=SECRET,
                    disable_ssh_password_authentication=False,
                ),
                models.NetworkConfiguration(
                    input_endpoints=[
                        models.InputEndpoint(local_port=22, name="SSH", port=port, protocol="tcp")
                    ]
                ),
            ],
            os_virtual_hard_disk=models.OSDisk(
                source_image_name=IMAGE,
                media_link=f"https://contosoportalvhds.blob.core.windows.net/vhds/{service}-{name}.vhd",
            ),
        )

    async def create(client: Any) -> None:
        r = await client.create_hosted_service(service, {"Location": "West US"})
        assert r.is_successful, r.error
        r = await client.create_deployment(service, service, role(names[0], 22))
        assert r.is_successful, r.error
        await client.wait_for_operation(r.request_id, interval=0.02, timeout=10)
        for i, name in enumerate(names[1:], start=1):
            r = await client.add_role(service, service, role(name, 22 + i * 1000))
            assert r.is_successful, r.error
            await client.wait_for_operation(r.request_id, interval=0.02, timeout=10)

    await run_client(emulator, create)
    return service, service, names


async def start_shutdown(emu: Any, role: str) -> str:
    """Shut a VM down with the client directly (as another tool would) and return the request id."""
    async with connection_for(emu).create_client() as client:
        response = await client.shutdown_role_instance("contoso-web", "contoso-web-prod", role, "Stopped")
    assert response.status_code == 202, response.error
    assert response.request_id
    return str(response.request_id)


# ----------------------------------------------------------------------------- forms and dialogs


def dialog_class(name: str) -> type:
    """The form class called ``name`` (imported late: the dialogs pull in most of the console)."""
    from smtui.tui.dialogs import data_disk, hosted_service, images, storage_keys, vm_role

    for module in (data_disk, hosted_service, images, storage_keys, vm_role):
        if hasattr(module, name):
            return getattr(module, name)  # type: ignore[no-any-return]
    raise KeyError(name)


async def fill(pilot: Any, dialog: Any, key: str, text: str) -> None:
    """Focus the field's input, clear it and type ``text`` like a user.

    Long values are set up to their last four characters, which are typed: each key costs Pilot a
    screen refresh, and the live validation under test reacts to the typed keys.
    """
    control = dialog.field(key).control
    assert isinstance(control, Input)
    control.value = text[:-4] if len(text) > 8 else ""
    control.focus()
    await pilot.pause()
    await pilot.press("end", *(text[-4:] if len(text) > 8 else text))


async def open_preview(pilot: Any, app: SmtuiApp) -> Any:
    """Press ctrl+s in the form on screen and return the request preview it opens."""
    from smtui.tui.dialogs.preview import RequestPreviewDialog

    await pilot.press("ctrl+s")
    return await wait_screen(pilot, app, RequestPreviewDialog)


async def discard_changes(pilot: Any, app: SmtuiApp) -> None:
    """Close a changed form: Escape, then "Discard changes?" answered yes."""
    from smtui.tui.screens.prompt import DiscardChangesScreen

    await pilot.press("escape")
    prompt = await wait_screen(pilot, app, DiscardChangesScreen)
    await pilot.press("y")
    await wait_for(pilot, lambda: prompt not in app.screen_stack, what="the form closed")


async def operation_done(pilot: Any, app: SmtuiApp, operation: str, timeout: float = 15.0) -> Any:
    """Wait until the sidebar's newest ``operation`` is final; return it."""

    def final() -> Any:
        assert app.tracker is not None
        ops = [op for op in app.tracker.operations.values() if op.operation == operation]
        return ops[-1] if ops and not ops[-1].is_pending else None

    return await wait_for(pilot, final, timeout, what=f"{operation} to finish")


# ----------------------------------------------------------------------------- reading the screen


def screen_text(app: Any) -> str:
    """Everything on screen now, as plain text (from the SVG screenshot)."""
    svg = app.export_screenshot()
    parts = re.findall(r"<text[^>]*>(.*?)</text>", svg)
    return html.unescape("".join(parts)).replace("\xa0", " ")


def screen_lines(app: Any) -> list[str]:
    """Every line of the current screen (and the screens under it), as plain text."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, color_system=None)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text().splitlines()


def sidebar_text(app: Any) -> str:
    sidebar = app.browse.query_one(OpsSidebar)
    options = sidebar.query_one("OptionList")
    lines = []
    for index in range(options.option_count):
        group = options.get_option_at_index(index).prompt
        lines.extend(str(renderable) for renderable in group.renderables)
    return "\n".join(lines)


def notified(app: Any, text: str) -> bool:
    """Whether a toast whose message contains ``text`` was shown."""
    return any(text in str(n.message) for n in app._notifications)


def footer_keys(app: Any) -> tuple[list[FooterKey], FooterKey] | None:
    """The footer's keys left to right, and the command-palette key docked on the right
    (``None`` while the footer is being recomposed)."""
    keys = list(app.screen.query_one(KeyFooter).query(FooterKey))
    palette = next((k for k in keys if k.has_class("-command-palette")), None)
    if palette is None or not palette.region.width:
        return None
    return [k for k in keys if k is not palette], palette


async def assert_footer_fits(app: Any, pilot: Any, essentials: tuple[str, ...]) -> list[str]:
    def laid_out() -> tuple[list[FooterKey], FooterKey] | None:
        # The footer recomposes after the bindings change: wait for it, not for a fixed time.
        found = footer_keys(app)
        if found is None or not all(k in [f.key for f in found[0]] for k in essentials):
            return None
        return found

    keys, palette = await wait_for(pilot, laid_out, what=f"a footer showing {essentials}")
    shown = [k.key for k in keys]
    for key in keys:  # nothing is cut off or hidden under the palette key
        assert key.region.right <= palette.region.x, f"{key.key} {key.description} does not fit"
    return shown


# ----------------------------------------------------------------------------- snapshots


SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
"""The terminal sizes every main-screen snapshot is taken at."""


class CountingUuid:
    """Stands in for the ``uuid`` module in the emulator: uuid4() counts instead of drawing."""

    def __init__(self) -> None:
        self.counter = 0

    def uuid4(self) -> uuid.UUID:
        self.counter += 1
        return uuid.UUID(int=0x5EED_0000_0000_0000_0000_0000_0000_0000 + self.counter)

    def __getattr__(self, name: str) -> Any:
        return getattr(uuid, name)


IDS = CountingUuid()


def settle(app: Any) -> Any:
    """``run_before`` step: wait for the first list, then pin the endpoint shown in the header."""

    async def run(pilot: Any) -> None:
        await wait_for(pilot, lambda: app.client is not None and app.browse.table.row_count > 0)
        app.connection_info = dataclasses.replace(app.connection_info, host="127.0.0.1:8443")
        app.update_header()
        await wait_for(pilot, lambda: bool(app.browse.query_one("DetailsPane").title))
        await wait_for(pilot, lambda: footer_keys(app), what="the footer laid out")
        await at_rest(pilot, app)

    return run


class Backdrop(Screen[None]):
    def compose(self) -> Any:
        yield Static("smtui — dialogs over the console", id="backdrop")


class DialogApp(App[None]):
    """Shows one dialog over a plain screen, with the input cursors frozen for stable snapshots."""

    def __init__(self, make: Callable[[], Screen[Any]]) -> None:
        super().__init__()
        self.make = make

    def get_default_screen(self) -> Screen[Any]:
        return Backdrop()

    async def on_mount(self) -> None:
        await self.push_screen(self.make())
        for field in self.screen.query(Input):
            field.cursor_blink = False


# ----------------------------------------------------------------------------- dialogs without a console


IMAGES = [ImageChoice("ubuntu-14_04-LTS", "Linux"), ImageChoice("win-2012-R2", "Windows")]
ROLE_SIZES = [("Small (1 core)", "Small"), ("Medium (2 cores)", "Medium")]


class Host(App[None]):
    """An empty app to push dialogs on."""

    def __init__(self) -> None:
        super().__init__()
        self.results: list[Any] = []


async def push(pilot: Any, screen: Any) -> Any:
    pilot.app.push_screen(screen, pilot.app.results.append)
    await pilot.pause()
    return screen


def builder(**kw: Any) -> VMRoleBuilder:
    kw.setdefault("images", IMAGES)
    kw.setdefault("role_sizes", ROLE_SIZES)
    kw.setdefault("service_name", "svc")
    kw.setdefault("media_base", "https://acct.blob.core.windows.net/vhds")
    return VMRoleBuilder("deployment", **kw)


@dataclass
class FakeResponse:
    is_successful: bool
    status_code: int
    request_id: str | None = "abc123"
    error: Any = None


@dataclass
class FakeError:
    code: str
    message: str


@dataclass
class FakePreview:
    method: str = "POST"
    url: str = "https://127.0.0.1:1/sub/services/hostedservices/svc/deployments"
    headers: Any = None
    body: str | None = (
        "<Deployment xmlns='http://schemas.microsoft.com/windowsazure'><Name>svc</Name></Deployment>"
    )
