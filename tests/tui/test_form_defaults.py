"""Issue 8 §4: every form opens with defaults that are valid and safe for the target as it is.

Driven with keys against the shared emulator; each test checks the form, the request it would
send (the preview's body) and, where something is sent, what the emulator now holds.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from smtui.api import models
from smtui.forms.defaults import free_slot, free_ssh_port
from smtui.tui.dialogs.confirm import ConfirmDialog
from tests.tui.helpers import (
    IMAGE,
    SECRET,
    console,
    dialog_class,
    fill,
    open_preview,
    open_row,
    operation_done,
    run_client,
    screen_text,
    select_row,
    unique,
    wait_for,
)


def _vm(service: str, name: str, port: int, blob: str = "") -> models.VMRole:
    return models.VMRole(
        role_name=name,
        role_size="Small",
        configuration_sets=[
            models.LinuxProvisioningConfiguration(host_name=f"{name}-host", user_name="azureuser",
                                                  user_password=SECRET),
            models.NetworkConfiguration(
                input_endpoints=[models.InputEndpoint(local_port=22, name="SSH", port=port, protocol="tcp")]
            ),
        ],
        os_virtual_hard_disk=models.OSDisk(
            source_image_name=IMAGE,
            media_link=f"https://contosoportalvhds.blob.core.windows.net/vhds/{blob or service}-{name}.vhd",
        ),
    )  # fmt: skip


async def make_deployments(
    emulator: Any, *, ports: list[int], slots: tuple[str, ...] = ("Production",)
) -> str:
    """A hosted service with one deployment per slot; the first holds one role per port."""
    service = unique("d")

    async def create(client: Any) -> None:
        assert (await client.create_hosted_service(service, {"Location": "West US"})).is_successful
        for slot in slots:
            dep = service if slot == "Production" else f"{service}-{slot.lower()}"
            vm = _vm(service, "vm0", ports[0], dep)
            r = await client.create_deployment(service, dep, vm, {"DeploymentSlot": slot})
            assert r.is_successful, r.error
            await client.wait_for_operation(r.request_id, interval=0.02, timeout=10)
        for i, port in enumerate(ports[1:], start=1):
            r = await client.add_role(service, service, _vm(service, f"vm{i}", port))
            assert r.is_successful, r.error
            await client.wait_for_operation(r.request_id, interval=0.02, timeout=10)

    await run_client(emulator, create)
    return service


async def pick_image_and_user(pilot: Any, builder: Any, role: str) -> None:
    await fill(pilot, builder, "role_name", role)
    await fill(pilot, builder, "image_filter", "Ubuntu-14_04")
    builder.field("os_disk.source_image_name").control.focus()
    await pilot.press("enter", "down", "enter")
    await fill(pilot, builder, "provisioning.host_name", role)
    await fill(pilot, builder, "provisioning.user_name", "azureuser")
    await fill(pilot, builder, "provisioning.password", SECRET)


# ----------------------------------------------------------------------------- pure helpers


def test_free_ssh_port_skips_every_taken_port_whatever_its_protocol() -> None:
    assert free_ssh_port([]) == 22
    assert free_ssh_port([("tcp", 80)]) == 22
    assert free_ssh_port([("udp", 22)]) == 2222
    assert free_ssh_port([("tcp", 22), ("tcp", 2222)]) == 2223


def test_free_slot() -> None:
    assert free_slot({}) == "Production"
    assert free_slot({"production": "a"}) == "Staging"
    assert free_slot({"Production": "a", "Staging": "b"}) is None


# ----------------------------------------------------------------------------- add role: SSH endpoint


async def test_add_role_defaults_ssh_to_a_free_public_port(emulator: Any, tmp_path: Path) -> None:
    service = await make_deployments(emulator, ports=[22, 2222])
    async with console(emulator, tmp_path) as (app, pilot):
        await open_row(pilot, app, f"service/{service}")
        await open_row(pilot, app, f"deployment/{service}/{service}")
        await pilot.press("c")  # Add role
        builder = await wait_screen(pilot, app, "VMRoleBuilder")
        ssh = (builder.value("endpoints.0.name"), builder.value("endpoints.0.public_port"))
        assert ssh == ("SSH", "2223")
        assert builder.value("endpoints.0.local_port") == "22"
        await pick_image_and_user(pilot, builder, "vm2")
        errors = builder.revalidate()
        assert not any(key.startswith("endpoints.") for key in errors), errors
        preview = await open_preview(pilot, app)
        assert "<Port>2223</Port>" in preview.body_text and "<LocalPort>22</LocalPort>" in preview.body_text
        await pilot.press("enter")
        op = await operation_done(pilot, app, "AddRole")
        assert op.status == "Succeeded", (op.error_code, op.error_message)
    got = await run_client(emulator, lambda c: c.get_role(service, service, "vm2"))
    assert [(e.name, e.port) for e in got.response.network_configuration.input_endpoints] == [("SSH", 2223)]


# ----------------------------------------------------------------------------- create deployment: slot


async def wait_screen(pilot: Any, app: Any, name: str) -> Any:
    kind = dialog_class(name) if isinstance(name, str) else name
    return await wait_for(pilot, lambda: app.screen if isinstance(app.screen, kind) else None, what=str(name))


async def test_new_deployment_defaults_to_the_free_slot(emulator: Any, tmp_path: Path) -> None:
    service = await make_deployments(emulator, ports=[22])
    async with console(emulator, tmp_path) as (app, pilot):
        await open_row(pilot, app, f"service/{service}")
        await pilot.press("c")  # Create VM deployment
        builder = await wait_screen(pilot, app, "VMRoleBuilder")
        assert builder.value("slot") == "Staging"
        assert not builder.query("#slots-taken")
        await fill(pilot, builder, "name", f"{service}-stage")
        await pick_image_and_user(pilot, builder, "web")
        preview = await open_preview(pilot, app)
        assert "<DeploymentSlot>Staging</DeploymentSlot>" in preview.body_text
        await pilot.press("enter")
        op = await operation_done(pilot, app, "CreateDeployment")
        assert op.status == "Succeeded", (op.error_code, op.error_message)
    got = await run_client(emulator, lambda c: c.get_deployment_by_slot(service, "Staging"))
    assert got.response.name == f"{service}-stage"


async def test_both_slots_taken_is_said_before_send(emulator: Any, tmp_path: Path) -> None:
    service = await make_deployments(emulator, ports=[22], slots=("Production", "Staging"))
    async with console(emulator, tmp_path) as (app, pilot):
        await open_row(pilot, app, f"service/{service}")
        await pilot.press("c")
        builder = await wait_screen(pilot, app, "VMRoleBuilder")
        await pilot.pause()
        text = screen_text(app)
        assert "Both slots are taken" in text and f"Production: {service}" in text
        await fill(pilot, builder, "name", f"{service}-third")
        await pick_image_and_user(pilot, builder, "web")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is builder  # no preview, nothing sent
        assert builder.field("slot").error and "taken by deployment" in builder.field("slot").error
        assert app.tracker is not None and app.tracker.operations == {}


# ----------------------------------------------------------------------------- delete the only role


async def test_deleting_the_only_role_offers_the_deployment_delete(emulator: Any, tmp_path: Path) -> None:
    service = await make_deployments(emulator, ports=[22])
    async with console(emulator, tmp_path) as (app, pilot):
        await open_row(pilot, app, f"service/{service}")
        await open_row(pilot, app, f"deployment/{service}/{service}")
        await select_row(pilot, app, f"role/{service}/{service}/vm0")
        await pilot.press("d")
        offer = await wait_screen(pilot, app, ConfirmDialog)
        assert offer.title_text == f"vm0 is the only role of deployment {service}"
        assert "delete deployment" in offer.target and "400" in offer.target
        assert offer.call.endswith(f"/services/hostedservices/{service}/deployments/{service}")
        await pilot.press("y")
        typed = await wait_for(
            pilot,
            lambda: app.screen if app.screen is not offer and isinstance(app.screen, ConfirmDialog) else None,
        )
        assert typed.type_to_confirm == service
        await pilot.press(*service, "enter")
        op = await operation_done(pilot, app, "DeleteDeployment")
        assert op.status == "Succeeded", (op.error_code, op.error_message)
        assert not any(o.operation == "DeleteRole" for o in app.tracker.operations.values())  # type: ignore[union-attr]
    got = await run_client(emulator, lambda c: c.get_hosted_service(service, embed_detail=True))
    assert got.response.deployments == []


async def test_the_only_role_offer_can_be_cancelled(emulator: Any, tmp_path: Path) -> None:
    service = await make_deployments(emulator, ports=[22])
    async with console(emulator, tmp_path) as (app, pilot):
        await open_row(pilot, app, f"service/{service}")
        await open_row(pilot, app, f"deployment/{service}/{service}")
        await select_row(pilot, app, f"role/{service}/{service}/vm0")
        await pilot.press("d")
        await wait_screen(pilot, app, ConfirmDialog)
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is app.browse, what="back to the list")
        assert app.tracker is not None and app.tracker.operations == {}
    got = await run_client(emulator, lambda c: c.get_deployment(service, service))
    assert [r.role_name for r in got.response.role_list] == ["vm0"]


# ----------------------------------------------------------------------------- capture


async def test_capture_of_a_running_vm_shuts_it_down_first_in_one_flow(emulator: Any, tmp_path: Path) -> None:
    service = await make_deployments(emulator, ports=[22, 2222])
    image = unique("cap")
    async with console(emulator, tmp_path) as (app, pilot):
        await open_row(pilot, app, f"service/{service}")
        await open_row(pilot, app, f"deployment/{service}/{service}")
        await select_row(pilot, app, f"role/{service}/{service}/vm1")
        await pilot.press("C")
        dialog = await wait_screen(pilot, app, "CaptureDialog")
        await pilot.pause()
        text = screen_text(app)
        assert "vm1 is running (ReadyRole): the service captures only a stopped VM." in text
        assert "Shut down first (Stopped), then capture" in text
        # No PostCaptureAction is preselected; Send refuses until one is picked.
        assert dialog.value("post_capture_action") == ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert "Delete or Reprovision" in dialog.field("post_capture_action").error
        assert "must be stopped first" in dialog.field("shutdown_first").error

        # Keys only: tick "shut down first", then pick Reprovision in the drop-down.
        dialog.field("shutdown_first").control.focus()
        await pilot.press("space", "tab", "enter", "down", "down", "enter")
        await pilot.pause()
        assert dialog.value("shutdown_first") is True
        assert dialog.value("post_capture_action") == "Reprovision"
        assert dialog.value("provisioning.host_name") == "vm1-host"  # the VM's, not the role name
        await fill(pilot, dialog, "target_image_name", image)
        await fill(pilot, dialog, "provisioning.user_name", "azureuser")
        await fill(pilot, dialog, "provisioning.password", SECRET)
        preview = await open_preview(pilot, app)
        body = preview.body_text
        assert "<PostCaptureAction>Reprovision</PostCaptureAction>" in body
        assert "<HostName>vm1-host</HostName>" in body
        await pilot.press("enter")
        op = await operation_done(pilot, app, "CaptureRoleInstance")
        assert op.status == "Succeeded", (op.error_code, op.error_message)
        ops = [o.operation for o in app.tracker.operations.values()]  # type: ignore[union-attr]
        assert ops == ["ShutdownRoleInstance", "CaptureRoleInstance"]
    got = await run_client(emulator, lambda c: c.list_os_images())
    assert image in {i.name for i in got.response}


async def test_capture_delete_is_named_destructive(emulator: Any, tmp_path: Path) -> None:
    service = await make_deployments(emulator, ports=[22, 2222])
    async with console(emulator, tmp_path) as (app, pilot):
        await open_row(pilot, app, f"service/{service}")
        await open_row(pilot, app, f"deployment/{service}/{service}")
        await select_row(pilot, app, f"role/{service}/{service}/vm1")
        await pilot.press("C")
        dialog = await wait_screen(pilot, app, "CaptureDialog")
        dialog.field("post_capture_action").control.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "Delete (DESTRUCTIVE: the VM is deleted)" in screen_text(app)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert dialog.value("post_capture_action") == "Delete"
        assert "is DELETED after the capture" in screen_text(app)


# ----------------------------------------------------------------------------- description


async def test_empty_description_shows_the_default_it_sends(emulator: Any, tmp_path: Path) -> None:
    service = unique("desc")
    async with console(emulator, tmp_path) as (app, pilot):
        await pilot.press("c")
        await wait_screen(pilot, app, "CreateHostedServiceDialog")
        await pilot.press(*service)
        await pilot.pause()
        assert "empty: sends 'Service host'" in screen_text(app)
        preview = await open_preview(pilot, app)
        assert "<Description>Service host</Description>" in preview.body_text
        await pilot.press("enter")
        assert (await operation_done(pilot, app, "CreateHostedService")).status == "Succeeded"
    got = await run_client(emulator, lambda c: c.get_hosted_service(service))
    assert got.response.hosted_service_properties.description == "Service host"


# ----------------------------------------------------------------------------- OS image names


def row_texts(app: Any) -> list[str]:
    """The list's rows as drawn (one string per row, header excluded)."""
    table = app.browse.table
    return ["".join(s.text for s in table.render_line(y)).rstrip() for y in range(1, table.size.height)]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_os_images_sharing_a_publisher_prefix_are_told_apart(
    emulator: Any, tmp_path: Path, size: tuple[int, int]
) -> None:
    async with console(emulator, tmp_path) as (app, pilot):
        await pilot.resize_terminal(*size)
        await pilot.press("2")
        await wait_for(pilot, lambda: app.browse.table.row_count > 20, what="the images")  # type: ignore[union-attr]
        if size[0] == 80:
            await pilot.press("t")  # the tree hidden: the list has the whole width
        await pilot.pause()
        rows = [r for r in row_texts(app) if r.strip()]
        assert rows[0].startswith("CoreCLR x64")  # the label first
        assert "…" in rows[0] and rows[0].count("03f55de797f546a1b29d1b8d66be687a") == 0  # name cut mid
        assert "1504.29" in rows[0]  # the end of the name, which tells them apart
        # The eight images of one publisher (same 32-digit prefix) no longer read alike.
        publisher = [r for r in rows if "  03…" in r or "  03f55" in r]  # however long the head
        assert len(publisher) == 8 and len(set(publisher)) == 8, "\n".join(rows)


async def test_image_picker_shows_labels_and_the_name_in_details(emulator: Any, tmp_path: Path) -> None:
    service = await make_deployments(emulator, ports=[22])
    async with console(emulator, tmp_path) as (app, pilot):
        await open_row(pilot, app, f"service/{service}")
        await open_row(pilot, app, f"deployment/{service}/{service}")
        await pilot.press("c")
        builder = await wait_screen(pilot, app, "VMRoleBuilder")
        await fill(pilot, builder, "image_filter", "Ubuntu-14_04")
        builder.field("os_disk.source_image_name").control.focus()
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Ubuntu Server 14.04" in text and "b39f27a8b8c64d52b05eac6a62ebad85__" not in text
        await pilot.press("down", "enter")
        await pilot.pause()
        name = builder.value("os_disk.source_image_name")
        assert name.startswith("b39f27a8b8c64d52b05eac6a62ebad85__Ubuntu-14_04")
        assert str(builder.query_one("#image-name").content) == f"image name: {name}"
