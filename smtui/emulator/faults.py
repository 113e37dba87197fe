"""Fault injection (off by default): latency, 503 TooManyRequests, dropped connections, 307 redirects,
and "applied, answer lost": a change committed whose answer never reaches the client."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field


@dataclass
class Faults:
    """Mutable fault settings, shared between the server thread and whoever controls the emulator.

    Attributes:
        latency: Seconds added before every answer.
        error_rate: Share (0-1) of requests answered 503 TooManyRequests.
        drop_rate: Share (0-1) of requests whose connection is dropped without an answer.
        redirect: Answer every request on the main port with a 307 to the redirect port.
        error_next: The next N requests are answered 503 (deterministic, for tests).
        drop_next: The next N requests are dropped (deterministic, for tests).
        redirect_next: The next N requests are redirected (deterministic, for tests).
        retry_after: ``Retry-After`` seconds sent with injected 503s (None: no header, as RDFE).
        lost_rate: Share (0-1) of mutating requests that are applied (committed) and whose
            connection is then dropped without an answer: the client cannot know the outcome.
        lost_next: The next N mutating requests are applied and their answer lost.
        operation_latency: Seconds added before answering ``GET /operations/<id>`` only.
    """

    latency: float = 0.0
    error_rate: float = 0.0
    drop_rate: float = 0.0
    redirect: bool = False
    error_next: int = 0
    drop_next: int = 0
    redirect_next: int = 0
    retry_after: int | None = None
    lost_rate: float = 0.0
    lost_next: int = 0
    operation_latency: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    _rng: random.Random = field(default_factory=random.Random, repr=False, compare=False)

    @classmethod
    def parse(cls, spec: str | None) -> Faults:
        """Parse ``latency=0.2,503=0.1,drop=0.05,redirect,lost=0.1,op-latency=2`` (``--faults``)."""
        faults = cls()
        for part in (spec or "").split(","):
            part = part.strip()
            if not part:
                continue
            key, _, value = part.partition("=")
            key = key.strip().lower()
            if key == "latency":
                faults.latency = float(value)
            elif key in ("503", "error", "errors"):
                faults.error_rate = float(value)
            elif key == "drop":
                faults.drop_rate = float(value)
            elif key == "redirect":
                faults.redirect = value.strip().lower() not in ("0", "false", "no")
            elif key == "retry-after":
                faults.retry_after = int(value)
            elif key == "lost":
                faults.lost_rate = float(value)
            elif key in ("op-latency", "operation-latency"):
                faults.operation_latency = float(value)
            else:
                raise ValueError(
                    f"unknown fault {key!r} (expected latency, 503, drop, redirect, retry-after, lost, "
                    "op-latency)"
                )
        return faults

    def reset(self) -> None:
        """Turn every fault off."""
        with self._lock:
            self.latency = self.error_rate = self.drop_rate = 0.0
            self.lost_rate = self.operation_latency = 0.0
            self.redirect = False
            self.error_next = self.drop_next = self.redirect_next = self.lost_next = 0
            self.retry_after = None

    @property
    def active(self) -> bool:
        """Whether any fault is configured (fast path for the common case)."""
        return bool(
            self.latency
            or self.error_rate
            or self.drop_rate
            or self.redirect
            or self.error_next
            or self.drop_next
            or self.redirect_next
            or self.lost_rate
            or self.lost_next
            or self.operation_latency
        )

    def decide(self) -> str | None:
        """The fault to inject on this request: ``"drop"``, ``"error"``, ``"redirect"`` or None."""
        with self._lock:
            if self.drop_next > 0:
                self.drop_next -= 1
                return "drop"
            if self.error_next > 0:
                self.error_next -= 1
                return "error"
            if self.redirect_next > 0:
                self.redirect_next -= 1
                return "redirect"
            if self.drop_rate and self._rng.random() < self.drop_rate:
                return "drop"
            if self.error_rate and self._rng.random() < self.error_rate:
                return "error"
            if self.redirect:
                return "redirect"
        return None

    def answer_lost(self) -> bool:
        """Whether the answer to this (applied) mutating request is to be lost."""
        with self._lock:
            if self.lost_next > 0:
                self.lost_next -= 1
                return True
            return bool(self.lost_rate and self._rng.random() < self.lost_rate)
