"""The dialogs on their own (no client): keys in, model or validation messages out."""

from __future__ import annotations

from typing import Any

from textual.widgets import Button, Input

from smtui.api import models
from smtui.tui.dialogs._fields import FormField
from smtui.tui.dialogs.confirm import ConfirmDialog, Confirmed
from smtui.tui.dialogs.data_disk import AddDataDiskDialog
from smtui.tui.dialogs.hosted_service import CreateHostedServiceDialog
from smtui.tui.dialogs.preview import RequestPreviewDialog
from smtui.tui.dialogs.storage_keys import MASK, StorageKeysDialog
from smtui.tui.dialogs.vm_role import VMRoleBuilder
from tests.tui.helpers import SECRET, FakeError, FakePreview, FakeResponse, Host, builder, push


async def fill(pilot: Any, dialog: Any, key: str, text: str) -> None:
    """Focus the field's input, clear it and type ``text`` like a user.

    Long values are pasted up to their last four characters, which are typed: each key costs
    Pilot a screen refresh, and the live validation under test reacts to the typed keys.
    """
    control = dialog.field(key).control
    assert isinstance(control, Input)
    control.value = text[:-4] if len(text) > 8 else ""
    control.focus()
    await pilot.pause()
    await pilot.press("end", *(text[-4:] if len(text) > 8 else text))
    if not text:
        await pilot.press("x", "backspace")


# ----------------------------------------------------------------------------- confirmation


async def test_confirm_focuses_cancel_and_enter_cancels() -> None:
    app = Host()
    async with app.run_test() as pilot:
        await push(pilot, ConfirmDialog("Delete role myvm?", "Role myvm of svc/dep", "DELETE /x"))
        assert isinstance(app.focused, Button) and app.focused.id == "cancel"
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [None]


async def test_confirm_with_y_and_options_change_the_call() -> None:
    app = Host()
    async with app.run_test() as pilot:
        dialog = ConfirmDialog(
            "Remove data disk?",
            "LUN 1 of role myvm",
            lambda o: "DELETE /d/1" + ("?comp=media" if o["media"] else ""),
            options={"media": ("Also delete the VHD blob", False)},
        )
        await push(pilot, dialog)
        assert dialog.call == "DELETE /d/1"
        dialog.query_one("#opt-media").focus()
        await pilot.press("space")
        assert dialog.call == "DELETE /d/1?comp=media"
        await pilot.press("y")
        await pilot.pause()
        (result,) = app.results
        assert isinstance(result, Confirmed) and result["media"] is True


async def test_confirm_requires_the_typed_name() -> None:
    app = Host()
    async with app.run_test() as pilot:
        dialog = await push(
            pilot, ConfirmDialog("Delete hosted service svc?", "svc", "DELETE /svc", type_to_confirm="svc")
        )
        confirm = dialog.query_one("#confirm", Button)
        assert confirm.disabled
        dialog.query_one("#confirm-typed").focus()
        await pilot.press("s", "v", "enter")
        await pilot.pause()
        assert app.results == [] and confirm.disabled
        await pilot.press("c")
        assert not confirm.disabled
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.results[0], Confirmed)


# ----------------------------------------------------------------------------- VMRole builder


async def fill_valid_role(pilot: Any, dialog: VMRoleBuilder) -> None:
    await fill(pilot, dialog, "role_name", "myvm")
    dialog.field("os_disk.source_image_name").control.focus()
    await pilot.press("enter", "down", "enter")  # first image in the drop-down
    await fill(pilot, dialog, "provisioning.host_name", "myvm")
    await fill(pilot, dialog, "provisioning.user_name", "azureuser")
    await fill(pilot, dialog, "provisioning.password", SECRET)
    await pilot.pause()


async def test_builder_returns_a_deployment_after_preview() -> None:
    sent: list[Any] = []

    async def submit(model: Any) -> FakeResponse:
        sent.append(model)
        return FakeResponse(True, 202)

    app = Host()
    async with app.run_test(size=(100, 40)) as pilot:
        dialog = await push(pilot, builder(submit=submit, preview=lambda m: FakePreview()))
        await fill_valid_role(pilot, dialog)
        assert dialog.value("os_disk.source_image_name") == "ubuntu-14_04-LTS"
        assert dialog.value("os_disk.media_link") == "https://acct.blob.core.windows.net/vhds/svc-myvm-os.vhd"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert dialog.validate_values(dialog.collect()) == {}
        assert isinstance(app.screen, RequestPreviewDialog)
        assert sent == []
        await pilot.press("enter")  # Send is focused
        await pilot.pause()
        (deployment,) = sent
        assert isinstance(deployment, models.Deployment)
        (role,) = deployment.role_list
        assert role.role_name == "myvm"
        assert [type(s).__name__ for s in role.configuration_sets] == [
            "LinuxProvisioningConfiguration",
            "NetworkConfiguration",
        ]
        assert isinstance(app.results[0], models.Deployment)


async def test_back_from_preview_keeps_the_form() -> None:
    app = Host()
    async with app.run_test(size=(100, 40)) as pilot:
        dialog = await push(pilot, builder(preview=lambda m: FakePreview()))
        await fill_valid_role(pilot, dialog)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is dialog and dialog.value("role_name") == "myvm"
        assert app.results == []


async def test_service_failure_keeps_everything_typed() -> None:
    async def submit(model: Any) -> FakeResponse:
        return FakeResponse(False, 409, "0123abcd", FakeError("ConflictError", "Windows Azure is busy."))

    app = Host()
    async with app.run_test(size=(100, 40)) as pilot:
        dialog = await push(pilot, builder(submit=submit))
        await fill_valid_role(pilot, dialog)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert dialog.service_error == "409 ConflictError: Windows Azure is busy. (request id 0123abcd)"
        assert dialog.value("role_name") == "myvm"
        assert dialog.value("provisioning.password") == SECRET
        assert SECRET not in dialog.service_error


async def test_unexpected_failure_while_sending_keeps_the_form_and_the_app() -> None:
    # A bug below the dialog (anything that is not an SmError) used to end the app with a traceback.
    async def submit(model: Any) -> FakeResponse:
        raise RuntimeError("socket exploded")

    app = Host()
    async with app.run_test(size=(100, 40)) as pilot:
        dialog = await push(pilot, builder(submit=submit))
        await fill_valid_role(pilot, dialog)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.is_running and app.screen is dialog
        assert "socket exploded" in dialog.service_error
        assert dialog.value("provisioning.password") == SECRET
        assert SECRET not in dialog.service_error
        assert not dialog.sending


RULES = [
    ("role_name", "my.vm", "Role name may contain only letters, digits and hyphens", "myvm"),
    ("name", "", "Deployment name is required.", "svc"),
    ("provisioning.password", "weakpass", "User password must contain 3 of", SECRET),
    ("provisioning.user_name", "u" * 33, "User name must be 1–32 characters long", "azureuser"),
    ("provisioning.host_name", "h" * 65, "Host name must be 1–64 characters long", "myvm"),
    (
        "os_disk.media_link",
        "not-a-url",
        "OS disk media link must be a blob URL",
        "https://a.blob.core.windows.net/v/o.vhd",
    ),
    ("upgrade_domain_count", "30", "Upgrade domain count must be between 1 and 20", "5"),
    ("endpoints.0.local_port", "0", "Local port must be between 1 and 65535", "22"),
]


async def test_each_rule_rejects_with_its_message_and_sends_nothing() -> None:
    sent: list[Any] = []

    async def submit(model: Any) -> FakeResponse:
        sent.append(model)
        return FakeResponse(True, 202)

    app = Host()
    async with app.run_test(size=(100, 40)) as pilot:
        dialog = await push(pilot, builder(submit=submit))
        await fill_valid_role(pilot, dialog)
        for key, bad, message, good in RULES:
            await fill(pilot, dialog, key, bad)
            await pilot.pause()
            # Live validation: the message is there before any submit.
            assert dialog.field(key).error.startswith(message), key
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert sent == [] and app.screen is dialog
            assert dialog.field(key).error.startswith(message), key
            assert app.focused is dialog.field(key).control
            await fill(pilot, dialog, key, good)
            await pilot.pause()
            assert dialog.field(key).error == "", key
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert len(sent) == 1


async def test_duplicate_public_port_and_lun() -> None:
    sent: list[Any] = []

    async def submit(model: Any) -> None:
        sent.append(model)

    app = Host()
    async with app.run_test(size=(100, 40)) as pilot:
        dialog = await push(pilot, builder(submit=submit))
        await fill_valid_role(pilot, dialog)
        dialog.query_one("#add-endpoint").focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*"SSH2", "tab", "tab", "2", "2", "tab", "2", "2", "2", "2")
        await pilot.pause()
        dialog.query_one("#add-disk").focus()
        await pilot.press("enter")
        dialog.query_one("#add-disk").focus()
        await pilot.press("enter")
        await pilot.pause()
        second_lun = dialog.field("data_disks.1.lun").control
        second_lun.value = "0"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert sent == []
        assert dialog.field("endpoints.1.public_port").error.startswith("Public port 22 is already in use")
        assert (
            dialog.field("data_disks.1.lun").error
            == "LUN 0 is already used by another data disk of this role."
        )
        # Removing the duplicate endpoint row renumbers the rest and clears the problem.
        dialog.query_one(f"#{dialog.query('EndpointRow').last().uid}-remove").focus()
        await pilot.press("enter")
        await pilot.pause()
        assert [f.key for f in dialog.query(FormField) if f.key.startswith("endpoints.")] == [
            "endpoints.0.name",
            "endpoints.0.protocol",
            "endpoints.0.public_port",
            "endpoints.0.local_port",
        ]


async def test_windows_image_switches_provisioning_fields() -> None:
    app = Host()
    async with app.run_test(size=(100, 40)) as pilot:
        dialog = await push(pilot, builder())
        await fill(pilot, dialog, "image_filter", "win")
        await pilot.pause()
        select = dialog.field("os_disk.source_image_name").control
        select.focus()
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        assert dialog.value("os_disk.source_image_name") == "win-2012-R2"
        assert dialog.value("provisioning.os") == "Windows"
        await fill(pilot, dialog, "provisioning.host_name", "a" * 16)
        await pilot.pause()
        assert dialog.field("provisioning.host_name").error.startswith("Computer name must be 1–15")


# ----------------------------------------------------------------------------- other dialogs


async def test_hosted_service_dialog() -> None:
    app = Host()
    async with app.run_test() as pilot:
        dialog = await push(
            pilot,
            CreateHostedServiceDialog(
                [("West US", "West US"), ("East US", "East US")], taken_names=["taken"]
            ),
        )
        await pilot.press(*"taken")
        await pilot.pause()
        assert "already used" in dialog.field("service_name").error
        await fill(pilot, dialog, "service_name", "newsvc")
        await pilot.press("ctrl+s")
        await pilot.pause()
        (svc,) = app.results
        assert isinstance(svc, models.CreateHostedService)
        assert (svc.service_name, svc.label, svc.location) == ("newsvc", "newsvc", "West US")


async def test_add_data_disk_offers_free_luns_and_modes() -> None:
    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        dialog = await push(pilot, AddDataDiskDialog("myvm", luns_in_use=[0, 1], disk_names=["disk-a"]))
        lun_select = dialog.field("data_disk.lun").control
        assert dialog.value("data_disk.lun") == "2"
        assert [v for _, v in lun_select._options if v != lun_select.BLANK][:2] == ["2", "3"]  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert dialog.field("data_disk.size_gb").error == "Size (GB) is required."
        mode = dialog.field("data_disk.mode").control
        mode.focus()
        await pilot.press("enter", "down", "enter")  # "Existing disk (by name)"
        await pilot.pause()
        assert dialog.value("data_disk.mode") == "existing"
        await pilot.press("ctrl+s")
        await pilot.pause()
        (disk,) = app.results
        assert isinstance(disk, models.DataDisk)
        assert (disk.lun, disk.disk_name, disk.logical_disk_size_in_gb) == (2, "disk-a", None)


async def test_storage_keys_are_masked_until_revealed() -> None:
    app = Host()
    async with app.run_test() as pilot:
        dialog = await push(pilot, StorageKeysDialog("acct", "PRIMARYKEY==", "SECONDARYKEY=="))
        assert "PRIMARYKEY" not in app.export_screenshot()
        assert dialog.shown("primary") == MASK
        await pilot.press("c")
        assert app.clipboard == "PRIMARYKEY=="
        await pilot.press("r")
        await pilot.pause()
        assert "PRIMARYKEY==" in app.export_screenshot()
