"""wait_for_operation: polls until done, reports each poll, times out, can be cancelled, never prints."""

from __future__ import annotations

import asyncio
import time

import pytest

from smtui.api import models
from smtui.api.errors import OperationFailedError, OperationTimeoutError, ServiceError, ValidationError

from .conftest import SUBSCRIPTION, ClientFactory, TestServer, error, recorded

IN_PROGRESS = "azure-sdk-for-python/084-GetOperationStatus-InProgress.json"
SUCCEEDED = "azure-sdk-for-python/086-GetOperationStatus-Succeeded.json"
FAILED = "azure-xplat-cli/110-GetOperationStatus-Failed.json"
OP_PATH = f"/{SUBSCRIPTION}/operations/0123456789abcdef0123456789abcdef"
RID = "0123456789abcdef0123456789abcdef"


async def test_polls_until_succeeded_and_reports_every_poll(
    tls_server: TestServer, make_client: ClientFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    tls_server.on("GET", OP_PATH, [recorded(IN_PROGRESS), recorded(IN_PROGRESS), recorded(SUCCEEDED)])
    seen: list[str | None] = []
    final = await make_client().wait_for_operation(
        RID, interval=0.01, on_poll=lambda s: seen.append(s.status)
    )
    assert isinstance(final, models.OperationStatus)
    assert final.status == "Succeeded" and final.http_status_code == 200
    assert seen == ["InProgress", "InProgress", "Succeeded"]
    assert len(tls_server.seen("GET")) == 3
    assert capsys.readouterr() == ("", "")


async def test_async_callback_is_awaited(tls_server: TestServer, make_client: ClientFactory) -> None:
    tls_server.on("GET", OP_PATH, [recorded(IN_PROGRESS), recorded(SUCCEEDED)])
    seen: list[str | None] = []

    async def on_poll(status: models.OperationStatus) -> None:
        await asyncio.sleep(0)
        seen.append(status.status)

    await make_client().wait_for_operation(RID, interval=0.01, on_poll=on_poll)
    assert seen == ["InProgress", "Succeeded"]


async def test_failed_operation_is_returned_or_raised(
    tls_server: TestServer, make_client: ClientFactory
) -> None:
    tls_server.on("GET", OP_PATH, recorded(FAILED))
    client = make_client()
    final = await client.wait_for_operation(RID, interval=0.01)
    assert final.status == "Failed" and final.http_status_code == 400
    assert final.error is not None and final.error.code == "BadRequest"
    with pytest.raises(OperationFailedError) as caught:
        await client.wait_for_operation(RID, interval=0.01, raise_on_failure=True)
    assert caught.value.code == "BadRequest" and caught.value.status_code == 400
    assert "Port 22" in caught.value.message


async def test_timeout(tls_server: TestServer, make_client: ClientFactory) -> None:
    tls_server.on("GET", OP_PATH, recorded(IN_PROGRESS))
    started = time.monotonic()
    with pytest.raises(OperationTimeoutError, match="InProgress"):
        await make_client().wait_for_operation(RID, interval=0.05, timeout=0.2)
    assert time.monotonic() - started < 2


async def test_cancellation_stops_polling(tls_server: TestServer, make_client: ClientFactory) -> None:
    tls_server.on("GET", OP_PATH, recorded(IN_PROGRESS))
    task = asyncio.create_task(make_client().wait_for_operation(RID, interval=10))
    while not tls_server.seen("GET"):
        await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.sleep(0.05)
    assert len(tls_server.seen("GET")) == 1


async def test_unknown_operation_raises_the_service_error(
    tls_server: TestServer, make_client: ClientFactory
) -> None:
    tls_server.on("GET", OP_PATH, error(404, "ResourceNotFound", "The operation request ID was not found."))
    with pytest.raises(ServiceError) as caught:
        await make_client().wait_for_operation(RID, interval=0.01)
    assert caught.value.status_code == 404


async def test_empty_request_id_is_a_validation_error(make_client: ClientFactory) -> None:
    with pytest.raises(ValidationError, match="request_id"):
        await make_client().wait_for_operation("", interval=0.01)
