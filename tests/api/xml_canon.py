"""Canonical XML, for comparing what the codec writes with recorded and example documents."""

from __future__ import annotations

from lxml import etree

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


def canonical(data: bytes | str, *, ordered: bool = True, xsi_type: bool = True) -> str:
    """Whitespace-, prefix- and attribute-order-insensitive form of a document.

    Args:
        data: The document (a leading UTF-8 byte-order mark is ignored).
        ordered: Keep element order significant; ``False`` sorts siblings.
        xsi_type: Keep ``i:type`` attributes; ``False`` drops them.
    """
    raw = data.encode() if isinstance(data, str) else data
    root = etree.fromstring(raw.lstrip(b"\xef\xbb\xbf"))
    for elem in root.iter():
        if not xsi_type:
            elem.attrib.pop(XSI_TYPE, None)
        if elem.text is not None and not elem.text.strip() and len(elem):
            elem.text = None
        if elem.tail is not None and not elem.tail.strip():
            elem.tail = None
    if not ordered:
        for elem in root.iter():
            elem[:] = sorted(elem, key=lambda e: etree.tostring(e, method="c14n"))
    return etree.canonicalize(etree.tostring(root).decode(), strip_text=True, rewrite_prefixes=True)
