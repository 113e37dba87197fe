"""The command palette's source: the console's own commands rank above Textual's built-ins."""

from __future__ import annotations

from textual.app import App
from textual.command import Hit, Hits
from textual.system_commands import SystemCommandsProvider

OWN_BONUS = 1_000_000.0
"""Added to the match score of our commands (the fuzzy matcher's scores are small positive
numbers, not bounded by 1), so that any of ours ranks above any built-in."""


class ConsoleCommands(SystemCommandsProvider):
    """Every command of :meth:`App.get_system_commands`, ours first for the same word.

    Typing "keys" must offer *Storage account keys* before Textual's *Keys* panel.
    """

    async def search(self, query: str) -> Hits:
        """Commands matching ``query``, ranked by match within ours, then within the built-ins."""
        matcher = self.matcher(query)
        builtin = {command.title for command in App.get_system_commands(self.app, self.screen)}
        for title, help_text, callback, *_ in self.app.get_system_commands(self.screen):
            score = matcher.match(title)
            if score <= 0:
                continue
            ranked = score if title in builtin else OWN_BONUS + score
            yield Hit(ranked, matcher.highlight(title), callback, help=help_text)
