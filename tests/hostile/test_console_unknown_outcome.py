"""The console and a create whose answer is lost: shown as unknown, checked by a refresh, never re-sent."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from smtui.profiles.connection import Connection
from smtui.tui.app import SmtuiApp
from smtui.tui.dialogs.hosted_service import CreateHostedServiceDialog
from smtui.tui.nodes import Kind, category
from smtui.tui.operations_tracker import UNKNOWN
from smtui.tui.screens.prompt import DiscardChangesScreen
from tests.hostile.lossy_proxy import LossyProxy
from tests.tui.helpers import fill, open_preview, screen_text, unique, wait_for, wait_screen


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("SMTUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


@pytest.fixture
async def proxy(emulator: Any) -> AsyncIterator[LossyProxy]:
    lossy = await LossyProxy(
        emulator, lambda method, path: method == "POST" and "hostedservices" in path
    ).start()
    yield lossy
    await lossy.stop()


async def test_a_lost_create_is_shown_as_unknown_and_never_re_sent(
    emulator: Any, proxy: LossyProxy, tmp_path: Path
) -> None:
    service = unique("lost")
    connection = dataclasses.replace(Connection.to_emulator(emulator), host=proxy.hostport)
    app = SmtuiApp(
        connection=connection, refresh_interval=0, operations_file=tmp_path / "ops.json", user_host="t@h"
    )
    services = category(Kind.SERVICES).key
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.browse is not None and services in app.browse.listings, what="list")
        await pilot.press("c")
        dialog = await wait_screen(pilot, app, CreateHostedServiceDialog)
        await fill(pilot, dialog, "service_name", service)
        await open_preview(pilot, app)
        await pilot.press("enter")

        assert app.tracker is not None
        tracker = app.tracker
        op = await wait_for(
            pilot,
            lambda: next((o for o in tracker.operations.values() if o.status == UNKNOWN), None),
            what="an operation of unknown outcome",
        )
        assert op.operation == "CreateHostedService" and service in op.target
        assert not op.is_pending  # nothing to poll, nothing to re-send
        # The console checks by refreshing the list (a GET), which shows the create was applied.
        browse = app.browse
        assert browse is not None
        await wait_for(pilot, lambda: f"service/{service}" in browse.items, what="the refreshed list")
        # The form stays open with the lost answer explained; closing it shows the sidebar entry.
        assert "may or may not have been applied" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: "answer lost" in screen_text(app), what="the sidebar entry")
        # A refresh after closing the form is a barrier: a re-send started before it is seen before it.
        await wait_screen(pilot, app, DiscardChangesScreen)
        gets = sum(1 for seen in proxy.seen if seen[0] == "GET")
        await pilot.press("y")  # "Discard changes?": the form closes
        await wait_for(pilot, lambda: app.screen is browse, what="back on the list")
        await pilot.press("r")
        await wait_for(pilot, lambda: sum(1 for s in proxy.seen if s[0] == "GET") > gets, what="a refresh")
        posts = [seen for seen in proxy.seen if seen[0] == "POST"]
        assert len(posts) == 1, posts
