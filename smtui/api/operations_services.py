"""Request builders: operation status, OS images, hosted services, storage, disks, locations, sizes.

Each function validates its arguments (raising :class:`~smtui.api.errors.ValidationError`
naming the field) and returns an :class:`~smtui.api.operations.ApiRequest`; nothing is
sent. Paths and statuses follow SPEC §7 (recordings win where they disagree).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from smtui.api import models
from smtui.api.errors import ValidationError
from smtui.api.operations import (
    ApiRequest,
    choice,
    coerce,
    list_parser,
    media_query,
    model_parser,
    operation,
    require_text,
    segment,
    with_body,
)

OS_TYPES = ("Linux", "Windows")
DEFAULT_SERVICE_DESCRIPTION = "Service host"
"""The seed's default ``Description`` of a new hosted service."""


def get_operation_status(request_id: str) -> ApiRequest[models.OperationStatus]:
    """Status of an asynchronous operation (``x-ms-request-id`` of a ``202``).

    ``GET /operations/<request-id>``.
    """
    rid = segment(request_id, "request_id")
    return ApiRequest(
        "GetOperationStatus", "GET", f"/operations/{rid}", parser=model_parser(models.OperationStatus)
    )


# ------------------------------------------------------------------ OS images


def get_os_image(image_name: str) -> ApiRequest[models.OSImage]:
    """One OS image by name.

    ``GET /services/images/<name>``.
    """
    name = segment(image_name, "image_name")
    return ApiRequest("GetOSImage", "GET", f"/services/images/{name}", parser=model_parser(models.OSImage))


def list_os_images() -> ApiRequest[list[models.OSImage]]:
    """Every platform and user OS image.

    ``GET /services/images``.
    """
    return ApiRequest("ListOSImages", "GET", "/services/images", parser=list_parser(models.OSImage))


def create_os_image(
    os_type: str, image_name: str, media_link: str, image_options: Mapping[str, Any] | None = None
) -> ApiRequest[models.OSImage]:
    """Register a VHD blob as an OS image (``Label`` defaults to the name).

    ``POST /services/images`` — register a VHD blob as a user OS image.

    Args:
        os_type: ``Linux`` or ``Windows``.
        image_name: Name of the new image.
        media_link: URL of the VHD blob (same subscription).
        image_options: Optional ``Label`` (default: ``image_name``), ``Description``, ``Eula``,
            ``ImageFamily``, ``RecommendedVMSize`` … (PascalCase or snake_case).

    The live service answers ``200`` with the created image as body (recordings).
    """
    fields: dict[str, Any] = dict(image_options or {})
    fields.update(
        {
            "OS": choice(os_type, "OS", OS_TYPES),
            "Name": require_text(image_name, "Name"),
            "MediaLink": require_text(media_link, "MediaLink"),
        }
    )
    if not (fields.get("Label") or fields.get("label")):
        fields["Label"] = fields["Name"]
    image = coerce(models.OSImage, fields, "image_options")
    return ApiRequest(
        "CreateOSImage",
        "POST",
        "/services/images",
        expected=frozenset({200}),
        parser=model_parser(models.OSImage),
        **with_body(image),
    )


# ------------------------------------------------------------------ hosted services


CONTINUATION_HEADER = "x-ms-continuation-token"
"""Request/response header paging List Hosted Services (a truncated answer carries it)."""


def list_hosted_services(continuation_token: str | None = None) -> ApiRequest[list[models.HostedService]]:
    """``GET /services/hostedservices`` — one page; ``continuation_token`` asks for the next one."""
    return ApiRequest(
        "ListHostedServices",
        "GET",
        "/services/hostedservices",
        parser=list_parser(models.HostedService),
        headers={CONTINUATION_HEADER: continuation_token} if continuation_token else {},
    )


def get_hosted_service(service_name: str, embed_detail: bool = False) -> ApiRequest[models.HostedService]:
    """One hosted service; with ``embed_detail`` its deployments too.

    ``GET /services/hostedservices/<name>[?embed-detail=true]`` (deployments included with detail).
    """
    name = segment(service_name, "service_name")
    return ApiRequest(
        "GetHostedService",
        "GET",
        f"/services/hostedservices/{name}",
        query={"embed-detail": "true"} if embed_detail else {},
        parser=model_parser(models.HostedService),
    )


def create_hosted_service(
    service_name: str, service_options: Mapping[str, Any] | None = None
) -> ApiRequest[None]:
    """Create a hosted service (``Location`` or ``AffinityGroup`` required; ``201``).

    ``POST /services/hostedservices`` — answers ``201 Created``.

    Args:
        service_name: DNS prefix (``<name>.cloudapp.net``), globally unique.
        service_options: ``Location`` xor ``AffinityGroup`` (one is required), ``Label``
            (default: the name), ``Description`` (default ``'Service host'``),
            ``ExtendedProperties`` (mapping name → value, or list), ``ReverseDnsFqdn``.
    """
    fields: dict[str, Any] = _pascal(service_options or {})
    fields["ServiceName"] = require_text(service_name, "ServiceName")
    if not fields.get("Label"):
        fields["Label"] = fields["ServiceName"]
    if not fields.get("Description"):
        fields["Description"] = DEFAULT_SERVICE_DESCRIPTION
    location, group = fields.get("Location"), fields.get("AffinityGroup")
    if not location and not group:
        raise ValidationError("Location", "Location or AffinityGroup must be specified")
    if location and group:
        raise ValidationError("AffinityGroup", "give only one of Location and AffinityGroup")
    if len(str(fields["Label"])) > 100:
        raise ValidationError("Label", "must be at most 100 characters")
    if len(str(fields["Description"])) > 1024:
        raise ValidationError("Description", "must be at most 1024 characters")
    props = fields.get("ExtendedProperties")
    if isinstance(props, Mapping):
        fields["ExtendedProperties"] = [{"Name": k, "Value": v} for k, v in props.items()]
    body = coerce(models.CreateHostedService, fields, "service_options")
    return ApiRequest(
        "CreateHostedService",
        "POST",
        "/services/hostedservices",
        expected=frozenset({201}),
        **with_body(body),
    )


def delete_hosted_service(service_name: str, delete_media: bool = False) -> ApiRequest[None]:
    """Delete a hosted service (with ``delete_media``: its deployments, disks and blobs too).

    ``DELETE /services/hostedservices/<name>[?comp=media]``.

    Without ``delete_media`` the call is synchronous (``200``) and fails while deployments
    exist; with it deployments, disks and blobs go too (``202``, asynchronous).
    """
    name = segment(service_name, "service_name")
    return ApiRequest(
        "DeleteHostedService",
        "DELETE",
        f"/services/hostedservices/{name}",
        query=media_query(delete_media),
        expected=frozenset({202}) if delete_media else frozenset({200}),
        is_async=delete_media,
    )


# ------------------------------------------------------------------ storage, disks, locations, sizes


def get_storage_account_keys(account_name: str) -> ApiRequest[models.StorageAccountKeys]:
    """Primary and secondary keys of a storage account.

    ``GET /services/storageservices/<account>/keys``.
    """
    name = segment(account_name, "account_name")
    return ApiRequest(
        "GetStorageAccountKeys",
        "GET",
        f"/services/storageservices/{name}/keys",
        parser=model_parser(models.StorageAccountKeys),
    )


def list_storage_accounts() -> ApiRequest[list[models.StorageAccount]]:
    """Every storage account of the subscription.

    ``GET /services/storageservices``.
    """
    return ApiRequest(
        "ListStorageAccounts", "GET", "/services/storageservices", parser=list_parser(models.StorageAccount)
    )


def list_disks() -> ApiRequest[list[models.Disk]]:
    """The disk repository (OS and data disks, attached or not).

    ``GET /services/disks``.
    """
    return ApiRequest("ListDisks", "GET", "/services/disks", parser=list_parser(models.Disk))


def get_disk(disk_name: str) -> ApiRequest[models.Disk]:
    """One disk of the repository.

    ``GET /services/disks/<name>``.
    """
    name = segment(disk_name, "disk_name")
    return ApiRequest("GetDisk", "GET", f"/services/disks/{name}", parser=model_parser(models.Disk))


def delete_disk(disk_name: str, delete_media: bool = False) -> ApiRequest[None]:
    """Delete a disk of the repository (with ``delete_media``: its VHD blob too).

    ``DELETE /services/disks/<name>[?comp=media]`` — ``200`` with or without media (SPEC §7.25,
    recordings ``azure-xplat-cli/050-DeleteDisk``, ``051``). A disk still attached to a VM is
    refused (``400``): detach it first with :func:`~smtui.api.operations_compute.remove_data_disk`.
    """
    name = segment(disk_name, "disk_name")
    return ApiRequest("DeleteDisk", "DELETE", f"/services/disks/{name}", query=media_query(delete_media))


def list_locations() -> ApiRequest[list[models.Location]]:
    """Regions available to the subscription.

    ``GET /locations``.
    """
    return ApiRequest("ListLocations", "GET", "/locations", parser=list_parser(models.Location))


def list_role_sizes() -> ApiRequest[list[models.RoleSize]]:
    """VM/role sizes (cores, memory, data-disk limits).

    ``GET /rolesizes``.
    """
    return ApiRequest("ListRoleSizes", "GET", "/rolesizes", parser=list_parser(models.RoleSize))


def _pascal(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """Mapping keys in the wire's PascalCase (``reverse_dns_fqdn`` → ``ReverseDnsFqdn``)."""
    out: dict[str, Any] = {}
    for key, value in mapping.items():
        if "_" in key or key[:1].islower():
            key = "".join(part[:1].upper() + part[1:] for part in key.split("_"))
        out[key] = value
    return out


# ------------------------------------------------------------------ VM images, groups, subscription


def list_vm_images() -> ApiRequest[list[models.VMImage]]:
    """Every platform and user VM image.

    ``GET /services/vmimages`` (``x-ms-version`` ≥ 2014-02-01).
    """
    return ApiRequest("ListVMImages", "GET", "/services/vmimages", parser=list_parser(models.VMImage))


def list_affinity_groups() -> ApiRequest[list[models.AffinityGroup]]:
    """The subscription's affinity groups.

    ``GET /affinitygroups``.
    """
    return ApiRequest(
        "ListAffinityGroups", "GET", "/affinitygroups", parser=list_parser(models.AffinityGroup)
    )


def get_affinity_group(group_name: str) -> ApiRequest[models.AffinityGroup]:
    """One affinity group, with the hosted services and storage accounts in it.

    ``GET /affinitygroups/<name>``.
    """
    name = segment(group_name, "group_name")
    return ApiRequest(
        "GetAffinityGroup", "GET", f"/affinitygroups/{name}", parser=model_parser(models.AffinityGroup)
    )


def get_subscription() -> ApiRequest[models.Subscription]:
    """The subscription: status, limits and current usage (cores, services, storage accounts).

    ``GET /<subscription-id>`` (the quotas).
    """
    return ApiRequest("GetSubscription", "GET", "", parser=model_parser(models.Subscription))


# ---------------------------------------------------------------------------------------------
# the client methods (mixed into ServiceManagementClient): one line per operation above


class ServiceOperations:
    """Client methods of the builders in this module (see :func:`~smtui.api.operations.operation`)."""

    get_operation_status = operation(get_operation_status)
    get_hosted_service = operation(get_hosted_service)
    create_hosted_service = operation(create_hosted_service)
    delete_hosted_service = operation(delete_hosted_service)
    get_os_image = operation(get_os_image)
    list_os_images = operation(list_os_images)
    create_os_image = operation(create_os_image)
    list_vm_images = operation(list_vm_images)
    list_affinity_groups = operation(list_affinity_groups)
    get_affinity_group = operation(get_affinity_group)
    get_subscription = operation(get_subscription)
    get_storage_account_keys = operation(get_storage_account_keys)
    list_storage_accounts = operation(list_storage_accounts)
    list_disks = operation(list_disks)
    get_disk = operation(get_disk)
    delete_disk = operation(delete_disk)
    list_locations = operation(list_locations)
    list_role_sizes = operation(list_role_sizes)
