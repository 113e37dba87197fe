"""Create a hosted service: name (with an availability hint), label, description, location."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Static

from smtui.api.operations_services import DEFAULT_SERVICE_DESCRIPTION
from smtui.forms import builders
from smtui.forms.validation import validate_hosted_service
from smtui.forms.values import HostedServiceValues
from smtui.tui.dialogs._base import FormDialog
from smtui.tui.dialogs._fields import FormField, select_field, text_field


class CreateHostedServiceDialog(FormDialog[HostedServiceValues, Any]):
    """Returns the ``HostedService`` model to create.

    Args:
        locations: ``(display name, name)`` of the locations offering compute.
        taken_names: Hosted service names already in the subscription, for the availability hint
            (the service checks global uniqueness; this only catches the ones we can see).
        values: What to prefill (a previous attempt).
    """

    TITLE = "Create hosted service"
    SUBMIT_LABEL = "Create"

    def __init__(
        self,
        locations: Iterable[tuple[str, str]],
        *,
        taken_names: Iterable[str] = (),
        values: HostedServiceValues | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.locations = list(locations)
        self.taken = {n.lower() for n in taken_names}
        self.initial = values or HostedServiceValues()

    def compose_form(self) -> ComposeResult:
        v = self.initial
        yield text_field(
            "Service name", "service_name", v.service_name, placeholder="DNS prefix: <name>.cloudapp.net"
        )
        hint = Static("", id="availability", classes="hint", markup=False)
        hint.display = False
        yield hint
        yield text_field("Label", "label", v.label, placeholder="defaults to the service name")
        # Left empty, the request carries the API's default; the form says which text that is.
        yield text_field("Description", "description", v.description,
                         placeholder=f"empty: sends '{DEFAULT_SERVICE_DESCRIPTION}'")  # fmt: skip
        yield select_field("Location", "location", self.locations, v.location, allow_blank=not self.locations)

    def collect(self) -> HostedServiceValues:
        name = str(self.value("service_name")).strip()
        label = str(self.value("label"))
        return HostedServiceValues(
            service_name=name,
            # The seed's default: the label is the name when none is given.
            label=label if label.strip() else name,
            description=str(self.value("description")),
            location=str(self.value("location")),
        )

    def validate_values(self, values: HostedServiceValues) -> dict[str, str]:
        errors = validate_hosted_service(values)
        if "service_name" not in errors and values.service_name.lower() in self.taken:
            errors["service_name"] = (
                f"Service name '{values.service_name}' is already used in this subscription."
            )
        return errors

    def on_field_changed(self, field: FormField) -> None:
        if field.key == "service_name":
            name = str(field.value).strip()
            hint = ""
            if name and name.lower() not in self.taken:
                hint = f"{name}.cloudapp.net — free in this subscription (the service checks global names)"
            line = self.query_one("#availability", Static)
            line.update(hint)
            line.display = bool(hint)

    def build(self, values: HostedServiceValues) -> Any:
        return builders.hosted_service(values)
