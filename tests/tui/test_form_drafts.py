"""Nothing typed is lost: "Discard changes?" on Esc / Cancel, session drafts, failed sends keep the form."""

from __future__ import annotations

from typing import Any

from textual.widgets import Button, Input

from smtui.tui.dialogs.confirm import ConfirmDialog, Confirmed
from smtui.tui.dialogs.hosted_service import CreateHostedServiceDialog
from smtui.tui.dialogs.preview import RequestPreviewDialog
from smtui.tui.dialogs.vm_role import EndpointRow
from smtui.tui.screens.profile_form import ProfileForm
from smtui.tui.screens.prompt import DiscardChangesScreen
from tests.tui.helpers import SECRET, FakePreview, FakeResponse, Host, builder, push, wait_for
from tests.tui.keyboard import burst


def hosted(**kw: Any) -> CreateHostedServiceDialog:
    return CreateHostedServiceDialog([("West US", "West US")], **kw)


def draft_offered(dialog: Any) -> bool:
    return bool(dialog.query_one("#draft-offer").has_class("-visible"))


async def test_a_pristine_form_closes_at_once() -> None:
    async with Host().run_test() as pilot:
        await push(pilot, hosted())
        await pilot.press("escape")
        assert pilot.app.results == [None]
        assert not isinstance(pilot.app.screen, DiscardChangesScreen)


async def test_esc_with_changes_asks_and_back_keeps_focus_and_values() -> None:
    async with Host().run_test() as pilot:
        dialog = await push(pilot, hosted())
        await burst(pilot, "name-a", "tab", "Label A")
        label = dialog.field("label").control
        for back in ("escape", "n"):
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(pilot.app.screen, DiscardChangesScreen), what="prompt")
            await pilot.press(back)
            await wait_for(pilot, lambda: pilot.app.screen is dialog, what="back in the form")
            assert pilot.app.focused is label
            assert (dialog.value("service_name"), dialog.value("label")) == ("name-a", "Label A")
        assert pilot.app.results == []
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, DiscardChangesScreen), what="prompt")
        await pilot.press("enter")
        await wait_for(pilot, lambda: pilot.app.results == [None], what="closed")


async def test_cancel_button_asks_too_and_y_discards() -> None:
    async with Host().run_test() as pilot:
        dialog = await push(pilot, hosted())
        await burst(pilot, "x")
        await pilot.click("#cancel")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, DiscardChangesScreen), what="prompt")
        await pilot.press("y")
        await wait_for(pilot, lambda: pilot.app.results == [None], what="closed")
        assert not dialog.is_attached


async def test_esc_then_y_in_one_burst_discards_in_order() -> None:
    """The prompt opens before the ``y`` that follows Esc is routed, so ``y`` answers it."""
    async with Host().run_test() as pilot:
        await push(pilot, hosted())
        await burst(pilot, "abc", "escape", "y")
        await wait_for(pilot, lambda: pilot.app.results == [None], what="closed")
        again = await push(pilot, hosted())
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: again.value("service_name") == "abc", what="the draft, all of it")


async def test_reopening_offers_the_draft_without_passwords_and_rows_come_back() -> None:
    async with Host().run_test(size=(120, 40)) as pilot:
        first = await push(pilot, builder())
        first.field("role_name").control.focus()
        await pilot.pause()
        await burst(pilot, "web7")
        first.field("provisioning.password").control.focus()
        await pilot.pause()
        await burst(pilot, SECRET)
        first.query_one("#add-endpoint", Button).focus()
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(first.query(EndpointRow)) == 2, what="second endpoint row")
        await burst(pilot, "HTTP", "tab", "tab", "80", "tab", "8080")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, DiscardChangesScreen), what="prompt")
        await pilot.press("enter")
        await wait_for(pilot, lambda: pilot.app.results == [None], what="discarded")

        again = await push(pilot, builder())
        assert draft_offered(again)
        assert again.value("role_name") == ""
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: again.value("role_name") == "web7", what="draft restored")
        assert not draft_offered(again)
        assert again.value("provisioning.password") == ""  # never kept
        assert [(e.name, e.public_port, e.local_port) for e in again.role_values().endpoints] == [
            ("SSH", "22", "22"),
            ("HTTP", "80", "8080"),
        ]

        # Another target (another service's builder) is not offered this draft.
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, DiscardChangesScreen), what="prompt")
        await pilot.press("y")
        other = await push(pilot, builder(service_name="other"))
        assert not draft_offered(other)


async def test_a_successful_send_starts_the_next_form_fresh() -> None:
    async def submit(model: Any) -> Any:
        return FakeResponse(True, 201)

    async with Host().run_test() as pilot:
        # A first attempt, discarded: its draft is offered to the next opening.
        await push(pilot, hosted())
        await burst(pilot, "name-old")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, DiscardChangesScreen), what="prompt")
        await pilot.press("y")
        dialog = await push(pilot, hosted(preview=lambda m: FakePreview(), submit=submit))
        assert draft_offered(dialog)
        await burst(pilot, "name-b", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, RequestPreviewDialog), what="preview")
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(pilot.app.results) == 2, what="sent")
        fresh = await push(pilot, hosted())
        assert not draft_offered(fresh)
        assert fresh.value("service_name") == ""


async def test_a_failed_send_keeps_everything_and_still_asks_before_discarding() -> None:
    async def submit(model: Any) -> Any:
        from tests.tui.helpers import FakeError

        return FakeResponse(False, 409, error=FakeError("ConflictError", "The name is taken."))

    async with Host().run_test() as pilot:
        dialog = await push(pilot, hosted(preview=lambda m: FakePreview(), submit=submit))
        await burst(pilot, "name-c", "tab", "Label C", "tab", "Desc C", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, RequestPreviewDialog), what="preview")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "ConflictError" in dialog.service_error, what="the error")
        assert pilot.app.screen is dialog and pilot.app.results == []
        assert [dialog.value(k) for k in ("service_name", "label", "description")] == [
            "name-c", "Label C", "Desc C"
        ]  # fmt: skip
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, DiscardChangesScreen), what="prompt")


async def test_profile_form_asks_before_discarding_too() -> None:
    async with Host().run_test() as pilot:
        form = await push(pilot, ProfileForm())
        await burst(pilot, "prod")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, DiscardChangesScreen), what="prompt")
        await pilot.press("escape")
        await wait_for(pilot, lambda: pilot.app.screen is form, what="back")
        assert form.query_one("#f-name", Input).value == "prod"


async def test_typed_name_confirmation_takes_a_burst_in_order() -> None:
    """Letters typed while Cancel has focus go to the name field, every one, in order."""
    async with Host().run_test(size=(80, 24)) as pilot:
        dialog = await push(
            pilot,
            ConfirmDialog(
                "Delete hosted service my-svc-1?", "my-svc-1", "DELETE /x", type_to_confirm="my-svc-1"
            ),
        )
        assert pilot.app.focused is dialog.query_one("#cancel")
        await burst(pilot, "my-svc-1", "enter")
        await wait_for(pilot, lambda: pilot.app.results, what="confirmed")
        assert isinstance(pilot.app.results[0], Confirmed)
