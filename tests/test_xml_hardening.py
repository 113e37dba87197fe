"""The one XML parser refuses XXE, entity bombs and external DTDs."""

from __future__ import annotations

import pytest

from smtui.api.errors import UnsafeXmlError, XmlError
from smtui.api.xml import parse_xml

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Error><Code>&xxe;</Code></Error>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<lolz>&lol3;</lolz>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE Error SYSTEM "http://127.0.0.1:1/evil.dtd">
<Error><Code>x</Code></Error>"""

# A DOCTYPE alone, with no entity and no external subset: refused for being a DOCTYPE (the cases
# above would also be refused for their entities or their DTD).
BARE_DOCTYPE = b"""<?xml version="1.0"?><!DOCTYPE Error><Error><Code>x</Code></Error>"""

LOWERCASE_DOCTYPE_AFTER_COMMENT = b"""<!-- hi --><!doctype x><x/>"""


@pytest.mark.parametrize(
    "doc", [XXE, BILLION_LAUGHS, EXTERNAL_DTD, BARE_DOCTYPE, LOWERCASE_DOCTYPE_AFTER_COMMENT]
)
def test_dangerous_documents_are_refused(doc: bytes) -> None:
    with pytest.raises(UnsafeXmlError):
        parse_xml(doc)


def test_malformed_document_is_a_typed_error() -> None:
    with pytest.raises(XmlError):
        parse_xml(b"<Error><Code>x</Error>")


def test_oversize_document_is_refused() -> None:
    with pytest.raises(UnsafeXmlError):
        parse_xml(b"<a>" + b"x" * (64 * 1024 * 1024) + b"</a>")


def test_plain_document_parses_with_bom() -> None:
    root = parse_xml(b"\xef\xbb\xbf<Error xmlns='http://schemas.microsoft.com/windowsazure'><Code>A</Code></Error>")
    assert root.tag == "{http://schemas.microsoft.com/windowsazure}Error"


def test_no_module_parses_xml_except_through_parse_xml() -> None:
    import re
    from pathlib import Path

    import smtui

    parser_use = re.compile(
        r"etree\.(fromstring|parse|XML|iterparse|XMLParser|fromstringlist)\s*\(|minidom|ElementTree|xml\.sax|xml\.dom"
    )
    root = Path(smtui.__file__).parent
    offenders = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for path in sorted(root.rglob("*.py"))
        if path != root / "api" / "xml.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if parser_use.search(line)
    ]
    assert offenders == []
