"""OS image dialogs: register a VHD as an OS image, capture a role instance to an image."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Static

from smtui.forms import builders
from smtui.forms.validation import validate_capture, validate_os_image
from smtui.forms.values import (
    OS_TYPES,
    CaptureValues,
    OSImageValues,
    OsType,
    ProvisioningValues,
)
from smtui.tui.dialogs._base import FormDialog
from smtui.tui.dialogs._fields import FormField, check_field, select_field, text_field
from smtui.tui.dialogs._provisioning import ProvisioningFields


class CreateOSImageDialog(FormDialog[OSImageValues, Any]):
    """Returns the ``OSImage`` model to register.

    Args:
        locations: ``(display name, name)`` pairs; the image's location is informational.
        role_sizes: ``(label, name)`` pairs for the recommended VM size.
        values: What to prefill.
    """

    TITLE = "Create OS image"
    SUBMIT_LABEL = "Create"

    def __init__(
        self,
        *,
        locations: Iterable[tuple[str, str]] = (),
        role_sizes: Iterable[tuple[str, str]] = (),
        values: OSImageValues | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.locations = list(locations)
        self.role_sizes = list(role_sizes)
        self.initial = values or OSImageValues()

    def compose_form(self) -> ComposeResult:
        v = self.initial
        yield text_field("Name", "name", v.name)
        yield text_field("Label", "label", v.label, placeholder="defaults to the name")
        yield text_field("Media link", "media_link", v.media_link,
                         placeholder="https://account.blob.core.windows.net/vhds/image.vhd")  # fmt: skip
        yield select_field("OS", "os", [(o, o) for o in OS_TYPES], v.os)
        yield text_field("Description", "description", v.description, placeholder="optional")
        yield select_field("Location", "location", self.locations, v.location, allow_blank=True)
        yield select_field("Recommended size", "recommended_vm_size", self.role_sizes, v.recommended_vm_size,
                           allow_blank=True)  # fmt: skip

    def collect(self) -> OSImageValues:
        name = str(self.value("name")).strip()
        label = str(self.value("label"))
        return OSImageValues(
            name=name,
            label=label if label.strip() else name,
            media_link=str(self.value("media_link")).strip(),
            os=str(self.value("os")),
            description=str(self.value("description")),
            location=str(self.value("location")),
            recommended_vm_size=str(self.value("recommended_vm_size")),
        )

    def validate_values(self, values: OSImageValues) -> dict[str, str]:
        return validate_os_image(values)

    def build(self, values: OSImageValues) -> Any:
        return builders.os_image(values)


CAPTURE_ACTION_LABELS = (
    ("Delete (DESTRUCTIVE: the VM is deleted)", "Delete"),
    ("Reprovision (the VM is kept)", "Reprovision"),
)
"""The "After capture" choices; nothing is preselected, Delete says it removes the VM."""


class CaptureDialog(FormDialog[CaptureValues, Any]):
    """Capture a role instance to an OS image; returns a :class:`~smtui.forms.builders.CaptureRequest`.

    With ``Reprovision`` the role keeps running and needs a new provisioning configuration;
    with ``Delete`` the role is removed after the capture (the action confirms that first).
    Neither is preselected: the user must pick one.

    Args:
        role_name: The role (instance) captured.
        os: Its OS (the provisioning fields shown for Reprovision).
        host_name: The VM's host name, the default of Reprovision's host name.
        running: The instance's status when it is not stopped (``"ReadyRole"``): the service
            captures only a stopped VM, so the form offers to shut it down first.
        values: What to prefill.
    """

    TITLE = "Capture role to OS image"
    SUBMIT_LABEL = "Capture"
    TALL = True

    def __init__(
        self,
        role_name: str,
        *,
        os: str = "Linux",
        host_name: str = "",
        running: str | None = None,
        values: CaptureValues | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("title", f"Capture role {role_name} to an OS image")
        super().__init__(**kwargs)
        self.role_name = role_name
        self.initial = values or CaptureValues(post_capture_action="", target_image_name=f"{role_name}-image")
        self.os = os
        self.host_name = host_name or role_name
        self.running = running

    def compose_form(self) -> ComposeResult:
        v = self.initial
        if self.running:
            yield Static(
                f"{self.role_name} is running ({self.running}): the service captures only a stopped VM.",
                id="capture-running",
                classes="hint",
                markup=False,
            )
            yield check_field("Shut down first (Stopped), then capture", "shutdown_first", False)
        yield select_field("After capture", "post_capture_action", CAPTURE_ACTION_LABELS,
                           v.post_capture_action, allow_blank=True)  # fmt: skip
        yield Static("", id="capture-hint", classes="hint", markup=False)
        yield text_field("Target image name", "target_image_name", v.target_image_name)
        yield text_field("Target image label", "target_image_label", v.target_image_label,
                         placeholder="defaults to the name")  # fmt: skip
        os: OsType = "Windows" if self.os == "Windows" else "Linux"
        prov = v.provisioning or ProvisioningValues(os=os, host_name=self.host_name)
        fields = ProvisioningFields(prov)
        fields.display = v.post_capture_action == "Reprovision"
        yield fields

    def on_mount(self) -> None:
        self._apply_action()

    @property
    def shutdown_first(self) -> bool:
        """The user asked to shut the VM down (Stopped) before the capture is sent."""
        return bool(self.running) and bool(self.value("shutdown_first"))

    def say(self, text: str) -> None:
        """Show the progress of the shutdown-then-capture flow under the action choice."""
        self.query_one("#capture-hint", Static).update(text)

    def _apply_action(self) -> None:
        action = str(self.value("post_capture_action"))
        self.query_one(ProvisioningFields).display = action == "Reprovision"
        if action == "Delete":
            hint = f"The role {self.role_name} is DELETED after the capture (the image must be generalized)."
        elif action == "Reprovision":
            hint = f"The role {self.role_name} is provisioned again with the configuration below."
        else:
            hint = "Pick what happens to the VM after the capture: Delete or Reprovision."
        self.query_one("#capture-hint", Static).update(hint)

    def on_field_changed(self, field: FormField) -> None:
        if field.key == "post_capture_action":
            self._apply_action()
        elif field.key == "provisioning.os":
            self.query_one(ProvisioningFields).apply_os()

    def collect(self) -> CaptureValues:
        action = str(self.value("post_capture_action"))
        name = str(self.value("target_image_name")).strip()
        label = str(self.value("target_image_label"))
        return CaptureValues(
            post_capture_action=action,
            target_image_name=name,
            target_image_label=label if label.strip() else name,
            provisioning=self.query_one(ProvisioningFields).values() if action == "Reprovision" else None,
        )

    def validate_values(self, values: CaptureValues) -> dict[str, str]:
        errors = validate_capture(values)
        if not values.post_capture_action:
            errors["post_capture_action"] = "Pick what happens after the capture: Delete or Reprovision."
        if self.running and not self.shutdown_first:
            errors["shutdown_first"] = (
                f"{self.role_name} must be stopped first: tick this, or shut it down yourself (H)."
            )
        return errors

    def build(self, values: CaptureValues) -> Any:
        return builders.capture(values)
