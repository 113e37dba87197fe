"""Screens of the smtui console."""
