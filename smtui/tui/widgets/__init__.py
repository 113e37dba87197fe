"""Widgets of the smtui console, one per module, each with its DEFAULT_CSS."""
