"""Benchmark of the console (a script, not a test): ``python bench/tui.py``.

1. Launch: a fresh ``python`` process starts ``SmtuiApp`` headless on the embedded emulator (no
   profile: the same path as ``smtui``); the times from process start at which the frame (header,
   tree, footer) is mounted and the first hosted-service row is painted, next to a minimal Textual
   app's first mount measured the same way in the same run (interleaved). Interpreter start and
   imports count. "warm" = emulator state already on disk, "cold" = first launch (certificates
   and demo seed are created).
2. Load + first paint of 10,000 and 50,000 rows: smtui's ``BigTable`` next to Textual's
   ``DataTable`` in the same run (``set_rows``/``add_rows`` then one screen refresh).
3. Peak memory (max RSS) of a fresh process showing 50,000 rows in ``BigTable``.

Targets: (1) frame <= 2x and first row <= 3.5x the minimal app; (2) < 0.2 s at both sizes and
>= 8x faster than DataTable; (3) < 250 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COLS = ("name", "service", "deployment", "role", "size", "status", "ip", "updated")

LAUNCH_CHILD = """
import asyncio, sys, time
sys.modules.setdefault("trio", None)  # as smtui.cli.main does
from smtui.session import build_app
from smtui.tui.widgets.header_bar import HeaderBar
from smtui.tui.widgets.key_footer import KeyFooter
from smtui.tui.widgets.nav_tree import NavTree

async def main():
    app = build_app(refresh_interval=0)  # the path `smtui` takes
    frame = None
    async with app.run_test(size=(120, 40)) as pilot:
        while True:
            browse = app.browse
            if frame is None and browse is not None and browse.is_mounted:
                if browse.query(HeaderBar) and browse.query(NavTree) and browse.query(KeyFooter):
                    frame = time.time()  # header, tree and footer are on screen
            if app.startup_error is not None:
                print("error", app.startup_error.title); return
            if browse is not None and browse.table.row_count and browse.listings.get(browse.current.key):
                if browse.current.kind.value == "services":
                    break
            await asyncio.sleep(0.005)
        await pilot.pause()  # the row is painted
    print("ok", frame, time.time())

asyncio.run(main())
"""

MINIMAL_CHILD = """
import asyncio, time
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    def compose(self):
        yield Static("hello")

    def on_mount(self):
        self.mounted = time.time()

async def main():
    app = Minimal()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
    print("ok", app.mounted)

asyncio.run(main())
"""

MEMORY_CHILD = """
import asyncio, resource, sys
sys.path.insert(0, {bench!r})
from tui import make_rows, COLS
from textual.app import App
from smtui.tui.table_model import Column, TableRow
from smtui.tui.widgets.big_table import BigTable

class A(App):
    def compose(self):
        yield BigTable([Column(c, c) for c in COLS])

async def main():
    rows = [TableRow(r[0], r) for r in make_rows({n})]
    app = A()
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one(BigTable).set_rows(rows)
        await pilot.pause()
        await pilot.press("end", "pageup", "s")
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)

asyncio.run(main())
"""


def make_rows(n: int) -> list[tuple[str, ...]]:
    """Rows shaped like a big subscription's role instances (as in TEXTUAL.md's benchmark)."""
    return [
        (
            f"vm-{i:06d}",
            f"svc-{i % 500:04d}",
            f"dep-{i % 50}",
            f"role-{i}",
            "Standard_D2",
            "ReadyRole" if i % 7 else "StoppedVM",
            f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}",
            "2024-05-01T12:00:00Z",
        )
        for i in range(n)
    ]


def _env(**extra: str) -> dict[str, str]:
    """The environment of a launch: as a user's, with bytecode caches (an installed smtui has them).

    ``PYTHONDONTWRITEBYTECODE=1`` (set by some harnesses and by .ci/run) makes every launch compile
    smtui's ~80 modules from source, ~0.75 s on this machine that no user pays.
    """
    env = dict(os.environ, **extra)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _child(code: str, env: dict[str, str] | None = None) -> tuple[float, list[float]]:
    """Run ``code`` in a fresh interpreter: (seconds to exit, seconds from start to each time it printed)."""
    env = env or _env()
    start_wall, t0 = time.time(), time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    elapsed = time.perf_counter() - t0
    words = out.stdout.split()
    if not words or words[0] != "ok":
        raise SystemExit(f"launch failed: {out.stdout} {out.stderr[-2000:]}")
    return elapsed, [float(w) - start_wall for w in words[1:]]


def launch(data_dir: Path, runs: int) -> list[tuple[float, float]]:
    """(frame, first row) seconds from process start: header/tree/footer shown, first service row painted."""
    env = _env(SMTUI_DATA_DIR=str(data_dir), SMTUI_CONFIG_DIR=str(data_dir / "config"))
    results = []
    for _ in range(runs):
        _, (frame, row) = _child(LAUNCH_CHILD, env)
        results.append((frame, row))
    return results


def minimal(runs: int) -> list[float]:
    """Seconds from process start to a minimal Textual app's first mount (the peer of the launch)."""
    return [_child(MINIMAL_CHILD)[1][0] for _ in range(runs)]


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


async def load_and_paint(n: int) -> tuple[float, float]:
    """(BigTable, DataTable) seconds for set rows + first paint of ``n`` rows."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    from smtui.tui.table_model import Column, TableRow
    from smtui.tui.widgets.big_table import BigTable

    raw = make_rows(n)

    class Big(App[None]):
        def compose(self) -> ComposeResult:
            yield BigTable([Column(c, c) for c in COLS])

    class Stock(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

    big_app = Big()
    async with big_app.run_test(size=(120, 40)) as pilot:
        table = big_app.query_one(BigTable)
        await pilot.pause()
        t0 = time.perf_counter()
        table.set_rows(TableRow(r[0], r) for r in raw)
        await pilot.pause()
        big = time.perf_counter() - t0
    stock_app = Stock()
    async with stock_app.run_test(size=(120, 40)) as pilot:
        dt = stock_app.query_one(DataTable)
        for c in COLS:
            dt.add_column(c, key=c)
        await pilot.pause()
        t0 = time.perf_counter()
        dt.add_rows(raw)
        await pilot.pause()
        stock = time.perf_counter() - t0
    return big, stock


def memory(n: int) -> float:
    """Max RSS (MB) of a fresh process showing ``n`` rows in BigTable."""
    code = MEMORY_CHILD.format(bench=str(Path(__file__).parent), n=n)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="launches to time (warm)")
    parser.add_argument("--launch-only", action="store_true", help="measure (1) only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cold = launch(Path(tmp), 1)[0]
        # Interleaved, so that both see the same machine load.
        warm, peer = [], []
        for _ in range(args.runs):
            warm += launch(Path(tmp), 1)
            peer += minimal(1)
    base = _median(peer)
    frame, row = _median([f for f, _ in warm]), _median([r for _, r in warm])
    runs = ", ".join(f"{t:.2f}" for t in peer)
    print(f"(1) minimal Textual app, first mount: median {base:.2f} s ({runs})")
    print(
        f"    console frame (header, tree, footer): median {frame:.2f} s = {frame / base:.1f}x "
        "the minimal app   target <= 2x"
    )
    print(
        f"    first data row, embedded emulator: warm median {row:.2f} s = {row / base:.1f}x "
        f"(runs {', '.join(f'{r:.2f}' for _, r in warm)}), cold first launch {cold[1]:.2f} s   target <= 3.5x"
    )
    if args.launch_only:
        return
    for n in (10_000, 50_000):
        big, stock = asyncio.run(load_and_paint(n))
        print(
            f"(2) {n:>6} rows load + first paint: BigTable {big:.3f} s, DataTable {stock:.2f} s, "
            f"{stock / big:.0f}x faster   target < 0.2 s and >= 8x"
        )
    print(f"(3) peak memory with 50,000 rows in BigTable: {memory(50_000):.0f} MB   target < 250 MB")


if __name__ == "__main__":
    main()
