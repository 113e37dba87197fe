"""Serialize and parse the Service Management data objects (XML and JSON).

Generic API
    ``to_xml(obj, root=None)`` → bytes, one line, no XML declaration, root declaring ``xmlns``
    and ``xmlns:i`` like the service. ``from_xml(cls, element_or_bytes)`` (order-insensitive,
    unknown elements kept), ``parse_list(cls, data)``, ``to_json(obj)`` / ``from_json(cls, d)``,
    ``from_mapping(cls, mapping)`` (the seed's PascalCase dicts, snake_case dicts or a model) and
    ``parse_error(data)`` → ``(code, message)``. ``to_xml``/``from_xml`` default to the RESPONSE
    form; pass ``request=True`` for the request form (it only differs where the service does:
    the VM deployment ``Label`` is plain text in requests, and requests carry no ``i:type``).

Request bodies: the request builders in ``smtui.api.operations*`` serialize their model with
``to_xml(model, request=True)``; one generic path, no per-operation body functions.

Response parsing for the client: ``from_xml(OperationStatus, body)``, ``from_xml(OSImage, …)``,
``parse_list(OSImage, …)`` (ListOSImages), ``parse_list(HostedService, …)``,
``from_xml(HostedService, …)``, ``from_xml(StorageAccountKeys, …)``, ``from_xml(Deployment, …)``,
``from_xml(VMRole, …)`` (GetRole), ``from_xml(DataDisk, …)``, ``parse_list(Disk, …)``,
``parse_list(StorageAccount, …)``, ``parse_list(Location, …)``, ``parse_list(RoleSize, …)``;
``parse_error(body)`` for ``<Error>`` bodies. All raise :class:`~smtui.api.errors.XmlError`
(with the element name) on malformed documents or bad values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from lxml import etree

from smtui.api import codec_json, codec_xml
from smtui.api.codec_schema import spec_of
from smtui.api.errors import XmlError
from smtui.api.models import (
    VMRole,
)
from smtui.api.xml import AZURE_NS, local_name, parse_xml

__all__ = [
    "from_json",
    "from_mapping",
    "from_xml",
    "parse_error",
    "parse_list",
    "to_json",
    "to_xml",
]

T = TypeVar("T")

XmlInput = bytes | str | etree._Element


def _root(data: XmlInput) -> etree._Element:
    if isinstance(data, etree._Element):
        return data
    return parse_xml(data)


def _check_root(root: etree._Element, cls: type, expected: tuple[str, ...] | None = None) -> None:
    names = expected or (spec_of(cls).root,)
    tag = root.tag
    if not isinstance(tag, str) or local_name(root) not in names:
        raise XmlError(f"expected <{'> or <'.join(names)}>, got <{local_name(root)}>")
    if tag[0] == "{" and not tag.startswith("{" + AZURE_NS + "}"):
        raise XmlError(f"<{local_name(root)}> is not in the {AZURE_NS} namespace")


def to_xml(obj: Any, root: str | None = None, *, request: bool = False) -> bytes:
    """Serialize a data object.

    Args:
        obj: A model instance.
        root: Root element name (default: the class's wire name, e.g. ``PersistentVMRole``).
        request: Emit the request form instead of the response form.

    Returns:
        The document: one line, no XML declaration, elements in documented order.

    Raises:
        ValidationError: A field holds a value of the wrong type.
    """
    return codec_xml.write(obj, root, request)


def from_xml(cls: type[T], data: XmlInput, *, request: bool = False) -> T:
    """Parse a document (or an already parsed element) into ``cls``.

    The root's name must be the class's wire name (``Role`` is accepted for :class:`VMRole`).
    Children are matched by name in any order; unknown ones are kept in ``extra``.

    Raises:
        XmlError: Malformed or unsafe XML, a different root, or a value of the wrong type.
    """
    root = _root(data)
    _check_root(root, cls, ("PersistentVMRole", "Role") if cls is VMRole else None)
    result: T = codec_xml.read(cls, root, request)
    return result


def parse_list(cls: type[T], data: XmlInput | list[Any]) -> list[T]:
    """Parse a list response (``Images``, ``HostedServices`` …) into a list of ``cls``.

    ``data`` may also be an already decoded JSON array, whose items go through :func:`from_json`.
    """
    if isinstance(data, list):
        return [codec_json.from_json(cls, item) for item in data]
    root = _root(data)
    wrapper = getattr(cls, "__wire_list__", None)
    if wrapper is not None:
        _check_root(root, cls, (wrapper,))
    return codec_xml.read_list(cls, root)


def to_json(obj: Any, *, request: bool = False) -> dict[str, Any]:
    """The JSON object of a data object: element names as keys, wire values (base64 labels)."""
    return codec_json.to_json(obj, request)


def from_json(cls: type[T], data: Mapping[str, Any], *, request: bool = False) -> T:
    """Build ``cls`` from its JSON object (as produced by :func:`to_json`)."""
    result: T = codec_json.from_json(cls, data, request)
    return result


def from_mapping(cls: type[T], mapping: Any) -> T:
    """Build ``cls`` from a plain mapping with PascalCase or snake_case keys, or pass a model through.

    Nested objects may be mappings or models, lists may hold either; ints/booleans may be strings.
    Labels are given in clear text. Configuration sets without ``ConfigurationSetType`` are
    recognised by their keys (the seed's Windows sample omits it).

    Raises:
        ValidationError: Unknown key or wrong value type; ``field`` is the dotted wire path.
    """
    result: T = codec_json.from_mapping(cls, mapping)
    return result


def parse_error(data: bytes | str | etree._Element) -> tuple[str, str]:
    """``(code, message)`` of an ``<Error>`` body (namespaced or not).

    Raises:
        XmlError: Not XML, or the root is not ``Error``.
    """
    root = _root(data)
    if local_name(root) != "Error":
        raise XmlError(f"expected <Error>, got <{local_name(root)}>")
    code = message = ""
    for child in root:
        if not isinstance(child.tag, str):
            continue
        name = local_name(child)
        if name == "Code":
            code = child.text or ""
        elif name == "Message":
            message = child.text or ""
    return code, message
