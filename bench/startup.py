"""Benchmark (a script, not a test): ``python bench/startup.py``.

Figures that used to be timed asserts in the test suite, where a loaded machine made them flaky:

1. Emulator restart on an existing data dir (certificates and state reused): seconds from
   ``Emulator(...).start()`` to serving. Target < 0.5 s.
2. Keep-alive request latency on one connection (``GET /operations/<id>``, mean of 200): h11 writes
   headers and body in two TLS records, so without TCP_NODELAY Nagle's algorithm and the client's
   delayed ACK held every answer ~40 ms. Target < 20 ms.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import httpx

from smtui.emulator import Emulator


def _restart_seconds(data: Path, runs: int) -> list[float]:
    with Emulator.running(data, seed="demo"):
        pass  # first start creates certificates and the demo state
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        emu = Emulator(data, seed="demo")
        emu.start()
        times.append(time.perf_counter() - started)
        emu.stop()
    return times


def _keep_alive_ms(data: Path, requests: int) -> float:
    with Emulator.running(data, seed="demo") as emu:
        verify = httpx.create_ssl_context(verify=str(emu.ca_file))
        verify.load_cert_chain(str(emu.client_cert), str(emu.client_key))
        base = f"{emu.base_url}/{emu.subscription_id}"
        with httpx.Client(verify=verify, base_url=base, headers={"x-ms-version": "2014-10-01"}) as c:
            c.get("/operations/" + "0" * 32)  # handshake outside the measurement
            started = time.perf_counter()
            for _ in range(requests):
                c.get("/operations/" + "0" * 32)
            return (time.perf_counter() - started) / requests * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "emulator"
        restarts = _restart_seconds(data, 5)
        print(f"emulator restart: median {statistics.median(restarts):.3f} s "
              f"(min {min(restarts):.3f}, max {max(restarts):.3f}; target < 0.5 s)")
        print(f"keep-alive request: {_keep_alive_ms(data, 200):.2f} ms mean (target < 20 ms)")


if __name__ == "__main__":
    main()
