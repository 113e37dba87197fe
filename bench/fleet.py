"""Fleet fan-out: 505 × Get Hosted Service (embed-detail) against ``smtui emulator --scale 500``.

Everything in one run, emulator in its own process, so the ratios compare like with like:

1. the concurrency curves of the library (``iter_service_details``), 8/16/32/64/128 in flight:
   ``max_in_flight=N`` as a user sets it (the adaptive limit below that ceiling) and a fixed limit
   of N (``adaptive=False``): wall time, client CPU, emulator CPU;
2. the whole ``smtui ls deployments --all`` process with default settings (adaptive limit);
3. the Python SDK's (azure-servicemanagement-legacy) usual sequential loop,
   ``get_hosted_service_properties(name, embed_detail=True)`` per service;
4. the ratios SDK / ``smtui ls``, and 64 vs 16, 128 vs 64 in flight,

once with the emulator's latency fault at ``--latency`` (default 0.1 s, a realistic round trip to
the real service) and once with none. Optionally (``--throttle 0.2``) a fan-out against the
``503=0.2`` fault: its time and how many 503s it met.

Run: ``pip install -e '.[bench]' && python bench/fleet.py [--scale 500] [--repeat 3] [--throttle 0.2]``;
``--baseline DIR`` also runs each point of the curve and the ``smtui ls`` process with another smtui
tree (before/after), interleaved with this tree's runs. Every figure is the median of ``--repeat``
interleaved runs (the SDK loop runs once).
Goals (issue 14): ``smtui ls`` ≥ 30× faster than the SDK loop at 0.1 s; 64 in flight at least as
fast as 16, 128 within 10 % of 64.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import logging
import os
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from smtui.api import ServiceManagementClient
from smtui.api.fleet import iter_service_details


def cpu_seconds(pid: int) -> float:
    """User+system CPU time of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    """A running ``smtui emulator`` subprocess."""

    pid: int
    host: str
    subscription_id: str
    certs: Path


@contextmanager
def emulator(data_dir: Path, *extra: str) -> Iterator[Server]:
    """Run ``smtui emulator`` in a subprocess on a free port until the block ends."""
    log = data_dir.parent / f"{data_dir.name}.log"
    cmd = [sys.executable, "-m", "smtui", "emulator", "--port", "0", "--data-dir", str(data_dir), *extra]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 300
        text = ""
        while "Press Ctrl-C" not in text:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"emulator did not start:\n{log.read_text()}")
            time.sleep(0.05)
            text = log.read_text()
        sub = re.search(r"subscription id : (\S+)", text)
        url = re.search(r"endpoint        : https://(\S+)", text)
        assert sub and url
        yield Server(proc.pid, url.group(1), sub.group(1), data_dir / "certs")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def client(server: Server, **options: object) -> ServiceManagementClient:
    auth = {"certfile": str(server.certs / "management.pem"), "keyfile": str(server.certs / "management.key")}
    return ServiceManagementClient(
        server.subscription_id,
        auth,
        {"host": server.host, "ca_bundle": str(server.certs / "ca.pem"), **options},
        environ={},
    )


async def service_names(server: Server) -> list[str]:
    async with client(server) as c:
        services = (await c.list_hosted_services()).raise_for_error().response or []
    return [s.service_name or "" for s in services]


@dataclass
class Run:
    """One measured fan-out."""

    seconds: float
    client_cpu: float
    server_cpu: float
    answered: int
    failed: int
    cuts: int = 0
    peak: int = 0


async def fan_out(server: Server, names: list[str], **options: object) -> Run:
    """All services through ``iter_service_details`` on one fresh client (connections included)."""
    cpu0, server0 = time.process_time(), cpu_seconds(server.pid)
    started = time.perf_counter()
    answered = failed = 0
    async with client(server, **options) as c:
        async for result in iter_service_details(c, names):
            if result.ok:
                answered += 1
            else:
                failed += 1
        limit = c.transport.limit
    seconds = time.perf_counter() - started
    return Run(seconds, time.process_time() - cpu0, cpu_seconds(server.pid) - server0, answered, failed,
               limit.cuts, limit.peak)


BASELINE_CHILD = r"""
import asyncio, json, sys, time
from smtui.api import ServiceManagementClient
from smtui.api.fleet import iter_service_details
from smtui.api.transport import ClientOptions

host, sub, certs, limit = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
names = json.loads(sys.stdin.read())

async def main():
    options = {"host": host, "ca_bundle": certs + "/ca.pem", "max_in_flight": limit}
    if "adaptive" in ClientOptions.__dataclass_fields__:
        options["adaptive"] = False
    auth = {"certfile": certs + "/management.pem", "keyfile": certs + "/management.key"}
    client = ServiceManagementClient(sub, auth, options, environ={})
    started, cpu, ok = time.perf_counter(), time.process_time(), 0
    async with client:
        async for result in iter_service_details(client, names):
            ok += result.ok
    print(time.perf_counter() - started, time.process_time() - cpu, ok)

asyncio.run(main())
"""


def tree_fan_out(server: Server, names: list[str], tree: Path, limit: int) -> Run:
    """A fixed-limit fan-out by the smtui source tree ``tree`` (e.g. main's), in its own process."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    server0 = cpu_seconds(server.pid)
    proc = subprocess.run(
        [sys.executable, "-c", BASELINE_CHILD, server.host, server.subscription_id, str(server.certs),
         str(limit)],
        input=json.dumps(names), capture_output=True, text=True, env=env, cwd=tree, timeout=600,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"baseline fan-out failed: {proc.stderr[-2000:]}")
    seconds, cpu, ok = proc.stdout.split()
    return Run(float(seconds), float(cpu), cpu_seconds(server.pid) - server0, int(ok), len(names) - int(ok))


def ls_all(server: Server, env: dict[str, str], expected: int, tree: Path | None = None) -> Run:
    """The whole ``smtui ls deployments --all`` process, default settings (``tree``: another smtui)."""
    if tree is not None:
        env = dict(env, PYTHONPATH=str(tree))
    server0 = 0.0, cpu_seconds(server.pid)
    children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "smtui", "ls", "deployments", "--all", "--profile", "bench"],
        capture_output=True, text=True, env=env, timeout=600, cwd=tree or Path.cwd(),
    )
    seconds = time.perf_counter() - started
    children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    process_cpu = (children1.ru_utime - children0.ru_utime) + (children1.ru_stime - children0.ru_stime)
    if proc.returncode != 0:
        raise RuntimeError(f"smtui ls deployments --all failed ({proc.returncode}): {proc.stderr[-2000:]}")
    rows = json.loads(proc.stdout)
    failed = {row["service"] for row in rows if "error" in row}
    emulator_cpu = cpu_seconds(server.pid) - server0[1]
    return Run(seconds, process_cpu, emulator_cpu, expected - len(failed), len(failed))


def median_run(runs: list[Run]) -> Run:
    """Each figure's median over repeated runs (the machine is shared: one run says little)."""
    return Run(
        statistics.median(r.seconds for r in runs),
        statistics.median(r.client_cpu for r in runs),
        statistics.median(r.server_cpu for r in runs),
        min(r.answered for r in runs),
        max(r.failed for r in runs),
        max(r.cuts for r in runs),
        max(r.peak for r in runs),
    )


def sdk_loop(server: Server, names: list[str]) -> Run | None:
    """The SDK user's loop: one blocking call per service, one after the other."""
    try:
        import requests
        from azure.servicemanagement import ServiceManagementService  # type: ignore[import-untyped]
    except ImportError:
        return None
    session = requests.Session()
    session.cert = (str(server.certs / "management.pem"), str(server.certs / "management.key"))
    session.verify = str(server.certs / "ca.pem")
    session.trust_env = False  # REQUESTS_CA_BUNDLE and proxies from the environment would win
    sms = ServiceManagementService(server.subscription_id, host=server.host, request_session=session)
    server0 = cpu_seconds(server.pid)
    started = time.perf_counter()
    answered = 0
    for name in names:
        props = sms.get_hosted_service_properties(name, embed_detail=True)
        answered += props.service_name == name
    return Run(time.perf_counter() - started, 0.0, cpu_seconds(server.pid) - server0, answered, 0)


def add_profile(work: Path, server: Server) -> dict[str, str]:
    """A private config dir with profile ``bench`` → this emulator; the environment to use it."""
    env = dict(os.environ)
    env.update(
        SMTUI_CONFIG_DIR=str(work / "config"),
        SMTUI_DATA_DIR=str(work / "data"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    env.pop("HTTPS_PROXY", None)
    env.pop("https_proxy", None)
    # An installed smtui has its bytecode cached; with PYTHONDONTWRITEBYTECODE=1 (set on some CI and
    # harness machines) every start would compile ~100 modules again (~0.15-0.3 s). Cache it aside.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    subprocess.run(
        [sys.executable, "-m", "smtui", "profiles", "add", "bench", "--force",
         "--subscription-id", server.subscription_id, "--host", server.host,
         "--cert", str(server.certs / "management.pem"), "--key", str(server.certs / "management.key"),
         "--ca-file", str(server.certs / "ca.pem")],
        check=True, capture_output=True, env=env,
    )
    return env


def line(label: str, run: Run, per: int, who: str = "client CPU") -> str:
    ms = lambda cpu: cpu / max(per, 1) * 1000  # noqa: E731
    cpu = f"{who} {run.client_cpu:5.2f} s ({ms(run.client_cpu):4.2f} ms/req)  " if run.client_cpu else ""
    return (
        f"  {label:<34} {run.seconds:7.2f} s  {cpu}emulator CPU {run.server_cpu:5.2f} s "
        f"({ms(run.server_cpu):4.2f} ms/req)  answered {run.answered}"
        + (f", limit peak {run.peak}" if run.peak else "")
        + (f", failed {run.failed}" if run.failed else "")
    )


def measure(args: argparse.Namespace, work: Path, latency: float) -> None:
    faults = f"latency={latency}" if latency else ""
    extra = ["--faults", faults] if faults else []
    print(f"\n== latency {latency} s per request ==", flush=True)
    with emulator(work / "emu", "--seed", "demo", "--scale", str(args.scale), *extra) as server:
        names = asyncio.run(service_names(server))
        print(f"  {len(names)} hosted services")
        # Each point runs --repeat times, the points (and the baseline tree's) interleaved, so load
        # from other processes falls on all of them alike; medians are shown.
        runs: dict[tuple[str, int], list[Run]] = collections.defaultdict(list)
        for _ in range(args.repeat):
            for limit in args.concurrency:
                if "adaptive" in args.curves:
                    runs["adaptive", limit].append(asyncio.run(fan_out(server, names, max_in_flight=limit)))
                if "fixed" in args.curves:
                    runs["fixed", limit].append(
                        asyncio.run(fan_out(server, names, max_in_flight=limit, adaptive=False))
                    )
                if args.baseline:
                    runs["base", limit].append(tree_fan_out(server, names, args.baseline, limit))
        curves: dict[str, dict[int, float]] = collections.defaultdict(dict)
        labels = {
            "adaptive": "max_in_flight={}, adaptive limit",
            "fixed": "{} in flight (fixed limit)",
            "base": "  baseline tree, {} in flight (fixed)",
        }
        for limit in args.concurrency:
            for kind in (*args.curves, *(("base",) if args.baseline else ())):
                run = median_run(runs[kind, limit])
                curves[kind][limit] = run.seconds
                print(line("library, " + labels[kind].format(limit), run, len(names)), flush=True)
        default = median_run([asyncio.run(fan_out(server, names)) for _ in range(args.repeat)])
        print(line("library, default settings", default, len(names)), flush=True)
        env = add_profile(work, server)
        ls_all(server, env, len(names))  # warm: bytecode cache, page cache
        ls_runs: list[Run] = []
        base_ls_runs: list[Run] = []
        if args.baseline:
            ls_all(server, env, len(names), args.baseline)
        for _ in range(args.repeat):
            ls_runs.append(ls_all(server, env, len(names)))
            if args.baseline:
                base_ls_runs.append(ls_all(server, env, len(names), args.baseline))
        cli = median_run(ls_runs)
        print(line("smtui ls deployments --all (process)", cli, len(names), "process CPU"), flush=True)
        base_cli = median_run(base_ls_runs) if base_ls_runs else None
        if base_cli is not None:
            print(line("  baseline tree, smtui ls --all", base_cli, len(names), "process CPU"), flush=True)
        sdk = None if args.skip_sdk else sdk_loop(server, names)
        if sdk is not None:
            print(line("Python SDK sequential loop", sdk, len(names)), flush=True)
        print("  ratios (medians):")
        if sdk is not None:
            print(f"    SDK loop / smtui ls --all process   {sdk.seconds / cli.seconds:6.1f}x")
            if base_cli is not None:
                print(f"    SDK loop / baseline smtui ls --all  {sdk.seconds / base_cli.seconds:6.1f}x")
        for kind, points in curves.items():
            if 16 in points and 64 in points:
                print(f"    {kind:>8}: 16 / 64 in flight (>= 1 is flat)  {points[16] / points[64]:6.2f}")
            if 64 in points and 128 in points:
                print(f"    {kind:>8}: 128 / 64 in flight (<= 1.10)      {points[128] / points[64]:6.2f}")


class StatusCounter(logging.Handler):
    """Counts the statuses the client's transport logs (every attempt, retries included)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statuses: collections.Counter[int] = collections.Counter()
        self.methods: collections.Counter[str] = collections.Counter()

    def emit(self, record: logging.LogRecord) -> None:
        if isinstance(record.msg, str) and record.msg.startswith("%s %s -> %d") and record.args:
            args = record.args
            assert isinstance(args, tuple)
            self.methods[str(args[0])] += 1
            self.statuses[int(args[2])] += 1


def throttled(args: argparse.Namespace, work: Path) -> None:
    print(f"\n== 503 fault at {args.throttle} (Retry-After 1 s), latency {args.latency} s, "
          "default settings ==", flush=True)
    spec = f"503={args.throttle},retry-after=1,latency={args.latency}"
    with emulator(work / "emu", "--seed", "demo", "--scale", str(args.scale), "--faults", spec) as server:
        names = asyncio.run(service_names_retrying(server))
        counter = StatusCounter()
        api_log = logging.getLogger("smtui.api")
        api_log.addHandler(counter)
        api_log.setLevel(logging.DEBUG)
        try:
            run = asyncio.run(fan_out(server, names))
        finally:
            api_log.removeHandler(counter)
        print(line("library, default settings", run, len(names)))
        print(f"  attempts {sum(counter.statuses.values())}, 503s met {counter.statuses[503]}, "
              f"methods {dict(counter.methods)}, limit cut {run.cuts} times (peak {run.peak})")


async def service_names_retrying(server: Server) -> list[str]:
    for _ in range(20):
        try:
            return await service_names(server)
        except Exception:  # a 503 through every retry; the listing is not what is measured
            await asyncio.sleep(0.5)
    raise RuntimeError("the listing never succeeded")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=500)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--concurrency", type=lambda s: [int(x) for x in s.split(",")],
                        default=[8, 16, 32, 64, 128])
    parser.add_argument("--curves", type=lambda s: s.split(","), default=["adaptive", "fixed"],
                        help="which concurrency curves: adaptive (max_in_flight=N as users set it, "
                             "the limit adapting below it) and/or fixed (N always in flight)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per point, interleaved (medians shown)")
    parser.add_argument("--skip-sdk", action="store_true", help="leave out the SDK loop (a minute at 0.1 s)")
    parser.add_argument("--no-zero", action="store_true", help="leave out the run without latency")
    parser.add_argument("--throttle", type=float, default=0.0, help="also run against 503=RATE")
    parser.add_argument("--baseline", type=Path, default=None, metavar="DIR",
                        help="also run the curve with the smtui package in DIR (e.g. from "
                             "`git archive main smtui | tar -x -C DIR`), in its own process")
    args = parser.parse_args()
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} "
          f"on {os.cpu_count()} CPUs")
    work = Path(tempfile.mkdtemp(prefix="smtui-bench-fleet-"))
    try:
        for latency in (args.latency, *(() if args.no_zero else (0.0,))):
            measure(args, work, latency)
        if args.throttle:
            throttled(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
