"""Enter in the forms, typed fast: "+ Add" rows take the keys typed after them, and Enter on the
last field goes on to the preview even when that field is a drop-down or a checkbox.

Keys are posted as one burst (like ``tmux send-keys`` or a fast typist: the app reads them all
before it handles the first) and, where it applies, as a bracketed paste; what is checked is the
request the form builds — the preview's body.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Button, Checkbox, Select

from smtui.api import operations_compute as compute
from smtui.api import operations_services as services
from smtui.forms.values import (
    DataDiskValues,
    DeploymentValues,
    EndpointValues,
    OSDiskValues,
    ProvisioningValues,
    VMRoleValues,
)
from smtui.profiles.connection import Connection
from smtui.profiles.model import Profile
from smtui.tui.dialogs.hosted_service import CreateHostedServiceDialog
from smtui.tui.dialogs.images import CreateOSImageDialog
from smtui.tui.dialogs.preview import RequestPreviewDialog
from smtui.tui.dialogs.vm_role import ImageChoice, VMRoleBuilder
from smtui.tui.screens.profile_form import ProfileForm
from tests.tui.helpers import wait_for
from tests.tui.keyboard import burst, paste

IMAGE = "ubuntu-14_04-LTS"
IMAGES = [ImageChoice(IMAGE, "Linux"), ImageChoice("win-2012-R2", "Windows")]
SIZES = [("Small (1 core)", "Small"), ("Medium (2 cores)", "Medium")]
THUMB = "0123456789ABCDEF0123456789ABCDEF01234567"
MEDIA = "https://acct.blob.core.windows.net/vhds"


# ----------------------------------------------------------------------------- helpers


class Host(App[None]):
    """An empty app to push forms on; keeps what they return."""

    def __init__(self) -> None:
        super().__init__()
        self.results: list[Any] = []


async def open_form(pilot: Any, form: Any) -> Any:
    pilot.app.push_screen(form, pilot.app.results.append)
    await wait_for(pilot, lambda: form.focused is not None, what="the form's first field")
    return form


async def the_preview(pilot: Any) -> str:
    preview = await wait_for(
        pilot,
        lambda: pilot.app.screen if isinstance(pilot.app.screen, RequestPreviewDialog) else None,
        what="the preview",
    )
    return str(preview.body_text)


@pytest.fixture
async def client(emulator: Any) -> AsyncIterator[Any]:
    c = Connection.to_emulator(emulator).create_client()
    try:
        yield c
    finally:
        await c.aclose()


def deployment_builder(client: Any) -> VMRoleBuilder:
    role = VMRoleValues(
        role_name="web1",
        os_disk=OSDiskValues(source_image_name=IMAGE, media_link=f"{MEDIA}/os.vhd"),
        provisioning=ProvisioningValues(
            os="Linux", host_name="web1", user_name="azureuser", password="Zq9!pw-1"
        ),  # fmt: skip
        data_disks=[DataDiskValues(lun="0", size_gb="10", label="first")],
        endpoints=[EndpointValues("SSH", "tcp", "22", "22")],
    )

    def make(m: Any) -> Any:
        return compute.create_deployment("svc", m.name, m.role_list[0], {"DeploymentSlot": m.deployment_slot,
                                                                         "Label": m.label})  # fmt: skip

    return VMRoleBuilder(
        "deployment", images=IMAGES, role_sizes=SIZES, media_base=MEDIA, service_name="svc",
        values=DeploymentValues(name="dep", label="dep", role=role),
        preview=lambda m: client.preview(make(m)),
    )  # fmt: skip


def element_with(body: str, tag: str, part: str) -> str:
    """The ``<tag>…</tag>`` element of ``body`` that holds ``part``."""
    for chunk in body.split(f"<{tag}>")[1:]:
        element = chunk.split(f"</{tag}>")[0]
        if part in element:
            return element
    raise AssertionError(f"no <{tag}> with {part} in\n{body}")


async def focus_by_keys(pilot: Any, form: Any, target: Any) -> None:
    """Tab from the first field until ``target`` has focus (as a user gets there)."""
    for _ in range(len(form.focus_chain) + 1):
        if form.focused is target:
            return
        await pilot.press("tab")
    raise AssertionError(f"{target} is not reachable with Tab")


# ----------------------------------------------------------------------------- "+ Add" rows


@pytest.mark.parametrize("mode", ["burst", "paste"])
async def test_enter_on_add_endpoint_then_typing_fills_the_new_row(client: Any, mode: str) -> None:
    async with Host().run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, deployment_builder(client))
        await focus_by_keys(pilot, form, form.query_one("#add-endpoint", Button))
        if mode == "burst":
            await burst(pilot, "enter", "HTTPS", "tab", "tab", "443", "tab", "8443", "ctrl+s")
        else:
            await burst(pilot, "enter")
            await paste(pilot, "HTTPS\ttcp\t443\t8443")
            await burst(pilot, "ctrl+s")
        body = await the_preview(pilot)
    endpoint = element_with(body, "InputEndpoint", "<Name>HTTPS</Name>")
    assert "<Port>443</Port>" in endpoint and "<LocalPort>8443</LocalPort>" in endpoint, body
    assert "<Name>SSH</Name>" in body


async def test_enter_on_add_data_disk_then_typing_fills_the_new_row(client: Any) -> None:
    async with Host().run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, deployment_builder(client))
        await focus_by_keys(pilot, form, form.query_one("#add-disk", Button))
        # Mode, LUN and caching keep their defaults; the label and size are typed.
        await burst(pilot, "enter", "tab", "tab", "tab", "logs", "tab", "25", "ctrl+s")
        body = await the_preview(pilot)
    assert "<DiskLabel>first</DiskLabel>" in body
    new = element_with(body, "DataVirtualHardDisk", "<DiskLabel>logs</DiskLabel>")
    assert "<Lun>1</Lun>" in new and "<LogicalDiskSizeInGB>25</LogicalDiskSizeInGB>" in new, body


async def test_enter_on_a_rows_remove_button_then_typing_goes_on_in_order(client: Any) -> None:
    """Enter on ✕ removes the endpoint at once; the next Enter adds a row that takes the keys."""
    async with Host().run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, deployment_builder(client))
        remove = form.query_one("#endpoints Button.remove", Button)
        await focus_by_keys(pilot, form, remove)
        await burst(pilot, "enter", "enter", "Web", "tab", "tab", "80", "tab", "80", "ctrl+s")
        body = await the_preview(pilot)
    assert "<Name>SSH</Name>" not in body
    assert "<Name>Web</Name>" in body and "<Port>80</Port>" in body, body


# ----------------------------------------------------------------------------- Enter on the last field


async def test_enter_on_a_last_drop_down_opens_the_preview(client: Any) -> None:
    """The hosted service form ends with Location: Enter there previews (space opens the list)."""

    def make(m: Any) -> Any:
        options = {"Label": m.label, "Description": m.description, "Location": m.location}
        return services.create_hosted_service(m.service_name, {k: v for k, v in options.items() if v})

    form_ = CreateHostedServiceDialog([("West US", "West US"), ("East US", "East US")],
                                      preview=lambda m: client.preview(make(m)))  # fmt: skip
    async with Host().run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, form_)
        await burst(pilot, "svc-enter", "enter", "Label E", "enter", "Desc E", "enter")
        assert isinstance(form.focused, Select)
        await burst(pilot, "space")
        await wait_for(pilot, lambda: form.focused is not None and not isinstance(form.focused, Select),
                       what="the drop-down open")  # fmt: skip
        await burst(pilot, "down", "enter")  # picks East US, the list closes
        await wait_for(pilot, lambda: isinstance(form.focused, Select), what="the drop-down closed")
        await burst(pilot, "enter")
        body = await the_preview(pilot)
    for part in ("<ServiceName>svc-enter</ServiceName>", "<Description>Desc E</Description>",
                 "<Location>East US</Location>"):  # fmt: skip
        assert part in body, body


async def test_enter_on_the_os_image_forms_last_drop_down_opens_the_preview(client: Any) -> None:
    def make(i: Any) -> Any:
        return services.create_os_image(i.os, i.name, i.media_link, {"Label": i.label})

    async with Host().run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, CreateOSImageDialog(preview=lambda i: client.preview(make(i))))
        last = form.form_controls()[-1]
        assert isinstance(last, Select)
        await burst(pilot, "img-e", "tab", "Image E", "tab", f"{MEDIA}/e.vhd")
        await focus_by_keys(pilot, form, last)
        await burst(pilot, "enter")
        body = await the_preview(pilot)
    assert "<Name>img-e</Name>" in body and f"<MediaLink>{MEDIA}/e.vhd</MediaLink>" in body, body


async def test_enter_on_the_profile_forms_last_checkbox_saves(tmp_path: Path) -> None:
    host = Host()
    async with host.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, ProfileForm())
        await burst(pilot, "prod", "tab", "11111111-2222-3333-4444-555555555555", "tab",
                    "management.example.net")  # fmt: skip
        await paste(pilot, "")
        cert, key = tmp_path / "c.pem", tmp_path / "k.pem"
        form.set_focus(form.query_one("#f-cert_path"))
        await burst(pilot, str(cert), "tab", str(key))
        last = form.form_controls()[-1]
        assert isinstance(last, Checkbox)
        await focus_by_keys(pilot, form, last)
        await burst(pilot, "space", "enter")
        await wait_for(pilot, lambda: host.results, what="the profile saved")
    (profile,) = host.results
    assert isinstance(profile, Profile)
    assert (profile.name, profile.read_only) == ("prod", True)


async def test_space_on_a_checkbox_then_tab_in_a_burst_keeps_the_toggle(client: Any) -> None:
    """The toggle is applied before the Tab behind it moves on (it was lost in a burst)."""
    async with Host().run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, deployment_builder(client))
        box = form.field("provisioning.disable_ssh_password_auth").control
        assert isinstance(box, Checkbox) and not box.value
        await focus_by_keys(pilot, form, box)
        await burst(pilot, "space", "tab", THUMB, "ctrl+s")
        assert box.value and form.value("provisioning.ssh_fingerprint") == THUMB
        body = await the_preview(pilot)
    assert "<DisableSshPasswordAuthentication>true</DisableSshPasswordAuthentication>" in body, body
    assert f"<Fingerprint>{THUMB}</Fingerprint>" in body, body
