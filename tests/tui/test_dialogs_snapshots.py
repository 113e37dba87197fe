"""SVG snapshots of the VMRole builder, the request preview and a confirmation dialog.

Update with ``pytest tests/tui/test_dialogs_snapshots.py --snapshot-update``. The README's screenshots
of these dialogs come from the console itself (``scripts/screenshots.py``), not from this harness.
"""

from __future__ import annotations

from typing import Any

from smtui.api import operations_compute as compute
from smtui.api.client import RequestPreview
from smtui.forms import builders
from smtui.forms.values import (
    DataDiskValues,
    DeploymentValues,
    EndpointValues,
    OSDiskValues,
    ProvisioningValues,
    VMRoleValues,
)
from smtui.tui.dialogs.confirm import ConfirmDialog
from smtui.tui.dialogs.preview import RequestPreviewDialog
from smtui.tui.dialogs.vm_role import ImageChoice, VMRoleBuilder
from tests.tui.helpers import DialogApp

SUB = "00000000-0000-0000-0000-000000000000"
HOST = "https://127.0.0.1:8443"
IMAGE = "b39f27a8b8c64d52b05eac6a62ebad85__Ubuntu-14_04-LTS-amd64-server-20140414-en-us-30GB"


def sample_values() -> DeploymentValues:
    return DeploymentValues(
        name="myvmsvc",
        label="myvmsvc",
        role=VMRoleValues(
            role_name="myvm",
            role_size="Small",
            os_disk=OSDiskValues(source_image_name=IMAGE,
                                 media_link="https://mystorage.blob.core.windows.net/vhds/myvmsvc-myvm-os.vhd"),
            data_disks=[DataDiskValues(lun="0", size_gb="100", label="data")],
            provisioning=ProvisioningValues(os="Linux", host_name="myvm", user_name="azureuser",
                                            password="Passw0rd!-not-shown"),
            endpoints=[EndpointValues("SSH", "tcp", "22", "22")],
        ),
    )  # fmt: skip


def builder() -> VMRoleBuilder:
    return VMRoleBuilder(
        "deployment",
        images=[ImageChoice(IMAGE, "Linux", "Ubuntu Server 14.04 LTS"), ImageChoice("win2012r2", "Windows")],
        role_sizes=[("Small (1 cores, 1792 MB)", "Small"), ("Medium (2 cores, 3584 MB)", "Medium")],
        service_name="myvmsvc",
        values=sample_values(),
    )


def preview() -> RequestPreviewDialog:
    model = builders.deployment(sample_values())
    request = compute.create_deployment("myvmsvc", model.name or "", model.role_list[0], {"Label": "myvmsvc"})
    shown = RequestPreview(
        request.operation, request.method, f"{HOST}/{SUB}{request.path_and_query}",
        {"x-ms-version": "2014-10-01", "Content-Type": "application/xml"}, request.redacted_body(),
    )  # fmt: skip
    return RequestPreviewDialog(shown)


def confirm() -> ConfirmDialog:
    path = f"{HOST}/{SUB}/services/hostedservices/myvmsvc/deployments/myvmsvc/roles/myvm"
    return ConfirmDialog(
        "Delete role myvm?",
        "Role (VM) myvm in deployment myvmsvc of hosted service myvmsvc.",
        lambda o: "DELETE " + path + ("?comp=media" if o.get("media") else ""),
        options={"media": ("Also delete its OS and data disks and their VHD blobs (comp=media)", False)},
    )


def test_vm_role_builder_80x24(snap_compare: Any) -> None:
    assert snap_compare(DialogApp(builder), terminal_size=(80, 24))


def test_vm_role_builder_120x40(snap_compare: Any) -> None:
    assert snap_compare(DialogApp(builder), terminal_size=(120, 40))


def test_request_preview(snap_compare: Any) -> None:
    assert snap_compare(DialogApp(preview), terminal_size=(100, 40))


def test_confirmation_dialog(snap_compare: Any) -> None:
    assert snap_compare(DialogApp(confirm), terminal_size=(80, 24))

