"""Validation of request bodies; every failure is a 400 BadRequest whose message names the field."""

from __future__ import annotations

import base64
import binascii
import re

from smtui.emulator.engine import ApiError, bad_request
from smtui.emulator.nodes import Node, Value

_SERVICE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]{1,61}[A-Za-z0-9]\Z")
# Role names: letters, digits and hyphens, a letter first, no hyphen last, at most 64 (every
# recorded RoleName has this shape). Deployment names also allow '.' and '_' and a leading digit.
_ROLE_NAME = re.compile(r"^[A-Za-z](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?\Z")
_DEPLOYMENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")
_STORAGE_NAME = re.compile(r"^[a-z0-9]{3,24}\Z")
_EXT_PROP_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}\Z")


def text(
    node: Node, field: str, *, required: bool = False, max_len: int | None = None
) -> str | None:
    """A leaf value of ``node`` as text (None when absent), with presence/length checks."""
    value = node.get(field)
    if isinstance(value, dict | list):
        raise bad_request(f"The value for {field} must be a simple value.")
    if value is None or value == "":
        if required:
            raise bad_request(f"The value for parameter '{field}' is null or empty.")
        return None
    value = str(value)
    if max_len is not None and len(value) > max_len:
        raise bad_request(f"The value for {field} is longer than {max_len} characters.")
    return value


def integer(node: Node, field: str, lo: int, hi: int, *, required: bool = False) -> int | None:
    """An integer leaf in ``[lo, hi]``."""
    raw = text(node, field, required=required)
    if raw is None:
        return None
    try:
        value = int(raw.strip())
    except ValueError:
        raise bad_request(f"The value '{raw}' for {field} is not a valid integer.") from None
    if not lo <= value <= hi:
        raise bad_request(f"The value {value} for {field} is out of range; it must be between {lo} and {hi}.")
    return value


def boolean(node: Node, field: str) -> str | None:
    """A boolean leaf, normalised to ``true``/``false``."""
    raw = text(node, field)
    if raw is None:
        return None
    low = raw.strip().lower()
    if low not in ("true", "false"):
        raise bad_request(f"The value '{raw}' for {field} is not a valid boolean.")
    return low


def choice(
    node: Node, field: str, allowed: tuple[str, ...], *, required: bool = False
) -> str | None:
    """A leaf that must be one of ``allowed`` (case-insensitive), returned in canonical spelling."""
    raw = text(node, field, required=required)
    if raw is None:
        return None
    for option in allowed:
        if option.lower() == raw.strip().lower():
            return option
    raise bad_request(f"The value '{raw}' for {field} is invalid; expected one of {', '.join(allowed)}.")


def label_b64(
    node: Node, field: str = "Label", *, required: bool = True, max_len: int = 100
) -> str | None:
    """A base64 label, decoded."""
    raw = text(node, field, required=required)
    if raw is None:
        return None
    try:
        decoded = base64.b64decode(raw.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise bad_request(f"The {field} is not a valid base64-encoded string.") from None
    if not decoded.strip():
        raise bad_request(f"The value for parameter '{field}' is null or empty.")
    if len(decoded) > max_len:
        raise bad_request(f"The {field} must be at most {max_len} characters long.")
    return decoded


def service_name(node: Node, field: str = "ServiceName") -> str:
    """A hosted-service DNS prefix."""
    name = text(node, field, required=True)
    assert name is not None
    if not _SERVICE_NAME.match(name):
        raise bad_request("The hosted service name is invalid.")
    return name


def storage_name(node: Node) -> str:
    """A storage account name."""
    name = text(node, "ServiceName", required=True)
    assert name is not None
    if not _STORAGE_NAME.match(name):
        raise bad_request(
            "The name is not a valid storage account name. Storage account names must be between 3 and 24 "
            "characters in length and use numbers and lower-case letters only."
        )
    return name


def role_name(name: str | None, field: str = "RoleName") -> str:
    """A role name."""
    return _name(name, field, _ROLE_NAME)


def deployment_name(name: str | None, field: str = "Name") -> str:
    """A deployment name."""
    return _name(name, field, _DEPLOYMENT_NAME)


def _name(name: str | None, field: str, pattern: re.Pattern[str]) -> str:
    if not name:
        raise bad_request(f"The value for parameter '{field}' is null or empty.")
    if not pattern.match(name):
        raise bad_request(f"The {field} '{name}' is invalid.")
    return name


def extended_properties(
    node: Node, field: str = "ExtendedProperties"
) -> list[dict[str, str]] | None:
    """``ExtendedProperties`` as a list of ``{Name, Value}``."""
    raw = node.get(field)
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise bad_request(f"The {field} element is invalid.")
    if len(raw) > 50:
        raise bad_request(f"At most 50 {field} are allowed.")
    out = []
    for item in raw:
        if not isinstance(item, dict):
            raise bad_request(f"The {field} element is invalid.")
        name = text(item, "Name", required=True)
        assert name is not None
        if not _EXT_PROP_NAME.match(name):
            raise bad_request(f"The extended property name '{name}' in {field} is invalid.")
        out.append({"Name": name, "Value": text(item, "Value", max_len=255) or ""})
    return out


def update_extended_properties(node: Node, doc: Node) -> None:
    """Apply an update's ``ExtendedProperties`` to ``doc``: a given name replaces, a new one is added."""
    props = extended_properties(node)
    if props is not None:
        merged = {p["Name"]: p for p in doc.get("ExtendedProperties", [])}
        merged.update({p["Name"]: p for p in props})
        doc["ExtendedProperties"] = list(merged.values())


def update_texts(node: Node, doc: Node, fields: tuple[str, ...]) -> None:
    """Copy each of ``fields`` that ``node`` has into ``doc``; an empty value removes the field."""
    for field in fields:
        if field in node:
            value = text(node, field)
            if value:
                doc[field] = value
            else:
                doc.pop(field, None)


def location_or_affinity(
    node: Node, locations: dict[str, str], groups: set[str]
) -> tuple[str | None, str | None]:
    """Exactly one of ``Location`` / ``AffinityGroup``, both checked to exist."""
    location = text(node, "Location")
    group = text(node, "AffinityGroup")
    if bool(location) == bool(group):
        raise bad_request("Exactly one of Location or AffinityGroup must be specified.")
    if location is not None:
        canonical = locations.get(location.lower())
        if canonical is None:
            raise bad_request(f"The location constraint '{location}' (Location) is not valid.")
        return canonical, None
    assert group is not None
    if group.lower() not in groups:
        raise bad_request(f"The affinity group '{group}' (AffinityGroup) does not exist.")
    return None, group


def as_dict(value: object, field: str) -> Node:
    """A nested element, required to have children."""
    if not isinstance(value, dict):
        raise bad_request(f"The {field} element is invalid or missing.")
    return value


def as_list(value: object, field: str) -> list[Value]:
    """A wrapper element (absent = empty)."""
    if value is None or value == "":
        return []
    if isinstance(value, dict):
        # A JSON client may send a single item as an object.
        return [value]
    if not isinstance(value, list):
        raise bad_request(f"The {field} element is invalid.")
    return value


def require(condition: bool, message: str) -> None:
    """Raise 400 BadRequest with ``message`` unless ``condition``."""
    if not condition:
        raise bad_request(message)


__all__ = ["ApiError"]
