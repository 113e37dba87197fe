"""Benchmark of the console (a script, not a test): ``python bench/tui.py``.

1. Launch: ``smtui`` (the installed command, no profile: the embedded emulator) runs in a
   120x40 pseudo-terminal; the times from its exec until the frame (header, tree, footer) and
   the first hosted-service row have been written to the terminal, next to a minimal Textual
   app's time until its text is on screen, measured the same way in the same run (interleaved).
   Interpreter start, imports and the real terminal driver count on both sides. "warm" =
   emulator state already on disk, "cold" = first launch (certificates and demo seed are made).
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

sys.path.insert(0, str(Path(__file__).parent))
from terminal import time_to_text  # noqa: E402  (a sibling script of the bench)

COLS = ("name", "service", "deployment", "role", "size", "status", "ip", "updated")

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    def compose(self):
        yield Static("hello")

Minimal().run()
"""

FRAME_TEXTS = ("smtui", "Hosted services", "Quit")
"""The console's frame on screen: header, tree and footer."""
FIRST_ROW_TEXTS = ("West US",)
"""The first hosted service row of the demo seed (contoso-web, West US), in the table."""

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


def _console_command() -> list[str]:
    """``smtui`` as a user runs it: the installed console script beside this Python."""
    script = Path(sys.executable).with_name("smtui")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from smtui.cli import main; raise SystemExit(main())"]


def launch(data_dir: Path, runs: int) -> list[tuple[float, float]]:
    """(frame, first row): seconds from the exec of ``smtui`` in a 120x40 terminal until the
    frame and the first service row have been written to it."""
    env = _env(SMTUI_DATA_DIR=str(data_dir), SMTUI_CONFIG_DIR=str(data_dir / "config"))
    results = []
    for _ in range(runs):
        seen = time_to_text(_console_command(), {"frame": FRAME_TEXTS, "row": FIRST_ROW_TEXTS}, env=env)
        results.append((seen["frame"], seen["row"]))
    return results


def minimal(runs: int) -> list[float]:
    """Seconds from the exec of a minimal Textual app until its text has been written to the terminal."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as script:
        script.write(MINIMAL_APP)
    try:
        return [
            time_to_text([sys.executable, script.name], {"shown": ("hello",)}, env=_env())["shown"]
            for _ in range(runs)
        ]
    finally:
        os.unlink(script.name)


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
    print(f"(1) minimal Textual app on screen: median {base:.2f} s ({runs})")
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
