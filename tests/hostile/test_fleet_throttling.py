"""A throttling emulator (503s, Retry-After) under a whole fleet fan-out: every service still answers."""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

import pytest

from smtui.api import ServiceManagementClient
from smtui.api.fleet import iter_service_details
from tests.fan_out import CountingClient

RETRY_AFTER = 1


def _client(emu: Any, **options: Any) -> ServiceManagementClient:
    auth = {"keyfile": str(emu.client_key), "certfile": str(emu.client_cert)}
    return ServiceManagementClient(
        emu.subscription_id, auth, {"host": emu.host, "ca_bundle": str(emu.ca_file), **options}, environ={}
    )


def _exchanges(records: list[logging.LogRecord]) -> dict[str, list[tuple[float, float, str, int]]]:
    """Per URL: (answer time, request start time, method, status) of every attempt, from the debug log."""
    seen: dict[str, list[tuple[float, float, str, int]]] = defaultdict(list)
    for record in records:
        if record.name == "smtui.api" and record.msg.startswith("%s %s -> %d"):
            method, url, status, _request_id, elapsed_ms, _attempt = record.args  # type: ignore[misc]
            seen[url].append((record.created, record.created - elapsed_ms / 1000, method, status))
    return seen


@pytest.mark.slow
async def test_fan_out_under_503s_answers_every_service_and_honours_retry_after(
    emulator_factory: Any, caplog: pytest.LogCaptureFixture
) -> None:
    emu = emulator_factory(seed="empty", scale=60)
    async with _client(emu) as client:
        names = [s.service_name or "" for s in (await client.list_hosted_services()).result()]
    assert len(names) == 60
    emu.faults.error_rate = 0.2
    emu.faults.retry_after = RETRY_AFTER
    caplog.set_level(logging.DEBUG, logger="smtui.api")

    async with _client(emu) as client:
        results = [r async for r in iter_service_details(client, names)]
        limit = client.transport.limit

    assert sorted(r.service_name for r in results) == sorted(names)
    assert all(r.ok for r in results), [r.response.error for r in results if not r.ok]
    exchanges = _exchanges(caplog.records)
    throttled = sum(status == 503 for attempts in exchanges.values() for *_, status in attempts)
    assert throttled > 0 and limit.cuts > 0  # the fault really bit, and the limit reacted
    for url, attempts in exchanges.items():
        assert {method for _, _, method, _ in attempts} == {"GET"}, url
        attempts.sort(key=lambda a: a[1])
        for (answered, _, _, status), (_, next_start, _, _) in zip(attempts, attempts[1:], strict=False):
            if status == 503:  # the next try of this URL waited at least the Retry-After
                assert next_start - answered >= RETRY_AFTER - 0.05, url


async def test_a_503_halves_the_limit_and_a_post_is_never_repeated(emulator_factory: Any) -> None:
    emu = emulator_factory(seed="empty")
    async with _client(emu, retries=3) as client:
        limit = client.transport.limit
        before = limit.limit
        emu.faults.error_next = 1
        assert (await client.list_hosted_services()).is_successful  # 503, then retried
        assert limit.limit == before // 2 and limit.cuts == 1

        emu.faults.error_next = 1
        created = await client.create_hosted_service("throttled-post", {"Location": "West US", "Label": "x"})
        assert created.status_code == 503  # reported, not repeated
        assert (await client.get_hosted_service("throttled-post")).status_code == 404


async def test_calls_waiting_out_a_retry_after_do_not_hold_back_the_others(emulator_factory: Any) -> None:
    # The fan-out starts calls twice the in-flight limit ahead of the answers; a call waiting out
    # a Retry-After holds no slot on the wire, so more are started meanwhile. Counted among the
    # "ahead", the sleepers left the transport with nothing to send: under 503=0.2 a 505-service
    # fan-out took 24-32 s instead of 15 (bench/fleet.py --throttle 0.2).
    emu = emulator_factory(seed="empty", scale=30)
    auth = {"keyfile": str(emu.client_key), "certfile": str(emu.client_cert)}
    options = {"host": emu.host, "ca_bundle": str(emu.ca_file), "max_in_flight": 4, "adaptive": False}
    async with CountingClient(emu.subscription_id, auth, options, environ={}) as client:
        names = [s.service_name or "" for s in (await client.list_hosted_services()).result()]
        emu.faults.error_rate = 0.3
        emu.faults.retry_after = 0.3
        results = [r async for r in iter_service_details(client, names * 3)]
    assert len(results) == len(names) * 3
    assert client.most_backing_off > 0  # the fault bit
    assert client.most_started_ahead > 2 * 4, (client.most_started_ahead, client.most_backing_off)
