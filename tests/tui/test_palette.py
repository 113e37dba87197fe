"""The command palette offers the console's own commands before Textual's built-ins."""

from __future__ import annotations

from typing import Any

from textual.command import CommandList, CommandPalette

from smtui.tui.nodes import Kind
from tests.tui.helpers import loaded, wait_for


def offered(app: Any) -> list[str]:
    options = app.screen.query_one(CommandList).options
    return [str(getattr(o.prompt, "plain", o.prompt)).split("\n")[0] for o in options]


async def test_keys_offers_storage_account_keys_before_textuals_keys_panel(
    demo_emulator: Any, make_app: Any
) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await pilot.press("4")
        await wait_for(pilot, lambda: loaded(app, Kind.STORAGE))
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
        await pilot.press(*"keys")
        # The palette gathers hits in batches: wait for both, ours and Textual's.
        titles = await wait_for(
            pilot,
            lambda: (titles := offered(app)) and any(t.startswith("Keys") for t in titles)
            and any(t.startswith("Storage account keys") for t in titles) and titles,
            what="ours and Textual's keys",
        )  # fmt: skip
        assert titles[0].startswith("Storage account keys"), titles
        ours = [i for i, t in enumerate(titles) if t.startswith("Storage account keys")]
        builtin = [i for i, t in enumerate(titles) if t.startswith("Keys")]
        assert builtin and ours[0] < builtin[0], titles
        await pilot.press("escape")


async def test_palette_explains_an_action_that_does_not_apply(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
        await pilot.press(*"Add role")
        def add_role_first() -> bool:
            titles = offered(app)
            highlighted = app.screen.query_one(CommandList).highlighted
            return bool(titles) and titles[0].startswith("Add role") and highlighted == 0

        await wait_for(pilot, add_role_first, what="Add role offered first")
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("deployment" in n.message for n in app._notifications))
        (note,) = [n for n in app._notifications if "deployment" in n.message]
        assert note.title == "Add role" and "Open a deployment first" in note.message
