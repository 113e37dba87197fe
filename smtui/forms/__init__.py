"""Pure form logic: the values a dialog collects, the service's validation rules, and the
builders that turn valid values into ``smtui.api`` models. No Textual import (tested)."""

from __future__ import annotations
