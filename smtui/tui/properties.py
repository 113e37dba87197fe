"""What the details pane shows: a model as a tree of properties, its raw XML, the request that fetched it.

Secrets never leave this module unmasked unless the caller asks: storage account keys are
masked until revealed, passwords always (the service never returns them, but a model built
locally could hold one). No Textual import.
"""

from __future__ import annotations

import dataclasses
import json
import re
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from smtui.tui.nodes import Source

SECRET_FIELDS = frozenset({"admin_password", "user_password", "password", "primary", "secondary"})
"""Model fields whose values are masked in the properties table."""

ALWAYS_SECRET_ELEMENTS = frozenset({"AdminPassword", "UserPassword", "Password"})
"""XML elements masked in every raw view."""

KEY_ELEMENTS = frozenset({"Primary", "Secondary"})
"""Storage key elements, masked until the user reveals them."""

MASK = "••••••••"
MAX_RAW_CHARS = 200_000
"""Longest raw body shown (the 949-image list is ~1 MB; the pane would crawl)."""

_BOOKKEEPING = frozenset({"extra", "nil", "empty"})


def mask(value: str) -> str:
    """A masked secret that still lets the user tell two keys apart (last 4 characters)."""
    return f"{MASK}{value[-4:]}" if len(value) > 8 else MASK


@dataclasses.dataclass
class Prop:
    """One node of the properties tree: a named value, a group of nodes, or both.

    Attributes:
        name: The service's element name (``RoleName``) or, for a list item, what the item
            is (``http (tcp 80 → 80)``, ``LUN 0 (20 GB, ReadOnly)``).
        value: The value as a person reads it (units, local time with age, yes/no).
        copy: What ``y`` copies: the value as the service sent it (a secret stays masked).
        children: Nested nodes.
        path: Names from the top, ``/``-joined: identifies the node across refreshes.
    """

    name: str
    value: str = ""
    copy: str = ""
    children: list[Prop] = dataclasses.field(default_factory=list)
    path: str = ""

    def walk(self) -> Iterator[Prop]:
        """This node and every node under it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


def _wire_name(f: dataclasses.Field[Any]) -> str:
    return str(f.metadata.get("wire") or f.name)


def _join(*parts: object) -> str:
    return " ".join(str(p) for p in parts if p not in (None, ""))


def _endpoint_label(e: Any, public: str) -> str:
    ports = _join(getattr(e, "protocol", None), getattr(e, public, None))
    local = getattr(e, "local_port", None)
    if local is not None:
        ports = f"{ports} → {local}" if ports else f"→ {local}"
    return f"{e.name} ({ports})" if ports else str(e.name)


def _disk_label(d: Any) -> str:
    size = f"{d.logical_disk_size_in_gb} GB" if d.logical_disk_size_in_gb is not None else None
    details = ", ".join(str(x) for x in (size, d.host_caching) if x)
    return f"LUN {d.lun if d.lun is not None else 0}" + (f" ({details})" if details else "")


_ITEM_LABELS: dict[str, Any] = {
    "InputEndpoint": lambda e: _endpoint_label(e, "port"),
    "InstanceEndpoint": lambda e: _endpoint_label(e, "public_port"),
    "DataDisk": _disk_label,
    "AclRule": lambda r: _join(r.order, r.action, r.remote_subnet),
    "WinRMListener": lambda li: _join(li.protocol, li.certificate_thumbprint),
}
"""How a list item whose meaning is not its name is labelled (keyed by model class)."""

_ITEM_NAME_FIELDS = (
    "configuration_set_type", "role_name", "instance_name", "name", "reference_name", "handler_name",
    "pass_name", "component_name", "setting_name", "key", "path", "thumbprint", "address",
)
"""Fields that name a list item, first found wins (``RoleInstance`` by instance, not role)."""


def _item_label(item: Any, wire_item: str, index: int) -> str:
    labeller = _ITEM_LABELS.get(type(item).__name__)
    if labeller is not None:
        return str(labeller(item))
    fields = {f.name for f in dataclasses.fields(item)}
    order = ("instance_name", *_ITEM_NAME_FIELDS) if "instance_name" in fields else _ITEM_NAME_FIELDS
    for name in order:
        value = getattr(item, name, None) if name in fields else None
        if value not in (None, ""):
            return str(value)
    return f"{wire_item} {index}"


_TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")


def parse_time(text_: str) -> datetime | None:
    """An ISO 8601 timestamp as the service writes it (7 fraction digits, ``Z``), or None."""
    if not _TIME_RE.match(text_):
        return None
    cleaned = re.sub(r"(\.\d{6})\d+", r"\1", text_).replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def age(seconds: float) -> str:
    """``45 s``, ``12 min``, ``3 h``, ``3 d``, ``2 y`` (the largest unit that is at least 1)."""
    seconds = abs(seconds)
    for unit, size in (("y", 365 * 86400), ("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{int(seconds // size)} {unit}"
    return f"{int(seconds)} s"


def local_time(moment: datetime, now: float) -> str:
    """``2014-05-10 14:03 (3 d ago)`` in the user's local zone."""
    delta = now - moment.timestamp()
    when = f"{age(delta)} ago" if delta >= 0 else f"in {age(delta)}"
    return f"{moment.astimezone().strftime('%Y-%m-%d %H:%M')} ({when})"


def _megabytes(value: int) -> str:
    if value >= 1024:
        gb = f"{value / 1024:.1f}".removesuffix(".0")
        return f"{gb} GB"
    return f"{value} MB"


def humanise(wire_name: str, value: Any, now: float) -> str:
    """A scalar as a person reads it: yes/no, sizes and durations with units, local times with age.

    Enumerations and URLs are shown whole, as the service spells them.
    """
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        lowered = wire_name.lower()
        if lowered.endswith("ingb"):
            return f"{value} GB"
        if lowered.endswith("inmb"):
            return _megabytes(value)
        if lowered.endswith("inseconds"):
            return f"{value} s"
        if lowered.endswith("inminutes"):
            return f"{value} min"
        return str(value)
    text_ = str(value)
    moment = parse_time(text_) if "T" in text_[:11] else None
    return local_time(moment, now) if moment is not None else text_


def property_tree(model: Any, *, now: float | None = None, reveal: bool = False) -> list[Prop]:
    """The nodes of a model as the service names them (``wire("…")`` metadata), values humanised.

    ``…Properties`` wrappers (``HostedServiceProperties``) are flattened into their parent; empty
    lists and absent elements are left out; passwords are masked, storage keys unless ``reveal``.

    Args:
        model: A dataclass model (or None).
        now: The wall clock, for the age of timestamps (default: the system clock).
        reveal: Show storage keys in clear.
    """
    clock = time.time() if now is None else now
    return _nodes(model, clock, reveal, "")


def _nodes(model: Any, now: float, reveal: bool, prefix: str) -> list[Prop]:
    nodes: list[Prop] = []
    if model is None or not dataclasses.is_dataclass(model):
        return nodes
    for f in dataclasses.fields(model):
        if f.name in _BOOKKEEPING:
            continue
        value = getattr(model, f.name)
        if value is None or value == []:
            continue
        name = _wire_name(f)
        path = f"{prefix}/{name}"
        if dataclasses.is_dataclass(value):
            if f.name.endswith("_properties"):
                # The service's "…Properties" wrappers add nothing for a reader: flatten them.
                nodes.extend(_nodes(value, now, reveal, prefix))
            else:
                nodes.append(Prop(name, children=_nodes(value, now, reveal, path), path=path))
        elif isinstance(value, list):
            nodes.append(_list_node(f, name, value, now, reveal, path))
        else:
            secret = not f.repr or f.name in SECRET_FIELDS
            if secret and not (reveal and f.name in ("primary", "secondary")):
                shown = mask(str(value))
                nodes.append(Prop(name, shown, shown, path=path))
            else:
                raw = ("true" if value else "false") if isinstance(value, bool) else str(value)
                nodes.append(Prop(name, humanise(name, value, now), raw, path=path))
    return nodes


def _list_node(
    f: dataclasses.Field[Any], name: str, value: list[Any], now: float, reveal: bool, path: str
) -> Prop:
    item_wire = str(f.metadata.get("item") or "")
    if all(not dataclasses.is_dataclass(v) for v in value):
        joined = ", ".join(str(v) for v in value)
        if len(value) == 1 or len(joined) <= 60:
            return Prop(name, joined, joined, path=path)
        items = [Prop("", str(v), str(v), path=f"{path}/{i}") for i, v in enumerate(value)]
        return Prop(name, children=items, path=path)
    children: list[Prop] = []
    for index, item in enumerate(value):
        if type(item).__name__ == "ExtendedProperty":
            # A name/value pair reads best as one line.
            shown = str(item.value or "")
            children.append(Prop(str(item.name), shown, shown, path=f"{path}/{index}"))
            continue
        label = _item_label(item, item_wire, index)
        item_path = f"{path}/{index}:{label}"
        children.append(Prop(label, children=_nodes(item, now, reveal, item_path), path=item_path))
    return Prop(name, children=children, path=path)


def plain_lines(nodes: Sequence[Prop], indent: str = "") -> list[str]:
    """The tree as indented ``Name: value`` lines (two spaces a level): for tests and the clipboard."""
    lines: list[str] = []
    for node in nodes:
        label = f"{node.name}: {node.value}" if node.name and node.value else node.name or node.value
        lines.append(indent + label)
        lines.extend(plain_lines(node.children, indent + "  "))
    return lines


def _mask_tree(root: Any, reveal_keys: bool) -> None:
    from lxml import etree

    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        local = etree.QName(el).localname
        if el.text and (local in ALWAYS_SECRET_ELEMENTS or (local in KEY_ELEMENTS and not reveal_keys)):
            el.text = mask(el.text)


def _locate(root: Any, steps: tuple[tuple[str, int], ...]) -> Any:
    from lxml import etree

    node = root
    for local, index in steps:
        matches = [c for c in node if isinstance(c.tag, str) and etree.QName(c).localname == local]
        if index >= len(matches):
            return None
        node = matches[index]
    return node


def raw_text(source: Source | None, *, reveal_keys: bool = False) -> tuple[str, str]:
    """The exact document the service returned for an item, pretty-printed: ``(text, lexer)``.

    For an item inside a list or deployment, only its own element is shown (with the
    namespaces it was sent with). JSON bodies (``serializetype`` JSON) are shown whole.
    """
    # lxml and the hardened parser load with the first document shown, not with the console.
    from lxml import etree

    from smtui.api.xml import parse_xml

    if source is None:
        return "(no request: this list is built in)", "text"
    body: bytes = getattr(source.response, "body", b"") or b""
    if not body.strip():
        return "(the service returned an empty body)", "text"
    if len(body) > MAX_RAW_CHARS * 4 and not source.steps:
        return _mask_text(body[:MAX_RAW_CHARS], reveal_keys) + "\n… (truncated)", "xml"
    stripped = body.lstrip()
    if stripped[:1] in (b"{", b"["):
        try:
            doc = json.loads(body)
        except ValueError:
            return _mask_text(body[:MAX_RAW_CHARS], reveal_keys), "text"
        return _mask_json(json.dumps(doc, indent=2), reveal_keys)[:MAX_RAW_CHARS], "json"
    try:
        root = parse_xml(body)
    except Exception as exc:  # the raw view must show *something* even for a broken body
        shown = _mask_text(body[:MAX_RAW_CHARS], reveal_keys)
        return f"(could not parse the body: {exc})\n\n{shown}", "text"
    element = _locate(root, source.steps) if source.steps else root
    if element is None:
        element = root
    element = parse_xml(etree.tostring(element))
    for el in element.iter():
        if isinstance(el.tag, str):
            if el.text is not None and not el.text.strip():
                el.text = None
            el.tail = None
    _mask_tree(element, reveal_keys)
    etree.indent(element, space="  ")
    out = etree.tostring(element, encoding="unicode")
    if len(out) > MAX_RAW_CHARS:
        out = out[:MAX_RAW_CHARS] + "\n… (truncated)"
    return out, "xml"


def _mask_text(body: bytes, reveal_keys: bool) -> str:
    """Mask secrets in a body shown as plain text because it could not be parsed.

    A broken or truncated document has no tree to walk, so secret element values (XML) and
    secret keys' string values (JSON) are found by pattern; an unterminated value is masked too.
    """
    names = set(ALWAYS_SECRET_ELEMENTS) | (set() if reveal_keys else set(KEY_ELEMENTS))
    alternatives = "|".join(sorted(names))
    text_ = body.decode("utf-8", "replace")
    text_ = re.sub(rf"(<(?:\w+:)?({alternatives})>)[^<]*", rf"\g<1>{MASK}", text_)
    return re.sub(rf'("({alternatives})"\s*:\s*")[^"]*', rf"\g<1>{MASK}", text_)


def _mask_json(text_: str, reveal_keys: bool) -> str:
    names = set(ALWAYS_SECRET_ELEMENTS) | (set() if reveal_keys else set(KEY_ELEMENTS))
    try:
        doc = json.loads(text_)
    except ValueError:
        return text_

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: (mask(str(v)) if k in names and isinstance(v, str) else walk(v)) for k, v in value.items()
            }
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return json.dumps(walk(doc), indent=2)


def request_rows(source: Source | None) -> list[tuple[str, str]]:
    """Method, URL, ``x-ms-version``, status and request id of the request behind ``source``.

    Only these headers are shown; the client already redacts secrets from what it records.
    """
    if source is None:
        return [("request", "none (built-in list)")]
    response = source.response
    options = getattr(response, "request_options", None)
    headers = {k.lower(): v for k, v in (getattr(options, "headers", None) or {}).items()}
    resp_headers = {k.lower(): v for k, v in (getattr(response, "headers", None) or {}).items()}
    rows = [
        ("method", getattr(options, "method", "") or ""),
        ("url", getattr(options, "url", "") or ""),
        ("x-ms-version", headers.get("x-ms-version", "")),
        ("status", str(getattr(response, "status_code", "") or "no answer")),
        ("request id", getattr(response, "request_id", None) or resp_headers.get("x-ms-request-id", "")),
    ]
    for name in ("content-type", "date", "server"):
        if name in resp_headers:
            rows.append((name, resp_headers[name]))
    error = getattr(response, "error", None)
    if error is not None:
        rows.append(("error", f"{getattr(error, 'code', '')}: {getattr(error, 'message', '')}"))
    return rows
