"""A connection profile: one subscription, the endpoint that serves it, and how to talk to it."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from smtui.api.errors import ValidationError
from smtui.profiles.paths import JsonObject

# Same defaults as smtui.api.transport.ClientOptions; repeated so that reading profiles
# (smtui info, smtui profiles list) does not import httpx.
DEFAULT_HOST = "management.core.windows.net"
DEFAULT_API_VERSION = "2014-10-01"
SERIALIZE_TYPES = ("XML", "JSON")

EMULATOR_PROFILE = "emulator"
"""Reserved profile name: ``--profile emulator`` always means the embedded emulator."""

_API_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
_HOST = re.compile(r"^[A-Za-z0-9._-]+(:\d{1,5})?\Z|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?\Z")
_REDIRECT_HOST = re.compile(r"^(\*\.)?[a-z0-9._-]+(:\d{1,5})?\Z")
_SUBSCRIPTION_ID = re.compile(r"^[A-Za-z0-9._-]+\Z")

# Fields written to the config file. Certificate and key paths are deliberately absent:
# they live in the keyring (smtui.profiles.credentials).
METADATA_FIELDS = (
    "subscription_id",
    "host",
    "api_version",
    "serialize_type",
    "read_only",
    "subscription_name",
    "ca_file",
    "redirect_hosts",
)


@dataclass(frozen=True)
class Profile:
    """One configured subscription.

    Attributes:
        name: Unique profile name (``--profile NAME``); ``"emulator"`` is reserved.
        subscription_id: The subscription id used in every request path.
        host: Management endpoint, ``name`` or ``name:port`` (no scheme, no path).
        api_version: Sent as ``x-ms-version``.
        serialize_type: ``"XML"`` or ``"JSON"``.
        read_only: Hide every mutating action for this profile.
        subscription_name: Display name of the subscription (from a ``.publishsettings``).
        ca_file: PEM bundle trusted for the server instead of the system store (private endpoints).
        redirect_hosts: Hosts besides ``host`` and its subdomains that a ``307`` may send requests
            (bodies included) to: ``name``, ``name:port`` or ``*.domain``.
        cert_path: PEM management certificate — stored in the keyring, not the config file.
        key_path: PEM private key of the certificate — stored in the keyring, not the config file.
    """

    name: str
    subscription_id: str
    host: str = DEFAULT_HOST
    api_version: str = DEFAULT_API_VERSION
    serialize_type: str = "XML"
    read_only: bool = False
    subscription_name: str | None = None
    ca_file: str | None = None
    redirect_hosts: tuple[str, ...] = ()
    cert_path: str | None = None
    key_path: str | None = None

    @property
    def has_credentials(self) -> bool:
        """True when both the certificate and the key path are known."""
        return bool(self.cert_path and self.key_path)

    def validated(self) -> Profile:
        """This profile normalised (trimmed, host without scheme, upper-case serialize type).

        Raises:
            ValidationError: A field is invalid; ``field`` names it.
        """
        name = self.name.strip() if isinstance(self.name, str) else ""
        if not name:
            raise ValidationError("name", "must not be empty")
        if len(name) > 80 or any(ord(ch) < 32 or ord(ch) == 127 for ch in name):
            raise ValidationError("name", "must be at most 80 printable characters")
        if name.lower() == EMULATOR_PROFILE:
            raise ValidationError("name", f"{EMULATOR_PROFILE!r} is reserved for the embedded emulator")
        sub = self.subscription_id.strip() if isinstance(self.subscription_id, str) else ""
        if not sub or not _SUBSCRIPTION_ID.match(sub):
            raise ValidationError("subscription_id", f"must be a subscription id (GUID), got {sub!r}")
        host = normalize_host(self.host)
        api_version = (self.api_version or "").strip()
        if not _API_VERSION.match(api_version):
            raise ValidationError("api_version", f"must look like 2014-10-01, got {api_version!r}")
        kind = str(self.serialize_type or "").strip().upper()
        if kind not in SERIALIZE_TYPES:
            raise ValidationError("serialize_type", f"must be XML or JSON, got {self.serialize_type!r}")
        redirect_hosts = self.redirect_hosts
        if isinstance(redirect_hosts, str) or not all(isinstance(h, str) for h in redirect_hosts or ()):
            raise ValidationError("redirect_hosts", f"must be a list of host names, got {redirect_hosts!r}")
        hosts = tuple(h.strip().lower() for h in redirect_hosts or () if h.strip())
        for host in hosts:
            if not _REDIRECT_HOST.match(host):
                raise ValidationError("redirect_hosts", f"must be name, name:port or *.domain, got {host!r}")
        if bool(self.cert_path) != bool(self.key_path):
            raise ValidationError("cert_path", "a certificate and its key go together: give both or neither")
        return replace(
            self,
            name=name,
            subscription_id=sub,
            host=host,
            api_version=api_version,
            serialize_type=kind,
            read_only=bool(self.read_only),
            subscription_name=(self.subscription_name or "").strip() or None,
            ca_file=absolute_path(self.ca_file),
            redirect_hosts=hosts,
            cert_path=absolute_path(self.cert_path),
            key_path=absolute_path(self.key_path),
        )

    def metadata(self) -> JsonObject:
        """What the config file stores for this profile (no certificate or key paths)."""
        data = {field: getattr(self, field) for field in METADATA_FIELDS}
        data["redirect_hosts"] = list(self.redirect_hosts)
        return data

    @classmethod
    def from_metadata(cls, name: str, data: JsonObject) -> Profile:
        """Rebuild a profile (without credentials) from its config file entry."""
        known = {key: data[key] for key in METADATA_FIELDS if key in data}
        if isinstance(known.get("redirect_hosts"), list):
            known["redirect_hosts"] = tuple(known["redirect_hosts"])
        if "subscription_id" not in known:
            raise ValidationError("subscription_id", f"profile {name!r} in the config file has none")
        return cls(name=name, **known)


def absolute_path(value: str | None) -> str | None:
    """``value`` made absolute (``~`` expanded), so a profile works from any directory; None stays None."""
    if not value:
        return None
    return os.path.abspath(os.path.expanduser(value))


def normalize_host(value: str | None) -> str:
    """``host`` or ``host:port`` from a host, or from a URL such as ``https://host:port/``.

    Raises:
        ValidationError: The value is empty or not a host.
    """
    raw = (value or "").strip()
    if "://" in raw:
        parts = urlsplit(raw)
        if parts.scheme.lower() != "https":
            raise ValidationError("host", f"the Service Management API is HTTPS only, got {raw!r}")
        raw = parts.netloc
    raw = raw.rstrip("/")
    if not raw or not _HOST.match(raw):
        raise ValidationError("host", f"must be a host name or host:port, got {value!r}")
    return raw
