"""Emulator throughput over mTLS with keep-alive, client and emulator in separate processes.

Measures:
  1. GET /services/hostedservices (demo subscription) requests per second;
  2. GET /operations/<id> requests per second;
  3. a mixed read/write workload (create, get, list, operation status, delete a hosted service)
     with 8 and with 64 clients, each on its own connection: requests per second and p99 latency;
  4. the time to fetch 1,000 hosted services one by one with ``embed-detail=true`` from a
     ``--scale 1000`` subscription, 16 requests in flight.

Run: ``python bench/emulator.py [--seconds 5] [--concurrency 16] [--only get,mixed,fetch]``
(``BENCH_PROFILE_SERVER=/tmp/emu.prof`` runs each emulator under cProfile into ``/tmp/emu.prof.<name>``).
Targets: >= 500 GET/s; mixed throughput with 64 clients >= 90 % of that with 8 clients.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

VERSION = {"x-ms-version": "2014-10-01"}


def cpu_seconds(pid: int) -> float:
    """User+system CPU time of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


SERVER_PID: list[int] = []


@contextmanager
def emulator(data_dir: Path, *extra: str) -> Iterator[tuple[str, str, Path]]:
    """Run ``smtui emulator`` in a subprocess; yields (base url, subscription id, certs dir)."""
    profile = os.environ.get("BENCH_PROFILE_SERVER")  # a .prof file: run the emulator under cProfile
    prefix = ["-m", "cProfile", "-o", f"{profile}.{data_dir.name}"] if profile else []
    cmd = [
        sys.executable,
        *prefix,
        "-m",
        "smtui",
        "emulator",
        "--port",
        "0",
        "--data-dir",
        str(data_dir),
        *extra,
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert proc.stdout is not None
        out = ""
        while "Press Ctrl-C" not in out:
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                raise RuntimeError(f"emulator exited:\n{out}")
            out += line
        sub = re.search(r"subscription id : (\S+)", out)
        url = re.search(r"endpoint        : (\S+)", out)
        assert sub and url
        SERVER_PID[:] = [proc.pid]
        yield url.group(1), sub.group(1), data_dir / "certs"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def client(base: str, sub: str, certs: Path, concurrency: int) -> httpx.AsyncClient:
    ctx = ssl.create_default_context(cafile=str(certs / "ca.pem"))
    ctx.load_cert_chain(str(certs / "management.pem"), str(certs / "management.key"))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    return httpx.AsyncClient(verify=ctx, base_url=f"{base}/{sub}", headers=VERSION, limits=limits, timeout=30)


async def rate(c: httpx.AsyncClient, path: str, seconds: float, concurrency: int) -> tuple[float, int]:
    """Requests per second of ``concurrency`` workers hammering ``path`` for ``seconds``."""
    for _ in range(concurrency):  # open the keep-alive connections first
        (await c.get(path)).raise_for_status()
    done = 0
    stop = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal done
        while time.perf_counter() < stop:
            r = await c.get(path)
            if r.status_code != 200:
                raise RuntimeError(f"{path}: HTTP {r.status_code}")
            done += 1

    started = time.perf_counter()
    cpu = cpu_seconds(SERVER_PID[0])
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    server_ms = (cpu_seconds(SERVER_PID[0]) - cpu) / max(done, 1) * 1000
    print(
        f"    server CPU {server_ms:.2f} ms/request -> one core serves ~{1000 / max(server_ms, 1e-3):.0f} req/s"  # noqa: E501
    )
    return done / elapsed, done


class RawClient:
    """A minimal HTTP/1.1 keep-alive client over one mTLS connection (asyncio streams).

    httpx costs the load generator more CPU per request than the emulator spends answering; on a
    2-core machine that measured the client, not the server. This one parses only what the
    workload needs (status, Content-Length, x-ms-request-id).
    """

    def __init__(self, base: str, sub: str, certs: Path) -> None:
        self.host, port = base.removeprefix("https://").rsplit(":", 1)
        self.port = int(port)
        self.sub = sub
        self.ctx = ssl.create_default_context(cafile=str(certs / "ca.pem"))
        self.ctx.load_cert_chain(str(certs / "management.pem"), str(certs / "management.key"))
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port, ssl=self.ctx)

    async def request(
        self, method: str, path: str, body: bytes = b""
    ) -> tuple[int, dict[bytes, bytes], bytes]:
        assert self.reader is not None and self.writer is not None
        head = (
            f"{method} /{self.sub}{path} HTTP/1.1\r\nHost: {self.host}\r\nx-ms-version: 2014-10-01\r\n"
            f"Content-Type: application/xml\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        raw = await self.reader.readuntil(b"\r\n\r\n")
        lines = raw.split(b"\r\n")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        data = await self.reader.readexactly(int(headers.get(b"content-length", b"0")))
        return int(lines[0].split()[1]), headers, data

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


_CREATE = (
    '<CreateHostedService xmlns="http://schemas.microsoft.com/windowsazure"><ServiceName>{name}'
    "</ServiceName><Label>YmVuY2g=</Label><Location>West US</Location></CreateHostedService>"
)


async def mixed(base: str, sub: str, certs: Path, clients: int, seconds: float) -> tuple[float, float, int]:
    """(requests/s, p99 seconds, requests) of ``clients`` clients, one connection each, each looping
    create → get → list → operation status → delete of a hosted service of its own."""
    latencies: list[float] = []
    stop = time.perf_counter() + seconds

    async def timed(c: RawClient, method: str, path: str, body: bytes = b"") -> dict[bytes, bytes]:
        t0 = time.perf_counter()
        status, headers, data = await c.request(method, path, body)
        latencies.append(time.perf_counter() - t0)
        if status >= 400:
            raise RuntimeError(f"{method} {path}: HTTP {status} {data[:200]!r}")
        return headers

    async def worker(w: int) -> None:
        c = RawClient(base, sub, certs)
        await c.connect()  # outside the measurement
        await c.request("GET", "/services/hostedservices")
        await ready.wait()
        i = 0
        while time.perf_counter() < stop:
            name = f"mix{clients}w{w}i{i}"
            i += 1
            created = await timed(c, "POST", "/services/hostedservices", _CREATE.format(name=name).encode())
            await timed(c, "GET", f"/services/hostedservices/{name}")
            await timed(c, "GET", "/services/hostedservices")
            await timed(c, "GET", f"/operations/{created[b'x-ms-request-id'].decode()}")
            await timed(c, "DELETE", f"/services/hostedservices/{name}")
        await c.close()

    ready = asyncio.Event()
    tasks = [asyncio.create_task(worker(w)) for w in range(clients)]
    await asyncio.sleep(0.5 + clients * 0.05)  # let every client connect
    latencies.clear()
    cpu = cpu_seconds(SERVER_PID[0])
    own = cpu_seconds(os.getpid())
    started = time.perf_counter()
    stop = started + seconds
    ready.set()
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    n = len(latencies)
    server_ms = (cpu_seconds(SERVER_PID[0]) - cpu) / max(n, 1) * 1000
    client_ms = (cpu_seconds(os.getpid()) - own) / max(n, 1) * 1000
    latencies.sort()
    p99 = latencies[min(n - 1, int(n * 0.99))] if n else 0.0
    print(f"    server CPU {server_ms:.2f} ms/request, load generator CPU {client_ms:.2f} ms/request")
    return n / elapsed, p99, n


async def fetch_all(c: httpx.AsyncClient, concurrency: int) -> tuple[float, int]:
    listing = await c.get("/services/hostedservices")
    names = re.findall(rb"<ServiceName>([^<]+)</ServiceName>", listing.content)
    sem = asyncio.Semaphore(concurrency)

    async def one(name: bytes) -> int:
        async with sem:
            r = await c.get(f"/services/hostedservices/{name.decode()}", params={"embed-detail": "true"})
            if r.status_code != 200:
                raise RuntimeError(f"{name!r}: HTTP {r.status_code}")
            return len(r.content)

    started = time.perf_counter()
    sizes = await asyncio.gather(*(one(n) for n in names))
    return time.perf_counter() - started, len(sizes)


async def main_async(args: argparse.Namespace, work: Path) -> None:
    only = set(args.only.split(","))
    if "mixed" in only:
        with emulator(work / "mixed", "--seed", "demo", "--speed", "1000") as (base, sub, certs):
            figures = {}
            for clients in (8, 64):
                rps, p99, n = await mixed(base, sub, certs, clients, args.seconds)
                figures[clients] = rps
                print(
                    f"{f'mixed, {clients} clients':<24} {rps:8.0f} req/s  ({n} requests, p99 {p99 * 1000:.0f} ms)"  # noqa: E501
                )
            print(f"{'mixed 64 / 8 clients':<24} {figures[64] / figures[8]:8.0%}   (target >= 90 %)")
    if "get" in only:
        await gets(args, work)
    if "fetch" in only:
        await fetch(args, work)
    if "fanout" in only:
        await fanout(args, work)


async def raw_rate(base: str, sub: str, certs: Path, path: str, seconds: float, concurrency: int) -> float:
    """GET/s of ``concurrency`` lean keep-alive connections (the server's capacity, not httpx's)."""
    clients = [RawClient(base, sub, certs) for _ in range(concurrency)]
    for c in clients:
        await c.connect()
    done = 0
    stop = time.perf_counter() + seconds

    async def worker(c: RawClient) -> None:
        nonlocal done
        while time.perf_counter() < stop:
            status, _, _ = await c.request("GET", path)
            if status != 200:
                raise RuntimeError(f"{path}: HTTP {status}")
            done += 1

    started = time.perf_counter()
    cpu = cpu_seconds(SERVER_PID[0])
    await asyncio.gather(*(worker(c) for c in clients))
    elapsed = time.perf_counter() - started
    server_ms = (cpu_seconds(SERVER_PID[0]) - cpu) / max(done, 1) * 1000
    for c in clients:
        await c.close()
    print(f"    server CPU {server_ms:.2f} ms/request")
    return done / elapsed


async def gets(args: argparse.Namespace, work: Path) -> None:
    with emulator(work / "demo", "--seed", "demo", "--speed", "1") as (base, sub, certs):
        rps = await raw_rate(base, sub, certs, "/services/hostedservices", args.seconds, args.concurrency)
        print(
            f"{'GET hostedservices lean':<24} {rps:8.0f} req/s  ({args.concurrency} lean keep-alive connections; target >= 500)"  # noqa: E501
        )
        async with client(base, sub, certs, args.concurrency) as c:
            created = await c.post(
                "/services/hostedservices",
                content=b'<CreateHostedService xmlns="http://schemas.microsoft.com/windowsazure"><ServiceName>'
                b"benchsvc</ServiceName><Label>YmVuY2g=</Label><Location>West US</Location></CreateHostedService>",  # noqa: E501
                headers={"Content-Type": "application/xml"},
            )
            op = created.headers["x-ms-request-id"]
            for label, path in (
                ("GET hostedservices", "/services/hostedservices"),
                ("GET operations/<id>", f"/operations/{op}"),
            ):
                rps, n = await rate(c, path, args.seconds, args.concurrency)
                print(
                    f"{label:<24} {rps:8.0f} req/s  ({n} requests, {args.concurrency} in flight, keep-alive)"
                )
        async with client(base, sub, certs, 1) as c:
            rps, n = await rate(c, "/services/hostedservices", args.seconds, 1)
            print(
                f"{'GET hostedservices (1)':<24} {rps:8.0f} req/s  ({n} requests, sequential, one connection)"
            )


async def fetch(args: argparse.Namespace, work: Path) -> None:
    started = time.perf_counter()
    with emulator(work / "scale", "--seed", "empty", "--scale", "1000") as (base, sub, certs):
        print(
            f"{'start --scale 1000':<24} {time.perf_counter() - started:8.2f} s   (first start: certificates + seeding)"  # noqa: E501
        )
        async with client(base, sub, certs, args.concurrency) as c:
            elapsed, n = await fetch_all(c, args.concurrency)
            print(
                f"{'fetch embed-detail':<24} {elapsed:8.2f} s   ({n} hosted services one by one, {args.concurrency} in flight, {n / elapsed:.0f} req/s)"  # noqa: E501
            )


async def fanout(args: argparse.Namespace, work: Path) -> None:
    """Issue 14: a fan-out over ``--scale 500`` at 64 in flight, each round on fresh connections
    (as a new ``smtui ls --all`` process opens them): the emulator's CPU per request; and 500
    clients each opening a connection at once."""
    with emulator(work / "fanout", "--seed", "empty", "--scale", "500") as (base, sub, certs):
        for round_ in range(3):
            cpu = cpu_seconds(SERVER_PID[0])
            async with client(base, sub, certs, 64) as c:
                elapsed, n = await fetch_all(c, 64)
            server_ms = (cpu_seconds(SERVER_PID[0]) - cpu) / (n + 1) * 1000
            print(
                f"{f'fan-out 64, round {round_ + 1}':<24} {elapsed:8.2f} s   ({n + 1} requests, server CPU {server_ms:.2f} ms/request)"  # noqa: E501
            )
        ctx = ssl.create_default_context(cafile=str(certs / "ca.pem"))
        ctx.load_cert_chain(str(certs / "management.pem"), str(certs / "management.key"))
        host, port = base.removeprefix("https://").rsplit(":", 1)
        head = (
            f"GET /{sub}/locations HTTP/1.1\r\nHost: {host}\r\nx-ms-version: 2014-10-01\r\n"
            "Connection: close\r\n\r\n"
        ).encode()

        async def one() -> bool:
            reader, writer = await asyncio.open_connection(host, int(port), ssl=ctx)
            writer.write(head)
            data = await reader.read()
            writer.close()
            return data.startswith(b"HTTP/1.1 200 ")

        cpu = cpu_seconds(SERVER_PID[0])
        started = time.perf_counter()
        answers = await asyncio.gather(*(one() for _ in range(500)), return_exceptions=True)
        elapsed = time.perf_counter() - started
        server_ms = (cpu_seconds(SERVER_PID[0]) - cpu) / 500 * 1000
        ok = sum(a is True for a in answers)
        print(
            f"{'500 connect at once':<24} {elapsed:8.2f} s   ({ok}/500 answered, server CPU {server_ms:.2f} ms/connection incl. handshake)"  # noqa: E501
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--only", default="get,mixed,fetch,fanout", help="comma-separated: get, mixed, fetch, fanout"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="smtui-bench-"))
    try:
        asyncio.run(main_async(args, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
