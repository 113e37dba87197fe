"""The pending-operations file shared by the TUI (writer) and `smtui ls operations` (reader)."""

from __future__ import annotations

import json
import stat
import threading
from pathlib import Path

from smtui.profiles import operations_store as ops
from smtui.profiles.operations_store import PendingOperation


def _op(request_id: str, **kw: object) -> PendingOperation:
    values: dict[str, object] = {"operation": "ShutdownRoleInstance", "target": "svc/dep/vm1", **kw}
    return PendingOperation(request_id=request_id, **values)  # type: ignore[arg-type]


def test_file_is_a_json_list_in_the_data_dir(smtui_dirs: dict[str, Path]) -> None:
    ops.record_operation(_op("a" * 32, started_at="2024-01-02T03:04:05Z", profile="prod",
                             subscription_id="sub"))

    path = smtui_dirs["data"] / "operations.json"
    assert ops.operations_file() == path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text()) == [{
        "request_id": "a" * 32, "operation": "ShutdownRoleInstance", "target": "svc/dep/vm1",
        "started_at": "2024-01-02T03:04:05Z", "status": "InProgress", "profile": "prod",
        "subscription_id": "sub", "updated_at": None, "http_status_code": None, "error_code": None,
        "error_message": None,
    }]


def test_record_update_remove_and_pending() -> None:
    ops.record_operation(_op("1"))
    ops.record_operation(_op("2"))
    ops.record_operation(_op("1", target="replaced"))

    assert [(o.request_id, o.target) for o in ops.load_operations()] == [
        ("2", "svc/dep/vm1"), ("1", "replaced")]
    updated = ops.update_operation("2", status=ops.FAILED, http_status_code=409, error_code="ConflictError",
                                   error_message="busy")
    assert updated is not None and updated.updated_at is not None and not updated.is_pending
    assert [o.request_id for o in ops.pending_operations()] == ["1"]
    assert ops.update_operation("missing", status=ops.SUCCEEDED) is None
    assert ops.remove_operation("1") is True
    assert ops.remove_operation("1") is False
    assert [o.error_code for o in ops.load_operations()] == ["ConflictError"]


def test_started_at_defaults_to_utc_now() -> None:
    op = _op("x")
    assert op.started_at.endswith("Z") and "T" in op.started_at


def test_missing_corrupt_and_foreign_entries_do_not_break_reading(smtui_dirs: dict[str, Path]) -> None:
    assert ops.load_operations() == []
    path = ops.operations_file()
    path.parent.mkdir(parents=True)
    path.write_text("{broken")
    assert ops.load_operations() == []

    path.write_text(json.dumps([
        {"request_id": "ok", "operation": "Op", "target": "t", "started_at": "s", "status": "InProgress",
         "added_by_a_newer_smtui": 1},
        {"operation": "no id"},
        "not an object",
    ]))
    loaded = ops.load_operations()
    assert [o.request_id for o in loaded] == ["ok"]
    ops.update_operation("ok", status=ops.SUCCEEDED)
    assert json.loads(path.read_text())[0]["added_by_a_newer_smtui"] == 1


def test_prune_keeps_pending_and_newest_finished() -> None:
    for i in range(5):
        ops.record_operation(_op(f"done{i}", status=ops.SUCCEEDED))
    ops.record_operation(_op("pending"))

    assert ops.prune_operations(keep_finished=2) == 3
    assert [o.request_id for o in ops.load_operations()] == ["done3", "done4", "pending"]
    assert ops.prune_operations(keep_finished=2) == 0


def test_concurrent_writers_lose_nothing() -> None:
    def writer(prefix: str) -> None:
        for i in range(20):
            ops.record_operation(_op(f"{prefix}{i}"))

    threads = [threading.Thread(target=writer, args=(p,)) for p in "abc"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len(ops.load_operations()) == 60


def test_explicit_path(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere" / "ops.json"
    ops.save_operations([_op("p")], path)
    assert [o.request_id for o in ops.load_operations(path)] == ["p"]
