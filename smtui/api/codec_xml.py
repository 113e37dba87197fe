"""XML reading and writing of the data objects (the engine behind :mod:`smtui.api.codec`).

Reading walks an lxml tree once. Each model class has a table keyed by Clark tag, so a child is
matched with one dict lookup (no namespace splitting), its text converted by a precomputed
converter and stored by position; the object is then built with one positional constructor call.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from lxml import etree

from smtui.api.codec_schema import (
    LIST_MODEL,
    LIST_POLY,
    LIST_SCALAR,
    MODEL,
    POLY,
    SCALAR,
    Field,
    Spec,
    clark,
    poly_discriminator,
    spec_of,
)
from smtui.api.errors import ValidationError, XmlError
from smtui.api.models import UnknownElement
from smtui.api.xml import AZURE_NS, XSI_NS, local_name, parse_xml

NIL = f"{{{XSI_NS}}}nil"
XSI_TYPE = f"{{{XSI_NS}}}type"
NSMAP = {None: AZURE_NS, "i": XSI_NS}

Converter = Callable[[str], Any]


# --------------------------------------------------------------------------- scalar conversions


def text_to_int(text: str) -> int:
    """Strict xsd:int: ASCII digits with an optional sign (``int()`` alone accepts ``1_0``)."""
    if not text.isascii() or "_" in text:
        raise ValueError(text)
    return int(text)


_BOOLS = {"true": True, "false": False, "1": True, "0": False}


def text_to_bool(text: str) -> bool:
    """Strict xsd:boolean (``true``/``false``/``1``/``0``)."""
    return _BOOLS[text]


def b64_to_text(text: str) -> str:
    """Decode a base64 label (UTF-8 inside)."""
    return base64.b64decode(text, validate=True).decode("utf-8")


def text_to_b64(text: str) -> str:
    """Encode a label as the service expects it."""
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


_KIND_NAMES = {int: "an integer", bool: "a boolean (true/false)"}


def _converter(field: Field, request: bool) -> Converter | None:
    if field.b64 == "always" or (field.b64 == "response" and not request):
        return b64_to_text
    if field.scalar is int:
        return text_to_int
    if field.scalar is bool:
        return text_to_bool
    return None


# Per class and mode: Clark tag -> (position, converter, field). The converter is None for plain
# text, a function for typed text (int, bool, base64) and _COMPLEX for nested elements, so the
# common case (a text element) costs one dict lookup and two tuple reads.
_COMPLEX: Any = object()
Entry = tuple[int, Any, Field]


def _table(spec: Spec, request: bool) -> dict[str, Entry]:
    table: dict[str, Entry] | None = spec.tables[request]
    if table is None:
        table = {
            f.tag: (f.index, _converter(f, request) if f.kind == SCALAR else _COMPLEX, f)
            for f in spec.fields
        }
        spec.tables[request] = table
    return table


def _bad_value(parent: etree._Element, wire: str, text: str, field: Field) -> XmlError:
    what = _KIND_NAMES.get(field.scalar, "base64 UTF-8 text" if field.b64 else "text")
    shown = text if len(text) <= 40 else text[:37] + "..."
    return XmlError(f"<{wire}> in <{local_name(parent)}>: expected {what}, got {shown!r}")


# --------------------------------------------------------------------------- reading


def read(cls: type, element: etree._Element, request: bool = False) -> Any:
    """Build a ``cls`` from ``element`` (whose own tag is not checked)."""
    return _read(spec_of(cls), element, request)


def _read(spec: Spec, elem: etree._Element, request: bool) -> Any:
    values = spec.template.copy()
    for i in spec.list_indexes:
        values[i] = []
    table = spec.tables[request] or _table(spec, request)
    get = table.get
    extra: list[UnknownElement] | None = None
    nil: set[str] | None = None
    empty: set[str] | None = None
    for child in elem:
        entry = get(child.tag)  # type: ignore[arg-type]
        if entry is None:
            if isinstance(child.tag, str):
                if extra is None:
                    extra = []
                extra.append(UnknownElement(_anchor(child, table), canonical(child)))
            continue
        conv = entry[1]
        if conv is None:
            text = child.text
            if text is not None:
                values[entry[0]] = text
                continue
        elif conv is not _COMPLEX:
            text = child.text
            if text is not None:
                try:
                    values[entry[0]] = conv(text)
                except (ValueError, KeyError):
                    raise _bad_value(elem, entry[2].wire, text, entry[2]) from None
                continue
        field = entry[2]
        wire = field.wire
        kind = field.kind
        if child.text is None and not len(child) and child.get(NIL) in ("true", "1"):
            if nil is None:
                nil = set()
            nil.add(wire)
            if kind < LIST_MODEL:
                values[entry[0]] = None
            continue
        index = entry[0]
        if kind == SCALAR:  # empty element
            if len(child):
                raise XmlError(f"<{wire}> in <{local_name(elem)}>: expected text, got child elements")
            try:
                values[index] = "" if conv is None else conv("")
            except (ValueError, KeyError):
                raise _bad_value(elem, wire, "", field) from None
        elif kind == MODEL:
            values[index] = _read(spec_of(field.cls), child, request)  # type: ignore[arg-type]
        elif kind == POLY:
            values[index] = _read(spec_of(_dispatch(field, child)), child, request)
        else:
            items = values[index]
            item_tag = field.item_tag
            if kind == LIST_MODEL:
                sub = spec_of(field.cls)  # type: ignore[arg-type]
                for item in child:
                    if item.tag == item_tag:
                        items.append(_read(sub, item, request))
                    elif isinstance(item.tag, str):
                        raise _unexpected(item, child)
            elif kind == LIST_SCALAR:
                for item in child:
                    if item.tag == item_tag:
                        items.append(item.text or "")
                    elif isinstance(item.tag, str):
                        raise _unexpected(item, child)
            else:
                for item in child:
                    if item.tag == item_tag:
                        items.append(_read(spec_of(_dispatch(field, item)), item, request))
                    elif isinstance(item.tag, str):
                        raise _unexpected(item, child)
            if not items:
                if empty is None:
                    empty = set()
                empty.add(wire)
    obj = spec.cls(*values)
    if extra is not None:
        obj.extra = extra
    if nil is not None:
        obj.nil = frozenset(nil)
    if empty is not None:
        obj.empty = frozenset(empty)
    return obj


def _anchor(child: etree._Element, table: dict[str, Entry]) -> str | None:
    """Wire name of the nearest preceding known sibling (where the unknown goes back)."""
    for sibling in child.itersiblings(preceding=True):
        entry = table.get(sibling.tag)  # type: ignore[arg-type]
        if entry is not None:
            return entry[2].wire
    return None


def _unexpected(item: etree._Element, parent: etree._Element) -> XmlError:
    return XmlError(f"unexpected element <{local_name(item)}> in <{local_name(parent)}>")


def _dispatch(field: Field, elem: etree._Element) -> type:
    element, by_value, by_xsi = poly_discriminator(field.choices)
    value = elem.findtext(clark(element))
    choice = by_value.get(value) if value is not None else None
    if choice is None:
        xsi = elem.get(XSI_TYPE)
        if xsi is not None:
            choice = by_xsi.get(xsi.rpartition(":")[2])
    if choice is None:
        choice = by_value.get("*")
    if choice is None:
        raise XmlError(f"<{local_name(elem)}>: unknown {element} {value!r}")
    return choice


def canonical(elem: etree._Element) -> str:
    """Exclusive C14N of ``elem`` without its tail (how unknown elements are kept)."""
    # C14N never includes the tail.
    return etree.tostring(elem, method="c14n", exclusive=True).decode("utf-8")


def read_list(cls: type, root: etree._Element, request: bool = False) -> list[Any]:
    """The ``cls`` items among the children of ``root`` (e.g. ``OSImage`` under ``Images``)."""
    spec = spec_of(cls)
    item_tag = clark(spec.root)
    return [_read(spec, child, request) for child in root if child.tag == item_tag]


# --------------------------------------------------------------------------- writing


def write(obj: Any, root: str | None = None, request: bool = False) -> bytes:
    """Serialize ``obj`` as a one-line document without XML declaration, like the service."""
    spec = spec_of(type(obj))
    tag = clark(root or spec.root)
    elem = etree.Element(tag, nsmap=NSMAP)
    fields = (spec.request_order if request else None) or spec.root_order or spec.fields
    _fill(elem, obj, spec, request, fields)
    return etree.tostring(elem)


def _fill(elem: etree._Element, obj: Any, spec: Spec, request: bool, fields: tuple[Field, ...]) -> None:
    anchored: dict[str | None, list[str]] | None = None
    if obj.extra:
        anchored = {}
        for unknown in obj.extra:
            anchored.setdefault(unknown.after, []).append(unknown.xml)
        _emit_unknown(elem, anchored.pop(None, ()))
    nil = obj.nil
    empty = obj.empty
    sub = etree.SubElement
    for field in fields:
        value = getattr(obj, field.name)
        kind = field.kind
        if value is None or (kind >= LIST_MODEL and not value):
            if field.wire in nil:
                sub(elem, field.tag, {NIL: "true"})
            elif kind >= LIST_MODEL and field.wire in empty:
                sub(elem, field.tag)
        elif kind == SCALAR:
            text = _to_text(field, value, request)
            try:
                # "" stays a self-closing element, as RDFE writes <OsVersion />.
                sub(elem, field.tag).text = text or None
            except ValueError:
                raise ValidationError(field.wire, "contains characters that XML cannot carry") from None
        elif kind == MODEL:
            _fill(sub(elem, field.tag), value, spec_of(type(value)), request, spec_of(type(value)).fields)
        elif kind == POLY:
            _check_choice(field, value)
            _fill(sub(elem, field.tag), value, spec_of(type(value)), request, spec_of(type(value)).fields)
        elif kind == LIST_SCALAR:
            wrapper = sub(elem, field.tag)
            for item in value:
                if not isinstance(item, str):
                    raise ValidationError(field.wire, f"expected a list of strings, got {item!r}")
                sub(wrapper, field.item_tag).text = item  # type: ignore[arg-type]
        else:
            wrapper = sub(elem, field.tag)
            for item in value:
                if kind == LIST_POLY:
                    _check_choice(field, item)
                elif type(item) is not field.cls:
                    raise ValidationError(field.wire, f"expected {field.cls.__name__} items, got {item!r}")  # type: ignore[union-attr]
                child = sub(wrapper, field.item_tag)  # type: ignore[arg-type]
                if not request:
                    _response_xsi_type(child, item)
                item_spec = spec_of(type(item))
                _fill(child, item, item_spec, request, item_spec.fields)
        if anchored:
            _emit_unknown(elem, anchored.pop(field.wire, ()))
    if anchored:
        for rest in anchored.values():
            _emit_unknown(elem, rest)


def _response_xsi_type(child: etree._Element, item: Any) -> None:
    # RDFE tags VM roles and configuration sets with i:type in responses; requests never carry it
    # (the Python SDK does not send it and the service dispatches on ConfigurationSetType).
    xsi = getattr(type(item), "__wire_xsi_type__", None)
    if xsi is None:
        return
    if hasattr(item, "role_type") and item.role_type != "PersistentVMRole":
        return
    child.set(XSI_TYPE, xsi)


def _check_choice(field: Field, value: Any) -> None:
    if type(value) not in field.choices:
        names = ", ".join(c.__name__ for c in field.choices)
        raise ValidationError(field.wire, f"expected one of {names}, got {type(value).__name__}")


def _to_text(field: Field, value: Any, request: bool) -> str:
    scalar = field.scalar
    if scalar is bool:
        if not isinstance(value, bool):
            raise ValidationError(field.wire, f"expected a boolean, got {value!r}")
        return "true" if value else "false"
    if scalar is int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValidationError(field.wire, f"expected an integer, got {value!r}")
        return str(value)
    if not isinstance(value, str):
        raise ValidationError(field.wire, f"expected a string, got {type(value).__name__}")
    if field.b64 == "always" or (field.b64 == "response" and not request):
        return text_to_b64(value)
    return value


def _emit_unknown(elem: etree._Element, xmls: Any) -> None:
    for xml in xmls:
        elem.append(parse_xml(xml))
