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
# libxml2 sees the document: no legitimate Service Management document carries one. The check
# runs on the *decoded* text, and libxml2 is then given exactly that text re-encoded as UTF-8,
# so no encoding (UTF-16/32, UTF-7, EBCDIC …) can hide a declaration from the check.
_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_DECL = re.compile(r"\A<\?xml\s[^>]*?\?>")
_DECLARED_ENCODING = re.compile(rb"\A<\?xml\s[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")

# Byte-order marks and the BOM-less "<?" patterns of XML 1.0 Appendix F, longest first.
_SIGNATURES: tuple[tuple[bytes, str, int], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be", 4),
    (b"\xff\xfe\x00\x00", "utf-32-le", 4),
    (b"\x00\x00\x00<", "utf-32-be", 0),
    (b"<\x00\x00\x00", "utf-32-le", 0),
    (b"\xef\xbb\xbf", "utf-8", 3),
    (b"\xfe\xff", "utf-16-be", 2),
    (b"\xff\xfe", "utf-16-le", 2),
    (b"\x00<", "utf-16-be", 0),
    (b"<\x00", "utf-16-le", 0),
)


def _decode(raw: bytes) -> str:
    """The document as text, decoded as an XML processor would (BOM, then declaration)."""
    found = next(((c, n) for sig, c, n in _SIGNATURES if raw.startswith(sig)), None)
    if found is None:
        declared = _DECLARED_ENCODING.match(raw)
        found = (declared.group(1).decode("ascii") if declared else "utf-8"), 0
    codec, skip = found
    try:
        return raw[skip:].decode(codec)
    except LookupError:
        raise XmlError(f"malformed XML: unsupported encoding {codec[:40]!r}") from None
    except UnicodeDecodeError as exc:
        raise XmlError(f"malformed XML: not valid {codec} at byte {exc.start + skip}") from None


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
        UnsafeXmlError: The document has a DOCTYPE or ENTITY declaration (in any encoding),
            or is too large.
        XmlError: The document is not well-formed, or not decodable in its encoding.
    """
    try:
        raw = data.encode("utf-8") if isinstance(data, str) else data
    except UnicodeEncodeError:
        raise XmlError("malformed XML: text is not valid Unicode") from None
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise UnsafeXmlError(f"XML document of {len(raw)} bytes exceeds the {MAX_DOCUMENT_BYTES} byte limit")
    text = data if isinstance(data, str) else _decode(raw)
    if "<!" in text and _DECLARATION.search(text):
        # One message whatever the DTD names: the answer must not tell whether a file exists.
        raise UnsafeXmlError("XML document type declarations (DTD/ENTITY) are not allowed")
    if text.startswith("\ufeff"):
        text = text[1:]
    # The declaration may name the original encoding; what libxml2 reads is UTF-8.
    utf8 = _XML_DECL.sub("", text, count=1).encode("utf-8")
    try:
        root = etree.fromstring(utf8, _parser())
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
