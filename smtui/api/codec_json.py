"""JSON form of the data objects and construction from plain mappings.

JSON mirrors the XML (SPEC §1.4, the 2012 Node.js client): element names are the keys, list
wrappers become arrays of their items, ``i:nil`` becomes ``null``, an empty wrapper ``[]``, and
base64 fields stay encoded exactly as on the XML wire. Unknown elements travel under their own
name: text-only ones as strings, others as ``{"$xml": "<canonical xml>"}``.

Mappings (:func:`from_mapping`) are what callers write by hand, like the seed's samples: keys may
be the PascalCase element names or the snake_case field names, values are plain (labels NOT
base64), ints and booleans may be given as strings, nested objects as dicts or models.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lxml import etree

from smtui.api.codec_schema import (
    LIST_MODEL,
    LIST_SCALAR,
    MODEL,
    POLY,
    SCALAR,
    Field,
    clark,
    is_model,
    poly_discriminator,
    spec_of,
)
from smtui.api.codec_xml import NIL, b64_to_text, canonical, text_to_b64, text_to_bool, text_to_int
from smtui.api.errors import ValidationError
from smtui.api.models import UnknownElement
from smtui.api.xml import AZURE_NS, XSI_NS, local_name, parse_xml

# Spellings used by the seed (npm azure@0.6.10) samples and serializer for real element names.
SEED_ALIASES = {
    "DisablePasswordAuthentication": "DisableSshPasswordAuthentication",
    "EnableAutomaticUpdate": "EnableAutomaticUpdates",
}

_XML_KEY = "$xml"


# --------------------------------------------------------------------------- to JSON


def to_json(obj: Any, request: bool = False) -> dict[str, Any]:
    """The JSON object of a data object (element names as keys)."""
    spec = spec_of(type(obj))
    out: dict[str, Any] = {}
    anchored: dict[str | None, list[str]] = {}
    for unknown in obj.extra:
        anchored.setdefault(unknown.after, []).append(unknown.xml)
    _put_unknown(out, anchored.pop(None, ()))
    for field in spec.fields:
        value = getattr(obj, field.name)
        kind = field.kind
        if value is None or (kind >= LIST_MODEL and not value):
            if field.wire in obj.nil:
                out[field.wire] = None
            elif kind >= LIST_MODEL and field.wire in obj.empty:
                out[field.wire] = []
        elif kind == SCALAR:
            if field.b64 == "always" or (field.b64 == "response" and not request):
                value = text_to_b64(value)
            out[field.wire] = value
        elif kind in (MODEL, POLY):
            out[field.wire] = to_json(value, request)
        elif kind == LIST_SCALAR:
            out[field.wire] = list(value)
        else:
            out[field.wire] = [to_json(item, request) for item in value]
        _put_unknown(out, anchored.pop(field.wire, ()))
    for rest in anchored.values():
        _put_unknown(out, rest)
    return out


def _put_unknown(out: dict[str, Any], xmls: Any) -> None:
    for xml in xmls:
        elem = parse_xml(xml)
        name = local_name(elem)
        simple = not len(elem) and not any(k != NIL for k in elem.attrib)
        if simple and elem.get(NIL) in ("true", "1"):
            value: Any = None
        elif simple:
            value = elem.text or ""
        else:
            value = {_XML_KEY: xml}
        if name in out:
            previous = out[name]
            out[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            out[name] = value


# --------------------------------------------------------------------------- from JSON / mappings


def from_json(cls: type, data: Mapping[str, Any], request: bool = False) -> Any:
    """Build ``cls`` from its JSON object (wire values: base64 fields still encoded)."""
    return _from_dict(cls, data, wire_values=True, request=request, path=spec_of(cls).root)


def from_mapping(cls: type, mapping: Any) -> Any:
    """Build ``cls`` from a plain mapping (PascalCase or snake_case keys) or return a model as is.

    Raises:
        ValidationError: A key is unknown or a value has the wrong type; ``field`` names it.
    """
    if isinstance(mapping, cls):
        return mapping
    if not isinstance(mapping, Mapping):
        got = type(mapping).__name__
        raise ValidationError(spec_of(cls).root, f"expected a mapping or {cls.__name__}, got {got}")
    return _from_dict(cls, mapping, wire_values=False, request=False, path=spec_of(cls).root)


def _from_dict(cls: type, data: Mapping[str, Any], *, wire_values: bool, request: bool, path: str) -> Any:
    spec = spec_of(cls)
    kwargs: dict[str, Any] = {}
    extra: list[UnknownElement] = []
    nil: set[str] = set()
    empty: set[str] = set()
    last: str | None = None
    for key, value in data.items():
        field = spec.by_key.get(key)
        if field is None and not wire_values:
            alias = SEED_ALIASES.get(key)
            field = spec.by_key.get(alias) if alias else None
        if field is None:
            if not wire_values:
                raise ValidationError(f"{path}.{key}", f"unknown field of {cls.__name__}")
            extra.extend(UnknownElement(last, xml) for xml in _unknown_from_json(key, value))
            continue
        last = field.wire
        where = f"{path}.{field.wire}"
        if value is None:
            if wire_values:
                nil.add(field.wire)
            continue
        kind = field.kind
        if kind == SCALAR:
            kwargs[field.name] = _scalar(field, value, wire_values, request, where)
        elif kind == MODEL:
            kwargs[field.name] = _nested(field.cls, value, wire_values, request, where)  # type: ignore[arg-type]
        elif kind == POLY:
            kwargs[field.name] = _nested(_choose(field, value, where), value, wire_values, request, where)
        else:
            if isinstance(value, (str, bytes, Mapping)) or not hasattr(value, "__iter__"):
                raise ValidationError(where, f"expected a list, got {type(value).__name__}")
            items = list(value)
            if not items:
                empty.add(field.wire)
            if kind == LIST_SCALAR:
                kwargs[field.name] = [_list_text(item, where) for item in items]
            elif kind == LIST_MODEL:
                kwargs[field.name] = [
                    _nested(field.cls, item, wire_values, request, where) for item in items  # type: ignore[arg-type]
                ]
            else:
                kwargs[field.name] = [
                    _nested(_choose(field, item, where), item, wire_values, request, where) for item in items
                ]
    if wire_values:
        # What the wire did not say stays None, even where the constructor has a friendlier
        # default for callers (VMRole.role_type).
        for field in spec.fields:
            if field.default is not None and field.name not in kwargs:
                kwargs[field.name] = None
    try:
        obj = cls(**kwargs)
    except TypeError as exc:  # a field the class does not take (should not happen: keys are checked)
        raise ValidationError(path, str(exc)) from None
    if extra:
        obj.extra = extra
    if nil:
        obj.nil = frozenset(nil)
    if empty:
        obj.empty = frozenset(empty)
    return obj


def _nested(cls: type, value: Any, wire_values: bool, request: bool, where: str) -> Any:
    if isinstance(value, cls):
        return value
    if not isinstance(value, Mapping):
        raise ValidationError(where, f"expected an object ({cls.__name__}), got {type(value).__name__}")
    return _from_dict(cls, value, wire_values=wire_values, request=request, path=where)


def _choose(field: Field, value: Any, where: str) -> type:
    if is_model(type(value)):
        if type(value) not in field.choices:
            raise ValidationError(where, f"{type(value).__name__} is not allowed here")
        return type(value)
    if not isinstance(value, Mapping):
        raise ValidationError(where, f"expected an object, got {type(value).__name__}")
    element, by_value, _ = poly_discriminator(field.choices)
    snake = spec_of(field.choices[0]).by_key[element].name
    kind = value.get(element, value.get(snake))
    if kind is None:
        kind = _infer_set_type(value)
    choice = by_value.get(kind) if isinstance(kind, str) else None
    if choice is None:
        choice = by_value.get("*")
    if choice is None:
        raise ValidationError(f"{where}.{element}", f"unknown or missing {element} {kind!r}")
    return choice


def _infer_set_type(value: Mapping[str, Any]) -> str | None:
    # The seed's own sample leaves ConfigurationSetType out of its Windows provisioning set.
    keys = set(value)
    if keys & {"ComputerName", "AdminPassword", "computer_name", "admin_password", "AdminUsername"}:
        return "WindowsProvisioningConfiguration"
    if keys & {"HostName", "UserName", "host_name", "user_name"}:
        return "LinuxProvisioningConfiguration"
    if keys & {"InputEndpoints", "SubnetNames", "input_endpoints", "subnet_names"}:
        return "NetworkConfiguration"
    return None


def _scalar(field: Field, value: Any, wire_values: bool, request: bool, where: str) -> Any:
    scalar = field.scalar
    try:
        if scalar is bool:
            if isinstance(value, bool):
                return value
            if isinstance(value, str):
                return text_to_bool(value.strip().lower())
        elif scalar is int:
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            if isinstance(value, str):
                return text_to_int(value.strip())
        elif isinstance(value, str):
            if wire_values and (field.b64 == "always" or (field.b64 == "response" and not request)):
                return b64_to_text(value)
            return value
    except (ValueError, KeyError):
        pass
    expected = {bool: "a boolean", int: "an integer"}.get(scalar, "a string")
    if field.b64 and wire_values and isinstance(value, str):
        expected = "base64 UTF-8 text"
    shown = "…" if "password" in field.name else repr(value)[:40]
    raise ValidationError(where, f"expected {expected}, got {shown}")


def _list_text(item: Any, where: str) -> str:
    if not isinstance(item, str):
        raise ValidationError(where, f"expected strings, got {type(item).__name__}")
    return item


def _unknown_from_json(key: str, value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [canonical(_json_to_element(key, v)) for v in values]


def _json_to_element(key: str, value: Any) -> etree._Element:
    if isinstance(value, Mapping) and _XML_KEY in value:
        return parse_xml(str(value[_XML_KEY]))
    elem = etree.Element(clark(key), nsmap={None: AZURE_NS, "i": XSI_NS})
    if value is None:
        elem.set(NIL, "true")
    elif isinstance(value, Mapping):
        for sub_key, sub_value in value.items():
            for child in (sub_value if isinstance(sub_value, list) else [sub_value]):
                elem.append(_json_to_element(str(sub_key), child))
    elif isinstance(value, bool):
        elem.text = "true" if value else "false"
    else:
        elem.text = str(value)
    return elem
