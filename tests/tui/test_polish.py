"""What a demanding user hits at 80x24 over tmux: footer, names, help, palette, forms, dialogs."""

from __future__ import annotations

from typing import Any

from textual.widgets import Button, Input, Static

from smtui.tui.nodes import Kind
from smtui.tui.widgets.big_table import fit_widths
from smtui.tui.widgets.nav_tree import NavTree
from tests.tui.helpers import assert_footer_fits, loaded, wait_for


async def test_footer_keeps_the_essentials_at_80x24(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        shown = await assert_footer_fits(app, pilot, ("q", "question_mark", "o"))
        assert "c" in shown  # a short contextual key still fits
        for kind in (Kind.SERVICE, Kind.DEPLOYMENT, Kind.ROLE):
            await pilot.press("enter")
            await wait_for(pilot, lambda kind=kind: loaded(app, kind))
            await assert_footer_fits(app, pilot, ("q", "question_mark", "o"))
        await pilot.press("4")
        await wait_for(pilot, lambda: loaded(app, Kind.STORAGE))
        assert "K" in await assert_footer_fits(app, pilot, ("q", "question_mark", "o"))
        await pilot.press("P")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ProfilesScreen")
        await assert_footer_fits(app, pilot, ("q", "question_mark"))


async def test_footer_shows_more_keys_when_the_terminal_is_wider(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        for _ in range(3):
            await pilot.press("enter")
            await pilot.pause(0.3)
        await wait_for(pilot, lambda: loaded(app, Kind.ROLE))
        narrow = await assert_footer_fits(app, pilot, ("q", "question_mark", "o"))
        await pilot.resize_terminal(140, 40)
        await pilot.pause(0.3)
        wide = await assert_footer_fits(app, pilot, ("q", "question_mark", "o"))
        assert len(wide) > len(narrow)


def test_name_column_is_squeezed_last() -> None:
    # Deployment list at 80 columns: name, slot, status, roles, ready, label.
    widths = fit_widths([19, 10, 8, 7, 7, 19], 55, keep=[0])
    assert sum(widths) + 2 * 5 <= 55 and widths[0] >= 15
    # A short type column keeps its width while a long detail column gives way first.
    assert fit_widths([9, 35, 9, 40], 55, keep=[1]) == [9, 21, 9, 10]


async def test_names_are_readable_at_80x24(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        table = app.browse.table
        assert table.widths[0] >= len("adventure-works")
        await pilot.press("4")
        await wait_for(pilot, lambda: loaded(app, Kind.STORAGE))
        assert table.widths[0] >= len("contosoportalvhds")


async def test_help_lists_the_app_keys_too(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await pilot.press("question_mark")
        await pilot.pause()
        keys = {keys: description for _group, keys, description in app.screen.entries}
        assert "o" in keys and "p" in keys and "T" in keys
        # Help has room for the full names the footer shortens.
        assert keys["c"] == "Create hosted service"


async def test_palette_explains_an_action_that_does_not_apply(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"Add role")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("deployment" in n.message for n in app._notifications))
        (note,) = [n for n in app._notifications if "deployment" in n.message]
        assert note.title == "Add role" and "Open a deployment first" in note.message


async def test_profile_form_errors_and_buttons_are_on_screen_at_80x24(
    demo_emulator: Any, make_app: Any
) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await pilot.press("P")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ProfilesScreen")
        await pilot.press("a")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ProfileForm")
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        error = screen.query_one("#form-error", Static)
        assert "Profile name" in str(error.render())
        assert error.region.height > 0 and error.region.bottom <= 24
        for button in screen.query(Button):
            assert button.region.height == 1 and button.region.bottom <= 23


async def test_typing_the_name_in_a_delete_confirmation_goes_to_the_name_field(
    demo_emulator: Any, make_app: Any
) -> None:
    from smtui.tui.dialogs.confirm import ConfirmDialog

    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        dialog = app.screen
        assert app.focused is dialog.query_one("#cancel")  # Enter on an unread dialog cancels
        await pilot.press(*"contoso-web")
        typed = dialog.query_one("#confirm-typed", Input)
        assert typed.value == "contoso-web" and typed.has_focus
        assert not dialog.query_one("#confirm", Button).disabled
        await pilot.press("escape")  # nothing is deleted
        await wait_for(pilot, lambda: app.screen is app.browse)
        assert "service/contoso-web" in app.browse.items


async def test_operations_sidebar_takes_the_trees_place_on_a_narrow_terminal(
    demo_emulator: Any, make_app: Any
) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        tree = app.browse.query_one(NavTree)
        await pilot.press("o")
        await pilot.pause()
        assert tree.region.width == 0
        assert app.browse.table.region.width >= 40
        empty = app.browse.query_one("#ops-empty")
        assert empty.region.y <= 4  # the hint sits under the title, not at the bottom
        await pilot.press("o")
        await pilot.pause()
        assert tree.region.width > 0
        await pilot.resize_terminal(120, 30)
        await pilot.press("o")
        await pilot.pause()
        assert tree.region.width > 0  # wide enough for both


async def test_image_labels_are_readable_at_80x24(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await pilot.press("2")
        await wait_for(pilot, lambda: loaded(app, Kind.IMAGES))
        table = app.browse.table
        keys = [c.key for c in table.columns]
        label, name = keys.index("label"), keys.index("name")
        # Names are "<32 hex digits>__…": the label is what a user reads to pick an image.
        assert table.widths[label] >= 15 and table.widths[label] > table.widths[name]


async def test_zoomed_details_scroll_with_the_keys(demo_emulator: Any, make_app: Any) -> None:
    """In zoom, arrows scroll the details: they used to move the hidden tree and change the list."""
    from smtui.tui.widgets.details_pane import DetailsPane

    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await pilot.press("enter")
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICE))
        await pilot.press("enter")
        await wait_for(pilot, lambda: loaded(app, Kind.DEPLOYMENT))
        browse = app.browse
        where, selected = browse.current, browse.table.cursor_key
        await pilot.press("x", "z")
        await pilot.pause()
        xml = browse.query_one(DetailsPane).query_one("#xml-scroll")
        assert app.focused is xml
        await pilot.press("down", "down", "pagedown")
        await pilot.pause()
        assert xml.scroll_y > 0
        assert (browse.current, browse.table.cursor_key) == (where, selected)
        await pilot.press("escape")
        await pilot.pause()
        assert browse.maximized is None and app.focused is browse.table
        assert browse.current == where


async def test_a_pasted_request_id_reads_well_when_it_fails(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await pilot.press("T")
        await pilot.pause()
        await pilot.press(*"not-a-real-id", "enter")
        await wait_for(pilot, lambda: any(n.title == "Operation failed" for n in app._notifications))
        assert app.tracker.operations["not-a-real-id"].target == "pasted id"
        (note,) = [n for n in app._notifications if n.title == "Operation failed"]
        assert note.message.startswith("Request on pasted id failed\n404 ResourceNotFound")
        assert "(pasted)" not in note.message and "request id not-a-real-id" in note.message
