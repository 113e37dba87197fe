"""The action set end to end: keys in the console, real requests to the in-process emulator.

Every test drives ``SmtuiApp`` with Pilot like a user (row cursor, Enter, the action keys,
typing into the dialogs) against the shared emulator over mutual TLS, and checks the outcome
both on screen and through the client.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from smtui.tui.dialogs.confirm import ConfirmDialog
from smtui.tui.nodes import Kind
from tests.tui.helpers import (
    IMAGE,
    SECRET,
    console,
    dialog_class,
    discard_changes,
    fill,
    go_to_role,
    make_vm,
    open_preview,
    open_row,
    operation_done,
    run_client,
    screen_text,
    select_row,
    unique,
    wait_for,
    wait_screen,
)

# ----------------------------------------------------------------------------- the seed's sample flow


async def test_sample_flow_entirely_through_the_ui(emulator: Any, tmp_path: Path) -> None:
    service = unique("flow")
    async with console(emulator, tmp_path) as (app, pilot):
        # 1. Create the hosted service.
        await pilot.press("c")
        dialog = await wait_screen(pilot, app, dialog_class("CreateHostedServiceDialog"))
        await fill(pilot, dialog, "service_name", service)
        # Where the demo has a storage account: VHDs must be in the service's region.
        dialog.field("location").value = "West US"
        preview = await open_preview(pilot, app)
        assert preview.request_line.endswith("/services/hostedservices")
        await pilot.press("enter")
        op = await operation_done(pilot, app, "CreateHostedService")
        assert op.status == "Succeeded"

        # 2. Into the new service; create a deployment with a VMRole (OS disk, data disk,
        #    provisioning set, network set with an endpoint).
        await open_row(pilot, app, f"service/{service}")
        await pilot.press("c")
        builder = await wait_screen(pilot, app, dialog_class("VMRoleBuilder"))
        await fill(pilot, builder, "role_name", "web1")
        await fill(pilot, builder, "image_filter", "Ubuntu-14_04")
        builder.field("os_disk.source_image_name").control.focus()
        await pilot.press("enter", "down", "enter")
        await fill(pilot, builder, "provisioning.host_name", "web1")
        await fill(pilot, builder, "provisioning.user_name", "azureuser")
        await fill(pilot, builder, "provisioning.password", SECRET)
        builder.query_one("#add-disk").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert builder.value("data_disks.0.lun") == "0"
        assert [e.name for e in builder.role_values().endpoints] == ["SSH"]
        preview = await open_preview(pilot, app)
        body = preview.body_text
        assert "<AdminPassword>" not in body and "<UserPassword>********</UserPassword>" in body
        assert SECRET not in preview.text
        for element in ("<OSVirtualHardDisk>", "<DataVirtualHardDisk>", "LinuxProvisioningConfiguration",
                        "<InputEndpoint>", f"<Name>{service}</Name>"):  # fmt: skip
            assert element in body
        assert preview.request_line.endswith(f"/services/hostedservices/{service}/deployments")
        await pilot.press("enter")

        # 3. The sidebar follows the operation until it succeeds.
        op = await operation_done(pilot, app, "CreateDeployment")
        assert op.status == "Succeeded", (op.error_code, op.error_message)
        await wait_for(pilot, lambda: "✔ Succeeded" in screen_text(app), what="sidebar Succeeded")
        assert "CreateDeployment" in screen_text(app)

        # 4. The role instance reaches ReadyRole in the tree / list.
        await open_row(pilot, app, f"deployment/{service}/{service}")
        role_key = f"role/{service}/{service}/web1"

        def ready() -> bool:
            browse = app.browse
            assert browse is not None
            item = browse.items.get(role_key)
            if item is None or item.cells[2] != "ReadyRole":
                browse.action_refresh()
                return False
            return True

        await wait_for(pilot, ready, what="ReadyRole")

    # The deployment really has what the form said.
    dep = await run_client(emulator, lambda c: c.get_deployment(service, service))
    (role,) = dep.response.role_list
    assert [d.lun or 0 for d in role.data_virtual_hard_disks] == [0]  # LUN 0 comes back without <Lun>
    assert role.os_virtual_hard_disk.source_image_name.startswith(
        "b39f27a8b8c64d52b05eac6a62ebad85__Ubuntu-14_04"
    )
    assert [(e.name, e.port) for e in role.network_configuration.input_endpoints] == [("SSH", 22)]


# ----------------------------------------------------------------------------- data disks


async def test_add_modify_remove_data_disk(emulator: Any, tmp_path: Path) -> None:
    service, dep, (role,) = await make_vm(emulator)
    async with console(emulator, tmp_path) as (app, pilot):
        await go_to_role(pilot, app, service, dep, role)
        # Add: a new empty 20 GB disk at the first free LUN.
        await pilot.press("c")
        dialog = await wait_screen(pilot, app, dialog_class("AddDataDiskDialog"))
        assert dialog.value("data_disk.lun") == "0"
        await fill(pilot, dialog, "data_disk.size_gb", "20")
        await fill(pilot, dialog, "data_disk.label", "logs")
        preview = await open_preview(pilot, app)
        assert preview.request_line.endswith(f"/roles/{role}/DataDisks")
        await pilot.press("enter")
        assert (await operation_done(pilot, app, "AddDataDisk")).status == "Succeeded"
        disk_key = f"data-disk/{service}/{dep}/{role}/0"
        await wait_for(pilot, lambda: disk_key in app.browse.items, what="disk row")  # type: ignore[union-attr]

        # Modify: caching ReadOnly -> ReadWrite.
        await select_row(pilot, app, disk_key)
        await pilot.press("e")
        dialog = await wait_screen(pilot, app, dialog_class("ModifyDataDiskDialog"))
        dialog.field("host_caching").control.focus()
        await pilot.press("enter", "down", "enter")  # None, ReadOnly, [ReadWrite]
        await pilot.pause()
        assert dialog.value("host_caching") == "ReadWrite"
        await open_preview(pilot, app)
        await pilot.press("enter")
        assert (await operation_done(pilot, app, "ModifyDataDisk")).status == "Succeeded"
        got = await run_client(emulator, lambda c: c.get_role(service, dep, role))
        (disk,) = got.response.data_virtual_hard_disks
        assert (disk.host_caching, disk.disk_label) == ("ReadWrite", "logs")

        # Remove, after a confirmation that names the disk and the call.
        await wait_for(pilot, lambda: disk_key in app.browse.items, what="disk row")  # type: ignore[union-attr]
        await select_row(pilot, app, disk_key)
        await pilot.press("d")
        confirm = await wait_screen(pilot, app, ConfirmDialog)
        assert f"LUN 0 of role {role}" in confirm.target
        assert confirm.call.startswith("DELETE https://") and confirm.call.endswith(
            f"/roles/{role}/DataDisks/0"
        )
        await pilot.press("y")
        assert (await operation_done(pilot, app, "RemoveDataDisk")).status == "Succeeded"
    got = await run_client(emulator, lambda c: c.get_role(service, dep, role))
    assert got.response.data_virtual_hard_disks == []


# ----------------------------------------------------------------------------- role instances


async def _instance_status(emulator: Any, service: str, dep: str, role: str) -> str:
    got = await run_client(emulator, lambda c: c.get_deployment(service, dep))
    return next(i.instance_status for i in got.response.role_instance_list if i.role_name == role)


async def test_shutdown_start_restart(emulator: Any, tmp_path: Path) -> None:
    service, dep, (role,) = await make_vm(emulator)
    async with console(emulator, tmp_path) as (app, pilot):
        await open_row(pilot, app, f"service/{service}")
        await open_row(pilot, app, f"deployment/{service}/{dep}")
        await select_row(pilot, app, f"role/{service}/{dep}/{role}")

        await pilot.press("H")
        confirm = await wait_screen(pilot, app, ConfirmDialog)
        assert app.focused is not None and app.focused.id == "cancel"
        assert "PostShutdownAction=Stopped)" in confirm.call
        confirm.query_one("#opt-deallocate").focus()
        await pilot.press("space")
        assert "PostShutdownAction=StoppedDeallocated" in confirm.call
        await pilot.press("y")
        assert (await operation_done(pilot, app, "ShutdownRoleInstance")).status == "Succeeded"
        assert await _instance_status(emulator, service, dep, role) == "StoppedDeallocated"

        await select_row(pilot, app, f"role/{service}/{dep}/{role}")
        await pilot.press("b")  # start: not destructive, no confirmation
        assert (await operation_done(pilot, app, "StartRoleInstance")).status == "Succeeded"
        assert await _instance_status(emulator, service, dep, role) == "ReadyRole"

        await select_row(pilot, app, f"role/{service}/{dep}/{role}")
        await pilot.press("R")
        await wait_screen(pilot, app, ConfirmDialog)
        await pilot.press("y")
        assert (await operation_done(pilot, app, "RestartRoleInstance")).status == "Succeeded"


async def test_capture_then_the_image_is_listed(emulator: Any, tmp_path: Path) -> None:
    service, dep, names = await make_vm(emulator, roles=2)
    image = unique("img")
    async with console(emulator, tmp_path) as (app, pilot):
        await go_to_role(pilot, app, service, dep, names[1])
        instance = f"instance/{service}/{dep}/{names[1]}/{names[1]}"
        await select_row(pilot, app, instance)
        # The service captures only a stopped VM; the form says so before anything is sent.
        await pilot.press("C")
        dialog = await wait_screen(pilot, app, dialog_class("CaptureDialog"))
        await fill(pilot, dialog, "target_image_name", image)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "must be stopped first" in dialog.field("shutdown_first").error
        assert app.screen is dialog and dialog.value("target_image_name") == image
        await discard_changes(pilot, app)  # the form has changes: "Discard changes?" first

        await select_row(pilot, app, instance)
        await pilot.press("H")
        await wait_screen(pilot, app, ConfirmDialog)
        await pilot.press("y")
        assert (await operation_done(pilot, app, "ShutdownRoleInstance")).status == "Succeeded"
        await select_row(pilot, app, instance)
        await pilot.press("C")
        dialog = await wait_screen(pilot, app, dialog_class("CaptureDialog"))
        assert not dialog.query("#capture-running")  # stopped: nothing to offer
        await pilot.press("enter", "down", "enter")  # After capture: (blank) → Delete
        await fill(pilot, dialog, "target_image_name", image)
        preview = await open_preview(pilot, app)
        assert "<PostCaptureAction>Delete</PostCaptureAction>" in preview.body_text
        await pilot.press("enter")
        confirm = await wait_screen(pilot, app, ConfirmDialog)  # Delete removes the VM: asked again
        assert "DELETE" in confirm.title_text
        await pilot.press("y")
        op = await operation_done(pilot, app, "CaptureRoleInstance")
        assert op.status == "Succeeded", (op.error_code, op.error_message)
        await pilot.press("2")  # OS images
        await wait_for(pilot, lambda: f"image/{image}" in app.browse.items, what="captured image")  # type: ignore[union-attr]
        assert app.browse.items[f"image/{image}"].cells[3] == "User"  # type: ignore[union-attr]


async def test_delete_role_confirmation_and_cancel(emulator: Any, tmp_path: Path) -> None:
    service, dep, names = await make_vm(emulator, roles=2)
    role_key = f"role/{service}/{dep}/{names[1]}"
    async with console(emulator, tmp_path) as (app, pilot):
        await open_row(pilot, app, f"service/{service}")
        await open_row(pilot, app, f"deployment/{service}/{dep}")
        await select_row(pilot, app, role_key)

        # Cancel path: Enter on the untouched dialog cancels; nothing is sent.
        await pilot.press("d")
        confirm = await wait_screen(pilot, app, ConfirmDialog)
        assert f"Role (VM) {names[1]} in deployment {dep} of hosted service {service}" in confirm.target
        assert confirm.call.endswith(f"/deployments/{dep}/roles/{names[1]}")
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, ConfirmDialog))
        assert app.tracker is not None and app.tracker.operations == {}
        got = await run_client(emulator, lambda c: c.get_deployment(service, dep))
        assert [r.role_name for r in got.response.role_list] == names

        # Confirmed, with its disks and blobs.
        await select_row(pilot, app, role_key)
        await pilot.press("d")
        confirm = await wait_screen(pilot, app, ConfirmDialog)
        confirm.query_one("#opt-media").focus()
        await pilot.press("space")
        assert confirm.call.endswith("?comp=media")
        await pilot.press("y")
        assert (await operation_done(pilot, app, "DeleteRole")).status == "Succeeded"
        await wait_for(pilot, lambda: role_key not in app.browse.items, what="role row gone")  # type: ignore[union-attr]
    got = await run_client(emulator, lambda c: c.get_deployment(service, dep))
    assert [r.role_name for r in got.response.role_list] == names[:1]


# ----------------------------------------------------------------------------- secrets


async def test_admin_password_never_logged_rendered_or_stored(
    emulator: Any, tmp_path: Path, caplog: Any, monkeypatch: Any
) -> None:
    """Create a Windows VM with an admin password; grep everything the app wrote for it."""
    import logging

    import textual.constants

    textual_log = tmp_path / "textual.log"
    monkeypatch.setattr(textual.constants, "LOG_FILE", str(textual_log))
    caplog.set_level(logging.DEBUG)
    service, dep, _ = await make_vm(emulator)
    screens: list[str] = []
    async with console(emulator, tmp_path) as (app, pilot):
        await open_row(pilot, app, f"service/{service}")
        await open_row(pilot, app, f"deployment/{service}/{dep}")
        await pilot.press("c")  # Add role
        builder = await wait_screen(pilot, app, dialog_class("VMRoleBuilder"))
        await fill(pilot, builder, "role_name", "win1")
        await fill(pilot, builder, "image_filter", "Windows-Server-2012")
        builder.field("os_disk.source_image_name").control.focus()
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        assert builder.value("provisioning.os") == "Windows"
        await fill(pilot, builder, "provisioning.host_name", "win1")
        await fill(pilot, builder, "provisioning.user_name", "azureadmin")
        await fill(pilot, builder, "provisioning.password", SECRET)
        await fill(pilot, builder, "endpoints.0.public_port", "3389")
        await fill(pilot, builder, "endpoints.0.local_port", "3389")
        await fill(pilot, builder, "endpoints.0.name", "RDP")
        screens.append(app.export_screenshot())
        preview = await open_preview(pilot, app)
        assert "<AdminPassword>********</AdminPassword>" in preview.body_text
        screens.append(app.export_screenshot())
        await pilot.press("enter")
        op = await operation_done(pilot, app, "AddRole")
        assert op.status == "Succeeded", (op.error_code, op.error_message)
        screens.append(app.export_screenshot())
        notifications = [f"{n.title} {n.message}" for n in app._notifications]
    written = [
        *screens,
        *notifications,
        caplog.text,
        *(r.getMessage() for r in caplog.records),
        textual_log.read_text() if textual_log.exists() else "",
        *(p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file() and p != textual_log),
    ]
    leaks = [text[:200] for text in written if SECRET in text]
    assert leaks == []
    assert textual_log.exists() and textual_log.stat().st_size > 0


# ----------------------------------------------------------------------------- conflicts, safety


async def test_409_from_a_concurrent_operation_is_shown_in_the_form(
    emulator_factory: Any, tmp_path: Path
) -> None:
    # operations take minutes (the test waits for the 409, not for them; a loaded machine must
    # not finish the deployment first); the demo seed has a West US storage account for the VHD
    emu = emulator_factory(seed="demo", speed=0.02)
    service, dep, (role,) = "busy", "busy", ["vm0"]
    from smtui.api import models

    async def begin(client: Any) -> None:
        assert (await client.create_hosted_service(service, {"Location": "West US"})).is_successful
        vm = models.VMRole(
            role_name=role, role_size="Small",
            configuration_sets=[models.LinuxProvisioningConfiguration(host_name=role, user_name="azureuser",
                                                                      user_password=SECRET)],
            os_virtual_hard_disk=models.OSDisk(source_image_name=IMAGE,
                                               media_link="https://contosoportalvhds.blob.core.windows.net/vhds/busy.vhd"),
        )  # fmt: skip
        assert (await client.create_deployment(service, dep, vm)).is_successful  # still in progress

    await run_client(emu, begin)
    async with console(emu, tmp_path) as (app, pilot):
        await open_row(pilot, app, f"service/{service}")
        await open_row(pilot, app, f"deployment/{service}/{dep}")
        await select_row(pilot, app, f"role/{service}/{dep}/{role}")
        await pilot.press("e")
        builder = await wait_screen(pilot, app, dialog_class("VMRoleBuilder"))
        builder.query_one("#add-endpoint").focus()
        await pilot.press("enter")
        await pilot.press(*"web", "tab", "tab", "8", "0", "tab", "8", "0")
        await open_preview(pilot, app)
        await pilot.press("enter")
        message = await wait_for(pilot, lambda: builder.service_error, what="the 409 in the form")
        assert message.startswith("409 ConflictError: ") and "exclusive access" in message
        assert "(request id " in message
        assert app.screen is builder and builder.value("endpoints.0.name") == "web"  # nothing lost
        assert app.tracker is not None and app.tracker.operations == {}


async def test_delete_deployment_needs_its_name_typed(emulator: Any, tmp_path: Path) -> None:
    service, dep, _ = await make_vm(emulator)
    async with console(emulator, tmp_path) as (app, pilot):
        await open_row(pilot, app, f"service/{service}")
        await select_row(pilot, app, f"deployment/{service}/{dep}")
        await pilot.press("d")
        confirm = await wait_screen(pilot, app, ConfirmDialog)
        assert confirm.call.endswith(f"/services/hostedservices/{service}/deployments/{dep}")
        confirm.query_one("#confirm-typed").focus()
        await pilot.press(*dep[:-1], "enter")  # one character short: refused
        assert app.screen is confirm
        await pilot.press(dep[-1], "enter")
        assert (await operation_done(pilot, app, "DeleteDeployment")).status == "Succeeded"
    got = await run_client(emulator, lambda c: c.get_hosted_service(service, embed_detail=True))
    assert got.response.deployments == []


async def test_read_only_hides_every_mutating_action(emulator: Any, tmp_path: Path) -> None:
    from smtui.tui import registry

    service, dep, (role,) = await make_vm(emulator)
    async with console(emulator, tmp_path, read_only=True) as (app, pilot):
        await open_row(pilot, app, f"service/{service}")
        await open_row(pilot, app, f"deployment/{service}/{dep}")
        await select_row(pilot, app, f"role/{service}/{dep}/{role}")
        browse = app.browse
        assert browse is not None
        for action in registry.actions():
            if action.mutating:
                assert browse.check_action("resource_action", (action.action_id,)) is False
        for key in ("c", "d", "e", "H", "R", "C"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is browse, key
        titles = [c.title for c in app.get_system_commands(browse)]
        assert "Delete role" not in titles and "Shut down" not in titles
        footer = screen_text(app)
        assert "Delete role" not in footer


async def test_actions_are_in_the_command_palette(emulator: Any, tmp_path: Path) -> None:
    service, dep, (role,) = await make_vm(emulator)
    async with console(emulator, tmp_path) as (app, pilot):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        expected = ("Create hosted service", "Create VM deployment", "Add role", "Modify role", "Delete role",
                    "Shut down", "Start", "Restart", "Capture image", "Add data disk", "Remove data disk",
                    "Create OS image", "Delete hosted service", "Delete deployment")  # fmt: skip
        for title in expected:
            assert title in titles
        await open_row(pilot, app, f"service/{service}")
        await open_row(pilot, app, f"deployment/{service}/{dep}")
        await select_row(pilot, app, f"role/{service}/{dep}/{role}")
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Restart")
        command.callback()
        confirm = await wait_screen(pilot, app, ConfirmDialog)
        assert confirm.title_text == f"Restart {role}?"
        await pilot.press("escape")


# ----------------------------------------------------------------------------- the rest of the action set


async def test_modify_role_size_and_endpoints(emulator: Any, tmp_path: Path) -> None:
    service, dep, (role,) = await make_vm(emulator)
    async with console(emulator, tmp_path) as (app, pilot):
        await open_row(pilot, app, f"service/{service}")
        await open_row(pilot, app, f"deployment/{service}/{dep}")
        await select_row(pilot, app, f"role/{service}/{dep}/{role}")
        await pilot.press("e")
        builder = await wait_screen(pilot, app, dialog_class("VMRoleBuilder"))
        assert builder.value("endpoints.0.public_port") == "22"
        builder.field("role_size").control.value = "Medium"
        builder.query_one("#add-endpoint").focus()
        await pilot.press("enter")
        await pilot.press(*"web", "tab", "tab", "8", "0", "tab", "8", "0")
        preview = await open_preview(pilot, app)
        assert preview.request_line.startswith("PUT ") and preview.request_line.endswith(f"/roles/{role}")
        assert "ProvisioningConfiguration" not in preview.body_text
        await pilot.press("enter")
        assert (await operation_done(pilot, app, "ModifyRole")).status == "Succeeded"
    got = await run_client(emulator, lambda c: c.get_role(service, dep, role))
    assert got.response.role_size == "Medium"
    assert sorted((e.name, e.port) for e in got.response.network_configuration.input_endpoints) == [
        ("SSH", 22),
        ("web", 80),
    ]


async def test_create_os_image_and_delete_hosted_service(emulator: Any, tmp_path: Path) -> None:
    image = unique("myimage")
    service = unique("gone")
    await run_client(emulator, lambda c: c.create_hosted_service(service, {"Location": "West US"}))
    async with console(emulator, tmp_path) as (app, pilot):
        await pilot.press("2")  # OS images
        await wait_for(pilot, lambda: app.browse.current.kind is Kind.IMAGES and app.browse.items)  # type: ignore[union-attr]
        await pilot.press("c")
        dialog = await wait_screen(pilot, app, dialog_class("CreateOSImageDialog"))
        await fill(pilot, dialog, "name", image)
        await fill(
            pilot, dialog, "media_link", f"https://contosoportalvhds.blob.core.windows.net/vhds/{image}.vhd"
        )
        preview = await open_preview(pilot, app)
        assert f"<Name>{image}</Name>" in preview.body_text
        await pilot.press("enter")
        assert (await operation_done(pilot, app, "CreateOSImage")).status == "Succeeded"
        await wait_for(pilot, lambda: f"image/{image}" in app.browse.items, what="new image")  # type: ignore[union-attr]
        assert app.browse.table.cursor_key == f"image/{image}"  # type: ignore[union-attr]

        await pilot.press("1")  # hosted services
        await select_row(pilot, app, f"service/{service}")
        await pilot.press("d")
        confirm = await wait_screen(pilot, app, ConfirmDialog)
        assert confirm.call.endswith(f"/services/hostedservices/{service}")
        confirm.query_one("#confirm-typed").focus()
        await pilot.press(*service, "enter")
        assert (await operation_done(pilot, app, "DeleteHostedService")).status == "Succeeded"
        await wait_for(pilot, lambda: f"service/{service}" not in app.browse.items, what="service gone")  # type: ignore[union-attr]


async def test_storage_keys_dialog_masks_and_copies(emulator: Any, tmp_path: Path) -> None:
    async with console(emulator, tmp_path, read_only=True) as (app, pilot):  # not a mutating action
        await pilot.press("4")  # storage accounts
        await select_row(pilot, app, "storage-account/contosoportalvhds")
        await pilot.press("K")
        dialog = await wait_screen(pilot, app, dialog_class("StorageKeysDialog"))
        primary = dialog._keys["primary"]
        assert len(primary) == 88 and primary not in screen_text(app)
        await pilot.press("c")
        assert app.clipboard == primary
        await pilot.press("escape")


async def test_vm_builder_suggests_a_vhd_in_the_service_region_or_says_there_is_none(
    emulator: Any, tmp_path: Path
) -> None:
    """VHDs must be in the hosted service's region (issue 9 §2): the builder's default follows."""
    async with console(emulator, tmp_path) as (app, pilot):
        await open_row(pilot, app, "service/fabrikam-api")  # North Europe: fabrikamdata
        await open_row(pilot, app, "deployment/fabrikam-api/fabrikam-api")
        await pilot.press("c")  # Add role
        builder = await wait_screen(pilot, app, dialog_class("VMRoleBuilder"))
        await fill(pilot, builder, "role_name", "api09")
        assert builder.value("os_disk.media_link") == (
            "https://fabrikamdata.blob.core.windows.net/vhds/fabrikam-api-api09-os.vhd"
        )
        assert not builder.query("#media-note")
        await discard_changes(pilot, app)  # the form has changes: "Discard changes?" first
        await pilot.press("escape", "escape")
        await open_row(pilot, app, "service/adventure-works")  # Southeast Asia: no account there
        await pilot.press("c")
        builder = await wait_screen(pilot, app, dialog_class("VMRoleBuilder"))
        await fill(pilot, builder, "role_name", "aw1")
        assert builder.value("os_disk.media_link") == ""
        note = str(builder.query_one("#media-note").render())
        assert "No storage account is in Southeast Asia" in note
