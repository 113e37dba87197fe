"""The provisioning-configuration fields (Windows or Linux), shared by the VMRole builder and Capture."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical

from smtui.forms.values import OS_TYPES, OsType, ProvisioningValues
from smtui.tui.dialogs._fields import FormField, check_field, select_field, text_field

# The time zones a Windows VM is most often given; the service takes Windows time-zone ids.
TIME_ZONES = (
    "UTC",
    "GMT Standard Time",
    "W. Europe Standard Time",
    "Central Europe Standard Time",
    "Eastern Standard Time",
    "Central Standard Time",
    "Mountain Standard Time",
    "Pacific Standard Time",
    "Tokyo Standard Time",
    "AUS Eastern Standard Time",
)


class ProvisioningFields(Vertical):
    """Host/computer name, user, password and the OS-specific options, under ``prefix``."""

    DEFAULT_CSS = """
    ProvisioningFields { height: auto; }
    ProvisioningFields.-linux .windows-only { display: none; }
    ProvisioningFields.-windows .linux-only { display: none; }
    """

    def __init__(self, values: ProvisioningValues | None = None, *, prefix: str = "provisioning") -> None:
        super().__init__(classes="-windows" if values and values.os == "Windows" else "-linux")
        self.initial = values or ProvisioningValues()
        self.prefix = prefix

    def compose(self) -> ComposeResult:
        v, p = self.initial, self.prefix
        yield select_field("OS", f"{p}.os", [(o, o) for o in OS_TYPES], v.os)
        yield text_field("Host name", f"{p}.host_name", v.host_name, placeholder="computer / host name")
        yield text_field("User", f"{p}.user_name", v.user_name, placeholder="admin user name")
        yield text_field("Password", f"{p}.password", v.password, password=True)
        linux_fields = (
            check_field("Disable SSH password authentication", f"{p}.disable_ssh_password_auth",
                        v.disable_ssh_password_auth),
            text_field("SSH key fingerprint", f"{p}.ssh_fingerprint", v.ssh_fingerprint,
                       placeholder="thumbprint of an uploaded certificate (optional)"),
            text_field("SSH key path", f"{p}.ssh_path", v.ssh_path,
                       placeholder="/home/<user>/.ssh/authorized_keys"),
        )  # fmt: skip
        for f in linux_fields:
            f.add_class("linux-only")
            yield f
        zones = [(z, z) for z in TIME_ZONES]
        if v.time_zone and v.time_zone not in TIME_ZONES:
            zones.insert(0, (v.time_zone, v.time_zone))
        windows_fields = (
            check_field("Reset password on first logon", f"{p}.reset_password_on_first_logon",
                        v.reset_password_on_first_logon),
            check_field("Enable automatic updates", f"{p}.enable_automatic_updates",
                        v.enable_automatic_updates),
            select_field("Time zone", f"{p}.time_zone", zones, v.time_zone or "UTC"),
        )  # fmt: skip
        for f in windows_fields:
            f.add_class("windows-only")
            yield f

    def _field(self, name: str) -> FormField:
        key = f"{self.prefix}.{name}"
        for f in self.query(FormField):
            if f.key == key:
                return f
        raise KeyError(key)

    @property
    def os(self) -> OsType:
        """The OS chosen in the form."""
        return "Windows" if self._field("os").value == "Windows" else "Linux"

    def apply_os(self) -> None:
        """Show the fields of the chosen OS only."""
        windows = self.os == "Windows"
        self.set_class(windows, "-windows")
        self.set_class(not windows, "-linux")

    def values(self) -> ProvisioningValues:
        """The provisioning set as typed."""

        def get(name: str) -> Any:
            return self._field(name).value

        return ProvisioningValues(
            os=self.os,
            host_name=get("host_name").strip(),
            user_name=get("user_name").strip(),
            password=get("password"),
            disable_ssh_password_auth=bool(get("disable_ssh_password_auth")),
            ssh_fingerprint=get("ssh_fingerprint").strip(),
            ssh_path=get("ssh_path").strip(),
            reset_password_on_first_logon=bool(get("reset_password_on_first_logon")),
            enable_automatic_updates=bool(get("enable_automatic_updates")),
            time_zone=get("time_zone"),
        )
