"""The one hardened XML parser used for every document smtui reads.

Responses from the service, request bodies received by the emulator, and
``.publishsettings`` files all go through :func:`parse_xml`. It refuses any
document type declaration (which rules out XXE, external DTDs and entity
expansion bombs such as billion laughs), never touches the network, and caps
the input size.
"""

from __future__ import annotations

import re
import threading

from lxml import etree

from smtui.api.errors import UnsafeXmlError, XmlError

AZURE_NS = "http://schemas.microsoft.com/windowsazure"
"""Default namespace of every Service Management request and response."""

XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
"""Namespace of the ``i:type`` and ``i:nil`` attributes."""

MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
"""Largest document accepted; the biggest real response (ListOSImages) is about 1 MB."""

# A DOCTYPE anywhere (even after comments or processing instructions) is refused before
# libxml2 sees the bytes: no legitimate Service Management document carries one.
_DOCTYPE = re.compile(rb"<!\s*DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)

# lxml parsers must not be shared between threads; one per thread, built on first use.
_local = threading.local()


def _parser() -> etree.XMLParser:
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            collect_ids=False,
        )
        _local.parser = parser
    return parser


def parse_xml(data: bytes | str) -> etree._Element:
    """Parse ``data`` into an element, refusing anything unsafe.

    Args:
        data: The document, as bytes (preferred) or text.

    Returns:
        The root element.

    Raises:
        UnsafeXmlError: The document has a DOCTYPE or ENTITY declaration, or is too large.
        XmlError: The document is not well-formed.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise UnsafeXmlError(f"XML document of {len(raw)} bytes exceeds the {MAX_DOCUMENT_BYTES} byte limit")
    # Every declaration starts with "<!"; the substring test keeps the regexes off the common path.
    if b"<!" in raw and (_DOCTYPE.search(raw) or _ENTITY.search(raw)):
        raise UnsafeXmlError("XML document type declarations (DTD/ENTITY) are not allowed")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        root = etree.fromstring(raw, _parser())
    except etree.XMLSyntaxError as exc:
        raise XmlError(f"malformed XML: {exc}") from None
    if root is None:
        raise XmlError("empty XML document")
    return root


def local_name(element: etree._Element) -> str:
    """The tag of ``element`` without its namespace."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]
