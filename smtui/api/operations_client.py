"""The operation methods of :class:`~smtui.api.client.ServiceManagementClient`.

Each operation is declared once, as its pure builder in :mod:`smtui.api.operations_services`
or :mod:`smtui.api.operations_compute` (validation, wire details and the docstring live
there). :func:`operation` turns a builder into the client method of the same name, with the
builder's parameters, docstring and result type (``Response[T]`` for ``ApiRequest[T]``), so
IDEs, ``help()`` and mypy see real signatures. Only methods that do more than build-and-execute
(paging, polling) are written out here.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import replace
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from smtui.api import models
from smtui.api import operations_compute as compute
from smtui.api import operations_services as services
from smtui.api.operations import ApiRequest
from smtui.api.polling import wait_for_operation
from smtui.api.response import Response

T = TypeVar("T")
P = ParamSpec("P")


class Executor(Protocol):
    """What an operation method needs from its client: running a built request."""

    async def execute(self, request: ApiRequest[T]) -> Response[T]:
        """Send ``request`` and parse the answer (never raises for HTTP or network failures)."""
        ...


# ``Coroutine[Any, Any, …]`` is the type of an ``async def`` call: the yield/send types of a
# coroutine are the event loop's business, and ``asyncio.create_task`` requires a Coroutine.
OperationMethod = Callable[Concatenate[Executor, P], Coroutine[Any, Any, Response[T]]]


def operation(builder: Callable[P, ApiRequest[T]]) -> OperationMethod[P, T]:
    """The client method that builds a request with ``builder`` and executes it.

    Assigned in a class body (``get_disk = operation(services.get_disk)``) the result is an
    ordinary method: ``client.get_disk(name)`` validates via the builder (raising
    :class:`~smtui.api.errors.ValidationError` before anything is sent) and returns the
    awaitable :class:`~smtui.api.response.Response`. Name, docstring and signature are the
    builder's (plus ``self``), the return annotation ``Response[…]`` instead of ``ApiRequest[…]``.
    """

    async def run_operation(self: Executor, /, *args: P.args, **kwargs: P.kwargs) -> Response[T]:
        return await self.execute(builder(*args, **kwargs))

    signature = inspect.signature(builder)
    returns = signature.return_annotation
    if isinstance(returns, str) and returns.startswith("ApiRequest["):
        # Annotations are strings here (``from __future__ import annotations``); keep them so.
        returns = "Response[" + returns.removeprefix("ApiRequest[")
    self_parameter = inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY)
    run_operation.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[self_parameter, *signature.parameters.values()], return_annotation=returns
    )
    run_operation.__name__ = builder.__name__
    run_operation.__qualname__ = f"OperationsMixin.{builder.__name__}"
    run_operation.__doc__ = builder.__doc__
    run_operation.__module__ = __name__
    return run_operation


class OperationsMixin:
    """Async operation methods; needs ``execute`` from the client."""

    async def execute(self, request: ApiRequest[T]) -> Response[T]:  # pragma: no cover - overridden
        raise NotImplementedError

    # ------------------------------------------------------------------ operation tracking

    get_operation_status = operation(services.get_operation_status)


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

    get_hosted_service = operation(services.get_hosted_service)
    create_hosted_service = operation(services.create_hosted_service)
    delete_hosted_service = operation(services.delete_hosted_service)

    # ------------------------------------------------------------------ OS images

    get_os_image = operation(services.get_os_image)
    list_os_images = operation(services.list_os_images)
    create_os_image = operation(services.create_os_image)

    # ------------------------------------------------------------------ VM images, groups, subscription

    list_vm_images = operation(services.list_vm_images)
    list_affinity_groups = operation(services.list_affinity_groups)
    get_affinity_group = operation(services.get_affinity_group)
    get_subscription = operation(services.get_subscription)

    # ------------------------------------------------------------------ storage, disks, catalogue

    get_storage_account_keys = operation(services.get_storage_account_keys)
    list_storage_accounts = operation(services.list_storage_accounts)
    list_disks = operation(services.list_disks)
    get_disk = operation(services.get_disk)
    delete_disk = operation(services.delete_disk)
    list_locations = operation(services.list_locations)
    list_role_sizes = operation(services.list_role_sizes)

    # ------------------------------------------------------------------ deployments

    get_deployment = operation(compute.get_deployment)
    get_deployment_by_slot = operation(compute.get_deployment_by_slot)
    create_deployment = operation(compute.create_deployment)
    delete_deployment = operation(compute.delete_deployment)

    # ------------------------------------------------------------------ roles

    get_role = operation(compute.get_role)
    add_role = operation(compute.add_role)
    modify_role = operation(compute.modify_role)
    delete_role = operation(compute.delete_role)

    # ------------------------------------------------------------------ data disks

    get_data_disk = operation(compute.get_data_disk)
    add_data_disk = operation(compute.add_data_disk)
    modify_data_disk = operation(compute.modify_data_disk)
    remove_data_disk = operation(compute.remove_data_disk)

    # ------------------------------------------------------------------ role instances

    shutdown_role_instance = operation(compute.shutdown_role_instance)
    start_role_instance = operation(compute.start_role_instance)
    restart_role_instance = operation(compute.restart_role_instance)
    capture_role_instance = operation(compute.capture_role_instance)
