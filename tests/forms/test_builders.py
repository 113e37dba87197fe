"""Form values become the models the client serialises."""

from __future__ import annotations

from smtui.api import models
from smtui.forms import builders
from smtui.forms.values import (
    CaptureValues,
    DataDiskValues,
    DeploymentValues,
    EndpointValues,
    HostedServiceValues,
    OSDiskValues,
    OSImageValues,
    ProvisioningValues,
    VMRoleValues,
)

KEY = "6C2B6D9B4A5E3F1C0D8E7F6A5B4C3D2E1F0A9B8C"


def _role() -> VMRoleValues:
    return VMRoleValues(
        role_name="myvm",
        role_size="Small",
        os_disk=OSDiskValues(
            source_image_name="ubuntu", media_link="https://a.blob.core.windows.net/vhds/os.vhd"
        ),
        data_disks=[
            DataDiskValues(mode="empty", lun="1", size_gb="100", label="data1"),
            DataDiskValues(mode="existing", lun="2", disk_name="disk-a", host_caching="None"),
            DataDiskValues(mode="blob", lun="3", source_media_link="https://a.blob.core.windows.net/b/x.vhd"),
        ],
        provisioning=ProvisioningValues(
            os="Linux", host_name="myvm", user_name="azureuser", password="Passw0rd!", ssh_fingerprint=KEY
        ),
        endpoints=[EndpointValues("SSH", "tcp", "22", "22")],
    )


def test_deployment_holds_the_role() -> None:
    dep = builders.deployment(
        DeploymentValues(name="svc", label="", role=_role()),
    )
    assert (dep.name, dep.deployment_slot, dep.label, dep.upgrade_domain_count) == (
        "svc",
        "Production",
        "svc",
        None,
    )
    (role,) = dep.role_list
    assert role.role_name == "myvm" and role.role_size == "Small"
    assert role.os_virtual_hard_disk is not None
    assert role.os_virtual_hard_disk.source_image_name == "ubuntu"
    linux, network = role.configuration_sets
    assert isinstance(linux, models.LinuxProvisioningConfiguration)
    assert linux.user_password == "Passw0rd!"
    assert linux.ssh is not None and linux.ssh.public_keys[0].path == "/home/azureuser/.ssh/authorized_keys"
    assert isinstance(network, models.NetworkConfiguration)
    assert [(e.name, e.protocol, e.port, e.local_port) for e in network.input_endpoints] == [
        ("SSH", "tcp", 22, 22)
    ]
    empty, existing, blob = role.data_virtual_hard_disks
    assert (empty.lun, empty.logical_disk_size_in_gb, empty.disk_label) == (1, 100, "data1")
    assert empty.media_link is None  # the service places it
    assert (existing.lun, existing.disk_name, existing.host_caching) == (2, "disk-a", "None")
    assert (blob.lun, blob.source_media_link) == (3, "https://a.blob.core.windows.net/b/x.vhd")


def test_windows_provisioning() -> None:
    prov = builders.provisioning(
        ProvisioningValues(
            os="Windows", host_name="winvm", user_name="azureadmin", password="Passw0rd!", time_zone="UTC"
        )
    )
    assert isinstance(prov, models.WindowsProvisioningConfiguration)
    assert (prov.computer_name, prov.admin_username, prov.admin_password, prov.time_zone) == (
        "winvm", "azureadmin", "Passw0rd!", "UTC",
    )  # fmt: skip


def test_update_role_has_no_provisioning_or_image() -> None:
    role = builders.vm_role_update(_role())
    assert [type(s) for s in role.configuration_sets] == [models.NetworkConfiguration]
    assert role.os_virtual_hard_disk is None and role.data_virtual_hard_disks == []


def test_other_bodies() -> None:
    svc = builders.hosted_service(HostedServiceValues("svc", "", "", "West US"))
    assert (svc.service_name, svc.label, svc.description, svc.location) == ("svc", "svc", None, "West US")
    cap = builders.capture(CaptureValues("Delete", "img", "", ProvisioningValues()))
    assert (cap.post_capture_action, cap.target_image_name, cap.target_image_label) == (
        "Delete",
        "img",
        "img",
    )
    assert cap.provisioning_configuration is None
    img = builders.os_image(OSImageValues(name="i", label="", media_link="https://a/b/c.vhd", os="Linux"))
    assert (img.name, img.label, img.os, img.location) == ("i", "i", "Linux", None)
    upd = builders.data_disk(DataDiskValues(lun="4", host_caching="ReadWrite", label="x"), for_update=True)
    assert (upd.lun, upd.host_caching, upd.disk_label) == (4, "ReadWrite", "x")
