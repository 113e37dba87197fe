"""Resilience against the emulator's injected faults: 503s, dropped connections, 307 redirects."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from smtui.api import RetryPolicy, ServiceManagementClient


@pytest.fixture
def emu(emulator_factory: Callable[..., Any], no_proxy_env: None) -> Any:
    """A fresh emulator (empty seed) whose faults the test may change."""
    return emulator_factory(seed="empty")


@pytest.fixture
async def client(emu: Any) -> AsyncIterator[ServiceManagementClient]:
    auth = {"keyfile": str(emu.client_key), "certfile": str(emu.client_cert)}
    options = {
        "host": emu.host,
        "ca_bundle": str(emu.ca_file),
        "retry": RetryPolicy(max_attempts=3, backoff_initial=0.01, backoff_max=0.05),
    }
    async with ServiceManagementClient(emu.subscription_id, auth, options) as c:
        yield c


async def test_get_survives_an_injected_503(emu: Any, client: ServiceManagementClient) -> None:
    emu.faults.error_next = 1
    resp = await client.list_hosted_services()
    assert resp.is_successful and resp.response == []
    assert emu.faults.error_next == 0


async def test_post_is_not_repeated_after_an_injected_503(emu: Any, client: ServiceManagementClient) -> None:
    emu.faults.error_next = 1
    resp = await client.create_hosted_service("once", {"Location": "West US"})
    assert resp.status_code == 503 and resp.error is not None and resp.error.code == "TooManyRequests"
    assert (await client.get_hosted_service("once")).status_code == 404


async def test_get_survives_a_dropped_connection(emu: Any, client: ServiceManagementClient) -> None:
    emu.faults.drop_next = 1
    assert (await client.list_hosted_services()).is_successful


async def test_post_is_not_repeated_after_a_dropped_connection(
    emu: Any, client: ServiceManagementClient
) -> None:
    emu.faults.drop_next = 1
    resp = await client.create_hosted_service("dropped", {"Location": "West US"})
    assert resp.is_transport_failure
    assert (await client.get_hosted_service("dropped")).status_code == 404


async def test_post_follows_a_307_with_its_body(emu: Any, client: ServiceManagementClient) -> None:
    emu.faults.redirect_next = 1
    resp = await client.create_hosted_service("moved", {"Location": "West US", "Label": "moved label"})
    assert resp.status_code == 201, resp.error
    assert str(emu.redirect_port) in resp.request_options.url
    got = (await client.get_hosted_service("moved")).result()
    assert got.hosted_service_properties is not None
    assert got.hosted_service_properties.label == "moved label"
