"""The emulator's one data shape: wire-named nested dicts ("nodes").

A node mirrors a Service Management XML element by element name: a ``dict`` for an
element with children (insertion order = wire order), a ``list`` for a wrapper of
repeated items (``InputEndpoints`` → list of ``InputEndpoint`` nodes), a ``str`` for a
leaf, ``None`` for ``i:nil="true"``. The special key ``"@type"`` carries ``i:type``.
The same shape is what JSON bodies use (element names as keys), so one parser and one
renderer serve both formats.
"""

from __future__ import annotations

import json
import re
from typing import Any

from lxml import etree

from smtui.api.xml import AZURE_NS, XSI_NS, local_name, parse_xml

# ``Any`` because a node is parsed XML/JSON: values are text, nested nodes or lists of them,
# keyed by the wire's element names, and vary by resource; handlers read the fields they know.
Node = dict[str, Any]
"""One element as a dict (request body, stored document or rendered answer), wire names as keys."""

Value = Any
"""A parsed element's value: text, ``None`` (nil), a :data:`Node` or a list of them (see :data:`Node`)."""

NSMAP = {None: AZURE_NS, "i": XSI_NS}
_NIL = f"{{{XSI_NS}}}nil"
_TYPE = f"{{{XSI_NS}}}type"

LIST_ITEMS: dict[str, str] = {
    "HostedServices": "HostedService",
    "Deployments": "Deployment",
    "RoleInstanceList": "RoleInstance",
    "RoleList": "Role",
    "ConfigurationSets": "ConfigurationSet",
    "InputEndpoints": "InputEndpoint",
    "InstanceEndpoints": "InstanceEndpoint",
    "SubnetNames": "SubnetName",
    "DataVirtualHardDisks": "DataVirtualHardDisk",
    "ExtendedProperties": "ExtendedProperty",
    "VirtualIPs": "VirtualIP",
    "PublicKeys": "PublicKey",
    "KeyPairs": "KeyPair",
    "StoredCertificateSettings": "CertificateSetting",
    "Listeners": "Listener",
    "Rules": "Rule",
    "ResourceExtensionReferences": "ResourceExtensionReference",
    "ResourceExtensionParameterValues": "ResourceExtensionParameterValue",
    "DnsServers": "DnsServer",
    "LoadBalancers": "LoadBalancer",
    "PublicIPs": "PublicIP",
    "AvailableServices": "AvailableService",
    "WebWorkerRoleSizes": "RoleSize",
    "VirtualMachinesRoleSizes": "RoleSize",
    "StorageAccountTypes": "StorageAccountType",
    "Endpoints": "Endpoint",
    "CustomDomains": "CustomDomain",
    "Capabilities": "Capability",
    "Images": "OSImage",
    "VMImages": "VMImage",
    "Disks": "Disk",
    "StorageServices": "StorageService",
    "Locations": "Location",
    "RoleSizes": "RoleSize",
    "AffinityGroups": "AffinityGroup",
    "DataDiskConfigurations": "DataDiskConfiguration",
    "Roles": "Name",
    "SubscriptionCertificates": "SubscriptionCertificate",
    "Certificates": "Certificate",
    "Passes": "UnattendPass",
    "Components": "UnattendComponent",
    "ComponentSettings": "ComponentSetting",
    "Extensions": "Extension",
    "ReservedIPs": "ReservedIP",
    "TargetLocations": "Region",
}
"""Wrapper element → item element, for every list the emulator reads or writes."""


def element_to_node(element: etree._Element) -> Value:
    """Convert a parsed element (namespace-insensitive) into a node."""
    name = local_name(element)
    children = [c for c in element if isinstance(c.tag, str)]
    if name in LIST_ITEMS:
        return [element_to_node(c) for c in children]
    if not children:
        if element.get(_NIL) == "true":
            return None
        text = element.text or ""
        return "" if not text.strip() else text
    node: Node = {}
    itype = element.get(_TYPE)
    if itype:
        node["@type"] = itype.rpartition(":")[2]
    for child in children:
        node[local_name(child)] = element_to_node(child)
    return node


def parse_body(raw: bytes, content_type: str) -> tuple[str, Value]:
    """Parse a request body (XML or JSON) into ``(root name, node)``.

    JSON bodies have no root element; the root name is then ``""``.

    Raises:
        smtui.api.errors.XmlError: malformed or unsafe XML.
        ValueError: malformed JSON.
    """
    if "json" in content_type.lower():
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("JSON body must be an object")
        _check_depth(data)
        if len(data) == 1:
            ((key, value),) = data.items()
            if isinstance(value, dict) and key[:1].isupper() and key not in _SCALAR_ROOT_KEYS:
                return key, value
        return "", data
    root = parse_xml(raw)
    return local_name(root), element_to_node(root)


_SCALAR_ROOT_KEYS = {"Label", "Name", "ServiceName", "ConfigurationSets", "RoleName"}

MAX_JSON_DEPTH = 64
"""Deepest JSON body accepted (a Service Management document is about ten levels deep)."""


def _check_depth(data: object) -> None:
    """Refuse JSON nested deeper than :data:`MAX_JSON_DEPTH`.

    ``json.loads`` itself refuses only what is deeper than the interpreter's recursion limit, which
    is process-wide and raised by some hosts: the same body was a 400 InvalidXmlRequest or went on
    to a handler depending on what else ran in the process.

    Raises:
        ValueError: nested too deep.
    """
    level: list[dict[str, object] | list[object]] = [data] if isinstance(data, dict | list) else []
    for _ in range(MAX_JSON_DEPTH):
        level = [
            child
            for value in level
            for child in (value.values() if isinstance(value, dict) else value)
            if isinstance(child, dict | list)
        ]
        if not level:
            return
    raise ValueError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")


def to_xml(tag: str, value: object) -> bytes:
    """Serialise a node as a one-line Service Management document (no XML declaration).

    Written as text rather than through an lxml tree: building the tree cost most of an answer's
    CPU (a fan-out renders one detailed hosted service per request). The bytes are those lxml
    writes (:func:`to_xml_tree`, compared in the tests), and what lxml refuses (control
    characters, names that are not XML names) raises ``ValueError`` here too.
    """
    out: list[str] = []
    _write(out, tag, value, _ROOT_NS)
    return "".join(out).encode("utf-8")


_ROOT_NS = f' xmlns="{AZURE_NS}" xmlns:i="{XSI_NS}"'
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#9;"}
)
_NOT_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_XML_NAME = re.compile(r"[^\W\d][\w.\-]*")
_names_ok: set[str] = set()


def _name(name: str) -> str:
    if name not in _names_ok:
        if not _XML_NAME.fullmatch(name):
            raise ValueError(f"Invalid tag name {name!r}")
        if len(_names_ok) < 10_000:
            _names_ok.add(name)
    return name


_PLAIN_TEXT = re.compile('[^&<>"\x00-\x1f\ud800-\udfff\ufffe\uffff]*')


def _text(value: str, escapes: dict[int, str]) -> str:
    if _PLAIN_TEXT.fullmatch(value):  # most values: nothing to escape or refuse
        return value
    if _NOT_XML_CHAR.search(value):
        raise ValueError(
            "All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters"
        )
    return value.translate(escapes)


def _write(out: list[str], name: str, value: object, attrs: str = "") -> None:
    name = _name(name)
    if value is None:
        out.append(f'<{name}{attrs} i:nil="true"/>')
    elif isinstance(value, dict):
        itype = value.get("@type")
        if itype:
            attrs = f'{attrs} i:type="{_text(str(itype), _ATTR_ESCAPES)}"'
        start = len(out)
        out.append(f"<{name}{attrs}>")
        for key, child in value.items():
            if key != "@type":
                _write(out, key, child)
        if len(out) == start + 1:
            out[start] = f"<{name}{attrs}/>"
        else:
            out.append(f"</{name}>")
    elif isinstance(value, list):
        if not value:
            out.append(f"<{name}{attrs}/>")
            return
        item = LIST_ITEMS.get(name, name[:-1])
        out.append(f"<{name}{attrs}>")
        for child in value:
            _write(out, item, child)
        out.append(f"</{name}>")
    elif value != "":
        out.append(f"<{name}{attrs}>{_text(str(value), _TEXT_ESCAPES)}</{name}>")
    else:
        out.append(f"<{name}{attrs}/>")


def to_xml_tree(tag: str, value: object) -> bytes:
    """:func:`to_xml` through an lxml tree (the reference it must match byte for byte)."""
    root = etree.Element(f"{{{AZURE_NS}}}{tag}", nsmap=NSMAP)
    _fill(root, value)
    return etree.tostring(root, encoding="utf-8")


def _fill(el: etree._Element, value: object) -> None:
    if value is None:
        el.set(_NIL, "true")
    elif isinstance(value, dict):
        itype = value.get("@type")
        if itype:
            el.set(_TYPE, itype)
        for key, child in value.items():
            if key != "@type":
                _fill(etree.SubElement(el, f"{{{AZURE_NS}}}{key}"), child)
    elif isinstance(value, list):
        item = f"{{{AZURE_NS}}}{LIST_ITEMS.get(local_name(el), local_name(el)[:-1])}"
        for child in value:
            _fill(etree.SubElement(el, item), child)
    elif value != "":
        el.text = str(value)


def to_json(tag: str, value: object) -> bytes:
    """Serialise a node as JSON, element names as keys.

    Like the 2012 Node.js client's JSON bodies, the root element is not a key: an object is
    sent as its members, a list (``HostedServices``) as an array of its items. ``tag`` is kept
    for symmetry with :func:`to_xml`.
    """
    del tag
    return json.dumps(_strip_types(value), ensure_ascii=False).encode("utf-8")


def _strip_types(value: object) -> object:
    if isinstance(value, dict):
        return {k: _strip_types(v) for k, v in value.items() if k != "@type"}
    if isinstance(value, list):
        return [_strip_types(v) for v in value]
    return value
