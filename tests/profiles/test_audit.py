"""The audit log's file and entries (issue 12 §3), with real requests to the emulator over mTLS."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import uuid
from pathlib import Path
from typing import Any

from smtui.profiles import audit
from smtui.profiles.connection import Connection

SECRET = "Audit!Secret-42"


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:6]}"


async def test_mutating_requests_are_logged_reads_are_not(emulator: Any, smtui_dirs: dict[str, Path]) -> None:
    name = _name("audited")
    async with Connection.to_emulator(emulator).create_client() as client:
        assert (await client.list_hosted_services()).is_successful
        created = await client.create_hosted_service(name, {"Location": "West US", "Label": SECRET})
        assert created.is_successful
        again = await client.create_hosted_service(name, {"Location": "West US"})
        assert again.status_code == 409
        deleted = await client.delete_hosted_service(name)
        assert deleted.is_successful
    entries = audit.read_entries()
    assert [(e.operation, e.method, e.status) for e in entries] == [
        ("CreateHostedService", "POST", audit.SUCCEEDED),
        ("CreateHostedService", "POST", audit.FAILED),
        ("DeleteHostedService", "DELETE", audit.SUCCEEDED),  # synchronous (200)
    ]
    first, refused, delete = entries
    assert first.http_status == 201 and first.request_id == created.request_id
    assert first.subscription_id == emulator.subscription_id and first.profile is None
    assert first.path == "/services/hostedservices" and first.host == emulator.host
    assert refused.error is not None and refused.error.startswith("ConflictError")
    assert delete.target == name and delete.path == f"/services/hostedservices/{name}"
    file = audit.audit_file()
    assert file.parent == smtui_dirs["data"]
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert SECRET not in file.read_text()  # the body (here the label) is never written


async def test_audit_can_be_turned_off_per_client(emulator: Any) -> None:
    async with Connection.to_emulator(emulator).create_client(audit=False) as client:
        assert (await client.create_hosted_service(_name("quiet"), {"Location": "West US"})).is_successful
    assert audit.read_entries() == []


def test_final_status_is_merged_into_its_entry(tmp_path: Path) -> None:
    path = tmp_path / "audit.jsonl"
    entry = audit.AuditEntry(
        time="2026-01-01T10:00:00Z", user_host="op@jump", profile="prod", subscription_id="sub",
        operation="ShutdownRoleInstance", method="POST", path="/services/hostedservices/a/x",
        target="a", request_id="rid-1",
    )  # fmt: skip
    audit.record(entry, path)
    audit.record(audit.AuditEntry(**{**entry.to_json(), "request_id": "rid-2", "operation": "Other"}), path)
    audit.record_status("rid-1", audit.FAILED, http_status=409, error="ConflictError: busy", path=path)
    audit.record_status("unknown", audit.SUCCEEDED, path=path)  # a pasted id: no entry, ignored
    first, second = audit.read_entries(path)
    assert (first.status, first.http_status, first.error) == (audit.FAILED, 409, "ConflictError: busy")
    assert first.finished is not None
    assert second.status == audit.IN_PROGRESS


def test_filters_by_profile_operation_and_time() -> None:
    def entry(profile: str | None, operation: str, time: str) -> audit.AuditEntry:
        return audit.AuditEntry(time, "u@h", profile, "sub", operation, "POST", "/p", "t")

    entries = [
        entry("prod", "CreateHostedService", "2026-01-01T10:00:00Z"),
        entry(None, "ShutdownRoleInstance", "2026-01-02T10:00:00Z"),
        entry("dev", "ShutdownRoleInstance", "2026-01-03T10:00:00Z"),
    ]
    assert [e.profile for e in audit.filter_entries(entries, profiles=["emulator", "DEV"])] == [None, "dev"]
    assert len(audit.filter_entries(entries, operation="shutdown")) == 2
    since = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    until = dt.datetime(2026, 1, 3, tzinfo=dt.UTC)
    assert [e.profile for e in audit.filter_entries(entries, since=since, until=until)] == [None]


def test_target_of_a_path() -> None:
    assert audit.target_of("/services/hostedservices/web/deployments/prod/roleinstances/vm1/Operations") == (
        "web/prod/vm1"
    )
    assert audit.target_of("/services/hostedservices/web/deployments/prod/roles/vm1/DataDisks/0") == (
        "web/prod/vm1/0"
    )
    assert audit.target_of("/services/images/my%20image?comp=media") == "my image"


def test_observer_appends_one_line_per_request(tmp_path: Path) -> None:
    class Request:
        operation, method, path, is_async = "DeleteDisk", "DELETE", "/services/disks/d1", False
        path_and_query = "/services/disks/d1?comp=media"
        body = SECRET.encode()

    class Response:
        is_successful, status_code, request_id, error = True, 200, "rid", None

    path = tmp_path / "audit.jsonl"
    observer = audit.AuditObserver(profile="prod", subscription_id="sub", host="h", path=path)
    observer(Request(), Response())
    (line,) = path.read_text().splitlines()
    data = json.loads(line)
    assert data["kind"] == "request" and data["status"] == audit.SUCCEEDED and data["target"] == "d1"
    assert SECRET not in line
    assert os.stat(path).st_mode & 0o077 == 0
