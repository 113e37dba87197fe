"""Validation rules of the Service Management API, checked before anything is sent.

Each single-field rule takes the text the user typed (and the field's display name) and returns
``None`` when the value is acceptable or a one-line message that names the field. The
form-level validators return ``{field key: message}``; field keys are dotted paths into the
form values (``"role_name"``, ``"endpoints.1.public_port"``, ``"data_disks.0.lun"``) so the
dialog can put each message next to its widget.

The limits and enumerations themselves (name patterns and lengths, LUN 0–15, sizes, ports,
password lengths, slots, caching, actions) come from :mod:`smtui.api.vocabulary`, which names
the source of each; this module only turns them into messages. The service's own error texts
from the recordings are used where they exist (``Port 22 is already in use by one of the
endpoints in this deployment…``). No message ever contains a password.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from smtui.api.vocabulary import (
    DATA_DISK_SIZE_GB,
    DEPLOYMENT_NAME,
    ENDPOINT_NAME,
    HOST_CACHING,
    HOSTED_SERVICE_NAME,
    IMAGE_NAME,
    LINUX_HOST_NAME,
    LINUX_PASSWORD_LENGTH,
    LINUX_USER_NAME,
    LUN_RANGE,
    MAX_DESCRIPTION,
    MAX_LABEL,
    OS_TYPES,
    PASSWORD_CLASSES_REQUIRED,
    PORT_RANGE,
    POST_CAPTURE_ACTIONS,
    PROTOCOLS,
    RESERVED_ADMIN_NAMES,
    ROLE_NAME,
    SLOTS,
    UPGRADE_DOMAIN_COUNT,
    WINDOWS_ADMIN_NAME_FORBIDDEN,
    WINDOWS_ADMIN_NAME_LENGTH,
    WINDOWS_COMPUTER_NAME,
    WINDOWS_PASSWORD_LENGTH,
    NameRule,
)
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

Errors = dict[str, str]
"""Field key → message; empty when the form is valid."""

_THUMBPRINT = re.compile(r"^[0-9A-Fa-f]{40}\Z")

__all__ = ["MAX_DESCRIPTION", "MAX_LABEL", "RESERVED_ADMIN_NAMES"]  # re-exported for callers of the forms


# --------------------------------------------------------------------------- single fields


def required(value: str, field: str) -> str | None:
    """``"<field> is required."`` when ``value`` is blank."""
    if not value.strip():
        return f"{field} is required."
    return None


def _length(value: str, field: str, low: int, high: int) -> str | None:
    if not low <= len(value) <= high:
        return f"{field} must be {low}–{high} characters long (it has {len(value)})."
    return None


def check_name(value: str, field: str, rule: NameRule) -> str | None:
    """``value`` as a name of the kind ``rule`` describes (required, length, shape)."""
    return (
        required(value, field)
        or _length(value, field, rule.min_length, rule.max_length)
        or (None if rule.pattern.match(value) else f"{field} may contain only {rule.allowed}.")
    )


def check_hosted_service_name(value: str, field: str = "Service name") -> str | None:
    """A hosted service name is the DNS prefix ``<name>.cloudapp.net``: a DNS label."""
    return check_name(value, field, HOSTED_SERVICE_NAME)


def check_deployment_name(value: str, field: str = "Deployment name") -> str | None:
    """Letters, digits, periods, underscores and hyphens, starting with a letter or digit."""
    return check_name(value, field, DEPLOYMENT_NAME)


def check_role_name(value: str, field: str = "Role name") -> str | None:
    """Letters, digits and hyphens, starting with a letter, not ending with a hyphen (no dots)."""
    return check_name(value, field, ROLE_NAME)


def check_label(value: str, field: str = "Label", *, optional: bool = False) -> str | None:
    """Labels are required (unless ``optional``) and at most 100 characters."""
    if optional and not value:
        return None
    return required(value, field) or (
        f"{field} must be at most {MAX_LABEL} characters (it has {len(value)})."
        if len(value) > MAX_LABEL
        else None
    )


def check_description(value: str, field: str = "Description") -> str | None:
    """Descriptions are optional and at most 1024 characters."""
    if len(value) > MAX_DESCRIPTION:
        return f"{field} must be at most {MAX_DESCRIPTION} characters (it has {len(value)})."
    return None


def parse_int(value: str) -> int | None:
    """The integer typed in ``value``, or ``None`` if it is not a plain decimal integer."""
    text = value.strip()
    if not re.fullmatch(r"[+-]?\d+", text):
        return None
    return int(text)


def check_int_range(value: str, field: str, low: int, high: int) -> str | None:
    """``value`` must be an integer between ``low`` and ``high`` inclusive."""
    problem = required(value, field)
    if problem:
        return problem
    number = parse_int(value)
    if number is None:
        return f"{field} must be a whole number."
    if not low <= number <= high:
        return f"{field} must be between {low} and {high} (got {number})."
    return None


def check_lun(value: str, field: str = "LUN") -> str | None:
    """A data disk LUN is 0–15."""
    return check_int_range(value, field, *LUN_RANGE)


def check_port(value: str, field: str = "Port") -> str | None:
    """A TCP/UDP port is 1–65535."""
    return check_int_range(value, field, *PORT_RANGE)


def check_choice(value: str, field: str, choices: Iterable[str]) -> str | None:
    """``value`` must be one of ``choices`` (exact spelling, as the wire wants it)."""
    options = tuple(choices)
    if value not in options:
        return f"{field} must be one of {', '.join(options)}."
    return None


def check_media_link(value: str, field: str = "Media link", *, optional: bool = False) -> str | None:
    """A blob URL: ``http(s)://<host>/<container>/<blob>``."""
    if optional and not value.strip():
        return None
    problem = required(value, field)
    if problem:
        return problem
    parts = urlsplit(value.strip())
    segments = [s for s in parts.path.split("/") if s]
    if parts.scheme not in ("http", "https") or not parts.netloc or len(segments) < 2:
        return f"{field} must be a blob URL like https://account.blob.core.windows.net/vhds/disk.vhd."
    return None


def check_image_name(value: str, field: str = "Image name") -> str | None:
    """Image names: letters, digits, '.', '_' and '-', starting with a letter or digit."""
    return check_name(value, field, IMAGE_NAME)


def password_classes(password: str) -> int:
    """How many of the four character classes (lower, upper, digit, symbol) ``password`` uses."""
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


def check_password(
    value: str,
    field: str = "Admin password",
    *,
    low: int = WINDOWS_PASSWORD_LENGTH[0],
    high: int = WINDOWS_PASSWORD_LENGTH[1],
) -> str | None:
    """Azure's VM password policy: ``low``–``high`` characters and 3 of the 4 character classes.

    The message never repeats the password.
    """
    if not value:
        return f"{field} is required."
    if not low <= len(value) <= high:
        return f"{field} must be {low}–{high} characters long."
    if password_classes(value) < PASSWORD_CLASSES_REQUIRED:
        return f"{field} must contain 3 of: a lower case letter, an upper case letter, a digit, a symbol."
    return None


def check_windows_computer_name(value: str, field: str = "Computer name") -> str | None:
    """Windows computer names: 1–15 letters, digits and hyphens, not only digits."""
    return check_name(value, field, WINDOWS_COMPUTER_NAME)


def check_windows_admin_username(value: str, field: str = "Admin user") -> str | None:
    """1–20 characters, none of ``"/\\[]:;|=,+*?<>@``, not ending with '.', not a reserved name."""
    problem = required(value, field) or _length(value, field, *WINDOWS_ADMIN_NAME_LENGTH)
    if problem:
        return problem
    if WINDOWS_ADMIN_NAME_FORBIDDEN.search(value) or value.endswith("."):
        return f'{field} must not contain "/\\[]:;|=,+*?<>@ or end with a period.'
    if value.lower() in RESERVED_ADMIN_NAMES:
        return f"{field} '{value}' is reserved; choose another name."
    return None


def check_linux_host_name(value: str, field: str = "Host name") -> str | None:
    """Linux ``HostName``: letters, digits, periods and hyphens, starting alphanumeric."""
    return check_name(value, field, LINUX_HOST_NAME)


def check_linux_user_name(value: str, field: str = "User name") -> str | None:
    """Linux ``UserName``: 1–32 characters, starting with a letter or '_', not ``root``."""
    problem = check_name(value, field, LINUX_USER_NAME)
    if problem:
        return problem
    if value.lower() in RESERVED_ADMIN_NAMES:
        return f"{field} '{value}' is reserved; choose another name."
    return None


def check_thumbprint(value: str, field: str = "SSH key fingerprint") -> str | None:
    """A certificate thumbprint: 40 hexadecimal digits."""
    if not _THUMBPRINT.match(value.strip()):
        return f"{field} must be the 40 hex digit thumbprint of a certificate uploaded to the service."
    return None


# --------------------------------------------------------------------------- whole forms


def _put(errors: Errors, key: str, message: str | None) -> None:
    if message and key not in errors:
        errors[key] = message


def validate_endpoints(
    endpoints: Sequence[EndpointValues],
    *,
    ports_in_use: Iterable[tuple[str, int]] = (),
    prefix: str = "endpoints",
) -> Errors:
    """Each endpoint's fields, plus unique names and public ports.

    Args:
        endpoints: The rows of the endpoint table.
        ports_in_use: ``(protocol, public port)`` pairs already used by other roles of the same
            deployment; the service refuses to reuse them.
        prefix: Key prefix for the returned errors.
    """
    errors: Errors = {}
    taken = {(proto.lower(), port) for proto, port in ports_in_use}
    seen_names: set[str] = set()
    seen_ports: set[tuple[str, int]] = set()
    for i, ep in enumerate(endpoints):
        key = f"{prefix}.{i}"
        name_problem = check_name(ep.name, "Endpoint name", ENDPOINT_NAME)
        if not name_problem and ep.name.lower() in seen_names:
            name_problem = f"Endpoint name '{ep.name}' is used twice."
        _put(errors, f"{key}.name", name_problem)
        seen_names.add(ep.name.lower())
        _put(errors, f"{key}.protocol", check_choice(ep.protocol, "Protocol", PROTOCOLS))
        port_problem = check_port(ep.public_port, "Public port")
        if not port_problem:
            pair = (ep.protocol.lower(), int(ep.public_port))
            if pair in seen_ports or pair in taken:
                port_problem = (
                    f"Public port {pair[1]} is already in use by one of the endpoints in this deployment. "
                    "Ensure that the port numbers are unique across endpoints within a deployment."
                )
            seen_ports.add(pair)
        _put(errors, f"{key}.public_port", port_problem)
        _put(errors, f"{key}.local_port", check_port(ep.local_port, "Local port"))
    return errors


def validate_data_disk(
    disk: DataDiskValues, *, luns_in_use: Iterable[int] = (), prefix: str = "data_disk"
) -> Errors:
    """One data disk in its creation mode, with its LUN checked against ``luns_in_use``."""
    errors: Errors = {}
    lun_problem = check_lun(disk.lun)
    if not lun_problem and int(disk.lun) in set(luns_in_use):
        lun_problem = f"LUN {int(disk.lun)} is already used by another data disk of this role."
    _put(errors, f"{prefix}.lun", lun_problem)
    _put(errors, f"{prefix}.host_caching", check_choice(disk.host_caching, "Host caching", HOST_CACHING))
    _put(errors, f"{prefix}.label", check_label(disk.label, "Disk label", optional=True))
    if disk.mode == "empty":
        _put(errors, f"{prefix}.size_gb", check_int_range(disk.size_gb, "Size (GB)", *DATA_DISK_SIZE_GB))
        _put(errors, f"{prefix}.media_link", check_media_link(disk.media_link, optional=True))
    elif disk.mode == "existing":
        _put(errors, f"{prefix}.disk_name", required(disk.disk_name, "Disk name"))
    elif disk.mode == "blob":
        _put(
            errors,
            f"{prefix}.source_media_link",
            check_media_link(disk.source_media_link, "Source media link"),
        )
    else:
        _put(errors, f"{prefix}.mode", check_choice(disk.mode, "Disk mode", ("empty", "existing", "blob")))
    return errors


def validate_data_disks(disks: Sequence[DataDiskValues], *, prefix: str = "data_disks") -> Errors:
    """Every data disk of a role; LUNs must be unique within the role."""
    errors: Errors = {}
    used: list[int] = []
    for i, disk in enumerate(disks):
        errors.update(validate_data_disk(disk, luns_in_use=used, prefix=f"{prefix}.{i}"))
        number = parse_int(disk.lun)
        if number is not None:
            used.append(number)
    return errors


def validate_provisioning(prov: ProvisioningValues, *, prefix: str = "provisioning") -> Errors:
    """A Windows or Linux provisioning configuration set."""
    errors: Errors = {}
    if prov.os == "Windows":
        _put(errors, f"{prefix}.host_name", check_windows_computer_name(prov.host_name))
        _put(errors, f"{prefix}.user_name", check_windows_admin_username(prov.user_name))
        _put(errors, f"{prefix}.password", check_password(prov.password, "Admin password"))
    elif prov.os == "Linux":
        _put(errors, f"{prefix}.host_name", check_linux_host_name(prov.host_name))
        _put(errors, f"{prefix}.user_name", check_linux_user_name(prov.user_name))
        key_given = bool(prov.ssh_fingerprint.strip())
        if key_given:
            _put(errors, f"{prefix}.ssh_fingerprint", check_thumbprint(prov.ssh_fingerprint))
        if prov.password:
            # SPEC §8: UserPassword is 6–72 characters (ASMC validation); complexity as for Windows.
            low, high = LINUX_PASSWORD_LENGTH
            problem = check_password(prov.password, "User password", low=low, high=high)
            _put(errors, f"{prefix}.password", problem)
        elif not key_given:
            _put(errors, f"{prefix}.password", "User password is required unless an SSH key is given.")
        if prov.disable_ssh_password_auth and not key_given:
            _put(
                errors,
                f"{prefix}.ssh_fingerprint",
                "SSH key fingerprint is required when SSH password authentication is disabled.",
            )
    else:
        _put(errors, f"{prefix}.os", check_choice(prov.os, "OS", OS_TYPES))
    return errors


def validate_vm_role(
    role: VMRoleValues,
    *,
    role_names_in_use: Iterable[str] = (),
    ports_in_use: Iterable[tuple[str, int]] = (),
    require_provisioning: bool = True,
) -> Errors:
    """The whole VMRole builder form.

    Args:
        role: The form values.
        role_names_in_use: Names of roles already in the deployment (Add Role).
        ports_in_use: ``(protocol, port)`` public ports used by the deployment's other roles.
        require_provisioning: A role created from an image needs a provisioning set.
    """
    errors: Errors = {}
    name_problem = check_role_name(role.role_name)
    if not name_problem and role.role_name.lower() in {n.lower() for n in role_names_in_use}:
        name_problem = f"Role name '{role.role_name}' is already used in this deployment."
    _put(errors, "role_name", name_problem)
    _put(errors, "role_size", required(role.role_size, "Role size"))
    os_disk = role.os_disk
    if os_disk.source_image_name.strip() and os_disk.disk_name.strip():
        _put(errors, "os_disk.disk_name", "Give a source image or an existing OS disk, not both.")
    if os_disk.source_image_name.strip():
        _put(errors, "os_disk.media_link", check_media_link(os_disk.media_link, "OS disk media link"))
    elif not os_disk.disk_name.strip():
        _put(
            errors,
            "os_disk.source_image_name",
            "Source image is required (or the name of an existing OS disk).",
        )
    _put(errors, "os_disk.host_caching", check_choice(os_disk.host_caching, "OS disk caching", HOST_CACHING))
    _put(errors, "os_disk.disk_label", check_label(os_disk.disk_label, "OS disk label", optional=True))
    errors.update(validate_data_disks(role.data_disks))
    if role.provisioning is not None:
        errors.update(validate_provisioning(role.provisioning))
    elif require_provisioning and os_disk.source_image_name.strip():
        _put(errors, "provisioning", "A provisioning configuration is required when creating from an image.")
    errors.update(validate_endpoints(role.endpoints, ports_in_use=ports_in_use))
    return errors


def validate_deployment(dep: DeploymentValues) -> Errors:
    """A new VM deployment and its first role."""
    errors: Errors = {}
    _put(errors, "name", check_deployment_name(dep.name))
    _put(errors, "slot", check_choice(dep.slot, "Slot", SLOTS))
    _put(errors, "label", check_label(dep.label, "Deployment label"))
    if dep.upgrade_domain_count.strip():
        _put(
            errors,
            "upgrade_domain_count",
            check_int_range(dep.upgrade_domain_count, "Upgrade domain count", *UPGRADE_DOMAIN_COUNT),
        )
    errors.update({f"role.{k}": v for k, v in validate_vm_role(dep.role).items()})
    return errors


def validate_hosted_service(svc: HostedServiceValues) -> Errors:
    """A new hosted service."""
    errors: Errors = {}
    _put(errors, "service_name", check_hosted_service_name(svc.service_name))
    _put(errors, "label", check_label(svc.label, "Label"))
    _put(errors, "description", check_description(svc.description))
    _put(errors, "location", required(svc.location, "Location"))
    return errors


def validate_capture(cap: CaptureValues) -> Errors:
    """Capture a role instance to an OS image."""
    errors: Errors = {}
    _put(
        errors,
        "post_capture_action",
        check_choice(cap.post_capture_action, "After capture", POST_CAPTURE_ACTIONS),
    )
    _put(errors, "target_image_name", check_image_name(cap.target_image_name, "Target image name"))
    _put(errors, "target_image_label", check_label(cap.target_image_label, "Target image label"))
    if cap.post_capture_action == "Reprovision":
        if cap.provisioning is None:
            _put(errors, "provisioning", "Reprovision needs a provisioning configuration.")
        else:
            errors.update(validate_provisioning(cap.provisioning))
    return errors


def validate_os_image(img: OSImageValues) -> Errors:
    """Register a blob as an OS image."""
    errors: Errors = {}
    _put(errors, "name", check_image_name(img.name))
    _put(errors, "label", check_label(img.label, "Label"))
    _put(errors, "media_link", check_media_link(img.media_link))
    _put(errors, "os", check_choice(img.os, "OS", OS_TYPES))
    _put(errors, "description", check_description(img.description))
    return errors


def check_typed_confirmation(typed: str, expected: str) -> str | None:
    """Destructive confirmations that make the user type the target's exact name."""
    if typed != expected:
        return f"Type '{expected}' exactly to confirm."
    return None
