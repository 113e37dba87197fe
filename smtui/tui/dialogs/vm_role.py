"""The VMRole builder: one scrolling form for a new deployment, a new role, or a role change.

Sections: deployment options (new deployment only), role (name, size), OS disk (image picked
from a filtered list, media link, caching), provisioning set (Windows or Linux), data disks
(any number, three modes, LUNs) and input endpoints (add/remove rows). Every field is checked
as the user types; Submit shows the request preview, then sends.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Select, Static

from smtui.forms import builders
from smtui.forms.defaults import free_slot, free_ssh_port
from smtui.forms.validation import (
    parse_int,
    validate_deployment,
    validate_endpoints,
    validate_vm_role,
)
from smtui.forms.values import (
    HOST_CACHING,
    PROTOCOLS,
    SLOTS,
    DataDiskValues,
    DeploymentValues,
    EndpointValues,
    OSDiskValues,
    VMRoleValues,
)
from smtui.tui.dialogs._base import FormDialog
from smtui.tui.dialogs._fields import FormField, select_field, text_field
from smtui.tui.dialogs._provisioning import ProvisioningFields
from smtui.tui.dialogs.data_disk import DataDiskFields, free_luns

BuilderMode = Literal["deployment", "add", "modify"]

_uids = itertools.count()


@dataclass(frozen=True)
class ImageChoice:
    """An OS image the user can pick: its name, OS and label."""

    name: str
    os: str = "Linux"
    label: str = ""


class EndpointRow(Vertical):
    """One input endpoint: name, protocol, public port, local port, and a remove button."""

    DEFAULT_CSS = """
    EndpointRow { height: auto; }
    EndpointRow > Horizontal { height: auto; }
    EndpointRow FormField { width: 1fr; }
    EndpointRow FormField.proto { width: 16; }
    EndpointRow Button.remove { min-width: 5; width: 5; }
    """

    def __init__(self, values: EndpointValues, index: int) -> None:
        super().__init__()
        self.initial = values
        self.prefix = f"endpoints.{index}"
        self.uid = f"ep{next(_uids)}"

    def compose(self) -> ComposeResult:
        v, p, u = self.initial, self.prefix, self.uid
        with Horizontal():
            fields = (
                text_field("Name", f"{p}.name", v.name, id=f"{u}-name"),
                select_field(
                    "Proto", f"{p}.protocol", [(x, x) for x in PROTOCOLS], v.protocol, id=f"{u}-protocol"
                ),
                text_field("Public", f"{p}.public_port", v.public_port, restrict=r"\d*", id=f"{u}-public"),
                text_field("Local", f"{p}.local_port", v.local_port, restrict=r"\d*", id=f"{u}-local"),
            )
            for f in fields:
                f.add_class("inline")
            fields[1].add_class("proto")
            yield from fields
            yield Button("✕", classes="remove", id=f"{u}-remove", tooltip="Remove endpoint", compact=True)

    def rekey(self, index: int) -> None:
        """Renumber the row's field keys (a row above it was removed)."""
        prefix = f"endpoints.{index}"
        for f in self.query(FormField):
            f.key = prefix + f.key[len(self.prefix) :]
        self.prefix = prefix

    def values(self) -> EndpointValues:
        """The endpoint as typed."""
        # A row added by Enter on "+ Add endpoint" is asked for its values (a revalidation) before
        # all of its fields are mounted: those read as the row was created.
        v = self.initial
        get: dict[str, object] = {
            "name": v.name, "protocol": v.protocol, "public_port": v.public_port, "local_port": v.local_port,
        }  # fmt: skip
        get.update({f.key.rsplit(".", 1)[1]: f.value for f in self.query(FormField)})
        return EndpointValues(
            name=str(get["name"]).strip(),
            protocol=str(get["protocol"]),
            public_port=str(get["public_port"]).strip(),
            local_port=str(get["local_port"]).strip(),
        )


class DataDiskRow(Vertical):
    """One data disk of the role, with a remove button."""

    DEFAULT_CSS = """
    DataDiskRow { height: auto; border-top: dashed $panel-lighten-2; }
    DataDiskRow Button.remove { min-width: 10; }
    """

    def __init__(self, values: DataDiskValues, index: int, *, disk_names: Sequence[str]) -> None:
        super().__init__()
        self.uid = f"dd{next(_uids)}"
        self.disk = DataDiskFields(values, prefix=f"data_disks.{index}", hide_used_luns=False,
                                   disk_names=disk_names, uid=self.uid)  # fmt: skip

    def compose(self) -> ComposeResult:
        yield self.disk
        yield Button("Remove disk", classes="remove", id=f"{self.uid}-remove", compact=True)

    def rekey(self, index: int) -> None:
        """Renumber the row's field keys."""
        self.disk.rekey(f"data_disks.{index}")


def _rows_in(draft: dict[str, Any], section: str) -> int:
    """How many rows of ``section`` (``"endpoints"``) a draft has fields for."""
    parts = [key.split(".") for key in draft if key.startswith(f"{section}.")]
    indexes = [int(p[1]) for p in parts if len(p) > 2 and p[1].isdigit()]
    return max(indexes) + 1 if indexes else 0


class VMRoleBuilder(FormDialog[DeploymentValues | VMRoleValues, Any]):
    """Builds a VM role (and, for a new deployment, the deployment around it).

    Returns a ``Deployment`` model (mode ``"deployment"``) or a ``VMRole`` model (``"add"``,
    ``"modify"``).

    Args:
        mode: ``"deployment"`` (Create Deployment), ``"add"`` (Add Role) or ``"modify"`` (Update Role).
        images: OS images to pick the source image from.
        role_sizes: ``(label, name)`` of the role sizes.
        disk_names: Registered, unattached disks (for data disks in "existing" mode).
        role_names_in_use: Roles already in the deployment (Add Role refuses duplicates).
        ports_in_use: ``(protocol, port)`` public ports used by the deployment's other roles
            (a new role's SSH endpoint defaults to the first free one of 22, 2222, 2223, …).
        slots_in_use: ``{slot: deployment name}`` of the hosted service's deployments (a new
            deployment defaults to a free slot; with none free the form says so).
        media_base: Prefix for suggested VHD blob URLs (``https://acct.blob.core.windows.net/vhds``).
        media_note: Shown under the OS disk media link when no suggestion can be made (no storage
            account in the hosted service's region).
        service_name: The hosted service (default deployment name and label).
        values: What to prefill: a previous attempt, or the role being modified.
    """

    DEFAULT_CSS = """
    VMRoleBuilder .hint { color: $text-muted; height: auto; }
    VMRoleBuilder .under-field { padding-left: 20; }
    VMRoleBuilder .add-row { margin-top: 1; }
    VMRoleBuilder #data-disks, VMRoleBuilder #endpoints { height: auto; }
    VMRoleBuilder #image-filter-row { height: auto; }
    """

    TITLE = "Create VM deployment"
    SUBMIT_LABEL = "Review"
    TALL = True

    def __init__(
        self,
        mode: BuilderMode = "deployment",
        *,
        images: Iterable[ImageChoice] = (),
        role_sizes: Iterable[tuple[str, str]] = (),
        disk_names: Iterable[str] = (),
        role_names_in_use: Iterable[str] = (),
        ports_in_use: Iterable[tuple[str, int]] = (),
        media_base: str = "",
        media_note: str = "",
        service_name: str = "",
        slots_in_use: Mapping[str, str] | None = None,
        values: DeploymentValues | VMRoleValues | None = None,
        **kwargs: Any,
    ) -> None:
        titles = {"deployment": "Create VM deployment", "add": "Add role", "modify": "Modify role"}
        kwargs.setdefault("title", titles[mode] + (f" in {service_name}" if service_name else ""))
        super().__init__(**kwargs)
        if mode == "modify":
            self.remove_class("-tall")  # a few fields: a full-height box left ~25 empty lines
        self.mode = mode
        self.images = list(images)
        self.role_sizes = list(role_sizes) or [("Small", "Small")]
        self.disk_names = list(disk_names)
        self.role_names_in_use = list(role_names_in_use)
        self.ports_in_use = list(ports_in_use)
        self.media_base = media_base.rstrip("/")
        self.media_note = media_note
        self.service_name = service_name
        self.slots_in_use = dict(slots_in_use or {})
        if isinstance(values, DeploymentValues):
            self.deployment = values
        else:
            port = free_ssh_port(self.ports_in_use)
            ssh = [EndpointValues("SSH", "tcp", str(port), "22")] if port is not None else []
            role = values or VMRoleValues(endpoints=ssh)
            slot = free_slot(self.slots_in_use) or SLOTS[0]
            self.deployment = DeploymentValues(name=service_name, label=service_name, slot=slot, role=role)
        self._media_link_auto = not self.deployment.role.os_disk.media_link
        self._suggested_link = ""
        # The Label follows the deployment name until the user types a Label of their own.
        self._suggested_label = self.deployment.label if self.deployment.label == self.deployment.name else ""

    # ------------------------------------------------------------------ layout

    def compose_form(self) -> ComposeResult:
        dep, role = self.deployment, self.deployment.role
        if self.mode == "deployment":
            yield Static("Deployment", classes="section")
            yield text_field("Deployment name", "name", dep.name)
            yield select_field("Slot", "slot", [(s, s) for s in SLOTS], dep.slot)
            if free_slot(self.slots_in_use) is None and self.slots_in_use:
                # Said before Send: the service would refuse the deployment with a 409.
                taken = ", ".join(f"{slot}: {name}" for slot, name in self.slots_in_use.items())
                yield Static(f"Both slots are taken ({taken}) — delete or swap a deployment first.",
                             id="slots-taken", classes="hint under-field", markup=False)  # fmt: skip
            yield text_field("Label", "label", dep.label)
            yield text_field("Upgrade domains", "upgrade_domain_count", dep.upgrade_domain_count,
                             placeholder="optional, 1–20", restrict=r"\d*")  # fmt: skip
        yield Static("Role", classes="section")
        if self.mode == "modify":
            yield Static(f"Role name: {role.role_name}", classes="hint", markup=False)
        else:
            yield text_field("Role name", "role_name", role.role_name)
        yield select_field("Role size", "role_size", self.role_sizes, role.role_size)
        if self.mode != "modify":
            yield Static("OS disk", classes="section")
            yield text_field("Image filter", "image_filter", "", placeholder="type to narrow the image list")
            yield select_field("Source image", "os_disk.source_image_name", self._image_options(""),
                               role.os_disk.source_image_name, allow_blank=True)  # fmt: skip
            # The picker lists labels (names share a long publisher prefix); the name picked is here.
            yield Static(self._image_detail(role.os_disk.source_image_name), id="image-name",
                         classes="hint under-field", markup=False)  # fmt: skip
            yield text_field("Existing OS disk", "os_disk.disk_name", role.os_disk.disk_name,
                             placeholder="or the name of a registered OS disk")  # fmt: skip
            # Under the input, not in its placeholder: at 80 columns the placeholder was cut.
            yield Static("boots as it is: no image, no provisioning set", classes="hint under-field")
            yield text_field("OS disk media link", "os_disk.media_link", role.os_disk.media_link,
                             placeholder="https://account.blob.core.windows.net/vhds/os.vhd")  # fmt: skip
            if self.media_note:
                yield Static(self.media_note, id="media-note", classes="hint under-field", markup=False)
            yield select_field("OS disk caching", "os_disk.host_caching", [(c, c) for c in HOST_CACHING],
                               role.os_disk.host_caching)  # fmt: skip
            yield Static("Provisioning", classes="section")
            yield ProvisioningFields(role.provisioning)
        yield Static("Data disks", classes="section")
        if self.mode == "modify":
            # Update Role keeps the disks it is not sent; disks change through the role's own list.
            count = len(role.data_disks)
            yield Static(f"{count} attached — add, change or remove them from the role's list (c / e / d).",
                         classes="hint")  # fmt: skip
        else:
            with Vertical(id="data-disks"):
                for i, disk in enumerate(role.data_disks):
                    yield DataDiskRow(disk, i, disk_names=self.disk_names)
            yield Button("+ Add data disk", id="add-disk", classes="add-row", compact=True)
        yield Static("Input endpoints", classes="section")
        with Vertical(id="endpoints"):
            for i, ep in enumerate(role.endpoints):
                yield EndpointRow(ep, i)
        yield Button("+ Add endpoint", id="add-endpoint", classes="add-row", compact=True)

    def on_mount(self) -> None:
        if self.mode != "modify":
            self.query_one(ProvisioningFields).apply_os()

    def _image_options(self, text: str) -> list[tuple[str, str]]:
        needle = text.strip().lower()
        return [
            (f"{img.label or img.name} ({img.os})", img.name)
            for img in self.images
            if not needle or needle in img.name.lower() or needle in img.label.lower()
        ]

    def _image_detail(self, name: str) -> str:
        return f"image name: {name}" if name else ""

    # ------------------------------------------------------------------ reactions

    def on_field_changed(self, field: FormField) -> None:
        key = field.key
        if key == "name":
            # Decided on the Label's value now, not on the order Changed messages arrive in: in a
            # burst the name's last Changed can arrive after the user has typed a Label of their own.
            label = self.field("label")
            if str(label.value) in ("", self._suggested_label):
                self._suggested_label = str(field.value)
                label.value = self._suggested_label
        if key == "image_filter":
            select = self.field("os_disk.source_image_name").control
            assert isinstance(select, Select)
            current = select.value
            options = self._image_options(str(field.value))
            select.set_options(options)
            if current in {v for _, v in options}:
                select.value = current
        if key in ("os_disk.source_image_name", "os_disk.disk_name"):
            image_chosen = bool(self.value("os_disk.source_image_name"))
            attach = bool(str(self.value("os_disk.disk_name")).strip()) and not image_chosen
            self.query_one(ProvisioningFields).display = not attach
        if key == "os_disk.source_image_name":
            self.query_one("#image-name", Static).update(self._image_detail(str(field.value)))
            image = next((i for i in self.images if i.name == field.value), None)
            if image is not None and image.os in ("Linux", "Windows"):
                self.field("provisioning.os").value = image.os
                self.query_one(ProvisioningFields).apply_os()
        elif key == "provisioning.os":
            self.query_one(ProvisioningFields).apply_os()
        elif key == "os_disk.media_link":
            # Our own suggestion echoes back as a change; only the user's typing stops the suggestions.
            self._media_link_auto = field.value == self._suggested_link
        elif key == "role_name" and self._media_link_auto and self.media_base:
            media = self.field("os_disk.media_link")
            # Compare with what the field holds now, not only the flag: typed fast, the media
            # link's own keys can be in the field before this (older) change is handled.
            if media.value not in ("", self._suggested_link):
                self._media_link_auto = False
                return
            name = str(field.value).strip()
            link = f"{self.media_base}/{self.service_name or 'vm'}-{name}-os.vhd" if name else ""
            self._suggested_link = link
            media.value = link
        elif key.endswith(".mode") and key.startswith("data_disks."):
            for row in self.query(DataDiskFields):
                row.apply_mode()

    def _used_luns(self) -> list[int]:
        return [n for d in self.query(DataDiskFields) if (n := parse_int(d.values().lun)) is not None]

    @on(Button.Pressed, "#add-disk")
    async def action_add_data_disk(self) -> None:
        """Add a data disk row with the lowest free LUN."""
        free = free_luns(self._used_luns())
        if not free:
            self.show_service_error("All 16 LUNs are in use.")  # in the form: no toast over it
            return
        container = self.query_one("#data-disks", Vertical)
        index = len(container.children)
        row = DataDiskRow(DataDiskValues(lun=str(free[0]), size_gb="10"), index, disk_names=self.disk_names)
        await container.mount(row)
        # set_focus, not focus(): the keys typed right after must find the new row focused.
        self.set_focus(row.query(FormField).first().control)
        row.scroll_visible(animate=False)

    @on(Button.Pressed, "#add-endpoint")
    async def action_add_endpoint(self) -> None:
        """Add an endpoint row."""
        container = self.query_one("#endpoints", Vertical)
        row = EndpointRow(EndpointValues(), len(container.children))
        await container.mount(row)
        self.set_focus(row.query(FormField).first().control)
        row.scroll_visible(animate=False)

    async def press_in_order(self, button: Button) -> bool:
        """Enter on "+ Add …" or a row's remove button: act before the next key is routed."""
        if button.id == "add-disk":
            await self.action_add_data_disk()
        elif button.id == "add-endpoint":
            await self.action_add_endpoint()
        elif button.has_class("remove"):
            await self.remove_row(button)
        else:
            return False
        return True

    @on(Button.Pressed, "Button.remove")
    async def _remove_row(self, event: Button.Pressed) -> None:
        await self.remove_row(event.button)

    async def remove_row(self, button: Button) -> None:
        """Remove the data-disk or endpoint row of ``button``; focus goes to the section's add button."""
        row = next((a for a in button.ancestors if isinstance(a, EndpointRow | DataDiskRow)), None)
        if row is None:
            return
        container = row.parent
        adder = "#add-endpoint" if isinstance(row, EndpointRow) else "#add-disk"
        await row.remove()
        self.set_focus(self.query_one(adder, Button))
        if container is not None:
            for i, child in enumerate(container.children):
                if isinstance(child, EndpointRow | DataDiskRow):
                    child.rekey(i)
        self.revalidate()

    async def prepare_for_draft(self, draft: dict[str, Any]) -> None:
        """Add or remove data-disk and endpoint rows so every row of ``draft`` has its fields."""
        if self.mode == "modify":
            wanted_disks = 0
        else:
            wanted_disks = _rows_in(draft, "data_disks")
            disks = self.query_one("#data-disks", Vertical)
            while len(disks.children) < wanted_disks:
                index = len(disks.children)
                await disks.mount(DataDiskRow(DataDiskValues(), index, disk_names=self.disk_names))
        endpoints = self.query_one("#endpoints", Vertical)
        wanted = _rows_in(draft, "endpoints")
        while len(endpoints.children) < wanted:
            await endpoints.mount(EndpointRow(EndpointValues(), len(endpoints.children)))
        while len(endpoints.children) > wanted:
            await endpoints.children[-1].remove()
        if self.mode != "modify":
            disks = self.query_one("#data-disks", Vertical)
            while len(disks.children) > wanted_disks:
                await disks.children[-1].remove()

    # ------------------------------------------------------------------ values

    def role_values(self) -> VMRoleValues:
        """The role part of the form."""
        base = self.deployment.role
        if self.mode == "modify":
            name = base.role_name
            os_disk = base.os_disk
            provisioning = None
        else:
            name = str(self.value("role_name")).strip()
            os_disk = OSDiskValues(
                source_image_name=str(self.value("os_disk.source_image_name")),
                disk_name=str(self.value("os_disk.disk_name")).strip(),
                media_link=str(self.value("os_disk.media_link")).strip(),
                host_caching=str(self.value("os_disk.host_caching")),
            )
            # An existing OS disk boots as it is: no provisioning set is sent for it.
            attach = bool(os_disk.disk_name) and not os_disk.source_image_name
            provisioning = None if attach else self.query_one(ProvisioningFields).values()
        return VMRoleValues(
            role_name=name,
            role_size=str(self.value("role_size")),
            os_disk=os_disk,
            data_disks=[d.values() for d in self.query(DataDiskFields)],
            provisioning=provisioning,
            endpoints=[r.values() for r in self.query(EndpointRow)],
            availability_set_name=base.availability_set_name,
        )

    def collect(self) -> DeploymentValues | VMRoleValues:
        role = self.role_values()
        if self.mode != "deployment":
            return role
        name = str(self.value("name")).strip()
        label = str(self.value("label"))
        return DeploymentValues(
            name=name,
            slot=str(self.value("slot")),
            label=label if label.strip() else name,
            upgrade_domain_count=str(self.value("upgrade_domain_count")).strip(),
            role=role,
        )

    def validate_values(self, values: DeploymentValues | VMRoleValues) -> dict[str, str]:
        if isinstance(values, DeploymentValues):
            errors = validate_deployment(values)
            taken = {slot.lower(): name for slot, name in self.slots_in_use.items()}
            holder = taken.get(values.slot.lower())
            if "slot" not in errors and holder is not None:
                errors["slot"] = f"The {values.slot} slot is taken by deployment {holder}."
            # The role's fields are keyed without the "role." prefix in this form.
            return {k.removeprefix("role."): v for k, v in errors.items()}
        if self.mode == "modify":
            errors = validate_endpoints(values.endpoints, ports_in_use=self.ports_in_use)
            if not values.role_size:
                errors["role_size"] = "Role size is required."
            return errors
        return validate_vm_role(
            values, role_names_in_use=self.role_names_in_use, ports_in_use=self.ports_in_use
        )

    def build(self, values: DeploymentValues | VMRoleValues) -> Any:
        if isinstance(values, DeploymentValues):
            return builders.deployment(values)
        if self.mode == "modify":
            return builders.vm_role_update(values)
        return builders.vm_role(values)
