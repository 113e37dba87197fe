"""The service's vocabulary: every enumeration and limit of the API, declared once.

The request builders (:mod:`smtui.api.operations_compute`, :mod:`smtui.api.operations`) and the
forms (:mod:`smtui.forms.validation`, :mod:`smtui.forms.values`) read these values; nothing else
re-declares them. The emulator keeps rules of its own (it is an independent oracle), and
``tests/emulator/test_vocabulary_agreement.py`` sends the boundary of every rule here to it, so a
disagreement fails CI.

Each value names its source: a section of ``SPEC.md`` (``tests/fixtures/asm/SPEC.md``), the real
recordings (``tests/fixtures/asm/recordings``), or the service's published limits where neither
records them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

__all__ = [
    "DATA_DISK_SIZE_GB",
    "DEFAULT_DATA_DISK_CACHING",
    "DEFAULT_OS_DISK_CACHING",
    "DEFAULT_SLOT",
    "DEPLOYMENT_NAME",
    "ENDPOINT_NAME",
    "HOSTED_SERVICE_NAME",
    "HOST_CACHING",
    "IMAGE_NAME",
    "LINUX_HOST_NAME",
    "LINUX_PASSWORD_LENGTH",
    "LINUX_USER_NAME",
    "LUN_RANGE",
    "MAX_DESCRIPTION",
    "MAX_LABEL",
    "MAX_LUN",
    "OS_TYPES",
    "PASSWORD_CLASSES_REQUIRED",
    "PORT_RANGE",
    "POST_CAPTURE_ACTIONS",
    "POST_SHUTDOWN_ACTIONS",
    "PROTOCOLS",
    "RESERVED_ADMIN_NAMES",
    "ROLE_NAME",
    "SLOTS",
    "UPGRADE_DOMAIN_COUNT",
    "WINDOWS_ADMIN_NAME_LENGTH",
    "WINDOWS_ADMIN_NAME_FORBIDDEN",
    "WINDOWS_COMPUTER_NAME",
    "WINDOWS_PASSWORD_LENGTH",
    "NameRule",
    "OsType",
]


@dataclass(frozen=True)
class NameRule:
    """What a name of one kind may look like.

    Attributes:
        pattern: The whole value must match (anchored with ``\\Z``: ``$`` would accept a final newline).
        min_length: Fewest characters.
        max_length: Most characters.
        allowed: The characters and shape in words, for messages ("letters, digits and hyphens …").
    """

    pattern: re.Pattern[str]
    min_length: int
    max_length: int
    allowed: str

    def accepts(self, value: str) -> bool:
        """Whether ``value`` is a valid name of this kind (length and shape)."""
        return self.min_length <= len(value) <= self.max_length and bool(self.pattern.match(value))


# --------------------------------------------------------------------------- names

HOSTED_SERVICE_NAME: Final = NameRule(
    re.compile(r"^[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?\Z"), 3, 63,
    "letters, digits and hyphens, must start with a letter and end with a letter or digit",
)
"""The DNS prefix ``<name>.cloudapp.net``: a DNS label (SPEC.md §7 Create Hosted Service; Check
Hosted Service Name Availability)."""

DEPLOYMENT_NAME: Final = NameRule(
    re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\Z"), 1, 64,
    "letters, digits, '.', '_' and '-', and must start with a letter or digit",
)
"""Deployment names (SPEC.md §7 Create Deployment; recorded names use letters, digits, '-' and '.')."""

ROLE_NAME: Final = NameRule(
    re.compile(r"^[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?\Z"), 1, 64,
    "letters, digits and hyphens, must start with a letter and must not end with a hyphen",
)
"""Role (VM) names. Every one of the 110 distinct RoleName values in the recordings has this shape;
the service refuses dots, which would also make an invalid host name for the VM."""

ENDPOINT_NAME: Final = NameRule(
    re.compile(r"^[A-Za-z][A-Za-z0-9_-]*\Z"), 1, 64,
    "letters, digits, '_' and '-', and must start with a letter",
)
"""InputEndpoint names (SPEC.md §8 InputEndpoint; recorded: ``ssh``, ``http``, ``endpoint_1`` …)."""

IMAGE_NAME: Final = NameRule(
    re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*\Z"), 1, 256,
    "letters, digits, '.', '_' and '-', and must start with a letter or digit",
)
"""OS image names (SPEC.md §7 Add OS Image; recorded gallery names such as
``b39f27a8b8c64d52b05eac6a62ebad85__Ubuntu-14_04-LTS-amd64-server-20140416.1-en-us-30GB``)."""

WINDOWS_COMPUTER_NAME: Final = NameRule(
    re.compile(r"^(?![0-9]+\Z)[A-Za-z0-9-]+\Z"), 1, 15,
    "letters, digits and hyphens, and must not be only digits",
)
"""Windows ``ComputerName``: the NetBIOS limit of 15 characters (SPEC.md §8)."""

LINUX_HOST_NAME: Final = NameRule(
    re.compile(r"^[A-Za-z0-9][A-Za-z0-9.-]*\Z"), 1, 64,
    "letters, digits, '.' and '-', and must start with a letter or digit",
)
"""Linux ``HostName`` 1–64 (SPEC.md §8 LinuxProvisioningConfigurationSet)."""

LINUX_USER_NAME: Final = NameRule(
    re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*\Z"), 1, 32,
    "letters, digits, '_', '.' and '-', and must start with a letter or '_'",
)
"""Linux ``UserName`` 1–32 (SPEC.md §8)."""

WINDOWS_ADMIN_NAME_LENGTH: Final = (1, 20)
"""Windows ``AdminUsername`` length (the Windows account-name limit)."""

WINDOWS_ADMIN_NAME_FORBIDDEN: Final = re.compile(r'["/\\\[\]:;|=,+*?<>@]')
"""Characters a Windows account name may not contain."""

RESERVED_ADMIN_NAMES: Final = frozenset(
    {
        "administrator", "admin", "user", "user1", "test", "user2", "test1", "user3", "admin1", "1",
        "123", "a", "actuser", "adm", "admin2", "aspnet", "backup", "console", "david", "guest", "john",
        "owner", "root", "server", "sql", "support", "support_388945a0", "sys", "test2", "test3",
        "user4", "user5",
    }
)  # fmt: skip
"""Names Azure refuses as the administrator account of a new VM."""

MAX_LABEL: Final = 100
"""Labels of services, deployments, disks and images (SPEC.md §7)."""

MAX_DESCRIPTION: Final = 1024
"""Descriptions of hosted services and images (SPEC.md §7)."""

# --------------------------------------------------------------------------- enumerations

SLOTS: Final = ("Production", "Staging")
"""Deployment slots (SPEC.md §7 Get Deployment by slot)."""

DEFAULT_SLOT: Final = "Production"
"""The slot the seed's client sends when none is given."""

HOST_CACHING: Final = ("None", "ReadOnly", "ReadWrite")
"""``HostCaching`` of OS and data disks (SPEC.md §8 DataVirtualHardDisk / OSVirtualHardDisk)."""

DEFAULT_OS_DISK_CACHING: Final = "ReadWrite"
"""What the service applies to an OS disk without ``HostCaching`` (recorded responses)."""

DEFAULT_DATA_DISK_CACHING: Final = "ReadOnly"
"""What the forms offer for a new data disk (the service's own default is ``None``)."""

POST_SHUTDOWN_ACTIONS: Final = ("Stopped", "StoppedDeallocated")
"""``PostShutdownAction`` of Shutdown Role (SPEC.md §7)."""

POST_CAPTURE_ACTIONS: Final = ("Delete", "Reprovision")
"""``PostCaptureAction`` of Capture Role (SPEC.md §7)."""

PROTOCOLS: Final = ("tcp", "udp")
"""InputEndpoint ``Protocol`` (SPEC.md §8)."""

OsType = Literal["Linux", "Windows"]
OS_TYPES: Final[tuple[OsType, ...]] = ("Linux", "Windows")
"""``OS`` of images and disks (SPEC.md §7 Add OS Image)."""

# --------------------------------------------------------------------------- numbers

MAX_LUN: Final = 15
"""The highest data-disk ``Lun`` (SPEC.md §8: 0–15, unique per role)."""

LUN_RANGE: Final = (0, MAX_LUN)

DATA_DISK_SIZE_GB: Final = (1, 1023)
"""``LogicalDiskSizeInGB`` of a new empty data disk. 1023 GB was the classic service's limit for a
page-blob VHD in the era the recordings cover (2013–2017); no recording has a larger disk, and the
largest recorded one is exactly 1023."""

PORT_RANGE: Final = (1, 65535)
"""InputEndpoint ``Port`` / ``LocalPort``."""

UPGRADE_DOMAIN_COUNT: Final = (1, 20)
"""``UpgradeDomainCount`` of a new deployment."""

WINDOWS_PASSWORD_LENGTH: Final = (8, 123)
"""Windows ``AdminPassword`` length (Azure's VM password policy)."""

LINUX_PASSWORD_LENGTH: Final = (6, 72)
"""Linux ``UserPassword`` length (SPEC.md §8)."""

PASSWORD_CLASSES_REQUIRED: Final = 3
"""How many of lower case, upper case, digit and symbol a VM password must use."""
