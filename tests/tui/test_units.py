"""Pure pieces of the console: table model, column fitting, OSC 52, operation backoff, masking."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from smtui.tui.clipboard import MAX_OSC52_BYTES, ClipboardTooLarge, osc52_sequence
from smtui.tui.operations_tracker import MAX_DELAY, OperationsTracker
from smtui.tui.properties import mask, properties
from smtui.tui.table_model import Column, RowFilter, TableModel, TableRow
from smtui.tui.widgets.big_table import MIN_WIDTH, fit_widths

COLUMNS = [Column("name", "Name"), Column("status", "Status"), Column("size", "GB", numeric=True)]


def model(rows: list[tuple[str, str, str]]) -> TableModel:
    m = TableModel(COLUMNS)
    m.set_rows(TableRow(r[0], r) for r in rows)
    return m


def test_filter_syntax() -> None:
    m = model([("web", "ReadyRole", "30"), ("db", "StoppedVM", "1023"), ("api", "ReadyRole", "127")])
    m.set_filter("ready")
    assert [r.key for r in m.view] == ["web", "api"]
    m.set_filter("!ready")
    assert [r.key for r in m.view] == ["db"]
    m.set_filter("name:a")
    assert [r.key for r in m.view] == ["api"]
    m.set_filter("status:stopped")
    assert [r.key for r in m.view] == ["db"]
    assert RowFilter.parse("   ", COLUMNS) is None
    assert RowFilter.parse("nosuch:x", COLUMNS) == RowFilter("nosuch:x")


def test_numeric_sort_and_index_by_key() -> None:
    m = model([("web", "a", "30"), ("db", "b", "1023"), ("api", "c", "127")])
    m.sort_by("size")
    assert [r.key for r in m.view] == ["web", "api", "db"]  # 30 < 127 < 1023, not as text
    m.sort_by("size", reverse=True)
    assert m.index_of("web") == 2
    m.sort_by(None)
    assert [r.key for r in m.view] == ["web", "db", "api"]


def test_fit_widths_shrinks_the_widest_first() -> None:
    assert fit_widths([10, 40, 8], 100) == [10, 40, 8]
    fitted = fit_widths([10, 40, 8], 40)
    assert sum(fitted) + 2 * 2 <= 40 and fitted[0] == 10 and fitted[2] == 8
    assert fit_widths([30, 30], 4) == [MIN_WIDTH, MIN_WIDTH]


def test_osc52_is_wrapped_for_tmux_and_screen() -> None:
    payload = base64.b64encode(b"contoso-web").decode()
    assert osc52_sequence("contoso-web", {}) == f"\x1b]52;c;{payload}\a"
    tmux = osc52_sequence("contoso-web", {"TMUX": "/tmp/tmux-0/default,1,0"})
    assert tmux == f"\x1bPtmux;\x1b\x1b]52;c;{payload}\a\x1b\\"
    assert osc52_sequence("x", {"TERM": "screen-256color"}).startswith("\x1bP\x1b]52;")
    with pytest.raises(ClipboardTooLarge):
        osc52_sequence("x" * MAX_OSC52_BYTES, {})


class Status:
    def __init__(self, status: str, code: str | None = None) -> None:
        self.status = status
        self.http_status_code = 200 if status == "Succeeded" else 409
        self.error = None if code is None else type("E", (), {"code": code, "message": "boom"})()


class Reply:
    def __init__(self, status: Any = None, status_code: int = 200) -> None:
        self.response = status
        self.status_code = status_code
        self.is_successful = status_code == 200
        self.error = None if self.is_successful else type("E", (), {"code": "ServerBusy", "message": "x"})()


def test_tracker_backs_off_and_finishes(tmp_path: Any) -> None:
    now = [0.0]
    tracker = OperationsTracker(
        "sub", store_path=tmp_path / "ops.json", mono=lambda: now[0], wall=lambda: 100.0
    )
    op = tracker.add("abc", "ShutdownRoleInstance", "svc/dep/vm")
    assert tracker.due() == [] and tracker.next_wait() == pytest.approx(1.0)
    delays = []
    for _ in range(8):
        now[0] = op.next_poll
        assert tracker.due() == [op]
        assert tracker.apply("abc", Reply(Status("InProgress"))) is None
        delays.append(op.next_poll - now[0])
    # 1 s after each of the first polls, then x1.6 per poll that finds it still running, capped at 15 s
    assert delays == pytest.approx([1.0, 1.6, 2.56, 4.096, 6.5536, 10.48576, MAX_DELAY, MAX_DELAY])
    now[0] = op.next_poll
    assert tracker.apply("abc", Reply(status_code=503)) is None and op.is_pending  # a failed poll retries
    done = tracker.apply("abc", Reply(Status("Failed", "ConflictError")))
    assert done is op and op.status == "Failed" and op.error_code == "ConflictError"
    assert tracker.next_wait() is None


def test_secrets_are_masked_in_properties() -> None:
    from smtui.api import models

    keys = models.StorageAccountKeys(
        url="https://x", storage_service_keys=models.StorageServiceKeys(primary="A" * 40, secondary="B" * 40)
    )
    rows = dict(properties(keys))
    assert "A" * 40 not in str(rows) and rows["  primary"] == mask("A" * 40)
    assert dict(properties(keys, reveal=True))["  primary"] == "A" * 40
    linux = models.LinuxProvisioningConfiguration(host_name="h", user_name="u", user_password="Secret123!")
    assert "Secret123!" not in str(properties(linux, reveal=True))


def test_raw_view_masks_keys_even_when_the_body_does_not_parse() -> None:
    from types import SimpleNamespace

    from smtui.tui.nodes import Source
    from smtui.tui.properties import raw_text

    key = "K" * 86 + "=="
    broken = f"<StorageService><StorageServiceKeys><Primary>{key}</Primary><Secondary>{key}</Secondary>"
    for body in (broken, '{"StorageServiceKeys": {"Primary": "' + key + '"'):
        text, _lexer = raw_text(Source(SimpleNamespace(body=body.encode())))
        assert key not in text, text
        shown, _ = raw_text(Source(SimpleNamespace(body=body.encode())), reveal_keys=True)
        assert key in shown
