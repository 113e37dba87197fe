"""Form values → ``smtui.api.models`` objects (the only place the forms meet the models).

The builders assume the values passed validation (:mod:`smtui.forms.validation`); numbers
are converted with ``int`` and blank optional fields become ``None`` (element omitted).
"""

from __future__ import annotations

from smtui.api import models
from smtui.forms.values import (
    CaptureValues,
    DataDiskValues,
    DeploymentValues,
    EndpointValues,
    HostedServiceValues,
    OSImageValues,
    ProvisioningValues,
    VMRoleValues,
)


def _opt(text: str) -> str | None:
    return text.strip() or None


def hosted_service(values: HostedServiceValues) -> models.CreateHostedService:
    """The ``CreateHostedService`` body (label defaults to the name, as in the seed)."""
    return models.CreateHostedService(
        service_name=values.service_name,
        label=values.label or values.service_name,
        description=_opt(values.description),
        location=_opt(values.location),
    )


def provisioning(
    values: ProvisioningValues,
) -> models.WindowsProvisioningConfiguration | models.LinuxProvisioningConfiguration:
    """A Windows or Linux provisioning configuration set."""
    if values.os == "Windows":
        return models.WindowsProvisioningConfiguration(
            computer_name=values.host_name,
            admin_password=values.password,
            reset_password_on_first_logon=values.reset_password_on_first_logon,
            enable_automatic_updates=values.enable_automatic_updates,
            time_zone=_opt(values.time_zone),
            admin_username=values.user_name,
        )
    ssh = None
    if values.ssh_fingerprint.strip():
        path = values.ssh_path.strip() or f"/home/{values.user_name}/.ssh/authorized_keys"
        ssh = models.SSH(
            public_keys=[models.SSHPublicKey(fingerprint=values.ssh_fingerprint.strip(), path=path)]
        )
    return models.LinuxProvisioningConfiguration(
        host_name=values.host_name,
        user_name=values.user_name,
        user_password=values.password or None,
        disable_ssh_password_authentication=values.disable_ssh_password_auth,
        ssh=ssh,
    )


def input_endpoint(values: EndpointValues) -> models.InputEndpoint:
    """One input endpoint of the network configuration set."""
    return models.InputEndpoint(
        local_port=int(values.local_port),
        name=values.name,
        port=int(values.public_port),
        protocol=values.protocol,
    )


def network_configuration(endpoints: list[EndpointValues]) -> models.NetworkConfiguration:
    """The network configuration set carrying ``endpoints``."""
    return models.NetworkConfiguration(input_endpoints=[input_endpoint(e) for e in endpoints])


def data_disk(
    values: DataDiskValues, *, default_media_link: str | None = None, for_update: bool = False
) -> models.DataDisk:
    """A data disk in its creation mode (or, ``for_update``, the fields Update Data Disk sends).

    Args:
        values: The disk as typed.
        default_media_link: Blob URL for a new empty disk when the user gave none.
        for_update: Build the body of Update Data Disk (caching, label, name, LUN, media link).
    """
    caching = _opt(values.host_caching)
    lun = int(values.lun)
    label = _opt(values.label)
    if for_update:
        return models.DataDisk(
            host_caching=caching,
            disk_label=label,
            disk_name=_opt(values.disk_name),
            lun=lun,
            media_link=_opt(values.media_link),
        )
    if values.mode == "existing":
        return models.DataDisk.by_name(lun, values.disk_name.strip(), host_caching=caching)
    if values.mode == "blob":
        return models.DataDisk.by_media_link(
            lun, values.source_media_link.strip(), label=label, host_caching=caching,
            media_link=_opt(values.media_link),
        )  # fmt: skip
    link = _opt(values.media_link) or default_media_link
    return models.DataDisk(
        host_caching=caching, disk_label=label, lun=lun,
        logical_disk_size_in_gb=int(values.size_gb), media_link=link,
    )  # fmt: skip


def vm_role(values: VMRoleValues) -> models.VMRole:
    """A new role: provisioning set, network set, OS disk from an image, data disks, size.

    A new empty data disk without a media link is left for the service to place (it creates the
    blob next to the OS disk), so no name of ours can collide with an existing blob.
    """
    sets: list[models.ConfigurationSet] = []
    if values.provisioning is not None:
        sets.append(provisioning(values.provisioning))
    if values.endpoints:
        sets.append(network_configuration(values.endpoints))
    os_disk = values.os_disk
    return models.VMRole(
        role_name=values.role_name,
        configuration_sets=sets,
        availability_set_name=_opt(values.availability_set_name),
        data_virtual_hard_disks=[data_disk(d) for d in values.data_disks],
        os_virtual_hard_disk=models.OSDisk(
            host_caching=_opt(os_disk.host_caching),
            disk_label=_opt(os_disk.disk_label),
            disk_name=_opt(os_disk.disk_name),
            media_link=_opt(os_disk.media_link),
            source_image_name=_opt(os_disk.source_image_name),
        ),
        role_size=values.role_size,
    )


def vm_role_update(values: VMRoleValues) -> models.VMRole:
    """The body of Update Role: the size and the complete endpoint list.

    No provisioning set, no image (they cannot change on an existing role) and no data disks:
    what Update Role is not sent it keeps, and disks have their own calls.
    """
    return models.VMRole(
        role_name=values.role_name,
        configuration_sets=[network_configuration(values.endpoints)],
        role_size=values.role_size,
    )


def deployment(values: DeploymentValues) -> models.Deployment:
    """A new VM deployment holding its first role."""
    count = values.upgrade_domain_count.strip()
    return models.Deployment(
        name=values.name,
        deployment_slot=values.slot,
        label=values.label or values.name,
        upgrade_domain_count=int(count) if count else None,
        role_list=[vm_role(values.role)],
    )


def capture(values: CaptureValues) -> models.CaptureRoleOperation:
    """The Capture Role body; the provisioning set only with ``Reprovision``."""
    prov = None
    if values.post_capture_action == "Reprovision" and values.provisioning is not None:
        prov = provisioning(values.provisioning)
    return models.CaptureRoleOperation(
        post_capture_action=values.post_capture_action,
        provisioning_configuration=prov,
        target_image_label=values.target_image_label or values.target_image_name,
        target_image_name=values.target_image_name,
    )


def os_image(values: OSImageValues) -> models.OSImage:
    """The Add OS Image body."""
    return models.OSImage(
        label=values.label or values.name,
        location=_opt(values.location),
        media_link=values.media_link,
        name=values.name,
        os=values.os,
        description=_opt(values.description),
        recommended_vm_size=_opt(values.recommended_vm_size),
    )
