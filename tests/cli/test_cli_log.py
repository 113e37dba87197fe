"""`smtui log` prints the audit log: filters, --json, the table, and no Textual import."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from smtui_profile_support import RunSmtui

from smtui.cli import main
from smtui.commands.log import parse_when
from smtui.profiles import audit


def _entry(profile: str | None, operation: str, time: str, rid: str, **kw: Any) -> audit.AuditEntry:
    return audit.AuditEntry(
        time=time, user_host="op@jump", profile=profile, subscription_id=f"sub-{profile}",
        operation=operation, method="POST", path=f"/services/hostedservices/{rid}", target=rid,
        request_id=rid, **kw,
    )  # fmt: skip


@pytest.fixture
def logged() -> None:
    audit.record(_entry("prod", "CreateHostedService", "2026-01-01T10:00:00Z", "r1", http_status=201))
    audit.record(_entry(None, "ShutdownRoleInstance", "2026-01-02T10:00:00Z", "r2", http_status=202))
    audit.record(_entry("dev", "DeleteHostedService", "2026-01-03T10:00:00Z", "r3", http_status=409,
                        status="Failed", error="ConflictError: has deployments"))  # fmt: skip
    audit.record_status("r2", "Succeeded", http_status=200)


def _json_lines(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict[str, Any]]:
    assert main(["log", "--json", *args]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


@pytest.mark.usefixtures("logged")
def test_json_has_every_entry_with_final_status(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _json_lines(capsys)
    assert [r["request_id"] for r in rows] == ["r1", "r2", "r3"]
    assert rows[1]["status"] == "Succeeded" and rows[1]["finished"]
    assert rows[2]["error"] == "ConflictError: has deployments"
    assert set(rows[0]) >= {"time", "user_host", "profile", "subscription_id", "operation", "method",
                            "path", "target", "request_id", "status", "error"}  # fmt: skip


@pytest.mark.usefixtures("logged")
def test_filters(capsys: pytest.CaptureFixture[str]) -> None:
    assert [r["request_id"] for r in _json_lines(capsys, "--profile", "prod")] == ["r1"]
    assert [r["request_id"] for r in _json_lines(capsys, "--profile", "emulator", "--profile", "dev")] == [
        "r2", "r3",
    ]  # fmt: skip
    assert [r["request_id"] for r in _json_lines(capsys, "--operation", "hostedservice")] == ["r1", "r3"]
    assert [r["request_id"] for r in _json_lines(capsys, "--since", "2026-01-02")] == ["r2", "r3"]
    assert [r["request_id"] for r in _json_lines(capsys, "--until", "2026-01-02T00:00:00Z")] == ["r1"]
    assert [r["request_id"] for r in _json_lines(capsys, "--limit", "1")] == ["r3"]
    # the global option works too
    assert main(["--profile", "dev", "log", "--json"]) == 0
    assert [json.loads(x)["request_id"] for x in capsys.readouterr().out.splitlines()] == ["r3"]


@pytest.mark.usefixtures("logged")
def test_table_for_humans(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["log"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:4] == ["TIME", "USER@HOST", "PROFILE", "OPERATION"]
    assert "Failed (409)" in lines[3] and "ConflictError: has deployments" in lines[3]
    assert "emulator" in lines[2] and "Succeeded (200)" in lines[2]


def test_empty_log(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["log"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "no audit entries" in captured.err
    assert main(["log", "--json"]) == 0 and capsys.readouterr().out == ""


def test_bad_time_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["log", "--since", "yesterday-ish"])
    assert exc.value.code == 2
    assert "not a time" in capsys.readouterr().err


def test_relative_times() -> None:
    now = dt.datetime(2026, 1, 10, 12, 0, tzinfo=dt.UTC)
    assert parse_when("90m", now) == now - dt.timedelta(minutes=90)
    assert parse_when("2d", now) == now - dt.timedelta(days=2)


@pytest.mark.usefixtures("logged")
def test_runs_without_textual(run_smtui: RunSmtui) -> None:
    result = run_smtui("log", "--json", "--operation", "shutdown")
    assert result.returncode == 0, result.stderr
    assert [json.loads(x)["request_id"] for x in result.stdout.splitlines()] == ["r2"]
    assert "textual" not in result.modules
