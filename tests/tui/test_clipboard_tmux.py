"""Copy (``y``, ``Y``, ``c``/``C`` in storage keys) reaches the outer terminal inside tmux (issue 8 §5).

With tmux's default settings (``set-clipboard external``, ``allow-passthrough off``) tmux drops
both a bare OSC 52 and a DCS-wrapped one written by an application; ``tmux load-buffer -w -``
makes tmux write OSC 52 to its own client's terminal. The tmux tests run a private tmux server
(defaults: ``-f /dev/null``) whose client sits on a pseudo-terminal we read: what arrives there is
what the user's terminal would get.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from smtui.tui import clipboard
from smtui.tui.nodes import Kind
from tests.tui.helpers import wait_for

PAYLOAD = base64.b64encode(b"contoso-web").decode()
BARE = f"\x1b]52;c;{PAYLOAD}\a"
WRAPPED = f"\x1bPtmux;\x1b\x1b]52;c;{PAYLOAD}\a\x1b\\"


class Recorder:
    """Stands in for ``subprocess.run``: records the command and answers with ``returncode``."""

    def __init__(self, returncode: int = 0, raises: Exception | None = None) -> None:
        self.calls: list[tuple[list[str], bytes]] = []
        self.returncode = returncode
        self.raises = raises

    def __call__(self, args: list[str], **kw: Any) -> Any:
        self.calls.append((args, kw["input"]))
        if self.raises is not None:
            raise self.raises
        return subprocess.CompletedProcess(args, self.returncode, b"", b"")


# ----------------------------------------------------------------------------- what is written


def test_outside_tmux_a_bare_osc52_is_written() -> None:
    written: list[str] = []
    run = Recorder()
    assert clipboard.copy("contoso-web", written.append, {"TERM": "xterm-256color"}, run) == "osc52"
    assert written == [BARE] and run.calls == []


def test_inside_tmux_tmux_itself_sets_the_clipboard() -> None:
    written: list[str] = []
    run = Recorder()
    assert clipboard.copy("contoso-web", written.append, {"TMUX": "/tmp/tmux-0/default,1,0"}, run) == "tmux"
    assert run.calls == [(["tmux", "load-buffer", "-w", "-"], b"contoso-web")]
    assert written == []


@pytest.mark.parametrize("run", [Recorder(returncode=1), Recorder(raises=FileNotFoundError("tmux"))])
def test_inside_tmux_without_load_buffer_both_sequences_are_written(run: Recorder) -> None:
    written: list[str] = []
    assert clipboard.copy("contoso-web", written.append, {"TMUX": "/tmp/tmux-0/default,1,0"}, run) == "osc52"
    assert written == [BARE + WRAPPED]


# ----------------------------------------------------------------------------- a real tmux


@dataclass
class TmuxClient:
    """A private tmux server with one attached client on a pseudo-terminal."""

    socket: Path
    env_value: str
    output: bytearray = field(default_factory=bytearray)

    def received(self) -> bytes:
        return bytes(self.output)


@pytest.fixture
def tmux_client(tmp_path: Path) -> Iterator[TmuxClient]:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    sock = tmp_path / "tmux.sock"
    master, slave = os.openpty()
    env = {k: v for k, v in os.environ.items() if k != "TMUX"} | {"TERM": "xterm-256color"}
    proc = subprocess.Popen(
        ["tmux", "-S", str(sock), "-f", "/dev/null", "new-session", "-x", "80", "-y", "24", "sleep 120"],
        stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
    )  # fmt: skip
    os.close(slave)
    client = TmuxClient(sock, "")
    stop = threading.Event()

    def pump() -> None:
        while not stop.is_set():
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            client.output.extend(data)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 20
        while True:
            clients = subprocess.run(
                ["tmux", "-S", str(sock), "list-clients"], capture_output=True, text=True, check=False
            )
            if clients.stdout.strip():
                break
            assert time.monotonic() < deadline, "the tmux client did not attach"
            time.sleep(0.05)
        pid = subprocess.run(
            ["tmux", "-S", str(sock), "display-message", "-p", "#{pid}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        client.env_value = f"{sock},{pid},0"
        yield client
    finally:
        subprocess.run(["tmux", "-S", str(sock), "kill-server"], capture_output=True, check=False)
        stop.set()
        proc.wait(timeout=10)
        os.close(master)
        reader.join(timeout=5)


def wait_received(client: TmuxClient, needle: bytes, timeout: float = 10.0) -> bytes:
    deadline = time.monotonic() + timeout
    while needle not in client.received():
        assert time.monotonic() < deadline, f"{needle!r} never reached the outer terminal"
        time.sleep(0.05)
    return client.received()


def test_copy_reaches_the_outer_terminal_through_tmux_with_default_settings(tmux_client: TmuxClient) -> None:
    written: list[str] = []
    env = {**os.environ, "TMUX": tmux_client.env_value}
    assert clipboard.copy("contoso-web", written.append, env) == "tmux"
    # tmux writes the selection itself (its own OSC 52 form: no "c" selection letter).
    wait_received(tmux_client, f"\x1b]52;;{PAYLOAD}".encode())
    assert written == []


async def test_y_in_the_console_inside_tmux_reaches_the_outer_terminal(
    tmux_client: TmuxClient, demo_emulator: Any, make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TMUX", tmux_client.env_value)
    app = make_app(demo_emulator)
    async with app.run_test(size=(100, 30)) as pilot:
        browse_loaded = lambda: app.browse is not None and "service/contoso-web" in app.browse.items  # noqa: E731
        await wait_for(pilot, browse_loaded, what="the services list")
        assert app.browse.current.kind is Kind.SERVICES
        await pilot.press("y")
        await wait_for(
            pilot, lambda: f"\x1b]52;;{PAYLOAD}".encode() in tmux_client.received(), what="OSC 52 from tmux"
        )
        assert app.clipboard == "contoso-web"
