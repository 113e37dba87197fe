"""The start-up error screen's hints fit the failure: a plain-HTTP endpoint is not a certificate problem."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from smtui.profiles.connection import Connection
from smtui.tui.app import SmtuiApp
from smtui.tui.screens.startup_error import StartupErrorScreen
from tests.tui.helpers import wait_for


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("SMTUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")


@pytest.fixture
async def plain_http() -> AsyncIterator[str]:
    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1024)
        writer.write(b"HTTP/1.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer, "127.0.0.1", 0)
    yield f"127.0.0.1:{server.sockets[0].getsockname()[1]}"
    server.close()
    await server.wait_closed()


async def startup_error(connection: Connection, tmp_path: Path) -> StartupErrorScreen:
    app = SmtuiApp(connection=connection, refresh_interval=0, operations_file=tmp_path / "ops.json")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await wait_for(
            pilot,
            lambda: app.screen if isinstance(app.screen, StartupErrorScreen) else None,
            what="error screen",
        )
        assert isinstance(screen, StartupErrorScreen)
        return screen


async def test_a_plain_http_endpoint_is_explained_without_certificate_hints(
    emulator: Any, plain_http: str, tmp_path: Path
) -> None:
    connection = dataclasses.replace(Connection.to_emulator(emulator), host=plain_http)
    screen = await startup_error(connection, tmp_path)
    assert screen.error_title == f"{plain_http} does not speak HTTPS"
    assert not any("certificate" in hint.lower() for hint in screen.hints), screen.hints
    assert any("HTTPS only" in hint for hint in screen.hints)


async def test_an_untrusted_server_certificate_points_at_the_ca_file(emulator: Any, tmp_path: Path) -> None:
    connection = dataclasses.replace(Connection.to_emulator(emulator), ca_file=None)
    screen = await startup_error(connection, tmp_path)
    assert screen.error_title == f"The server certificate of {emulator.host} is not trusted"
    assert any("CA file" in hint for hint in screen.hints)
