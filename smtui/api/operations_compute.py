"""Request builders: deployments, VM roles, data disks and role-instance operations.

Each function validates its arguments (raising :class:`~smtui.api.errors.ValidationError`
naming the field) and returns an :class:`~smtui.api.operations.ApiRequest`; nothing is
sent. Defaults follow the seed (npm ``azure@0.6``): ``DeploymentSlot`` = ``Production``,
``Label`` = the deployment name, ``RoleType`` = ``PersistentVMRole``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from smtui.api import models
from smtui.api.errors import ValidationError
from smtui.api.operations import (
    ApiRequest,
    checked_lun,
    choice,
    coerce,
    media_query,
    model_parser,
    operation,
    require_text,
    segment,
    with_body,
)
from smtui.api.vocabulary import (
    DATA_DISK_SIZE_GB,
    DEFAULT_SLOT,
    HOST_CACHING,
    POST_CAPTURE_ACTIONS,
    POST_SHUTDOWN_ACTIONS,
    SLOTS,
)

ROLE_TYPE = "PersistentVMRole"
ACCEPTED = frozenset({202})


def _service(service_name: str) -> str:
    return f"/services/hostedservices/{segment(service_name, 'service_name')}"


def _deployment(service_name: str, deployment_name: str) -> str:
    return f"{_service(service_name)}/deployments/{segment(deployment_name, 'deployment_name')}"


def _role(service_name: str, deployment_name: str, role_name: str) -> str:
    return f"{_deployment(service_name, deployment_name)}/roles/{segment(role_name, 'role_name')}"


def _instance_operations(service_name: str, deployment_name: str, role_instance: str) -> str:
    base = _deployment(service_name, deployment_name)
    return f"{base}/roleinstances/{segment(role_instance, 'role_instance')}/Operations"


def _instance_operation(operation: str, path: str, body: object) -> ApiRequest[None]:
    """``POST`` of an operation ``body`` to a role instance's ``Operations`` ``path`` (``202``)."""
    return ApiRequest(operation, "POST", path, expected=ACCEPTED, is_async=True, **with_body(body))


# ------------------------------------------------------------------ deployments


def get_deployment(service_name: str, deployment_name: str) -> ApiRequest[models.Deployment]:
    """A deployment by name (VM deployments are usually named after the service).

    ``GET …/deployments/<name>``.
    """
    return ApiRequest(
        "GetDeployment",
        "GET",
        _deployment(service_name, deployment_name),
        parser=model_parser(models.Deployment),
    )


def get_deployment_by_slot(service_name: str, deployment_slot: str) -> ApiRequest[models.Deployment]:
    """The deployment in slot ``Production`` or ``Staging``.

    ``GET …/deploymentslots/<Production|Staging>``.
    """
    slot = choice(deployment_slot, "DeploymentSlot", SLOTS)
    return ApiRequest(
        "GetDeploymentBySlot",
        "GET",
        f"{_service(service_name)}/deploymentslots/{slot}",
        parser=model_parser(models.Deployment),
    )


def create_deployment(
    service_name: str,
    deployment_name: str,
    vm_role: models.VMRole | Mapping[str, Any],
    deployment_options: Mapping[str, Any] | None = None,
) -> ApiRequest[None]:
    """Create a VM deployment with one role (slot ``Production``, label = name by default).

    ``POST …/hostedservices/<svc>/deployments`` — a VM deployment with one role (``202``).

    Args:
        service_name: The hosted service.
        deployment_name: Name of the new deployment.
        vm_role: The role (:class:`~smtui.api.models.VMRole` or a PascalCase mapping as in the seed).
        deployment_options: ``DeploymentSlot`` (default ``Production``), ``Label`` (default: the
            deployment name, sent as plain text), ``VirtualNetworkName``, ``Dns``, ``ReservedIPName``,
            ``LoadBalancers``.
    """
    path = f"{_service(service_name)}/deployments"
    name = require_text(deployment_name, "deployment_name")
    role = _checked_role(vm_role, "VMRole", creating=True)
    fields: dict[str, Any] = dict(deployment_options or {})
    for key in ("RoleList", "role_list", "Name", "name"):
        if key in fields:
            raise ValidationError(key, "is set from the arguments, not from deployment_options")
    slot = fields.pop("DeploymentSlot", fields.pop("deployment_slot", None)) or DEFAULT_SLOT
    label = fields.pop("Label", fields.pop("label", None)) or name
    if len(str(label)) > 100:
        raise ValidationError("Label", "must be at most 100 characters")
    fields.update({"Name": name, "DeploymentSlot": choice(slot, "DeploymentSlot", SLOTS), "Label": label})
    deployment = dataclasses.replace(
        coerce(models.Deployment, fields, "deployment_options"), role_list=[role]
    )
    return ApiRequest(
        "CreateDeployment", "POST", path, expected=ACCEPTED, is_async=True, **with_body(deployment)
    )


def delete_deployment(
    service_name: str, deployment_name: str, delete_media: bool = False
) -> ApiRequest[None]:
    """Delete a deployment (with ``delete_media``: its disks and VHD blobs too).

    ``DELETE …/deployments/<name>[?comp=media]`` (``202``; with media: disks and blobs too).
    """
    return ApiRequest(
        "DeleteDeployment",
        "DELETE",
        _deployment(service_name, deployment_name),
        query=media_query(delete_media),
        expected=ACCEPTED,
        is_async=True,
    )


# ------------------------------------------------------------------ roles


def get_role(service_name: str, deployment_name: str, role_name: str) -> ApiRequest[models.VMRole]:
    """One VM role of a deployment.

    ``GET …/roles/<role>``.
    """
    return ApiRequest(
        "GetRole", "GET", _role(service_name, deployment_name, role_name), parser=model_parser(models.VMRole)
    )


def add_role(
    service_name: str, deployment_name: str, vm_role: models.VMRole | Mapping[str, Any]
) -> ApiRequest[None]:
    """Add a VM role to an existing deployment.

    ``POST …/deployments/<dep>/roles`` — add a VM to a deployment (``202``).
    """
    path = f"{_deployment(service_name, deployment_name)}/roles"
    role = _checked_role(vm_role, "VMRole", creating=True)
    return ApiRequest("AddRole", "POST", path, expected=ACCEPTED, is_async=True, **with_body(role))


def modify_role(
    service_name: str,
    deployment_name: str,
    role_name: str,
    vm_role: models.VMRole | Mapping[str, Any],
) -> ApiRequest[None]:
    """Update a VM role (endpoints, size, disk caching …).

    ``PUT …/roles/<role>`` — change endpoints, size, disks' caching … (``202``).

    The network configuration set given replaces the role's endpoint list. Provisioning
    sets cannot be changed this way.
    """
    path = _role(service_name, deployment_name, role_name)
    role = coerce(models.VMRole, vm_role, "VMRole")
    if role.role_name is None:
        role = dataclasses.replace(role, role_name=role_name)
    elif role.role_name != role_name:
        raise ValidationError(
            "RoleName", f"{role.role_name!r} differs from the role addressed, {role_name!r}"
        )
    role = _checked_role(role, "VMRole", creating=False)
    if any(not isinstance(s, models.NetworkConfiguration) for s in role.configuration_sets):
        raise ValidationError("ConfigurationSets", "Update Role accepts only a NetworkConfiguration set")
    return ApiRequest("ModifyRole", "PUT", path, expected=ACCEPTED, is_async=True, **with_body(role))


def delete_role(
    service_name: str, deployment_name: str, role_name: str, delete_media: bool = False
) -> ApiRequest[None]:
    """Remove a VM role from its deployment.

    ``DELETE …/roles/<role>[?comp=media]`` (``202``).
    """
    return ApiRequest(
        "DeleteRole",
        "DELETE",
        _role(service_name, deployment_name, role_name),
        query=media_query(delete_media),
        expected=ACCEPTED,
        is_async=True,
    )


def _checked_role(
    value: models.VMRole | Mapping[str, Any], field_name: str, *, creating: bool
) -> models.VMRole:
    role = coerce(models.VMRole, value, field_name)
    require_text(role.role_name, "RoleName")
    if role.role_type is None:
        role = dataclasses.replace(role, role_type=ROLE_TYPE)
    elif role.role_type != ROLE_TYPE:
        raise ValidationError("RoleType", f"must be {ROLE_TYPE}, got {role.role_type!r}")
    if creating and role.os_virtual_hard_disk is None and not role.vm_image_name:
        raise ValidationError("OSVirtualHardDisk", "is required (or VMImageName)")
    if role.os_virtual_hard_disk is not None and role.os_virtual_hard_disk.host_caching is not None:
        choice(role.os_virtual_hard_disk.host_caching, "OSVirtualHardDisk.HostCaching", HOST_CACHING)
    if not creating:
        # A role read back from the service has no <Lun> on LUN 0 (EmitDefaultValue=false).
        disks = [
            d if d.lun is not None else dataclasses.replace(d, lun=0) for d in role.data_virtual_hard_disks
        ]
        role = dataclasses.replace(role, data_virtual_hard_disks=disks)
    seen: set[int] = set()
    for disk in role.data_virtual_hard_disks:
        number = _checked_disk(disk, adding=creating)
        if number in seen:
            raise ValidationError("Lun", f"LUN {number} is used by two data disks")
        seen.add(number)
    return role


# ------------------------------------------------------------------ data disks


def _disk_path(service_name: str, deployment_name: str, role_name: str) -> str:
    return f"{_role(service_name, deployment_name, role_name)}/DataDisks"


def _checked_disk(disk: models.DataDisk, *, adding: bool) -> int:
    number = checked_lun(disk.lun)
    if disk.host_caching is not None:
        choice(disk.host_caching, "HostCaching", HOST_CACHING)
    size = disk.logical_disk_size_in_gb
    low, high = DATA_DISK_SIZE_GB
    if size is not None and not low <= int(size) <= high:
        raise ValidationError("LogicalDiskSizeInGB", f"must be between {low} and {high}, got {size}")
    if adding and not (disk.disk_name or disk.source_media_link or size):
        raise ValidationError(
            "DataVirtualHardDisk",
            "give DiskName (existing disk), SourceMediaLink (blob) or LogicalDiskSizeInGB",
        )
    return number


def get_data_disk(
    service_name: str, deployment_name: str, role_name: str, lun: int
) -> ApiRequest[models.DataDisk]:
    """The data disk at ``lun`` (0–15).

    ``GET …/roles/<role>/DataDisks/<lun>``.
    """
    path = f"{_disk_path(service_name, deployment_name, role_name)}/{checked_lun(lun)}"
    return ApiRequest("GetDataDisk", "GET", path, parser=model_parser(models.DataDisk))


def add_data_disk(
    service_name: str,
    deployment_name: str,
    role_name: str,
    data_disk: models.DataDisk | Mapping[str, Any],
) -> ApiRequest[None]:
    """Attach a new (by size), registered (by name) or blob (by media link) data disk.

    ``POST …/roles/<role>/DataDisks`` — attach a new, registered or blob disk (``202``).

    Modes (see :class:`~smtui.api.models.DataDisk`): ``LogicalDiskSizeInGB`` + ``MediaLink``
    (new empty disk), ``DiskName`` (registered disk), ``SourceMediaLink`` (existing blob).
    ``Lun`` (0–15) is required.
    """
    path = _disk_path(service_name, deployment_name, role_name)
    disk = coerce(models.DataDisk, data_disk, "DataVirtualHardDisk")
    _checked_disk(disk, adding=True)
    return ApiRequest("AddDataDisk", "POST", path, expected=ACCEPTED, is_async=True, **with_body(disk))


def modify_data_disk(
    service_name: str,
    deployment_name: str,
    role_name: str,
    lun: int,
    data_disk: models.DataDisk | Mapping[str, Any],
) -> ApiRequest[None]:
    """Change the data disk at ``lun`` (caching, label, new LUN).

    ``PUT …/roles/<role>/DataDisks/<lun>`` — change caching, label or LUN.

    The body's ``Lun`` is the disk's new LUN (defaults to ``lun``). SDKs disagree on
    the status (202 vs 200); both count as success.
    """
    path = f"{_disk_path(service_name, deployment_name, role_name)}/{checked_lun(lun)}"
    disk = coerce(models.DataDisk, data_disk, "DataVirtualHardDisk")
    if disk.lun is None:
        disk = dataclasses.replace(disk, lun=checked_lun(lun))
    _checked_disk(disk, adding=False)
    if disk.source_media_link:
        raise ValidationError("SourceMediaLink", "cannot be changed on an attached disk")
    return ApiRequest(
        "ModifyDataDisk", "PUT", path, expected=frozenset({200, 202}), is_async=True, **with_body(disk)
    )


def remove_data_disk(
    service_name: str, deployment_name: str, role_name: str, lun: int, delete_media: bool = False
) -> ApiRequest[None]:
    """Detach the data disk at ``lun`` (with ``delete_media``: delete its blob too).

    ``DELETE …/roles/<role>/DataDisks/<lun>[?comp=media]`` (``202``).
    """
    path = f"{_disk_path(service_name, deployment_name, role_name)}/{checked_lun(lun)}"
    return ApiRequest(
        "RemoveDataDisk", "DELETE", path, query=media_query(delete_media), expected=ACCEPTED, is_async=True
    )


# ------------------------------------------------------------------ role instances


def shutdown_role_instance(
    service_name: str, deployment_name: str, role_instance: str, post_shutdown_action: str | None = None
) -> ApiRequest[None]:
    """Shut a VM down (``Stopped`` or ``StoppedDeallocated``).

    ``POST …/roleinstances/<role>/Operations`` with ``ShutdownRoleOperation`` (``202``).

    Args:
        post_shutdown_action: ``Stopped`` (keeps the VM allocated and billed) or
            ``StoppedDeallocated``; omitted, the service applies ``Stopped``.
    """
    action = (
        None
        if post_shutdown_action is None
        else choice(post_shutdown_action, "PostShutdownAction", POST_SHUTDOWN_ACTIONS)
    )
    body = models.ShutdownRoleOperation(post_shutdown_action=action)
    path = _instance_operations(service_name, deployment_name, role_instance)
    return _instance_operation("ShutdownRoleInstance", path, body)


def start_role_instance(service_name: str, deployment_name: str, role_instance: str) -> ApiRequest[None]:
    """Start a stopped VM.

    ``POST …/roleinstances/<role>/Operations`` with ``StartRoleOperation`` (``202``).
    """
    path = _instance_operations(service_name, deployment_name, role_instance)
    return _instance_operation("StartRoleInstance", path, models.StartRoleOperation())


def restart_role_instance(service_name: str, deployment_name: str, role_instance: str) -> ApiRequest[None]:
    """Restart a running VM.

    ``POST …/roleinstances/<role>/Operations`` with ``RestartRoleOperation`` (``202``).
    """
    path = _instance_operations(service_name, deployment_name, role_instance)
    return _instance_operation("RestartRoleInstance", path, models.RestartRoleOperation())


def capture_role_instance(
    service_name: str,
    deployment_name: str,
    role_instance: str,
    capture_options: models.CaptureRoleOperation | Mapping[str, Any],
) -> ApiRequest[None]:
    """Capture a VM's OS disk as a user OS image (then delete or reprovision the VM).

    ``POST …/roleinstances/<role>/Operations`` with ``CaptureRoleOperation`` (``202``).

    Args:
        capture_options: ``PostCaptureAction`` (``Delete`` | ``Reprovision``), ``TargetImageName``,
            ``TargetImageLabel`` (default: the image name) and, for ``Reprovision``, a
            ``ProvisioningConfiguration`` (Windows or Linux set).
    """
    path = _instance_operations(service_name, deployment_name, role_instance)
    body = coerce(models.CaptureRoleOperation, capture_options, "capture_options")
    action = choice(body.post_capture_action, "PostCaptureAction", POST_CAPTURE_ACTIONS)
    name = require_text(body.target_image_name, "TargetImageName")
    if action == "Reprovision" and body.provisioning_configuration is None:
        raise ValidationError("ProvisioningConfiguration", "is required with PostCaptureAction Reprovision")
    body = dataclasses.replace(
        body,
        operation_type="CaptureRoleOperation",
        post_capture_action=action,
        target_image_label=body.target_image_label or name,
    )
    return _instance_operation("CaptureRoleInstance", path, body)


# ---------------------------------------------------------------------------------------------
# the client methods (mixed into ServiceManagementClient): one line per operation above


class ComputeOperations:
    """Client methods of the builders in this module (see :func:`~smtui.api.operations.operation`)."""

    get_deployment = operation(get_deployment)
    get_deployment_by_slot = operation(get_deployment_by_slot)
    create_deployment = operation(create_deployment)
    delete_deployment = operation(delete_deployment)
    get_role = operation(get_role)
    add_role = operation(add_role)
    modify_role = operation(modify_role)
    delete_role = operation(delete_role)
    get_data_disk = operation(get_data_disk)
    add_data_disk = operation(add_data_disk)
    modify_data_disk = operation(modify_data_disk)
    remove_data_disk = operation(remove_data_disk)
    shutdown_role_instance = operation(shutdown_role_instance)
    start_role_instance = operation(start_role_instance)
    restart_role_instance = operation(restart_role_instance)
    capture_role_instance = operation(capture_role_instance)
