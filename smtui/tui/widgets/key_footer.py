"""Provides the footer: the essential keys first, then as many contextual keys as fit whole.

Textual's footer lists the focused widget's keys first and the app's last, so on an 80-column
terminal the long tail of contextual actions pushed "q Quit" and "? Help" off the screen
(textual#3762, k9s#2556). This footer pins the essentials to the left and drops a contextual
key rather than cutting it in half; everything else is in ``?`` and the command palette.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

# FooterKey (one key of the footer) has no public import path in Textual 8.2; drawing our own
# key widget instead would change how every footer looks.
from textual.widgets._footer import FooterKey

PINNED: tuple[str, ...] = ("app.quit", "startup.quit", "app.help", "app.operations")
"""Binding ids always shown, in this order, before any contextual key."""

MORE_ID = "app.more-keys"
"""Binding id of the key that lists every key (shown as ``…more`` when some did not fit)."""

PALETTE_WIDTH = 11
"""Cells taken by the command-palette key docked on the right (``▏^p palette``)."""


_Entry = tuple[Binding, bool, str, str | None]
"""A key the footer shows: binding, enabled, tooltip, CSS classes."""


class KeyFooter(Footer):
    """A compact footer that always shows :data:`PINNED` and only contextual keys that fit."""

    PINNED_IDS: ClassVar[tuple[str, ...]] = PINNED

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(compact=True, id=id)
        self._composed_width = 0
        self._ready = False
        """The screen has told us its bindings once (before that only the app's pinned keys show)."""
        self._composed: tuple[object, ...] = ()
        """What the footer shows now (keys, wording, enabled), to skip recomposing the same."""

    def bindings_changed(self, screen: Screen[object]) -> None:
        """The screen's bindings changed: recompose after a refresh, as Textual's Footer does,
        but only if what it shows changed (focus moves and selections signal often with the
        same keys; each recompose mounts every key again: ~0.05 s twice in every start)."""
        self._ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if not self.is_attached:
            return
        width = self.size.width or self.app.size.width
        if width == self._composed_width and self._entries(width)[1] == self._composed:
            return
        await self.recompose()

    def shown_bindings(self, width: int) -> list[tuple[Binding, bool, str]]:
        """The bindings the footer shows at ``width`` cells, left to right."""
        by_action: dict[str, tuple[Binding, bool, str]] = {}
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in by_action:
                by_action[binding.action] = (binding, enabled, tooltip)
        entries = list(by_action.values())
        pinned = sorted(
            (e for e in entries if e[0].id in self.PINNED_IDS),
            key=lambda e: self.PINNED_IDS.index(str(e[0].id)),
        )
        rest = [e for e in entries if e[0].id not in self.PINNED_IDS]
        more_entry = None
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.id == MORE_ID:
                more_entry = (binding, enabled, tooltip)
        budget = width - (PALETTE_WIDTH if self.show_command_palette else 0)
        shown: list[tuple[Binding, bool, str]] = []
        used = 0
        dropped = False
        for entry, always in [(e, True) for e in pinned] + [(e, False) for e in rest]:
            cells = self._cells(entry[0])
            if always or used + cells <= budget:
                shown.append(entry)
                used += cells
            else:
                dropped = True
        if dropped and more_entry is not None:
            # Room for "…more": give up contextual keys from the right until it fits.
            need = self._cells(more_entry[0])
            while used + need > budget and shown and shown[-1][0].id not in self.PINNED_IDS:
                used -= self._cells(shown.pop()[0])
            shown.append(more_entry)
        return shown

    def _cells(self, binding: Binding) -> int:
        # Compact FooterKey: key, a space, the description, one cell of margin.
        return cell_len(self.app.get_key_display(binding)) + 1 + cell_len(binding.description) + 1

    def _pinned_app_bindings(self) -> list[tuple[Binding, bool, str]]:
        """The app's pinned keys, read from its class: before the screen has announced its
        bindings, asking it for them would ask widgets that are not mounted yet."""
        declared = Binding.make_bindings(b for b in type(self.app).BINDINGS if isinstance(b, Binding))
        seen: set[str] = set()
        pinned = []
        for binding in declared:  # one per key ("question_mark,f1" is two): keep the first
            if binding.show and binding.id in self.PINNED_IDS and binding.id not in seen:
                seen.add(binding.id)
                pinned.append(binding)
        pinned.sort(key=lambda b: self.PINNED_IDS.index(str(b.id)))
        return [(binding, True, binding.tooltip) for binding in pinned]

    def _entries(self, width: int) -> tuple[list[_Entry], tuple[object, ...]]:
        """(binding, enabled, tooltip, classes) of each key shown at ``width``, and a summary
        that compares equal when the footer would look and act the same."""
        # Until the screen's first bindings signal, the app's pinned keys: the first frame then
        # shows them instead of an empty row for two more refreshes (bench/tui.py).
        shown = self.shown_bindings(width) if self._ready else self._pinned_app_bindings()
        entries: list[_Entry] = [
            (binding, enabled, tooltip, None) for binding, enabled, tooltip in shown
        ]
        if self._ready and self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            try:
                _node, binding, enabled, tooltip = self.screen.active_bindings[
                    self.app.COMMAND_PALETTE_BINDING
                ]
            except KeyError:
                pass
            else:
                entries.append((binding, enabled, binding.tooltip or binding.description, "-command-palette"))
        summary = tuple(
            (b.key, self.app.get_key_display(b), b.description, b.action, enabled, tooltip, classes)
            for b, enabled, tooltip, classes in entries
        )
        return entries, summary

    def compose(self) -> ComposeResult:
        width = self.size.width or self.app.size.width
        self._composed_width = width
        entries, self._composed = self._entries(width)
        self.styles.grid_size_columns = sum(1 for *_, classes in entries if classes is None)
        for binding, enabled, tooltip, classes in entries:
            key = FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                classes=classes or "",
                disabled=not enabled,
                tooltip=tooltip,
            )
            yield key.data_bind(compact=Footer.compact) if classes is None else key

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._composed_width:
            self.call_after_refresh(self.recompose)
