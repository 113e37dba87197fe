"""How many requests one subscription's client keeps on the wire: an adaptive in-flight limit.

RDFE throttles per subscription and says so with ``503`` (sometimes ``Retry-After``); a fixed
limit is either too timid for a fan-out over hundreds of services at 100 ms round trips, too
pushy for a subscription that is already being throttled, or simply wasted where round trips are
short: then every extra request on the wire is one more connection (a TLS handshake on both sides)
and more state for the client to carry, for no more answers per second. :class:`InFlightLimit`
adapts, like TCP's slow start with a throughput-based exit (as BBR's start-up does):

* it counts in **rounds**: half as many answers as the limit was when the round began (at least
  16), each one to a request sent during that round. A round is judged only if the limit held
  requests back during it (otherwise a higher limit could not have helped);
* the first round opens the connections and is not judged (handshakes make it look slow). But
  if its answers came back in a burst long after they were sent, the limit jumps at once to what
  that pipe holds (the bandwidth-delay product, as BBR estimates it): 64 after the first round
  trip over 100 ms round trips, where doubling would take three more;
* a judged round measures the rate of answers (Little's law: the limit over the median time on
  the wire, which does not lag behind a change of limit); the limit **doubles** when two rounds
  in a row are ``gain`` (1.5) times as fast as the best so far;
* when a doubled limit brings no such gain, the limit goes back to the smallest one that reached
  the best rate and **holds**: round trips are short and the limit is not what bounds the rate.
  After ``reprobe`` judged rounds and ``reprobe_after`` seconds of holding it tries doubling once
  more;
* it does not even try while the client's own CPU was busy all round (``saturated``, 0.9 of the
  round's wall time): then answers are already coming as fast as the client takes them, and a
  doubling would only open connections (a TLS handshake each) to learn so. Over a loopback that
  is every round; over 100 ms round trips the client is idle most of the time;
* it **halves** on a throttling answer (``503``/``429`` or any ``Retry-After``) and on a timeout —
  once per round of requests: the answers of requests sent before the cut carry no news. After a
  cut it grows by about one per round (``1/limit`` per answer while requests wait for a slot);
* it never goes above ``ceiling`` (the client's ``max_in_flight``) nor below ``floor`` (4).

So a client configured with a higher ``max_in_flight`` is never slower: the limit only goes as
high as answers come back faster for it. With ``adaptive=False`` the limit is fixed at the
ceiling (a plain semaphore).
"""

from __future__ import annotations

import asyncio
import collections
import enum
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["InFlightLimit", "Outcome", "Ticket"]


def _median(values: list[float]) -> float:
    """The upper median (by hand: importing :mod:`statistics` costs every start ~4 ms)."""
    return sorted(values)[len(values) // 2]


class Outcome(enum.Enum):
    """What an attempt's answer says about the server's load."""

    OK = "ok"
    """An answer (any status that is not a throttling signal)."""
    THROTTLED = "throttled"
    """``503``/``429`` or a ``Retry-After``: the server asks us to slow down."""
    TIMEOUT = "timeout"
    """No answer in time."""
    NEUTRAL = "neutral"
    """No news about load (connection refused, TLS failure, cancelled)."""


@dataclass(frozen=True)
class Ticket:
    """One granted slot; hand it back to :meth:`InFlightLimit.release`.

    Attributes:
        epoch: The limit's epoch when the slot was granted (signals from older epochs are stale).
        started: Clock time when the slot was granted.
        round: The round during which the slot was granted.
    """

    epoch: int
    started: float
    round: int = 0


class InFlightLimit:
    """An asyncio in-flight limit that adapts to the answers (see the module docstring).

    Args:
        ceiling: Hard maximum of requests in flight.
        initial: Starting limit (default: ``min(16, ceiling)``, whatever the ceiling, so that a
            higher ceiling costs nothing until it pays); ignored without ``adaptive``.
        floor: Lowest the limit is cut to (at most ``ceiling``). Not 1: against a service that
            throttles a share of requests whatever the load, halving on every 503 would otherwise
            settle near one request per round trip, slower than a sequential loop.
        adaptive: Adapt (default) or stay fixed at ``ceiling``.
        gain: How much faster (answers per second) a doubled round must be for the limit to
            double again.
        reprobe: After this many judged rounds held on a plateau …
        reprobe_after: … and this many seconds, try doubling again (each try may open connections).
        saturated: The share of a round's wall time the process spent on the CPU at which the
            client itself bounds the rate, and the limit does not try doubling.
        clock: Seconds, monotonic (default: the running event loop's clock).
        cpu_clock: Seconds of CPU this process used (default: :func:`time.process_time`, but
            none with a custom ``clock``: the two would not measure the same rounds).
    """

    def __init__(
        self,
        ceiling: int,
        *,
        initial: int | None = None,
        floor: int = 4,
        adaptive: bool = True,
        gain: float = 1.5,
        reprobe: int = 8,
        reprobe_after: float = 2.0,
        saturated: float = 0.9,
        clock: Callable[[], float] | None = None,
        cpu_clock: Callable[[], float] | None = None,
    ) -> None:
        if ceiling < 1:
            raise ValueError("ceiling must be at least 1")
        self.ceiling = ceiling
        self.floor = max(1, min(floor, ceiling))
        self.adaptive = adaptive
        self.gain = gain
        self.reprobe = reprobe
        self.reprobe_after = reprobe_after
        self.saturated = saturated
        self._clock = clock
        self._cpu_clock = cpu_clock if cpu_clock is not None or clock is not None else time.process_time
        start = ceiling if not adaptive else (initial if initial is not None else min(16, ceiling))
        self._limit = float(max(self.floor, min(start, ceiling)))
        self._slow_start = True  # doubling (or holding) until the first cut, then additive growth
        self._epoch = 0
        self._in_flight = 0
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self.cuts = 0
        """How many times the limit was halved."""
        self.peak = int(self._limit)
        """The highest limit reached."""
        self.holding = False
        """Whether the limit holds on a throughput plateau (a higher one brought no faster answers)."""
        self._round = 0
        self._round_size = self.limit
        self._round_seconds: list[float] = []
        self._round_bound = False  # a request waited for a slot during this round
        self._warm = False  # the first round, opening the connections, is over
        self._first_answers: list[float] = []  # when the first round's answers came
        self._best_rate = 0.0
        self._best_limit = self._limit
        self._held_rounds = 0
        self._held_since = 0.0
        self._gained = False  # the last round was faster than the best: one more to confirm it
        self._round_cpu = self._cpu()  # CPU seconds used when the round began …
        self._round_began: float | None = None  # … and its clock time (no loop may run yet)

    @property
    def limit(self) -> int:
        """Requests allowed in flight now."""
        return int(self._limit)

    @property
    def in_flight(self) -> int:
        """Requests in flight now."""
        return self._in_flight

    def _now(self) -> float:
        return self._clock() if self._clock is not None else asyncio.get_running_loop().time()

    def _cpu(self) -> float:
        return self._cpu_clock() if self._cpu_clock is not None else 0.0

    def _busy(self) -> float:
        """The share of this round's wall time the process spent on the CPU."""
        if self._cpu_clock is None or self._round_began is None:
            return 0.0
        return (self._cpu() - self._round_cpu) / max(self._now() - self._round_began, 1e-9)

    async def acquire(self) -> Ticket:
        """Wait for a slot (first come, first served)."""
        if self._in_flight >= self.limit or self._waiters:
            self._round_bound = True
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                await waiter
            except BaseException:
                if waiter.done() and not waiter.cancelled():
                    # Granted and cancelled at once: give the slot to the next in line.
                    self._in_flight -= 1
                    self._wake()
                else:
                    self._waiters.remove(waiter)
                raise
        else:
            self._in_flight += 1
        now = self._now()
        if self._round_began is None:
            self._round_began = now
        return Ticket(self._epoch, now, self._round)

    def release(self, ticket: Ticket, outcome: Outcome = Outcome.NEUTRAL) -> None:
        """Give the slot back and tell the limit what the answer was."""
        self._in_flight -= 1
        if self.adaptive:
            if outcome is Outcome.OK:
                self._answer(ticket)
            elif outcome in (Outcome.THROTTLED, Outcome.TIMEOUT) and ticket.epoch == self._epoch:
                self._cut()
        self._wake()

    def _answer(self, ticket: Ticket) -> None:
        if not self._slow_start and self._round_bound:
            self._limit = min(float(self.ceiling), self._limit + 1.0 / self._limit)
            self.peak = max(self.peak, self.limit)
        if ticket.round != self._round or not self._round_bound:
            # Sent under an earlier limit, or nothing waits (a listing before the fan-out): says
            # nothing about this limit.
            return
        now = self._now()
        self._round_seconds.append(max(now - ticket.started, 1e-6))
        if not self._warm:
            self._first_answers.append(now)
        if len(self._round_seconds) >= max(16, self._round_size // 2):  # enough for a median
            self._end_round()

    def _end_round(self) -> None:
        if self._round_bound and self._slow_start:
            if not self._warm:
                # Opening the connections (a TLS handshake each, on both sides) made this round
                # slow: it is not judged, only used to skip doublings that would surely pay.
                self._warm = True
                self._jump_to_what_the_pipe_holds()
            else:
                # Little's law: with the limit full all round, answers per second = limit / time
                # on the wire. Measured per request, it does not lag behind a change of limit.
                seconds = _median(self._round_seconds)
                self._judge(self._round_size / seconds, saturated=self._busy() >= self.saturated)
        self._begin_round()

    def _jump_to_what_the_pipe_holds(self) -> None:
        """Double at once while the limit stays within the first round's bandwidth-delay product.

        The first answers came back in a burst, one after the other at the pace the client (or the
        server) takes them, after the shortest time on the wire; the product is how many requests
        the pipe holds without a queue (BBR's estimate). Over 100 ms round trips it is dozens: each
        doubling it covers would otherwise cost a round trip to confirm. Over a loopback the
        answers do not come in a burst, and the limit stays where it is.
        """
        times = self._first_answers
        shortest = min(self._round_seconds)
        # Only where the time on the wire dwarfs the time the answers took to come in: over a
        # loopback the shortest time is mostly handshakes, which a higher limit would only add to.
        if len(times) < 4 or shortest < 2 * (times[-1] - times[0]):
            return
        # The median gap: the connection that fetched the TLS session answers well before the
        # others (they waited for it), which a mean would count as a slow pace.
        pace = _median([later - earlier for earlier, later in zip(times, times[1:], strict=False)])
        if pace <= 0:
            return
        in_pipe = shortest / pace
        while self._limit * 2 <= in_pipe and self._limit < self.ceiling:
            self._limit = min(float(self.ceiling), self._limit * 2)
        self.peak = max(self.peak, self.limit)

    def _judge(self, rate: float, *, saturated: bool) -> None:
        """Slow start: double while rounds are ``gain`` times faster; else hold at the best.

        A gain must show in two rounds in a row: over a loopback a round is ~20 answers in ~15 ms,
        and one garbage-collector pause in the round before makes the next look 1.5x faster (a
        limit of 16 went to 64 in 4 fan-outs out of 12). A round the client's CPU was ``saturated``
        by never leads to a doubling.
        """
        if self.holding:
            self._held_rounds += 1
            if (
                self._held_rounds < self.reprobe
                or self._now() - self._held_since < self.reprobe_after
                or self.limit >= self.ceiling
                or saturated
            ):
                return
            self.holding = False  # try once more: the round trips may have grown
            self._best_rate, self._best_limit = rate, self._limit
        elif self._best_rate and self._limit <= self._best_limit:
            return  # at the ceiling: nothing higher was tried since the best round
        elif self._best_rate and rate < self._best_rate * self.gain:
            self._limit = max(float(self.floor), self._best_limit)
            self._hold()
            return
        elif self._best_rate and not self._gained:
            self._gained = True  # faster: confirmed by the next round, or not
            return
        else:
            self._best_rate, self._best_limit = rate, self._limit
        self._gained = False
        if saturated:
            self._hold()  # answers come as fast as the client takes them: more would only cost
            return
        self._limit = min(float(self.ceiling), self._limit * 2)
        self.peak = max(self.peak, self.limit)

    def _hold(self) -> None:
        self.holding, self._held_rounds, self._held_since = True, 0, self._now()
        self._gained = False

    def _begin_round(self) -> None:
        self._round += 1
        self._round_began, self._round_cpu = self._now(), self._cpu()
        self._round_size = self.limit
        self._round_seconds = []
        self._round_bound = bool(self._waiters)

    def _cut(self) -> None:
        cut = max(float(self.floor), float(self.limit // 2))
        self._slow_start = False
        self._epoch += 1
        if cut < self._limit:
            self.cuts += 1
        self._limit = cut
        self.holding = self._gained = False
        self._best_rate = 0.0
        self._begin_round()

    def _wake(self) -> None:
        while self._waiters and self._in_flight < self.limit:
            waiter = self._waiters.popleft()
            if waiter.done():
                continue
            self._in_flight += 1
            waiter.set_result(None)
