"""The composition root (smtui.session) builds the console the way `smtui` does: its embedded
emulator runs in a child process started before Textual, or is the one already serving the data
directory; quitting stops only an emulator the console started."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from smtui.emulator.dirlock import read_holder
from smtui.session import build_app
from smtui.tui.nodes import Kind, category
from tests.tui.helpers import wait_for


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def _first_rows(app: Any, pilot: Any) -> None:
    services = category(Kind.SERVICES).key
    await wait_for(pilot, lambda: app.browse is not None and services in app.browse.listings, 60, "services")


async def test_the_console_runs_its_emulator_in_a_child_process_and_stops_it_on_quit(
    tmp_path: Path, emulator_certs: Path
) -> None:
    data = tmp_path / "embedded"
    shutil.copytree(emulator_certs, data / "certs")  # no key generation in the test
    app = build_app(emulator_data=data, refresh_interval=0, operations_file=tmp_path / "ops.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await _first_rows(app, pilot)
        holder = read_holder(data)
        assert holder is not None and holder.pid != os.getpid() and _alive(holder.pid)
        assert app.connection is not None and app.connection.is_emulator
        assert app.connection.host == holder.host
        assert app.connection.subscription_name is None  # the header reads as with an in-process one
        assert app.browse is not None and app.browse.listings[category(Kind.SERVICES).key].items  # demo seed
        await pilot.press("q")
        await wait_for(pilot, lambda: app.return_code is not None, what="the app to exit")
    # The child checkpointed, released the directory and exited before the console returned.
    assert read_holder(data) is None
    assert not _alive(holder.pid)


async def test_the_console_shares_the_emulator_already_serving_its_data_dir(
    emulator_factory: Any, tmp_path: Path
) -> None:
    running = emulator_factory(data_dir=tmp_path / "shared", seed="demo")
    shared = tmp_path / "shared"
    app = build_app(emulator_data=shared, refresh_interval=0, operations_file=tmp_path / "ops.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await _first_rows(app, pilot)
        assert app.connection is not None
        assert app.connection.host == running.host
        assert app.connection.subscription_id == running.subscription_id
        await pilot.press("q")
        await wait_for(pilot, lambda: app.return_code is not None, what="the app to exit")
    # Not the console's to stop: the running emulator still answers.
    holder = read_holder(tmp_path / "shared")
    assert holder is not None and holder.host == running.host
