"""Hostile conditions for the audit log: unwritable data dir, torn and foreign lines."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from smtui.profiles import audit
from smtui.profiles.connection import Connection


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SMTUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SMTUI_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path / "data"


@pytest.mark.asyncio
async def test_an_unwritable_log_does_not_fail_the_request(
    emulator: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A data dir that cannot be created or written, whoever runs the test (root writes through any
    # file mode, but not below a regular file).
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("SMTUI_DATA_DIR", str(blocker / "data"))
    async with Connection.to_emulator(emulator).create_client() as client:
        name = f"h-{uuid.uuid4().hex[:6]}"
        response = await client.create_hosted_service(name, {"Location": "West US"})
    assert response.is_successful


@pytest.mark.asyncio
async def test_an_audit_path_that_is_a_directory_does_not_fail_the_request(
    emulator: Any, _data_dir: Path
) -> None:
    (_data_dir / audit.FILE_NAME).mkdir(parents=True)  # open() fails with IsADirectoryError (OSError)
    async with Connection.to_emulator(emulator).create_client() as client:
        response = await client.create_hosted_service(f"h-{uuid.uuid4().hex[:6]}", {"Location": "West US"})
    assert response.is_successful


@pytest.mark.asyncio
async def test_an_observer_that_raises_does_not_fail_the_request(emulator: Any) -> None:
    client = Connection.to_emulator(emulator).create_client(audit=False)

    def broken(request: Any, response: Any) -> None:
        raise RuntimeError("observer bug")

    client.on_mutation = broken
    async with client:
        response = await client.create_hosted_service(f"h-{uuid.uuid4().hex[:6]}", {"Location": "West US"})
    assert response.is_successful


def test_torn_binary_and_foreign_lines_are_skipped(_data_dir: Path) -> None:
    good = audit.AuditEntry("2026-01-01T00:00:00Z", "u@h", None, "sub", "Op", "POST", "/p", "t", "rid")
    audit.record(good)
    with audit.audit_file().open("ab") as fh:
        fh.write(b'{"kind": "request", "time": "2026\n')  # torn by a crash
        fh.write(b"\xff\xfe garbage\n[1, 2]\n\"text\"\n")
        fh.write(b'{"kind": "request", "unexpected": 1}\n')  # missing fields
        fh.write(b'{"kind": "status", "request_id": "rid", "status": "Succeeded", "http_status": "x"}\n')
    audit.record(audit.AuditEntry(**{**good.to_json(), "request_id": "rid2"}))
    entries = audit.read_entries()
    assert [e.request_id for e in entries] == ["rid", "rid2"]
    assert entries[0].status == "Succeeded"
