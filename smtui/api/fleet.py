"""Fleet inspection: every deployment and role instance of a subscription, one call per service.

The classic API has no "list every deployment" call: a deployment is reached through its hosted
service (``GET …/hostedservices/<name>?embed-detail=true``). :func:`iter_service_details` fans those
calls out over one client, bounded by the client's own in-flight limit, and yields each answer as
soon as it arrives, so a view can fill progressively. :func:`deployment_rows` and
:func:`instance_rows` flatten one answer into the rows of the two fleet views; they are pure.

Usage::

    services = (await client.list_hosted_services()).raise_for_error().response or []
    async for result in iter_service_details(client, [s.service_name or "" for s in services]):
        rows.extend(deployment_rows(result.service) if result.ok else [])
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from smtui.api.models import Deployment, HostedService
from smtui.api.response import Response
from smtui.api.transport import retry_after_seconds

if TYPE_CHECKING:
    from smtui.api.client import ServiceManagementClient

__all__ = [
    "DeploymentRow",
    "InstanceRow",
    "ServiceResult",
    "deployment_rows",
    "instance_rows",
    "iter_service_details",
]

READY = "ReadyRole"
"""The instance status of a healthy role instance."""


@dataclass(frozen=True)
class ServiceResult:
    """The answer for one hosted service of a fan-out.

    Attributes:
        service_name: The hosted service asked for.
        response: Its Get Hosted Service (embed-detail) response; may be unsuccessful.
    """

    service_name: str
    response: Response[HostedService]

    @property
    def ok(self) -> bool:
        """Whether the service answered with its properties and deployments."""
        return self.response.is_successful and self.response.response is not None

    @property
    def service(self) -> HostedService:
        """The hosted service with its deployments (only when :attr:`ok`)."""
        if self.response.response is None:
            raise ValueError(f"{self.service_name}: no hosted service in an unsuccessful response")
        return self.response.response


@dataclass(frozen=True)
class DeploymentRow:
    """One deployment as the fleet view shows it."""

    service: str
    deployment: str
    slot: str
    status: str
    instances_ready: int
    instances_total: int
    roles: tuple[str, ...]
    role_sizes: tuple[str, ...]
    location: str
    label: str
    created: str
    url: str


@dataclass(frozen=True)
class InstanceRow:
    """One role instance (a VM) as the fleet view shows it."""

    service: str
    deployment: str
    slot: str
    role: str
    instance: str
    status: str
    power_state: str
    size: str
    ip_address: str
    host_name: str


def _location(service: HostedService) -> str:
    props = service.hosted_service_properties
    if props is None:
        return ""
    return props.location or props.affinity_group or ""


def _deployment_row(service: HostedService, deployment: Deployment) -> DeploymentRow:
    instances = deployment.role_instance_list
    sizes = {role.role_size for role in deployment.role_list if role.role_size}
    return DeploymentRow(
        service=service.service_name or "",
        deployment=deployment.name or "",
        slot=deployment.deployment_slot or "",
        status=deployment.status or "",
        instances_ready=sum(1 for inst in instances if inst.instance_status == READY),
        instances_total=len(instances),
        roles=tuple(role.role_name or "" for role in deployment.role_list),
        role_sizes=tuple(sorted(sizes)),
        location=_location(service),
        label=deployment.label or "",
        created=deployment.created_time or "",
        url=deployment.url or "",
    )


def deployment_rows(service: HostedService) -> list[DeploymentRow]:
    """The rows of the All-deployments view for one hosted service (none without deployments)."""
    return [_deployment_row(service, deployment) for deployment in service.deployments]


def instance_rows(service: HostedService) -> list[InstanceRow]:
    """The rows of the All-instances view for one hosted service."""
    rows: list[InstanceRow] = []
    for deployment in service.deployments:
        for inst in deployment.role_instance_list:
            rows.append(
                InstanceRow(
                    service=service.service_name or "",
                    deployment=deployment.name or "",
                    slot=deployment.deployment_slot or "",
                    role=inst.role_name or "",
                    instance=inst.instance_name or "",
                    status=inst.instance_status or "",
                    power_state=inst.power_state or "",
                    size=inst.instance_size or "",
                    ip_address=inst.ip_address or "",
                    host_name=inst.host_name or "",
                )
            )
    return rows


THROTTLED_STATUSES = frozenset({429, 503})
"""Final answers after which a service is asked again (after its ``Retry-After``)."""


def _pause_before_asking_again(response: Response[HostedService], round_number: int) -> float:
    """Seconds to wait before re-asking a throttled service: its ``Retry-After``, else a back-off."""
    hinted = retry_after_seconds(response.headers)
    if hinted is not None:
        return min(hinted, 60.0)
    return min(10.0, 0.5 * 2.0 ** (round_number - 1))


async def iter_service_details(
    client: ServiceManagementClient,
    service_names: Sequence[str],
    *,
    throttled_rounds: int = 3,
) -> AsyncIterator[ServiceResult]:
    """Get every named hosted service with its deployments, yielding each answer as it arrives.

    The client's transport bounds how many calls are on the wire (its adaptive in-flight limit,
    at most ``max_in_flight``) and applies its retry and back-off policy, so a throttled
    subscription slows the fan-out down instead of failing it. A service still answered
    ``503``/``429`` after the transport's retries is asked again, after its ``Retry-After`` (GETs
    only: nothing is changed by asking twice). Leaving the loop early (``break``, an exception, or
    cancelling the consuming task) cancels the calls still pending and starts no more.

    At most twice the transport's current in-flight limit calls are started ahead of the answers,
    and an answer is dropped once yielded: a fan-out over thousands of services keeps a few dozen
    waiting calls and no answers alive, not all of them. (Started all at once and kept until the
    end, a 505-service fan-out had ~40 000 more live objects than the whole client, and Python's
    cyclic garbage collector, which walks them, made 128 in flight 14 % slower than 64.)

    Args:
        client: The subscription's client.
        service_names: Hosted services to get, in any order.
        throttled_rounds: How many more times a service whose final answer was a throttling
            status is asked (0: never).

    Yields:
        One :class:`ServiceResult` per name, in completion order; failures are results too.
    """
    if not service_names:
        return

    resting = 0  # calls pausing before a service is asked again: not waiting for the wire

    async def one(name: str) -> ServiceResult:
        nonlocal resting
        response = await client.get_hosted_service(name, embed_detail=True)
        for round_number in range(1, throttled_rounds + 1):
            if response.status_code not in THROTTLED_STATUSES:
                break
            resting += 1
            try:
                await asyncio.sleep(_pause_before_asking_again(response, round_number))
            finally:
                resting -= 1
            response = await client.get_hosted_service(name, embed_detail=True)
        return ServiceResult(name, response)

    transport = client.transport
    waiting = iter(service_names)
    pending: set[asyncio.Task[ServiceResult]] = set()
    finished: asyncio.Queue[asyncio.Task[ServiceResult]] = asyncio.Queue()

    def start_more() -> None:
        # Twice the limit, plus the calls waiting out a back-off or Retry-After (in the transport,
        # or here between throttled rounds): they hold no slot on the wire, and under throttling
        # they would otherwise leave the transport with nothing to send (a 503=0.2 fan-out took
        # 24-32 s instead of 16).
        ahead = 2 * transport.limit.limit + transport.backing_off + resting
        for name in itertools.islice(waiting, max(0, ahead - len(pending))):
            task = asyncio.ensure_future(one(name))
            pending.add(task)
            task.add_done_callback(finished.put_nowait)

    start_more()
    try:
        while pending:
            task = await finished.get()
            pending.discard(task)
            start_more()
            yield task.result()
    finally:
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
