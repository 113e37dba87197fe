"""SVG snapshots of a form (focused field, checked and unchecked boxes) and of "Discard changes?",
at 80x24 and 120x40 and with NO_COLOR: focus and checkbox state must read without colours.

Update with ``pytest tests/tui/test_form_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from typing import Any

import pytest

from smtui.forms.values import CaptureValues, ProvisioningValues
from smtui.tui.dialogs.hosted_service import CreateHostedServiceDialog
from smtui.tui.dialogs.images import CaptureDialog
from tests.tui.helpers import DialogApp

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


def capture_form() -> CaptureDialog:
    values = CaptureValues(
        post_capture_action="Reprovision",
        target_image_name="web01-image",
        provisioning=ProvisioningValues(
            os="Windows",
            host_name="web01",
            user_name="operator",
            reset_password_on_first_logon=True,
            enable_automatic_updates=False,
        ),
    )
    return CaptureDialog("web01", os="Windows", values=values)


def hosted_service_form() -> CreateHostedServiceDialog:
    return CreateHostedServiceDialog([("West US", "West US"), ("East US", "East US")])


async def focus_the_image_name(pilot: Any) -> None:
    await pilot.press("tab")  # from "After capture" to "Target image name"
    await pilot.pause()


async def type_then_escape(pilot: Any) -> None:
    await pilot.press(*"web-prod", "tab", *"Web", "escape")
    await pilot.pause()


@pytest.fixture(params=["colour", "no-color"])
def colours(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "no-color":
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    return str(request.param)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_form_with_focus_and_checkboxes(snap_compare: Any, size: str, colours: str) -> None:
    assert snap_compare(DialogApp(capture_form), terminal_size=SIZES[size], run_before=focus_the_image_name)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_discard_changes_prompt(snap_compare: Any, size: str, colours: str) -> None:
    app = DialogApp(hosted_service_form)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=type_then_escape)
