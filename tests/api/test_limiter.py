"""The adaptive in-flight limit: doubles while more in flight answers faster, holds where it does
not, halves on throttling, never above its ceiling."""

from __future__ import annotations

import asyncio
import heapq
import importlib.metadata
from collections.abc import Callable

import httpx
import pytest

from smtui.api.limiter import InFlightLimit, Outcome, Ticket
from smtui.api.transport import _load_signal


async def _answer(limit: InFlightLimit, outcome: Outcome = Outcome.OK) -> None:
    limit.release(await limit.acquire(), outcome)


class Clock:
    """Fake seconds for the limit's measurements, and fake CPU seconds of the client."""

    def __init__(self) -> None:
        self.now = 0.0
        self.cpu = 0.0

    def __call__(self) -> float:
        return self.now

    def cpu_clock(self) -> float:
        return self.cpu


async def _fan_out(
    limit: InFlightLimit,
    clock: Clock,
    answers: int,
    seconds_on_wire: Callable[[int, int], float],
    outcome: Callable[[int], Outcome] = lambda _: Outcome.OK,
    cpu_per_answer: float = 0.0,
) -> list[int]:
    """Keep more requests asking than the limit allows (a fan-out); each is answered after
    ``seconds_on_wire(requests in flight when it was sent, requests sent before it)`` fake
    seconds, and costs the client ``cpu_per_answer`` CPU seconds. Returns the limit after each
    answer."""
    on_wire: list[tuple[float, int, Ticket]] = []
    sent = 0

    async def ask() -> None:
        nonlocal sent
        ticket = await limit.acquire()
        heapq.heappush(on_wire, (clock.now + seconds_on_wire(limit.in_flight, sent), sent, ticket))
        sent += 1

    asking = [asyncio.ensure_future(ask()) for _ in range(2 * limit.ceiling)]
    await asyncio.sleep(0)
    limits = []
    for n in range(answers):
        clock.now, _, ticket = heapq.heappop(on_wire)
        clock.cpu += cpu_per_answer
        limit.release(ticket, outcome(n))
        asking.append(asyncio.ensure_future(ask()))
        for _ in range(3):  # let the woken askers record their tickets
            await asyncio.sleep(0)
        limits.append(limit.limit)
    for task in asking:
        task.cancel()
    await asyncio.gather(*asking, return_exceptions=True)
    for _, _, ticket in on_wire:  # the fan-out is left: nothing stays on the wire
        limit.release(ticket, Outcome.NEUTRAL)
    return limits


def _round_trips(seconds: float, client_per_answer: float = 0.001) -> Callable[[int, int], float]:
    """A round trip of ``seconds`` plus the client's own time for every answer ahead in line."""
    return lambda in_flight, _sent: seconds + client_per_answer * in_flight


def _after_handshakes(seconds: float, handshake: float = 0.02) -> Callable[[int, int], float]:
    """A round trip of ``seconds``; the first 16 requests also wait for their connections, one
    handshake after the other (so their answers do not come back in a burst)."""
    return lambda _in_flight, sent: seconds + (handshake * sent if sent < 16 else 0.0)


async def test_doubles_while_more_in_flight_answers_faster_up_to_the_ceiling() -> None:
    clock = Clock()
    limit = InFlightLimit(64, clock=clock)
    assert limit.limit == 16  # whatever the ceiling
    limits = await _fan_out(limit, clock, 400, _after_handshakes(0.1))
    assert sorted(set(limits)) == [16, 32, 64]  # doubling, no step in between
    assert limit.limit == limit.peak == 64 and not limit.holding


async def test_a_burst_of_slow_first_answers_jumps_to_what_the_pipe_holds() -> None:
    # 100 ms on the wire, then answered 1 ms apart: ~100 requests fit in the pipe.
    clock = Clock()
    limit = InFlightLimit(128, clock=clock)
    limits = await _fan_out(limit, clock, 40, _round_trips(0.1))
    assert limits[14] == 16 and limits[15] == 64  # after the first round: 64, not 32 then 64
    assert limit.peak == 64


async def test_a_request_before_the_fan_out_does_not_count_in_its_first_round() -> None:
    # `smtui ls --all` lists the services first: that answer came while nothing waited, long
    # before the fan-out's; counted, it made the fan-out's first answers look spread out.
    clock = Clock()
    limit = InFlightLimit(128, clock=clock)
    ticket = await limit.acquire()
    clock.now += 0.3
    limit.release(ticket, Outcome.OK)
    limits = await _fan_out(limit, clock, 40, _round_trips(0.1))
    assert limits[15] == 64


@pytest.mark.parametrize("ceiling", [32, 64, 128])
async def test_holds_where_more_in_flight_brings_no_faster_answers(ceiling: int) -> None:
    # Loopback: no round trip to speak of, the client's time per answer is all there is. More in
    # flight would only open more connections; the limit tries one doubling and comes back.
    clock = Clock()
    limit = InFlightLimit(ceiling, clock=clock)
    limits = await _fan_out(limit, clock, 500, _round_trips(0.0))
    assert limit.holding and limit.limit == 16
    assert limit.peak == 32 and limits[-1] == 16


@pytest.mark.parametrize("ceiling", [32, 64, 128])
async def test_does_not_try_doubling_while_the_client_cpu_was_busy_all_round(ceiling: int) -> None:
    # Loopback, as the client sees it: each answer costs it 1 ms of CPU and they come 1 ms apart.
    # Answers already come as fast as it takes them; trying 32 would only open 16 connections.
    clock = Clock()
    limit = InFlightLimit(ceiling, clock=clock, cpu_clock=clock.cpu_clock)
    await _fan_out(limit, clock, 500, _round_trips(0.0, client_per_answer=0.001), cpu_per_answer=0.001)
    assert limit.holding and limit.limit == limit.peak == 16


async def test_a_client_idle_between_long_round_trips_still_doubles_and_probes_again() -> None:
    clock = Clock()
    limit = InFlightLimit(64, clock=clock, cpu_clock=clock.cpu_clock, reprobe=4)
    await _fan_out(limit, clock, 400, _after_handshakes(0.1), cpu_per_answer=0.001)
    assert limit.limit == limit.peak == 64
    busy = InFlightLimit(64, clock=clock, cpu_clock=clock.cpu_clock, reprobe=4)
    await _fan_out(busy, clock, 300, _round_trips(0.0), cpu_per_answer=0.001)
    assert busy.holding and busy.limit == 16
    await _fan_out(busy, clock, 600, _round_trips(0.1), cpu_per_answer=0.001)  # the CPU idles now
    assert not busy.holding and busy.limit == 64


async def test_a_held_limit_probes_again_and_follows_longer_round_trips() -> None:
    clock = Clock()
    limit = InFlightLimit(64, clock=clock, reprobe=4)
    await _fan_out(limit, clock, 300, _round_trips(0.0))
    assert limit.holding and limit.limit == 16
    await _fan_out(limit, clock, 600, _round_trips(0.1))
    assert not limit.holding and limit.limit == 64


async def test_a_limit_that_never_holds_requests_back_never_grows() -> None:
    # One request at a time (a console browsing): a higher limit could not have helped.
    clock = Clock()
    limit = InFlightLimit(64, clock=clock)
    for _ in range(200):
        ticket = await limit.acquire()
        clock.now += 0.1
        limit.release(ticket, Outcome.OK)
    assert limit.limit == limit.peak == 16


async def test_an_explicit_initial_limit_is_the_start() -> None:
    assert InFlightLimit(64, initial=40).limit == 40
    assert InFlightLimit(8).limit == 8  # never above the ceiling


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
    clock = Clock()
    limit = InFlightLimit(64, initial=32, clock=clock)
    limits = await _fan_out(
        limit, clock, 100, _round_trips(0.1), lambda n: Outcome.THROTTLED if n == 0 else Outcome.OK
    )
    assert limits[0] == 16 and limit.cuts == 1
    # About one more per round of answers (99 answers: 16 + 17 + 18 + 19 + 20 + 9), not doubling.
    assert limit.limit == 21 and not limit.holding


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
