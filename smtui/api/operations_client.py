"""The operation methods of :class:`~smtui.api.client.ServiceManagementClient`.

One async method per operation, named as in issue 2. Each one calls the pure builder of
the same name (validation happens there, before anything is sent) and executes the
request; see the builders in :mod:`smtui.api.operations_services` and
:mod:`smtui.api.operations_compute` for the wire details.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import replace
from typing import Any, TypeVar

from smtui.api import models
from smtui.api import operations_compute as compute
from smtui.api import operations_services as services
from smtui.api.operations import ApiRequest
from smtui.api.polling import wait_for_operation
from smtui.api.response import Response

T = TypeVar("T")

Mapped = Mapping[str, Any]


class OperationsMixin:
    """Async operation methods; needs ``execute`` from the client."""

    async def execute(self, request: ApiRequest[T]) -> Response[T]:  # pragma: no cover - overridden
        raise NotImplementedError

    # ------------------------------------------------------------------ operation tracking

    async def get_operation_status(self, request_id: str) -> Response[models.OperationStatus]:
        """Status of an asynchronous operation (``x-ms-request-id`` of a ``202``)."""
        return await self.execute(services.get_operation_status(request_id))

    async def wait_for_operation(
        self,
        request_id: str,
        *,
        interval: float = 5.0,
        timeout: float | None = 600.0,
        on_poll: Callable[[models.OperationStatus], object] | None = None,
        raise_on_failure: bool = False,
    ) -> models.OperationStatus:
        """Poll until the operation leaves ``InProgress``; see :func:`smtui.api.polling.wait_for_operation`.

        Args:
            request_id: ``x-ms-request-id`` of the accepted call.
            interval: Seconds between polls.
            timeout: Seconds before :class:`~smtui.api.errors.OperationTimeoutError` (``None``: never).
            on_poll: Called (sync or async) with each polled status.
            raise_on_failure: Raise :class:`~smtui.api.errors.OperationFailedError` on ``Failed``.

        Returns:
            The final :class:`~smtui.api.models.OperationStatus`.
        """
        getter: Callable[[str], Awaitable[Response[models.OperationStatus]]] = self.get_operation_status
        return await wait_for_operation(
            getter,
            request_id,
            interval=interval,
            timeout=timeout,
            on_poll=on_poll,
            raise_on_failure=raise_on_failure,
        )

    # ------------------------------------------------------------------ OS images

    async def get_os_image(self, image_name: str) -> Response[models.OSImage]:
        """One OS image by name."""
        return await self.execute(services.get_os_image(image_name))

    async def list_os_images(self) -> Response[list[models.OSImage]]:
        """Every platform and user OS image."""
        return await self.execute(services.list_os_images())

    async def create_os_image(
        self, os_type: str, image_name: str, media_link: str, image_options: Mapped | None = None
    ) -> Response[models.OSImage]:
        """Register a VHD blob as an OS image (``Label`` defaults to the name)."""
        return await self.execute(services.create_os_image(os_type, image_name, media_link, image_options))

    # ------------------------------------------------------------------ hosted services

    async def list_hosted_services(self) -> Response[list[models.HostedService]]:
        """Every hosted (cloud) service, without deployments.

        Follows ``x-ms-continuation-token`` pages transparently: the answer holds every page's
        services (headers and request id of the last page); a failed page is returned as is.
        """
        services_so_far: list[models.HostedService] = []
        last: Response[list[models.HostedService]] | None = None
        async for page in self.list_hosted_services_pages():
            if not page.is_successful:
                return page
            services_so_far.extend(page.response or [])
            last = page
        assert last is not None
        return replace(last, response=services_so_far)

    async def list_hosted_services_pages(self) -> AsyncIterator[Response[list[models.HostedService]]]:
        """List Hosted Services page by page (``x-ms-continuation-token``), for large subscriptions.

        Yields each page's response; stops after the last page, a failed page, or a token the
        service already sent (a server repeating itself must not loop us forever).
        """
        token: str | None = None
        seen: set[str] = set()
        while True:
            page = await self.execute(services.list_hosted_services(token))
            yield page
            token = page.headers.get(services.CONTINUATION_HEADER) if page.is_successful else None
            if not token or token in seen:
                return
            seen.add(token)

    async def get_hosted_service(
        self, service_name: str, embed_detail: bool = False
    ) -> Response[models.HostedService]:
        """One hosted service; with ``embed_detail`` its deployments too."""
        return await self.execute(services.get_hosted_service(service_name, embed_detail))

    async def create_hosted_service(
        self, service_name: str, service_options: Mapped | None = None
    ) -> Response[None]:
        """Create a hosted service (``Location`` or ``AffinityGroup`` required; ``201``)."""
        return await self.execute(services.create_hosted_service(service_name, service_options))

    async def delete_hosted_service(self, service_name: str, delete_media: bool = False) -> Response[None]:
        """Delete a hosted service (with ``delete_media``: its deployments, disks and blobs too)."""
        return await self.execute(services.delete_hosted_service(service_name, delete_media))

    # ------------------------------------------------------------------ VM images, groups, subscription

    async def list_vm_images(self) -> Response[list[models.VMImage]]:
        """Every platform and user VM image."""
        return await self.execute(services.list_vm_images())

    async def list_affinity_groups(self) -> Response[list[models.AffinityGroup]]:
        """The subscription's affinity groups."""
        return await self.execute(services.list_affinity_groups())

    async def get_affinity_group(self, group_name: str) -> Response[models.AffinityGroup]:
        """One affinity group, with the hosted services and storage accounts in it."""
        return await self.execute(services.get_affinity_group(group_name))

    async def get_subscription(self) -> Response[models.Subscription]:
        """The subscription: status, limits and current usage (cores, services, storage accounts)."""
        return await self.execute(services.get_subscription())

    # ------------------------------------------------------------------ storage, disks, catalogue

    async def get_storage_account_keys(self, account_name: str) -> Response[models.StorageAccountKeys]:
        """Primary and secondary keys of a storage account."""
        return await self.execute(services.get_storage_account_keys(account_name))

    async def list_storage_accounts(self) -> Response[list[models.StorageAccount]]:
        """Every storage account of the subscription."""
        return await self.execute(services.list_storage_accounts())

    async def list_disks(self) -> Response[list[models.Disk]]:
        """The disk repository (OS and data disks, attached or not)."""
        return await self.execute(services.list_disks())

    async def get_disk(self, disk_name: str) -> Response[models.Disk]:
        """One disk of the repository."""
        return await self.execute(services.get_disk(disk_name))

    async def list_locations(self) -> Response[list[models.Location]]:
        """Regions available to the subscription."""
        return await self.execute(services.list_locations())

    async def list_role_sizes(self) -> Response[list[models.RoleSize]]:
        """VM/role sizes (cores, memory, data-disk limits)."""
        return await self.execute(services.list_role_sizes())

    # ------------------------------------------------------------------ deployments

    async def get_deployment(self, service_name: str, deployment_name: str) -> Response[models.Deployment]:
        """A deployment by name (VM deployments are usually named after the service)."""
        return await self.execute(compute.get_deployment(service_name, deployment_name))

    async def get_deployment_by_slot(
        self, service_name: str, deployment_slot: str
    ) -> Response[models.Deployment]:
        """The deployment in slot ``Production`` or ``Staging``."""
        return await self.execute(compute.get_deployment_by_slot(service_name, deployment_slot))

    async def create_deployment(
        self,
        service_name: str,
        deployment_name: str,
        vm_role: models.VMRole | Mapped,
        deployment_options: Mapped | None = None,
    ) -> Response[None]:
        """Create a VM deployment with one role (slot ``Production``, label = name by default)."""
        return await self.execute(
            compute.create_deployment(service_name, deployment_name, vm_role, deployment_options)
        )

    async def delete_deployment(
        self, service_name: str, deployment_name: str, delete_media: bool = False
    ) -> Response[None]:
        """Delete a deployment (with ``delete_media``: its disks and VHD blobs too)."""
        return await self.execute(compute.delete_deployment(service_name, deployment_name, delete_media))

    # ------------------------------------------------------------------ roles

    async def get_role(
        self, service_name: str, deployment_name: str, role_name: str
    ) -> Response[models.VMRole]:
        """One VM role of a deployment."""
        return await self.execute(compute.get_role(service_name, deployment_name, role_name))

    async def add_role(
        self, service_name: str, deployment_name: str, vm_role: models.VMRole | Mapped
    ) -> Response[None]:
        """Add a VM role to an existing deployment."""
        return await self.execute(compute.add_role(service_name, deployment_name, vm_role))

    async def modify_role(
        self, service_name: str, deployment_name: str, role_name: str, vm_role: models.VMRole | Mapped
    ) -> Response[None]:
        """Update a VM role (endpoints, size, disk caching …)."""
        return await self.execute(compute.modify_role(service_name, deployment_name, role_name, vm_role))

    async def delete_role(
        self, service_name: str, deployment_name: str, role_name: str, delete_media: bool = False
    ) -> Response[None]:
        """Remove a VM role from its deployment."""
        return await self.execute(compute.delete_role(service_name, deployment_name, role_name, delete_media))

    # ------------------------------------------------------------------ data disks

    async def get_data_disk(
        self, service_name: str, deployment_name: str, role_name: str, lun: int
    ) -> Response[models.DataDisk]:
        """The data disk at ``lun`` (0–15)."""
        return await self.execute(compute.get_data_disk(service_name, deployment_name, role_name, lun))

    async def add_data_disk(
        self, service_name: str, deployment_name: str, role_name: str, data_disk: models.DataDisk | Mapped
    ) -> Response[None]:
        """Attach a new (by size), registered (by name) or blob (by media link) data disk."""
        return await self.execute(compute.add_data_disk(service_name, deployment_name, role_name, data_disk))

    async def modify_data_disk(
        self,
        service_name: str,
        deployment_name: str,
        role_name: str,
        lun: int,
        data_disk: models.DataDisk | Mapped,
    ) -> Response[None]:
        """Change the data disk at ``lun`` (caching, label, new LUN)."""
        return await self.execute(
            compute.modify_data_disk(service_name, deployment_name, role_name, lun, data_disk)
        )

    async def remove_data_disk(
        self, service_name: str, deployment_name: str, role_name: str, lun: int, delete_media: bool = False
    ) -> Response[None]:
        """Detach the data disk at ``lun`` (with ``delete_media``: delete its blob too)."""
        return await self.execute(
            compute.remove_data_disk(service_name, deployment_name, role_name, lun, delete_media)
        )

    # ------------------------------------------------------------------ role instances

    async def shutdown_role_instance(
        self,
        service_name: str,
        deployment_name: str,
        role_instance: str,
        post_shutdown_action: str | None = None,
    ) -> Response[None]:
        """Shut a VM down (``Stopped`` or ``StoppedDeallocated``)."""
        return await self.execute(
            compute.shutdown_role_instance(service_name, deployment_name, role_instance, post_shutdown_action)
        )

    async def start_role_instance(
        self, service_name: str, deployment_name: str, role_instance: str
    ) -> Response[None]:
        """Start a stopped VM."""
        return await self.execute(compute.start_role_instance(service_name, deployment_name, role_instance))

    async def restart_role_instance(
        self, service_name: str, deployment_name: str, role_instance: str
    ) -> Response[None]:
        """Restart a running VM."""
        return await self.execute(compute.restart_role_instance(service_name, deployment_name, role_instance))

    async def capture_role_instance(
        self,
        service_name: str,
        deployment_name: str,
        role_instance: str,
        capture_options: models.CaptureRoleOperation | Mapped,
    ) -> Response[None]:
        """Capture a VM's OS disk as a user OS image (then delete or reprovision the VM)."""
        return await self.execute(
            compute.capture_role_instance(service_name, deployment_name, role_instance, capture_options)
        )
