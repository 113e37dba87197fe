"""How fast the console's fleet view (key ``7``) fills, on an emulator seeded at scale.

Usage: ``python bench/fleet_view.py [--scale 500] [--latency 0.1] [--concurrency 16,64] [--repeat 3]``.
Starts ``smtui emulator --scale N`` in its own process (as the console's embedded emulator runs,
and as any real endpoint is: an emulator thread in this process would fight the console for the
GIL), opens the console headless, presses ``7`` and reports the time to the first row and to the
last answer (the view's own progress line). For each ceiling it also runs the bare library
fan-out over the same services, so the view's own cost is the difference. Figures only: nothing
here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from fleet import Server, emulator, fan_out, service_names  # noqa: E402  (a sibling script)


async def measure(server: Server, work: Path, concurrency: int) -> tuple[float, float, int, int]:
    from smtui.profiles.connection import Connection
    from smtui.tui.app import SmtuiApp
    from smtui.tui.screens.fleet import FleetScreen

    connection = Connection(
        subscription_id=server.subscription_id,
        host=server.host,
        cert_path=str(server.certs / "management.pem"),
        key_path=str(server.certs / "management.key"),
        ca_file=str(server.certs / "ca.pem"),
        is_emulator=True,
    )
    os.environ["SMTUI_FLEET_CONCURRENCY"] = str(concurrency)
    app = SmtuiApp(connection=connection, refresh_interval=0, operations_file=work / "ops.json")
    async with app.run_test(size=(160, 40)) as pilot:
        while app.client is None:
            await pilot.pause(0.02)
        start = time.perf_counter()
        # pilot.press() returns once the app is idle, that is after the whole load: it runs on
        # its own while this loop watches the screen.
        press = asyncio.ensure_future(pilot.press("7"))
        while not isinstance(app.screen, FleetScreen) or not app.screen.query("ResourceList"):
            await asyncio.sleep(0.005)  # pushed, then composed
        screen = app.screen
        first = None
        while screen.load_status != "done":
            if first is None and screen.table.model.total:
                first = time.perf_counter() - start
            # Not pilot.pause(): it forces a repaint of the screen on every call, work the
            # console does not do and this loop would add to what it measures.
            await asyncio.sleep(0.01)
        total = time.perf_counter() - start
        await press
        await pilot.pause(0.3)  # the last redraw follows the closing of the clients
        return first or total, total, screen.state.total, screen.table.model.total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--concurrency", default="16,64", help="ceilings to try, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs per ceiling, interleaved (medians shown)")
    args = parser.parse_args()
    ceilings = [int(c) for c in args.concurrency.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        os.environ["SMTUI_CONFIG_DIR"] = str(work / "config")
        os.environ["SMTUI_DATA_DIR"] = str(work / "data")
        os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
        faults = ["--faults", f"latency={args.latency}"] if args.latency else []
        with emulator(work / "emulator", "--seed", "demo", "--scale", str(args.scale), *faults) as server:
            names = asyncio.run(service_names(server))
            views: dict[int, list[tuple[float, float, int, int]]] = {c: [] for c in ceilings}
            library: dict[int, list[float]] = {c: [] for c in ceilings}
            for _ in range(args.repeat):
                for c in ceilings:
                    views[c].append(asyncio.run(measure(server, work, c)))
                    library[c].append(asyncio.run(fan_out(server, names, max_in_flight=c)).seconds)
    for c in ceilings:
        first = statistics.median(v[0] for v in views[c])
        total = statistics.median(v[1] for v in views[c])
        _, _, services, rows = views[c][-1]
        lib = statistics.median(library[c])
        print(
            f"fleet view: {services} services, {rows} deployments, latency {args.latency} s, "
            f"max_in_flight={c}: first row {first:.2f} s, all {total:.2f} s "
            f"(library alone {lib:.2f} s: the view adds {total / lib:.2f}x)"
        )


if __name__ == "__main__":
    main()
