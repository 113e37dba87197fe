"""The emulator as a server against misbehaving clients, over real mutual TLS (issue 10 §1).

Silent, trickling and stalling connections are cut off per phase while others are served; bodies
are capped for every content type; malformed bodies are 400s, not 500s with tracebacks; the read
cache is bounded; one emulator per data directory; and the command-line behaviour of
``smtui emulator`` (ports, host warning, SIGTERM, banner).
"""

from __future__ import annotations

import logging
import os
import re
import signal
import socket
import ssl
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from smtui.emulator.dirlock import DataDirBusy
from smtui.emulator.tls import ServerLimits
from tests.emulator import wire

FAST_LIMITS = ServerLimits(handshake_timeout=0.5, idle_timeout=0.5, header_timeout=0.5, body_timeout=0.5)
"""Deadlines short enough for tests; the defaults are 10-30 s."""
_PARTIAL_BODY = "Content-Length: 1000\r\nContent-Type: application/xml\r\n"


def _tls(emu: Any) -> ssl.SSLSocket:
    raw = socket.create_connection(("127.0.0.1", emu.port), timeout=10)
    return wire.ssl_context(emu).wrap_socket(raw, server_hostname="127.0.0.1")


def _closed_by_server(sock: ssl.SSLSocket, within: float = 10.0) -> bool:
    """Whether the server closes ``sock`` (EOF or reset) within ``within`` seconds."""
    sock.settimeout(within)
    try:
        while sock.recv(65536):
            pass
    except (ConnectionError, ssl.SSLError, OSError) as exc:
        return not isinstance(exc, TimeoutError)
    return True


def _request_head(emu: Any, method: str, path: str, extra: str = "") -> bytes:
    return (
        f"{method} /{emu.subscription_id}{path} HTTP/1.1\r\nHost: x\r\nx-ms-version: {wire.VERSION}\r\n"
        f"{extra}\r\n"
    ).encode()


def _read_response(sock: ssl.SSLSocket) -> tuple[int, bytes]:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, f"connection closed before a response: {data!r}"
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    found = re.search(rb"(?i)content-length: (\d+)", head)
    length = int(found.group(1)) if found else 0
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return int(head.split()[1]), body


# -- connection deadlines ------------------------------------------------------------------------------


def test_silent_connection_after_the_handshake_is_closed(emulator_factory: Any) -> None:
    emu = emulator_factory(limits=FAST_LIMITS)
    with _tls(emu) as sock:
        assert _closed_by_server(sock)


def test_idle_keep_alive_connection_is_closed(emulator_factory: Any) -> None:
    emu = emulator_factory(limits=FAST_LIMITS)
    with _tls(emu) as sock:
        sock.sendall(_request_head(emu, "GET", "/services/hostedservices"))
        assert _read_response(sock)[0] == 200
        assert _closed_by_server(sock)


def test_trickled_headers_are_cut_off_while_others_are_served(emulator_factory: Any) -> None:
    emu = emulator_factory(limits=FAST_LIMITS)
    head = _request_head(emu, "GET", "/services/hostedservices")
    with _tls(emu) as sock:
        cut = threading.Event()

        def trickle() -> None:
            try:
                for byte in head[:-1]:  # never the final byte: the headers never end
                    sock.sendall(bytes([byte]))
                    time.sleep(0.05)
            except OSError:
                cut.set()

        trickler = threading.Thread(target=trickle, daemon=True)
        trickler.start()
        with wire.client(emu) as other:  # served while the trickler holds its connection
            assert other.get("/services/hostedservices").status_code == 200
        assert _closed_by_server(sock)
        trickler.join(timeout=30)
        assert cut.is_set() or not trickler.is_alive()


def test_stalled_body_is_cut_off(emulator_factory: Any) -> None:
    emu = emulator_factory(limits=FAST_LIMITS)
    with _tls(emu) as sock:
        sock.sendall(
            _request_head(
                emu,
                "POST",
                "/services/hostedservices",
                "Content-Length: 1000\r\nContent-Type: application/xml\r\n",
            )
            + b"<CreateHostedService"
        )
        assert _closed_by_server(sock)


def test_idle_connections_make_room_above_the_cap(emulator_factory: Any) -> None:
    emu = emulator_factory(limits=ServerLimits(max_connections=4))
    idle = [_tls(emu) for _ in range(4)]
    try:
        with wire.client(emu) as c:  # a fifth connection: an idle one is closed for it
            assert c.get("/services/hostedservices").status_code == 200
        assert sum(_closed_by_server(s, within=0.5) for s in idle) >= 1
    finally:
        for s in idle:
            s.close()


def test_busy_connections_at_the_cap_refuse_a_new_one(emulator_factory: Any) -> None:
    emu = emulator_factory(limits=ServerLimits(max_connections=2))
    busy = [_tls(emu) for _ in range(2)]
    try:
        for s in busy:  # half a request each: not idle, so not closed to make room
            s.sendall(b"GET / HTTP/1.1\r\n")
        time.sleep(0.2)  # let the server see the bytes (no timing is asserted)
        with pytest.raises((ssl.SSLError, ConnectionError, OSError)), _tls(emu) as third:
            third.sendall(_request_head(emu, "GET", "/services/hostedservices"))
            third.settimeout(10)
            if not third.recv(1):
                raise ConnectionResetError("closed")
    finally:
        for s in busy:
            s.close()


def test_five_hundred_clients_connecting_at_once_are_all_answered(emulator: Any) -> None:
    import asyncio

    ctx = wire.ssl_context(emulator)
    head = _request_head(emulator, "GET", "/locations", "Connection: close\r\n")

    async def one() -> int:
        reader, writer = await asyncio.open_connection("127.0.0.1", emulator.port, ssl=ctx)
        writer.write(head)
        data = await reader.read()
        writer.close()
        return int(data.split(b" ", 2)[1])

    async def all_at_once() -> list[int | BaseException]:
        return await asyncio.wait_for(
            asyncio.gather(*(one() for _ in range(500)), return_exceptions=True), 120
        )

    statuses = asyncio.run(all_at_once())
    assert statuses == [200] * 500, {repr(s) for s in statuses if s != 200}


# -- bodies -----------------------------------------------------------------------------------------------


def test_declared_oversized_body_is_refused_before_it_is_read(emulator: Any) -> None:
    with _tls(emulator) as sock:
        sock.sendall(
            _request_head(
                emulator,
                "POST",
                "/services/hostedservices",
                f"Content-Length: {5 * 1024 * 1024}\r\nContent-Type: application/json\r\n",
            )
        )
        status, body = _read_response(sock)
    assert status == 413
    assert b"<Code>RequestBodyTooLarge</Code>" in body


@pytest.mark.parametrize("content_type", ["application/xml", "application/json", "text/plain"])
def test_streamed_oversized_body_is_refused_for_every_content_type(emulator: Any, content_type: str) -> None:
    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked, counted while it arrives
        for _ in range(80):
            yield b" " * 65536

    with wire.client(emulator) as c:
        r = c.post("/services/hostedservices", content=chunks(), headers={"Content-Type": content_type})
        assert r.status_code == 413
        assert wire.error(r)[0] == "RequestBodyTooLarge"
        assert c.get("/locations").status_code == 200


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"CreateHostedService": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"),
        ("application/json", b'{"CreateHostedService": ' + b'{"a":' * 5_000 + b"1" + b"}" * 5_001),
        (
            "application/xml",
            b"<CreateHostedService>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</CreateHostedService>",
        ),
    ],
    ids=["json-arrays", "json-objects", "xml"],
)
def test_deeply_nested_body_is_a_400_not_a_500(emulator: Any, content_type: str, body: bytes) -> None:
    with wire.client(emulator) as c:
        r = c.post("/services/hostedservices", content=body, headers={"Content-Type": content_type})
    assert r.status_code == 400, r.text[:300]
    assert wire.error(r)[0] == "InvalidXmlRequest"


def test_deep_json_is_refused_whatever_the_recursion_limit(emulator: Any) -> None:
    # json.loads only refuses what is deeper than the interpreter's recursion limit; a host that
    # raised it (some test runners, some embedders) turned the 400 InvalidXmlRequest into a
    # handler's BadRequest, and the test above failed or passed by the order tests ran in.
    body = b'{"CreateHostedService": ' + b'{"a":' * 5_000 + b"1" + b"}" * 5_001
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(50_000)
    try:
        with wire.client(emulator) as c:
            r = c.post("/services/hostedservices", content=body, headers={"Content-Type": "application/json"})
    finally:
        sys.setrecursionlimit(limit)
    assert r.status_code == 400 and wire.error(r)[0] == "InvalidXmlRequest", r.text[:300]


def test_large_body_is_parsed_off_the_event_loop(emulator: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from smtui.emulator import app as emulator_app

    threads: list[str] = []
    real = emulator_app.parse_body  # type: ignore[attr-defined]

    def recording(raw: bytes, content_type: str) -> Any:
        threads.append(threading.current_thread().name)
        return real(raw, content_type)

    monkeypatch.setattr(emulator_app, "parse_body", recording)
    pad = "<!--" + "x" * 300_000 + "-->"
    body = (
        '<CreateHostedService xmlns="http://schemas.microsoft.com/windowsazure">' + pad + "<ServiceName>"
        "off-loop-svc</ServiceName><Label>b2Zm</Label><Location>West US</Location></CreateHostedService>"
    )
    with wire.client(emulator) as c:
        r = c.post("/services/hostedservices", content=body, headers={"Content-Type": wire.XML})
    assert r.status_code == 201, r.text
    assert threads and "smtui-emulator" not in threads  # the server's loop thread did not parse it


def test_large_valid_body_is_parsed_and_answered(emulator: Any) -> None:
    # over the off-loop parsing threshold, under the cap
    pad = "<!--" + "x" * 300_000 + "-->"
    body = (
        '<CreateHostedService xmlns="http://schemas.microsoft.com/windowsazure">'
        + pad
        + "<ServiceName>big-body-svc</ServiceName><Label>YmlnLWJvZHk=</Label><Location>West US</Location>"
        "</CreateHostedService>"
    )
    with wire.client(emulator) as c:
        r = c.post("/services/hostedservices", content=body, headers={"Content-Type": wire.XML})
        assert r.status_code == 201, r.text
        bad = c.post("/services/hostedservices", content=body[:-5], headers={"Content-Type": wire.XML})
        assert bad.status_code == 400


def test_client_disconnecting_mid_body_is_one_info_line(
    emulator: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="smtui.emulator")
    with _tls(emulator) as sock:
        sock.sendall(
            _request_head(
                emulator,
                "POST",
                "/services/hostedservices",
                "Content-Length: 5000\r\nContent-Type: application/xml\r\n",
            )
            + b"<CreateHostedService>"
        )
        time.sleep(0.2)  # let the request reach the application before hanging up
    deadline = time.monotonic() + 10
    while not any("disconnected" in r.getMessage() for r in caplog.records) and time.monotonic() < deadline:
        time.sleep(0.02)
    records = caplog.records  # every logger: uvicorn's too
    assert [r.levelno for r in records if "disconnected" in r.getMessage()] == [logging.INFO]
    assert not [r for r in records if r.exc_info or r.levelno >= logging.WARNING]


# -- read cache -------------------------------------------------------------------------------------------


def test_ignored_query_strings_create_no_cache_entries(emulator_factory: Any) -> None:
    emu = emulator_factory(seed="demo")
    cache = emu.app._cache
    with wire.client(emu) as c:
        for i in range(300):
            assert c.get("/services/hostedservices", params={"nocache": str(i)}).status_code == 200
        assert len(cache) == 1
        # a parameter the route reads still selects its own answer
        names = re.findall(r"<ServiceName>([^<]+)</ServiceName>", c.get("/services/hostedservices").text)
        plain = c.get(f"/services/hostedservices/{names[0]}")
        detailed = c.get(f"/services/hostedservices/{names[0]}", params={"embed-detail": "true", "x": "1"})
        assert b"Deployments" not in plain.content or plain.content != detailed.content
        assert c.get(f"/services/hostedservices/{names[0]}", params={"embed-detail": "true"}).content == (
            detailed.content
        )


def test_made_up_paths_do_not_grow_the_read_cache(emulator_factory: Any) -> None:
    emu = emulator_factory()
    cache = emu.app._cache
    cache.max_paths = 50
    with wire.client(emu) as c:
        for i in range(200):
            assert c.get(f"/services/hostedservices/made-up-{i}").status_code == 404
            assert len(cache._read_keys) <= 50 and len(cache) <= 50


def test_read_cache_is_bounded_by_bytes(emulator_factory: Any) -> None:
    emu = emulator_factory(seed="demo", scale=60)
    cache = emu.app._cache
    cache.max_bytes = 40_000
    with wire.client(emu) as c:
        names = re.findall(r"<ServiceName>([^<]+)</ServiceName>", c.get("/services/hostedservices").text)
        for name in names:
            assert (
                c.get(f"/services/hostedservices/{name}", params={"embed-detail": "true"}).status_code == 200
            )
            assert cache.size <= cache.max_bytes
    assert 0 < len(cache) < len(names)


# -- faults: applied, answer lost; slow operation status ----------------------------------------------------


def test_lost_answer_fault_applies_the_change_and_drops_the_connection(emulator_factory: Any) -> None:
    emu = emulator_factory()
    emu.faults.lost_next = 1
    body = (
        '<CreateHostedService xmlns="http://schemas.microsoft.com/windowsazure"><ServiceName>lost-answer'
        "</ServiceName><Label>bG9zdA==</Label><Location>West US</Location></CreateHostedService>"
    )
    with wire.client(emu) as c:
        with pytest.raises(httpx.TransportError):
            c.post("/services/hostedservices", content=body, headers={"Content-Type": wire.XML})
        assert c.get("/services/hostedservices/lost-answer").status_code == 200  # it was applied
        again = c.post("/services/hostedservices", content=body, headers={"Content-Type": wire.XML})
        assert again.status_code == 409  # and a blind re-send would conflict


def test_operation_latency_fault_slows_only_operation_status(emulator_factory: Any) -> None:
    from smtui.emulator import Faults

    emu = emulator_factory(faults=Faults.parse("op-latency=60"))
    with wire.client(emu) as c:
        assert c.get("/services/hostedservices").status_code == 200
        with pytest.raises(httpx.TimeoutException):
            c.get("/operations/" + "0" * 32, timeout=1)


# -- data directory, files, command line ------------------------------------------------------------


def test_second_emulator_on_one_data_dir_names_the_running_one(emulator_factory: Any, tmp_path: Path) -> None:
    from smtui.emulator import Emulator

    first = emulator_factory(data_dir=tmp_path / "shared")
    second = Emulator(tmp_path / "shared", seed="empty")
    with pytest.raises(DataDirBusy) as caught:
        second.start()
    assert f"pid {os.getpid()}" in str(caught.value)
    assert f"port {first.port}" in str(caught.value)
    first.stop()
    second.start()  # free again once the first stopped
    second.stop()


def test_embedded_console_emulator_reuses_the_running_one(emulator_factory: Any, tmp_path: Path) -> None:
    from smtui.session import resolve_connection

    running = emulator_factory(data_dir=tmp_path / "shared")
    with resolve_connection("emulator", emulator_data=tmp_path / "shared") as conn:
        assert conn.host == running.host
        assert conn.subscription_id == running.subscription_id
        assert conn.is_emulator

        async def listed() -> int:
            async with conn.create_client() as client:
                answer = await client.list_hosted_services()
                assert answer.response is not None, answer.error
                return len(answer.response)

        import asyncio

        assert asyncio.run(listed()) == len(running.store.list("service", running.subscription_id))
    with wire.client(running) as c:  # closing the console's connection leaves the emulator running
        assert c.get("/locations").status_code == 200


def test_state_database_is_private(emulator: Any) -> None:
    for name in ("state.db", "state.db-wal", "state.db-shm"):
        path = emulator.data_dir / name
        if path.exists():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, name


def test_existing_world_readable_state_is_tightened(tmp_path: Path) -> None:
    from smtui.emulator.store import Store

    path = tmp_path / "state.db"
    Store(path).close()
    path.chmod(0o644)
    Store(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize("port", ["70000", "-5", "http"])
def test_out_of_range_port_is_a_usage_error(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    from smtui.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["emulator", "--port", port])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "--port" in err and "Traceback" not in err


@contextmanager
def _emulator_process(data_dir: Path, *args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    cmd = [sys.executable, "-m", "smtui", "emulator", "--port", "0", "--data-dir", str(data_dir), *args]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        out = ""
        while "Press Ctrl-C" not in out:
            line = proc.stdout.readline()
            if not line:
                assert proc.stderr is not None
                raise AssertionError(f"emulator exited: {out}{proc.stderr.read()}")
            out += line
            if "publishsettings :" in line:  # the file it names exists when the line is printed
                assert Path(line.split(":", 1)[1].strip()).is_file()
        yield proc, out
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def _certs(data_dir: Path, emulator_certs: Path) -> Path:
    import shutil

    shutil.copytree(emulator_certs, data_dir / "certs")
    return data_dir


def test_sigterm_exits_0_after_a_checkpoint(tmp_path: Path, emulator_certs: Path) -> None:
    data = _certs(tmp_path / "data", emulator_certs)
    with _emulator_process(data, "--seed", "empty") as (proc, _out):
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        assert proc.stderr is not None
        assert "Traceback" not in proc.stderr.read()
    wal = data / "state.db-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def test_second_command_line_emulator_fails_naming_the_first(tmp_path: Path, emulator_certs: Path) -> None:
    data = _certs(tmp_path / "data", emulator_certs)
    with _emulator_process(data, "--seed", "empty") as (proc, out):
        port = re.search(r"endpoint\s+: https://[^:]+:(\d+)", out)
        assert port is not None
        second = subprocess.run(
            [sys.executable, "-m", "smtui", "emulator", "--port", "0", "--data-dir", str(data)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 1
        assert f"pid {proc.pid}, port {port.group(1)}" in second.stderr
        assert len(second.stderr.strip().splitlines()) == 1
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def test_non_loopback_host_prints_a_warning(tmp_path: Path, emulator_certs: Path) -> None:
    data = _certs(tmp_path / "data", emulator_certs)
    with _emulator_process(data, "--seed", "empty", "--host", "0.0.0.0") as (proc, _out):
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        assert proc.stderr is not None
        assert "warning: listening on 0.0.0.0" in proc.stderr.read()


def test_new_faults_parse_from_the_command_line_spec() -> None:
    from smtui.emulator import Faults

    faults = Faults.parse("lost=0.5,op-latency=2")
    assert (faults.lost_rate, faults.operation_latency, faults.active) == (0.5, 2.0, True)
