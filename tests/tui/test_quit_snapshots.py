"""SVG snapshots of the quit-with-pending prompt at 80x24, 120x40 and with NO_COLOR (issue 8 §5).

Update with ``pytest tests/tui/test_quit_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.tui.helpers import IDS, at_rest, connection_for, settle, wait_for

CASES = [
    pytest.param((80, 24), False, id="80x24"),
    pytest.param((120, 40), False, id="120x40"),
    pytest.param((80, 24), True, id="80x24-no-color"),
]


@pytest.mark.parametrize(("size", "no_color"), CASES)
def test_quit_with_pending_operation_prompt(
    frozen_emulator_for_changes: Any,
    make_app: Any,
    snap_compare: Any,
    size: Any,
    no_color: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    emu = frozen_emulator_for_changes
    app = make_app(emu, frozen=True)

    async def run(pilot: Any) -> None:
        await settle(app)(pilot)
        IDS.counter = 1000  # the shutdown's request id is the same in every run
        async with connection_for(emu).create_client() as client:
            response = await client.shutdown_role_instance("fabrikam-api", "fabrikam-api", "api01", "Stopped")
        assert response.status_code == 202, response.error
        app.track_operation(response.request_id, "ShutdownRoleInstance", "fabrikam-api/fabrikam-api/api01")
        await at_rest(pilot, app)
        await pilot.press("q")
        await wait_for(pilot, lambda: app.screen.id == "quit-pending", what="the quit prompt")
        app.clear_notifications()
        await at_rest(pilot, app)

    assert snap_compare(app, terminal_size=size, run_before=run)
