"""Fault injection: 503s, dropped connections, 307 redirects, latency."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from smtui.emulator import Faults
from tests.emulator import wire


def test_injected_503_then_normal(emulator_factory: Any) -> None:
    emu = emulator_factory()
    emu.faults.error_next = 1
    emu.faults.retry_after = 1
    with wire.client(emu) as c:
        r = c.get("/locations")
        assert r.status_code == 503
        assert wire.error(r) == ("TooManyRequests", "Too many requests received. Retry after some time.")
        assert r.headers["retry-after"] == "1"
        assert c.get("/locations").status_code == 200


def test_dropped_connection(emulator_factory: Any) -> None:
    emu = emulator_factory()
    emu.faults.drop_next = 1
    with wire.client(emu) as c:
        with pytest.raises(httpx.TransportError):
            c.get("/locations")
        assert c.get("/locations").status_code == 200


def test_redirect_to_another_local_port(emulator_factory: Any) -> None:
    emu = emulator_factory()
    emu.faults.redirect = True
    with wire.client(emu) as c:
        r = c.post("/services/hostedservices", content=b"<CreateHostedService/>")
        assert r.status_code == 307 and r.content == b""
        location = r.headers["location"]
        assert location.startswith(f"https://127.0.0.1:{emu.redirect_port}/{emu.subscription_id}/")
        assert c.get(location.replace("services/hostedservices", "locations")).status_code == 200
        created = wire.create_service(c, "redirected-svc")
        assert created.status_code == 307
        again = c.post(
            created.headers["location"], content=created.request.content, headers={"Content-Type": wire.XML}
        )
        assert again.status_code == 201


def test_latency_and_rates(emulator_factory: Any) -> None:
    emu = emulator_factory(faults="latency=0.15")
    with wire.client(emu) as c:
        started = time.perf_counter()
        assert c.get("/locations").status_code == 200
        assert time.perf_counter() - started >= 0.15
        emu.faults.reset()
        emu.faults.error_rate = 1.0
        assert c.get("/locations").status_code == 503
        emu.faults.reset()
        assert c.get("/locations").status_code == 200


def test_fault_spec_parsing() -> None:
    f = Faults.parse("latency=0.2, 503=0.1,drop=0.05,redirect,retry-after=3")
    assert (f.latency, f.error_rate, f.drop_rate, f.redirect, f.retry_after) == (0.2, 0.1, 0.05, True, 3)
    assert not Faults.parse(None).active
    with pytest.raises(ValueError, match="unknown fault"):
        Faults.parse("explode=1")
