"""The details pane mounts its tabs after the first frame; what it is asked before is not lost."""

from __future__ import annotations

import asyncio

from textual.app import App, ComposeResult

from smtui.api.models import HostedService
from smtui.tui.widgets.details_pane import DetailsPane
from smtui.tui.widgets.property_tree import PropertyTree


class _OneDetailsPane(App[None]):
    def compose(self) -> ComposeResult:
        yield DetailsPane(id="details")

    def on_mount(self) -> None:
        # Before the first frame: the tabs do not exist yet.
        details = self.query_one(DetailsPane)
        assert not details.ready
        details.show_tab("request")  # not the first tab: activated once mounted
        details.show("web: hosted service", HostedService(service_name="web"), None, identity="web")
        details.focus_content()


async def test_what_is_shown_before_the_tabs_are_mounted_is_shown_once_they_are() -> None:
    app = _OneDetailsPane()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        details = app.query_one(DetailsPane)
        assert details.ready and details.title == "web: hosted service"
        assert details.active_tab == "request"
        assert app.focused is not None and app.focused.id == "req"
        tree = app.query_one(PropertyTree)
        names = [child.data.name for child in tree.root.children]
        assert names == ["ServiceName"], names


class _ShowThenQuit(App[None]):
    def compose(self) -> ComposeResult:
        yield DetailsPane(id="details")


async def test_quitting_while_the_tabs_are_being_mounted_is_quiet() -> None:
    # A row selected and q pressed at once: the tabs start mounting as the app exits. Telling
    # them their first tab up front made Textual raise "No Tab with id" (1 start in 3).
    for _ in range(6):
        app = _ShowThenQuit()
        async with app.run_test(size=(80, 24)):
            app.query_one(DetailsPane).show("web", HostedService(service_name="web"), None)
            await asyncio.sleep(0)
            app.exit()
        assert app.return_code == 0
