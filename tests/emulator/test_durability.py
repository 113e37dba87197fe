"""Restart durability: ``kill -9`` the ``smtui emulator`` process mid-operation, restart, nothing is lost."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from tests.emulator import wire
from tests.emulator.wire import NS, UBUNTU


@contextmanager
def emulator_process(data_dir: Path, speed: float) -> Iterator[tuple[subprocess.Popen[str], Any]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "smtui", "emulator", "--port", "0", "--data-dir", str(data_dir)]
        + ["--speed", str(speed), "--seed", "empty"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    try:
        lines: list[str] = []
        deadline = time.monotonic() + 20
        assert proc.stdout is not None
        while not any(line.startswith("Press Ctrl-C") for line in lines):
            assert time.monotonic() < deadline and proc.poll() is None, "".join(lines)
            lines.append(proc.stdout.readline())
        out = "".join(lines)
        sub = re.search(r"subscription id : (\S+)", out)
        url = re.search(r"endpoint        : (\S+)", out)
        assert sub and url, out
        certs = data_dir / "certs"
        emu = SimpleNamespace(
            subscription_id=sub.group(1),
            base_url=url.group(1),
            ca_file=certs / "ca.pem",
            client_cert=certs / "management.pem",
            client_key=certs / "management.key",
        )
        yield proc, emu
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_kill_9_mid_operation_then_restart(tmp_path: Path, emulator_certs: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(emulator_certs, data / "certs")
    with emulator_process(data, speed=4) as (proc, emu), wire.client(emu) as c:
        wire.create_storage(c)
        assert wire.create_service(c, "durable-svc").status_code == 201
        r = c.post(
            "/services/hostedservices/durable-svc/deployments",
            content=wire.linux_deployment("durable-svc", "vm1", image=UBUNTU),
            headers={"Content-Type": wire.XML},
        )
        assert r.status_code == 202
        op_id = r.headers["x-ms-request-id"]
        assert wire.text(wire.xml(c.get(f"/operations/{op_id}")), "Status") == "InProgress"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    with emulator_process(data, speed=4) as (_proc, emu), wire.client(emu) as c:
        assert c.get("/services/hostedservices/durable-svc").status_code == 200
        dep = wire.xml(c.get("/services/hostedservices/durable-svc/deployments/durable-svc"))
        assert wire.text(dep, "RoleList/Role/RoleName") == "vm1"
        done = wire.wait_op(c, op_id)
        assert wire.text(done, "Status") == "Succeeded"
        deadline = time.monotonic() + 15
        while True:
            dep = wire.xml(c.get("/services/hostedservices/durable-svc/deployments/durable-svc"))
            if dep.findtext(f"{NS}RoleInstanceList/{NS}RoleInstance/{NS}InstanceStatus") == "ReadyRole":
                break
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert wire.text(dep, "Status") == "Running"
        disks = c.get("/services/disks").content
        assert disks.count(b"<Disk>") == 1  # the OS disk registered before the crash, exactly once
