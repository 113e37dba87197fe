"""smtui: a terminal console for the Azure Service Management (classic) API."""

__version__ = "0.1.0"
