"""Data disks: the fields of one disk (three modes, LUN picker) and the add / modify dialogs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical

from smtui.forms import builders
from smtui.forms.validation import check_label, check_lun, validate_data_disk
from smtui.forms.values import HOST_CACHING, MAX_LUN, DataDiskValues
from smtui.tui.dialogs._base import FormDialog
from smtui.tui.dialogs._fields import FormField, select_field, text_field

DISK_MODES = (
    ("New empty disk (size)", "empty"),
    ("Existing disk (by name)", "existing"),
    ("From a VHD blob (media link)", "blob"),
)


def free_luns(used: Iterable[int]) -> list[int]:
    """LUNs 0–15 not in ``used``."""
    taken = set(used)
    return [n for n in range(MAX_LUN + 1) if n not in taken]


def lun_options(used: Iterable[int], *, hide_used: bool) -> list[tuple[str, str]]:
    """Options of the LUN picker: free LUNs only, or all with the used ones marked."""
    taken = set(used)
    if hide_used:
        return [(str(n), str(n)) for n in free_luns(taken)]
    return [(f"{n} (in use)" if n in taken else str(n), str(n)) for n in range(MAX_LUN + 1)]


class DataDiskFields(Vertical):
    """Mode, LUN, caching, label and the mode's own fields, under ``prefix``."""

    DEFAULT_CSS = """
    DataDiskFields { height: auto; }
    DataDiskFields.-mode-empty .existing-only, DataDiskFields.-mode-empty .blob-only { display: none; }
    DataDiskFields.-mode-existing .empty-only, DataDiskFields.-mode-existing .blob-only { display: none; }
    DataDiskFields.-mode-blob .empty-only, DataDiskFields.-mode-blob .existing-only { display: none; }
    """

    def __init__(
        self,
        values: DataDiskValues,
        *,
        prefix: str,
        luns_in_use: Iterable[int] = (),
        hide_used_luns: bool = True,
        disk_names: Iterable[str] = (),
        uid: str | None = None,
    ) -> None:
        super().__init__(classes=f"-mode-{values.mode}")
        self.uid = uid
        self.initial = values
        self.prefix = prefix
        self.luns_in_use = list(luns_in_use)
        self.hide_used_luns = hide_used_luns
        self.disk_names = list(disk_names)

    def _field_id(self, name: str) -> str | None:
        # Rows of the VMRole builder are renumbered on removal; their ids must not follow the keys.
        return f"{self.uid}-{name}" if self.uid else None

    def compose(self) -> ComposeResult:
        v, p, i = self.initial, self.prefix, self._field_id
        yield select_field("Mode", f"{p}.mode", DISK_MODES, v.mode, id=i("mode"))
        luns = lun_options(self.luns_in_use, hide_used=self.hide_used_luns)
        yield select_field("LUN", f"{p}.lun", luns, v.lun, id=i("lun"))
        caching = [(c, c) for c in HOST_CACHING]
        yield select_field("Host caching", f"{p}.host_caching", caching, v.host_caching, id=i("host_caching"))
        yield text_field("Disk label", f"{p}.label", v.label, placeholder="optional", id=i("label"))
        size = text_field("Size (GB)", f"{p}.size_gb", v.size_gb, placeholder="1–1023", restrict=r"\d*",
                          id=i("size_gb"))  # fmt: skip
        media = text_field("Media link", f"{p}.media_link", v.media_link,
                           placeholder="blob URL of the new VHD (optional)", id=i("media_link"))  # fmt: skip
        for f in (size, media):
            f.add_class("empty-only")
            yield f
        if self.disk_names:
            names = [(n, n) for n in self.disk_names]
            name = select_field("Disk name", f"{p}.disk_name", names, v.disk_name, id=i("disk_name"))
        else:
            name = text_field("Disk name", f"{p}.disk_name", v.disk_name,
                              placeholder="a registered, unattached disk", id=i("disk_name"))  # fmt: skip
        name.add_class("existing-only")
        yield name
        source = text_field("Source media link", f"{p}.source_media_link", v.source_media_link,
                            placeholder="https://account.blob.core.windows.net/vhds/data.vhd",
                            id=i("source_media_link"))  # fmt: skip
        source.add_class("blob-only")
        yield source

    def _field(self, name: str) -> FormField:
        key = f"{self.prefix}.{name}"
        return next(f for f in self.query(FormField) if f.key == key)

    def rekey(self, prefix: str) -> None:
        """Move the fields under a new key prefix (the row's index changed)."""
        for f in self.query(FormField):
            f.key = prefix + f.key[len(self.prefix) :]
        self.prefix = prefix

    def apply_mode(self) -> None:
        """Show only the fields of the chosen mode."""
        mode = self._field("mode").value or "empty"
        for m in ("empty", "existing", "blob"):
            self.set_class(m == mode, f"-mode-{m}")

    def values(self) -> DataDiskValues:
        """The disk as typed."""

        def get(name: str) -> str:
            # A row just added by Enter is revalidated before all its fields are mounted: those read
            # as the row was created.
            key = f"{self.prefix}.{name}"
            found = next((f for f in self.query(FormField) if f.key == key), None)
            return str(found.value if found is not None else getattr(self.initial, name, "") or "")

        mode = get("mode")
        return DataDiskValues(
            mode=mode if mode in ("empty", "existing", "blob") else "empty",  # type: ignore[arg-type]
            lun=get("lun"),
            host_caching=get("host_caching"),
            label=get("label").strip(),
            disk_name=get("disk_name").strip(),
            media_link=get("media_link").strip(),
            source_media_link=get("source_media_link").strip(),
            size_gb=get("size_gb").strip(),
        )


class AddDataDiskDialog(FormDialog[DataDiskValues, Any]):
    """Attach a data disk to a role; returns the ``DataDisk`` model.

    Args:
        role_name: The role the disk is for (shown in the title).
        luns_in_use: LUNs of the role's existing data disks (the picker offers the free ones).
        disk_names: Registered disks that are not attached, for the "existing disk" mode.
        values: What to prefill.
    """

    TITLE = "Add data disk"
    SUBMIT_LABEL = "Attach"

    def __init__(
        self,
        role_name: str,
        *,
        luns_in_use: Iterable[int] = (),
        disk_names: Iterable[str] = (),
        values: DataDiskValues | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("title", f"Add data disk to role {role_name}")
        super().__init__(**kwargs)
        self.luns_in_use = list(luns_in_use)
        self.disk_names = list(disk_names)
        free = free_luns(self.luns_in_use)
        self.initial = values or DataDiskValues(lun=str(free[0]) if free else "")

    def compose_form(self) -> ComposeResult:
        yield DataDiskFields(self.initial, prefix="data_disk", luns_in_use=self.luns_in_use,
                             disk_names=self.disk_names)  # fmt: skip

    def on_field_changed(self, field: FormField) -> None:
        if field.key.endswith(".mode"):
            self.query_one(DataDiskFields).apply_mode()

    def collect(self) -> DataDiskValues:
        return self.query_one(DataDiskFields).values()

    def validate_values(self, values: DataDiskValues) -> dict[str, str]:
        return validate_data_disk(values, luns_in_use=self.luns_in_use)

    def build(self, values: DataDiskValues) -> Any:
        return builders.data_disk(values)


class ModifyDataDiskDialog(FormDialog[DataDiskValues, Any]):
    """Change a data disk's caching, label or LUN; returns the ``DataDisk`` model to PUT."""

    TITLE = "Modify data disk"
    SUBMIT_LABEL = "Update"

    def __init__(
        self, current: DataDiskValues, *, role_name: str, luns_in_use: Iterable[int] = (), **kwargs: Any
    ) -> None:
        kwargs.setdefault("title", f"Modify data disk at LUN {current.lun} of role {role_name}")
        super().__init__(**kwargs)
        self.current = current
        self.luns_in_use = [n for n in luns_in_use if str(n) != current.lun]

    def compose_form(self) -> ComposeResult:
        v = self.current
        yield select_field("LUN", "lun", lun_options(self.luns_in_use, hide_used=True), v.lun)
        yield select_field("Host caching", "host_caching", [(c, c) for c in HOST_CACHING], v.host_caching)
        yield text_field("Disk label", "label", v.label)

    def collect(self) -> DataDiskValues:
        return DataDiskValues(
            mode="existing",
            lun=str(self.value("lun")),
            host_caching=str(self.value("host_caching")),
            label=str(self.value("label")).strip(),
            disk_name=self.current.disk_name,
            media_link=self.current.media_link,
            size_gb=self.current.size_gb,
        )

    def validate_values(self, values: DataDiskValues) -> dict[str, str]:
        errors: dict[str, str] = {}
        for key, problem in (
            ("lun", check_lun(values.lun)),
            ("label", check_label(values.label, "Disk label", optional=True)),
        ):
            if problem:
                errors[key] = problem
        return errors

    def build(self, values: DataDiskValues) -> Any:
        return builders.data_disk(values, for_update=True)
