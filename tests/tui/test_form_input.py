"""Every key of a burst lands in the field that had focus when it was typed — in every form.

Each form is filled three ways, from its first field: ``pilot.press`` of the whole sequence (one
key at a time), the same keys posted all at once like a terminal burst (``tmux send-keys``; see
``tests.tui.keyboard``), and a bracketed paste of the values separated by Tabs. What is checked
is the request the form builds — the preview's body — not only the widgets.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Select

from smtui.api import operations_compute as compute
from smtui.api import operations_services as services
from smtui.forms.values import (
    CaptureValues,
    DataDiskValues,
    DeploymentValues,
    EndpointValues,
    OSDiskValues,
    ProvisioningValues,
    VMRoleValues,
)
from smtui.profiles.model import Profile
from smtui.tui.dialogs._form_screen import CONTROLS, FormScreen
from smtui.tui.dialogs.data_disk import AddDataDiskDialog, ModifyDataDiskDialog
from smtui.tui.dialogs.hosted_service import CreateHostedServiceDialog
from smtui.tui.dialogs.images import CaptureDialog, CreateOSImageDialog
from smtui.tui.dialogs.preview import RequestPreviewDialog
from smtui.tui.dialogs.vm_role import ImageChoice, VMRoleBuilder
from smtui.tui.screens.profile_form import ProfileForm
from smtui.tui.screens.prompt import PromptScreen
from tests.tui.helpers import Host, connection_for, push, wait_for
from tests.tui.keyboard import burst, key_events, paste

MODES = ("press", "burst", "paste")
SECRET = "Zq9!secret-PW"
IMAGE = "ubuntu-14_04-LTS"
IMAGES = [ImageChoice(IMAGE, "Linux"), ImageChoice("win-2012-R2", "Windows")]
SIZES = [("Small (1 core)", "Small"), ("Medium (2 cores)", "Medium")]
MEDIA = "https://acct.blob.core.windows.net/vhds"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.fixture
async def client(emulator: Any) -> AsyncIterator[Any]:
    c = connection_for(emulator).create_client()
    try:
        yield c
    finally:
        await c.aclose()


def current_text(control: Widget) -> str:
    if isinstance(control, Input):
        return control.value
    if isinstance(control, Select):
        return "" if control.value is Select.NULL else str(control.value)
    assert isinstance(control, Checkbox)
    return "x" if control.value else ""


def plan(form: FormScreen[Any], wanted: dict[str, str]) -> tuple[list[str], str]:
    """The keys that type ``wanted`` field by field (Tab between) from the focused field, and
    the same values as one Tab-separated paste (fields in between keep their values)."""
    chain = form.focus_chain
    assert form.focused is not None
    keys: list[str] = []
    parts: list[str] = []
    left = set(wanted)
    for widget in chain[chain.index(form.focused) :]:
        key = form.control_key(widget) if isinstance(widget, CONTROLS) else None
        if key in wanted:
            keys.append(wanted[key])
            left.discard(key)
        if isinstance(widget, CONTROLS):
            parts.append(wanted[key] if key in wanted else current_text(widget))
        if not left:
            break
        keys.append("tab")
    assert not left, f"not in the focus chain: {left}"
    return keys, "\t".join(parts)


async def type_in(pilot: Any, form: FormScreen[Any], wanted: dict[str, str], mode: str) -> None:
    await wait_for(pilot, lambda: form.focused is not None, what="first field focused")
    keys, pasted = plan(form, wanted)
    if mode == "press":
        await pilot.press(*[k for key in keys for k in ([key] if key == "tab" else list(key))])
    elif mode == "burst":
        await burst(pilot, *keys)
    else:
        await paste(pilot, pasted)


async def preview_body(pilot: Any) -> str:
    await pilot.press("ctrl+s")
    preview = await wait_for(
        pilot,
        lambda: pilot.app.screen if isinstance(pilot.app.screen, RequestPreviewDialog) else None,
        what="the preview",
    )
    return str(preview.body_text)


@dataclass
class Case:
    """A form, what to type into it, and what its request body must then hold."""

    make: Callable[[Any], FormScreen[Any]]
    wanted: dict[str, str]
    expected: tuple[str, ...]


def _hosted_service(client: Any) -> FormScreen[Any]:
    def make(m: Any) -> Any:
        options = {"Label": m.label, "Description": m.description, "Location": m.location}
        return services.create_hosted_service(m.service_name, {k: v for k, v in options.items() if v})

    return CreateHostedServiceDialog([("West US", "West US")], preview=lambda m: client.preview(make(m)))


def _deployment(client: Any) -> FormScreen[Any]:
    def make(m: Any) -> Any:
        return compute.create_deployment(
            "svc", m.name, m.role_list[0], {"DeploymentSlot": m.deployment_slot, "Label": m.label}
        )

    role = VMRoleValues(
        os_disk=OSDiskValues(source_image_name=IMAGE),
        data_disks=[DataDiskValues(lun="0", size_gb="10")],
        endpoints=[EndpointValues("SSH", "tcp", "22", "22")],
    )
    return VMRoleBuilder(
        "deployment", images=IMAGES, role_sizes=SIZES, media_base=MEDIA, service_name="svc",
        values=DeploymentValues(name="svc", label="svc", role=role),
        preview=lambda m: client.preview(make(m)),
    )  # fmt: skip


def _add_role(client: Any) -> FormScreen[Any]:
    return VMRoleBuilder(
        "add", images=IMAGES, role_sizes=SIZES, media_base=MEDIA, service_name="svc",
        values=VMRoleValues(os_disk=OSDiskValues(source_image_name=IMAGE),
                            endpoints=[EndpointValues("SSH", "tcp", "22", "22")]),
        preview=lambda m: client.preview(compute.add_role("svc", "dep", m)),
    )  # fmt: skip


def _modify_role(client: Any) -> FormScreen[Any]:
    current = VMRoleValues(
        role_name="vm0",
        role_size="Small",
        endpoints=[EndpointValues("SSH", "tcp", "22", "22"), EndpointValues("Web", "tcp", "80", "80")],
    )
    return VMRoleBuilder(
        "modify", role_sizes=SIZES, service_name="svc", values=current,
        preview=lambda m: client.preview(compute.modify_role("svc", "dep", "vm0", m)),
    )  # fmt: skip


def _add_disk(client: Any) -> FormScreen[Any]:
    def make(d: Any) -> Any:
        return compute.add_data_disk("svc", "dep", "vm0", d)

    return AddDataDiskDialog("vm0", luns_in_use=[0], preview=lambda d: client.preview(make(d)))


def _modify_disk(client: Any) -> FormScreen[Any]:
    current = DataDiskValues(mode="existing", lun="1", label="old", disk_name="svc-disk-1")
    return ModifyDataDiskDialog(
        current, role_name="vm0", luns_in_use=[0, 1],
        preview=lambda d: client.preview(compute.modify_data_disk("svc", "dep", "vm0", 1, d)),
    )  # fmt: skip


def _capture(client: Any) -> FormScreen[Any]:
    values = CaptureValues(
        post_capture_action="Reprovision",
        target_image_name="vm0-image",
        provisioning=ProvisioningValues(os="Linux", host_name="vm0"),
    )
    return CaptureDialog(
        "vm0", values=values,
        preview=lambda b: client.preview(compute.capture_role_instance("svc", "dep", "vm0", b)),
    )  # fmt: skip


def _os_image(client: Any) -> FormScreen[Any]:
    def make(i: Any) -> Any:
        options = {"Label": i.label, "Description": i.description}
        return services.create_os_image(i.os, i.name, i.media_link, {k: v for k, v in options.items() if v})

    return CreateOSImageDialog(preview=lambda i: client.preview(make(i)))


CASES = {
    "hosted-service": Case(
        _hosted_service,
        {"service_name": "name-a", "label": "Label A", "description": "Desc A"},
        ("<ServiceName>name-a</ServiceName>", f"<Label>{b64('Label A')}</Label>",
         "<Description>Desc A</Description>"),
    ),
    "vm-deployment": Case(
        _deployment,
        {"name": "dep-a", "label": "Dep A", "role_name": "web1", "os_disk.media_link": f"{MEDIA}/mine.vhd",
         "provisioning.host_name": "host-a", "provisioning.user_name": "azureuser",
         "provisioning.password": SECRET, "data_disks.0.label": "logs", "data_disks.0.size_gb": "20",
         "endpoints.0.name": "HTTP", "endpoints.0.public_port": "80", "endpoints.0.local_port": "8080"},
        ("<Name>dep-a</Name>", "<Label>Dep A</Label>", "<RoleName>web1</RoleName>",
         f"<MediaLink>{MEDIA}/mine.vhd</MediaLink>", "<HostName>host-a</HostName>",
         "<UserName>azureuser</UserName>", "<UserPassword>********</UserPassword>",
         "<DiskLabel>logs</DiskLabel>", "<LogicalDiskSizeInGB>20</LogicalDiskSizeInGB>",
         "<Name>HTTP</Name>", "<Port>80</Port>", "<LocalPort>8080</LocalPort>"),
    ),
    "add-role": Case(
        _add_role,
        {"role_name": "web2", "provisioning.host_name": "host-b", "provisioning.user_name": "azureuser",
         "provisioning.password": SECRET, "endpoints.0.public_port": "2222"},
        ("<RoleName>web2</RoleName>", "<HostName>host-b</HostName>", "<Port>2222</Port>",
         f"<MediaLink>{MEDIA}/svc-web2-os.vhd</MediaLink>"),
    ),
    "modify-role": Case(
        _modify_role,
        {"endpoints.0.public_port": "2200", "endpoints.1.name": "HTTPS", "endpoints.1.public_port": "443",
         "endpoints.1.local_port": "8443"},
        ("<Port>2200</Port>", "<Name>HTTPS</Name>", "<Port>443</Port>", "<LocalPort>8443</LocalPort>"),
    ),
    "add-data-disk": Case(
        _add_disk,
        {"data_disk.label": "logs b", "data_disk.size_gb": "30", "data_disk.media_link": f"{MEDIA}/d.vhd"},
        ("<DiskLabel>logs b</DiskLabel>", "<LogicalDiskSizeInGB>30</LogicalDiskSizeInGB>",
         f"<MediaLink>{MEDIA}/d.vhd</MediaLink>"),
    ),
    "modify-data-disk": Case(
        _modify_disk, {"label": "renamed disk"}, ("<DiskLabel>renamed disk</DiskLabel>",)
    ),
    "capture": Case(
        _capture,
        {"target_image_name": "img-a", "target_image_label": "Image A", "provisioning.host_name": "host-c",
         "provisioning.user_name": "azureuser", "provisioning.password": SECRET},
        ("<TargetImageName>img-a</TargetImageName>", "<TargetImageLabel>Image A</TargetImageLabel>",
         "<HostName>host-c</HostName>", "<UserName>azureuser</UserName>"),
    ),
    "os-image": Case(
        _os_image,
        {"name": "img-b", "label": "Image B", "media_link": f"{MEDIA}/i.vhd"},
        ("<Name>img-b</Name>", "<Label>Image B</Label>", f"<MediaLink>{MEDIA}/i.vhd</MediaLink>"),
    ),
}  # fmt: skip


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("form", sorted(CASES))
async def test_every_key_lands_in_its_field(client: Any, form: str, mode: str) -> None:
    case = CASES[form]
    async with Host().run_test(size=(120, 40)) as pilot:
        dialog = await push(pilot, case.make(client))
        await type_in(pilot, dialog, case.wanted, mode)
        for key, text in case.wanted.items():
            assert dialog.value(key) == text, (key, dialog.value(key))
        body = await preview_body(pilot)
        missing = [e for e in case.expected if e not in body]
        assert not missing, (missing, body)
        assert SECRET not in body


@pytest.mark.parametrize("mode", MODES)
async def test_profile_form_takes_a_burst(mode: str, tmp_path: Path) -> None:
    wanted = {"f-name": "prod", "f-subscription_id": "11111111-2222-3333-4444-555555555555",
              "f-host": "management.example.net", "f-api_version": "2014-10-01",
              "f-cert_path": str(tmp_path / "c.pem"), "f-key_path": str(tmp_path / "k.pem")}  # fmt: skip
    async with Host().run_test(size=(120, 40)) as pilot:
        form = await push(pilot, ProfileForm())
        await type_in(pilot, form, wanted, mode)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: pilot.app.results, what="the profile")
    (profile,) = pilot.app.results
    assert isinstance(profile, Profile)
    assert (profile.name, profile.subscription_id, profile.host) == (
        "prod",
        "11111111-2222-3333-4444-555555555555",
        "management.example.net",
    )
    assert (profile.cert_path, profile.key_path) == (str(tmp_path / "c.pem"), str(tmp_path / "k.pem"))


async def test_prompt_closes_on_enter_before_the_next_keys() -> None:
    """Keys after Enter go to the screen below, not into the closing prompt's input."""
    async with Host().run_test(size=(80, 24)) as pilot:
        await push(pilot, PromptScreen("Track an operation"))
        await burst(pilot, "abc-123", "enter", "zz")
        assert pilot.app.results == ["abc-123"]


async def test_a_paste_without_tabs_stays_in_the_focused_field(client: Any) -> None:
    async with Host().run_test(size=(120, 40)) as pilot:
        dialog = await push(pilot, _hosted_service(client))
        await paste(pilot, "name-c")
        await burst(pilot, "tab", "Label C")
        assert (dialog.value("service_name"), dialog.value("label")) == ("name-c", "Label C")


async def test_create_service_burst_reaches_the_emulator(emulator: Any, tmp_path: Path) -> None:
    """The blocker as reported: ``1``, ``c``, one burst, preview, send — the service has the label."""
    import uuid

    from smtui.tui.app import SmtuiApp
    from smtui.tui.nodes import Kind, category

    name = f"burst-{uuid.uuid4().hex[:6]}"
    app = SmtuiApp(connection=connection_for(emulator), refresh_interval=0,
                   operations_file=tmp_path / "ops.json", user_host="t@h")  # fmt: skip
    async with app.run_test(size=(120, 40)) as pilot:
        services_key = category(Kind.SERVICES).key
        await wait_for(pilot, lambda: app.browse is not None and services_key in app.browse.listings)
        await pilot.press("1", "c")
        dialog = await wait_for(
            pilot, lambda: app.screen if isinstance(app.screen, CreateHostedServiceDialog) else None
        )
        await wait_for(pilot, lambda: dialog.focused is not None)
        await burst(pilot, name, "tab", "Label A", "tab", "Desc A")
        body = await preview_body(pilot)
        assert f"<ServiceName>{name}</ServiceName>" in body and "<Description>Desc A</Description>" in body
        await pilot.press("enter")
        forms = (CreateHostedServiceDialog, RequestPreviewDialog)
        await wait_for(pilot, lambda: not isinstance(app.screen, forms))
    client = connection_for(emulator).create_client()
    try:
        got = await client.get_hosted_service(name)
    finally:
        await client.aclose()
    props = got.response.hosted_service_properties
    assert (props.label, props.description) == ("Label A", "Desc A")


@pytest.mark.parametrize("gap", [0, 1, 2, 3, 5, 8, 12])
async def test_typed_name_confirmation_keeps_every_letter_of_two_quick_reads(gap: int) -> None:
    """Letters typed while Cancel has focus go to the name field; none is lost while focus moves.

    Two terminal reads ``gap`` event-loop turns apart: before the fix the second read was
    dropped when the focus moved to the name field while its letters were still on their way.
    """
    import asyncio

    from smtui.tui.dialogs.confirm import ConfirmDialog

    async with Host().run_test(size=(80, 24)) as pilot:
        confirm = ConfirmDialog("Delete?", "my-svc-1", "DELETE /x", type_to_confirm="my-svc-1")
        dialog = await push(pilot, confirm)
        app = pilot.app
        for event in key_events("my-s"):
            event.set_sender(app)
            app.post_message(event)
        for _ in range(gap):
            await asyncio.sleep(0)
        await burst(pilot, "vc-1")
        assert dialog.query_one("#confirm-typed", Input).value == "my-svc-1"
