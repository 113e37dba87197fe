"""How many requests one subscription's client keeps on the wire: an adaptive in-flight limit.

RDFE throttles per subscription and says so with ``503`` (sometimes ``Retry-After``); a fixed
limit is either too timid for a fan-out over hundreds of services at 100 ms round trips or too
pushy for a subscription that is already being throttled. :class:`InFlightLimit` adapts:

* it **grows** by one for each answer that came back in time (so it doubles per round trip, like
  TCP's slow start) until the first sign of overload, then by about one per round trip;
* it **halves** on a throttling answer (``503``/``429`` or any ``Retry-After``) and on a timeout —
  once per round of requests: the answers of requests sent before the cut carry no news;
* it never goes above ``ceiling`` (the client's ``max_in_flight``) nor below ``floor`` (4).

"In time" means within ``slow_factor`` times the fastest answer seen plus ``slack`` seconds: a
server that starts queueing stops the growth before it starts refusing. With ``adaptive=False``
the limit is fixed at the ceiling (a plain semaphore).
"""

from __future__ import annotations

import asyncio
import collections
import enum
from dataclasses import dataclass

__all__ = ["InFlightLimit", "Outcome", "Ticket"]


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
        started: Event-loop time when the slot was granted.
    """

    epoch: int
    started: float


class InFlightLimit:
    """An asyncio in-flight limit that adapts to the answers (see the module docstring).

    Args:
        ceiling: Hard maximum of requests in flight.
        initial: Starting limit (default: half the ceiling, at least ``min(16, ceiling)``);
            ignored without ``adaptive``.
        floor: Lowest the limit is cut to (at most ``ceiling``). Not 1: against a service that
            throttles a share of requests whatever the load, halving on every 503 would otherwise
            settle near one request per round trip, slower than a sequential loop.
        adaptive: Adapt (default) or stay fixed at ``ceiling``.
        slow_factor: An answer slower than this many times the fastest one seen does not grow
            the limit …
        slack: … unless it is within this many seconds of the fastest one.
    """

    def __init__(
        self,
        ceiling: int,
        *,
        initial: int | None = None,
        floor: int = 4,
        adaptive: bool = True,
        slow_factor: float = 3.0,
        slack: float = 0.5,
    ) -> None:
        if ceiling < 1:
            raise ValueError("ceiling must be at least 1")
        self.ceiling = ceiling
        self.floor = max(1, min(floor, ceiling))
        self.adaptive = adaptive
        # Half the ceiling (at least 16): one round trip of slow start fewer than from 16 on a
        # fan-out, and still only half of what the caller allowed before the first answer.
        default = max(min(16, ceiling), ceiling // 2)
        start = ceiling if not adaptive else (initial if initial is not None else default)
        self._limit = float(max(self.floor, min(start, ceiling)))
        self._threshold = float(ceiling)  # slow start until the first cut
        self._epoch = 0
        self._fastest: float | None = None
        self._in_flight = 0
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        self.cuts = 0
        """How many times the limit was halved."""
        self.peak = int(self._limit)
        """The highest limit reached."""
        self.slow_factor = slow_factor
        self.slack = slack

    @property
    def limit(self) -> int:
        """Requests allowed in flight now."""
        return int(self._limit)

    @property
    def in_flight(self) -> int:
        """Requests in flight now."""
        return self._in_flight

    async def acquire(self) -> Ticket:
        """Wait for a slot (first come, first served)."""
        loop = asyncio.get_running_loop()
        if self._in_flight >= self.limit or self._waiters:
            waiter: asyncio.Future[None] = loop.create_future()
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
        return Ticket(self._epoch, loop.time())

    def release(self, ticket: Ticket, outcome: Outcome = Outcome.NEUTRAL) -> None:
        """Give the slot back and tell the limit what the answer was."""
        self._in_flight -= 1
        if self.adaptive:
            if outcome is Outcome.OK:
                self._grow(asyncio.get_running_loop().time() - ticket.started)
            elif outcome in (Outcome.THROTTLED, Outcome.TIMEOUT) and ticket.epoch == self._epoch:
                self._cut()
        self._wake()

    def _grow(self, seconds: float) -> None:
        if self._fastest is None or seconds < self._fastest:
            self._fastest = seconds
        if seconds > self._fastest * self.slow_factor and seconds > self._fastest + self.slack:
            return
        step = 1.0 if self._limit < self._threshold else 1.0 / max(self._limit, 1.0)
        self._limit = min(float(self.ceiling), self._limit + step)
        self.peak = max(self.peak, self.limit)

    def _cut(self) -> None:
        cut = max(float(self.floor), float(self.limit // 2))
        self._threshold = cut
        self._epoch += 1
        if cut < self._limit:
            self.cuts += 1
        self._limit = cut

    def _wake(self) -> None:
        while self._waiters and self._in_flight < self.limit:
            waiter = self._waiters.popleft()
            if waiter.done():
                continue
            self._in_flight += 1
            waiter.set_result(None)
