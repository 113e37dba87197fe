"""How fast the console's fleet view (key ``7``) fills, on an emulator seeded at scale.

Usage: ``python bench/fleet_view.py [--scale 500] [--latency 0.1] [--concurrency 16]``.
Starts an emulator with ``--scale`` extra hosted services and a fixed per-request latency,
opens the console headless, presses ``7`` and reports the time to the first row and to the
last answer (the view's own progress line). Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path
from typing import Any


async def measure(emu: Any, work: Path) -> tuple[float, float, int, int]:
    from smtui.profiles.connection import Connection
    from smtui.tui.app import SmtuiApp
    from smtui.tui.screens.fleet import FleetScreen

    app = SmtuiApp(
        connection=Connection.to_emulator(emu), refresh_interval=0, operations_file=work / "ops.json"
    )
    async with app.run_test(size=(160, 40)) as pilot:
        while app.client is None:
            await pilot.pause(0.02)
        start = time.perf_counter()
        await pilot.press("7")
        screen = app.screen
        assert isinstance(screen, FleetScreen)
        first = None
        while screen.load_status != "done":
            if first is None and screen.table.model.total:
                first = time.perf_counter() - start
            await pilot.pause(0.01)
        total = time.perf_counter() - start
        await pilot.pause(0.3)  # the last redraw follows the closing of the clients
        return first or total, total, screen.state.total, screen.table.model.total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["SMTUI_CONFIG_DIR"] = str(work / "config")
        os.environ["SMTUI_DATA_DIR"] = str(work / "data")
        os.environ["SMTUI_FLEET_CONCURRENCY"] = str(args.concurrency)
        os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
        from smtui.emulator import Emulator

        with Emulator.running(work / "emulator", seed="demo", scale=args.scale, speed=1000.0) as emu:
            emu.faults.latency = args.latency
            first, total, services, rows = asyncio.run(measure(emu, work))
    print(
        f"fleet view: {services} services, {rows} deployments, latency {args.latency} s, "
        f"{args.concurrency} in flight: first row {first:.2f} s, all {total:.2f} s"
    )


if __name__ == "__main__":
    main()
