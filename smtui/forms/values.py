"""What the user typed into a form, before it becomes a model.

Every field is kept as the text the user entered (numbers too), so a form that failed
validation — or a request the service refused — can be reopened exactly as it was.
Passwords are excluded from ``repr`` so a stray log line or traceback cannot carry them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# The service's enumerations live in one place (smtui.api.vocabulary); the forms re-export the
# ones their widgets offer so a dialog needs one import.
from smtui.api.vocabulary import (
    DEFAULT_DATA_DISK_CACHING,
    DEFAULT_OS_DISK_CACHING,
    DEFAULT_SLOT,
    HOST_CACHING,
    MAX_LUN,
    OS_TYPES,
    POST_CAPTURE_ACTIONS,
    POST_SHUTDOWN_ACTIONS,
    PROTOCOLS,
    SLOTS,
    OsType,
)

__all__ = [
    "HOST_CACHING",
    "MAX_LUN",
    "OS_TYPES",
    "POST_CAPTURE_ACTIONS",
    "POST_SHUTDOWN_ACTIONS",
    "PROTOCOLS",
    "SLOTS",
    "CaptureValues",
    "DataDiskValues",
    "DeploymentValues",
    "DiskMode",
    "EndpointValues",
    "HostedServiceValues",
    "OSDiskValues",
    "OSImageValues",
    "OsType",
    "ProvisioningValues",
    "VMRoleValues",
]

DiskMode = Literal["empty", "existing", "blob"]
"""The three ways to add a data disk: a new empty disk of a size, a registered disk by name,
or an existing VHD blob by its media link."""


@dataclass
class EndpointValues:
    """One row of the input-endpoint table."""

    name: str = ""
    protocol: str = "tcp"
    public_port: str = ""
    local_port: str = ""


@dataclass
class DataDiskValues:
    """One data disk, in one of the three creation modes."""

    mode: DiskMode = "empty"
    lun: str = "0"
    host_caching: str = DEFAULT_DATA_DISK_CACHING
    label: str = ""
    disk_name: str = ""
    media_link: str = ""
    source_media_link: str = ""
    size_gb: str = ""


@dataclass
class OSDiskValues:
    """The OS disk: created from an image into a new blob, or an existing OS disk by name."""

    source_image_name: str = ""
    media_link: str = ""
    disk_name: str = ""
    disk_label: str = ""
    host_caching: str = DEFAULT_OS_DISK_CACHING


@dataclass
class ProvisioningValues:
    """A Windows or Linux provisioning configuration set.

    ``host_name`` is the Linux ``HostName`` or the Windows ``ComputerName``; ``user_name`` the
    Linux ``UserName`` or the Windows ``AdminUsername``; ``password`` the ``UserPassword`` or
    ``AdminPassword``.
    """

    os: OsType = "Linux"
    host_name: str = ""
    user_name: str = ""
    password: str = field(default="", repr=False)
    # Linux only
    disable_ssh_password_auth: bool = False
    ssh_fingerprint: str = ""
    ssh_path: str = ""
    # Windows only
    reset_password_on_first_logon: bool = False
    enable_automatic_updates: bool = True
    time_zone: str = ""


@dataclass
class VMRoleValues:
    """Everything the VMRole builder collects for one role."""

    role_name: str = ""
    role_size: str = "Small"
    os_disk: OSDiskValues = field(default_factory=OSDiskValues)
    data_disks: list[DataDiskValues] = field(default_factory=list)
    provisioning: ProvisioningValues | None = field(default_factory=ProvisioningValues)
    endpoints: list[EndpointValues] = field(default_factory=list)
    availability_set_name: str = ""


@dataclass
class DeploymentValues:
    """A new VM deployment: its own options plus its first role."""

    name: str = ""
    slot: str = DEFAULT_SLOT
    label: str = ""
    upgrade_domain_count: str = ""
    role: VMRoleValues = field(default_factory=VMRoleValues)


@dataclass
class HostedServiceValues:
    """A new hosted (cloud) service."""

    service_name: str = ""
    label: str = ""
    description: str = ""
    location: str = ""


@dataclass
class CaptureValues:
    """Capture a role instance to an OS image."""

    post_capture_action: str = "Delete"
    target_image_name: str = ""
    target_image_label: str = ""
    provisioning: ProvisioningValues | None = None


@dataclass
class OSImageValues:
    """Register a VHD blob as an OS image."""

    name: str = ""
    label: str = ""
    media_link: str = ""
    os: str = "Linux"
    location: str = ""
    description: str = ""
    recommended_vm_size: str = ""
