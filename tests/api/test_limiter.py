"""The adaptive in-flight limit: grows on timely answers, halves on throttling, never above its ceiling."""

from __future__ import annotations

import asyncio
import importlib.metadata

import httpx
import pytest

from smtui.api.limiter import InFlightLimit, Outcome
from smtui.api.transport import _load_signal


async def _answer(limit: InFlightLimit, outcome: Outcome = Outcome.OK) -> None:
    limit.release(await limit.acquire(), outcome)


async def test_grows_by_one_per_timely_answer_up_to_the_ceiling() -> None:
    limit = InFlightLimit(40, initial=4)
    for expected in range(5, 41):
        await _answer(limit)
        assert limit.limit == expected
    for _ in range(100):
        await _answer(limit)
    assert limit.limit == limit.peak == 40


async def test_fixed_limit_is_the_ceiling_and_never_moves() -> None:
    limit = InFlightLimit(8, adaptive=False)
    assert limit.limit == 8
    await _answer(limit, Outcome.THROTTLED)
    await _answer(limit)
    assert limit.limit == 8 and limit.cuts == 0


@pytest.mark.parametrize("outcome", [Outcome.THROTTLED, Outcome.TIMEOUT])
async def test_halves_once_per_round_on_throttling_or_timeout(outcome: Outcome) -> None:
    limit = InFlightLimit(64, initial=32)
    tickets = [await limit.acquire() for _ in range(32)]
    for ticket in tickets:  # a whole round of 503s, all sent before the first cut
        limit.release(ticket, outcome)
    assert limit.limit == 16 and limit.cuts == 1
    await _answer(limit, outcome)  # sent after the cut: news
    assert limit.limit == 8 and limit.cuts == 2


async def test_after_a_cut_growth_is_additive() -> None:
    limit = InFlightLimit(64, initial=32)
    await _answer(limit, Outcome.THROTTLED)
    assert limit.limit == 16
    for _ in range(20):
        await _answer(limit)
    assert limit.limit == 17  # about one more per round of 16 answers, not 20 more


async def test_neutral_outcomes_do_not_move_the_limit() -> None:
    limit = InFlightLimit(64, initial=10)
    await _answer(limit, Outcome.NEUTRAL)
    assert limit.limit == 10


async def test_never_more_in_flight_than_the_limit_and_waiters_are_served_in_order() -> None:
    limit = InFlightLimit(3, adaptive=False)
    held = [await limit.acquire() for _ in range(3)]
    order: list[int] = []

    async def wait(i: int) -> None:
        ticket = await limit.acquire()
        order.append(i)
        limit.release(ticket)

    waiting = [asyncio.ensure_future(wait(i)) for i in range(5)]
    await asyncio.sleep(0)
    assert limit.in_flight == 3 and not order
    for ticket in held:
        limit.release(ticket)
    await asyncio.gather(*waiting)
    assert order == [0, 1, 2, 3, 4] and limit.in_flight == 0


async def test_a_cancelled_waiter_gives_its_slot_on() -> None:
    limit = InFlightLimit(1, adaptive=False)
    held = await limit.acquire()
    first = asyncio.ensure_future(limit.acquire())
    second = asyncio.ensure_future(limit.acquire())
    await asyncio.sleep(0)
    limit.release(held)  # granted to `first` …
    first.cancel()  # … which is cancelled before it runs
    ticket = await asyncio.wait_for(second, 5)
    limit.release(ticket)
    assert limit.in_flight == 0


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (503, {}, Outcome.THROTTLED),
        (429, {}, Outcome.THROTTLED),
        (200, {"Retry-After": "2"}, Outcome.THROTTLED),
        (200, {}, Outcome.OK),
        (404, {}, Outcome.OK),
    ],
)
def test_which_answers_mean_slow_down(status: int, headers: dict[str, str], expected: Outcome) -> None:
    assert _load_signal(httpx.Response(status, headers=headers)) is expected


def test_sniffio_is_a_declared_dependency_and_importable() -> None:
    # Without it httpcore tries (and fails) to import it ~9 times per request (issue 14).
    import sniffio

    assert sniffio.current_async_library
    requirements = importlib.metadata.requires("smtui") or []
    assert any(r.split(">")[0].split("=")[0].strip() == "sniffio" for r in requirements)


async def test_cuts_stop_at_the_floor_and_a_small_ceiling_lowers_the_floor() -> None:
    limit = InFlightLimit(64, initial=64)
    for _ in range(10):
        await _answer(limit, Outcome.THROTTLED)
    assert limit.limit == 4 and limit.cuts == 4  # 64 → 32 → 16 → 8 → 4, then no lower
    assert InFlightLimit(2).limit == 2 and InFlightLimit(2).floor == 2
