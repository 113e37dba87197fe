"""Calls that may block forever (a locked keyring) run in daemon threads with a timeout."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from smtui.profiles.blocking import call_with_timeout, run_off_loop


def test_call_with_timeout_returns_and_raises() -> None:
    assert call_with_timeout(lambda a, b: a + b, 2, 3, timeout=5) == 5
    with pytest.raises(KeyError):
        call_with_timeout({}.__getitem__, "missing", timeout=5)


def test_call_with_timeout_abandons_a_hung_call() -> None:
    release = threading.Event()
    started = time.monotonic()
    try:
        with pytest.raises(TimeoutError, match="keyring get did not answer within 0.1 s"):
            call_with_timeout(release.wait, 30, timeout=0.1, what="keyring get")
        assert time.monotonic() - started < 2
    finally:
        release.set()


async def test_run_off_loop_keeps_the_event_loop_responsive() -> None:
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    task = asyncio.create_task(ticker())
    result = await run_off_loop(lambda: (time.sleep(0.2), threading.current_thread().name)[1], timeout=5)
    task.cancel()

    assert ticks >= 5  # the loop kept running while the call slept in its thread
    assert result != threading.current_thread().name


async def test_run_off_loop_timeout_and_errors() -> None:
    release = threading.Event()
    try:
        with pytest.raises(TimeoutError):
            await run_off_loop(release.wait, 30, timeout=0.1)
    finally:
        release.set()
    with pytest.raises(ZeroDivisionError):
        await run_off_loop(lambda: 1 / 0)


def test_a_hung_call_does_not_block_asyncio_run_from_returning() -> None:
    """asyncio.to_thread would: asyncio.run joins the default executor on shutdown."""
    release = threading.Event()

    async def main() -> None:
        with pytest.raises(TimeoutError):
            await run_off_loop(release.wait, 30, timeout=0.05)

    started = time.monotonic()
    try:
        asyncio.run(main())
        assert time.monotonic() - started < 2
    finally:
        release.set()
