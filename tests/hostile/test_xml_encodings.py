"""A DOCTYPE is refused in every encoding, by the shared parser and by the running emulator.

Before the fix the "no DOCTYPE" check looked for ASCII bytes only: a UTF-16/UTF-32 document
carried a DOCTYPE straight to libxml2, which opened the file named as the DTD (an existence
oracle: an existing file made a different answer than a missing one).
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from smtui.api.errors import UnsafeXmlError, XmlError
from smtui.api.xml import parse_xml
from tests.emulator import wire

# (python codec, BOM to prepend or b"", name in the XML declaration or None)
ENCODINGS = [
    ("utf-8", b"", "UTF-8"),
    ("utf-8", codecs.BOM_UTF8, "UTF-8"),
    ("utf-8", b"", None),
    ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "UTF-16"),
    ("utf-16-le", b"", "UTF-16LE"),
    ("utf-16-be", b"", "UTF-16BE"),
    ("utf-16-le", b"", "UTF-16"),
    ("utf-32-le", codecs.BOM_UTF32_LE, "UTF-32"),
    ("utf-32-be", codecs.BOM_UTF32_BE, "UTF-32"),
    ("utf-32-le", b"", "UTF-32LE"),
    ("utf-32-be", b"", "UTF-32BE"),
    ("utf-7", b"", "UTF-7"),
]
IDS = [f"{c}{'+bom' if b else ''}-{d or 'nodecl'}" for c, b, d in ENCODINGS]


def document(text: str, codec: str, bom: bytes, declared: str | None) -> bytes:
    decl = f'<?xml version="1.0" encoding="{declared}"?>' if declared else ""
    return bom + (decl + text).encode(codec)


def doctype_probe(path: str, root: str = "Error") -> str:
    return f'<!DOCTYPE {root} SYSTEM "{path}"><{root} xmlns="http://schemas.microsoft.com/windowsazure"><Code>&e;</Code></{root}>'


@pytest.fixture
def existing_file(tmp_path: Path) -> str:
    target = tmp_path / "exists.dtd"
    target.write_text("not a dtd")
    return str(target)


@pytest.mark.parametrize(("codec", "bom", "declared"), ENCODINGS, ids=IDS)
def test_doctype_is_refused_in_every_encoding(
    codec: str, bom: bytes, declared: str | None, existing_file: str
) -> None:
    answers = []
    for path in (existing_file, existing_file + ".missing"):
        with pytest.raises(UnsafeXmlError) as caught:
            parse_xml(document(doctype_probe(path), codec, bom, declared))
        answers.append(str(caught.value))
        assert "exists.dtd" not in str(caught.value)
    assert answers[0] == answers[1]


@pytest.mark.parametrize(("codec", "bom", "declared"), ENCODINGS, ids=IDS)
def test_internal_entity_is_refused_in_every_encoding(codec: str, bom: bytes, declared: str | None) -> None:
    text = '<!DOCTYPE r [<!ENTITY a "b">]><r>&a;</r>'
    with pytest.raises(UnsafeXmlError):
        parse_xml(document(text, codec, bom, declared))


@pytest.mark.parametrize(("codec", "bom", "declared"), ENCODINGS, ids=IDS)
def test_plain_documents_still_parse_in_every_encoding(codec: str, bom: bytes, declared: str | None) -> None:
    text = '<Error xmlns="http://schemas.microsoft.com/windowsazure"><Code>Ünïcode ✓</Code></Error>'
    root = parse_xml(document(text, codec, bom, declared))
    assert root[0].text == "Ünïcode ✓"


def test_undecodable_document_is_a_typed_error() -> None:
    with pytest.raises(XmlError):
        parse_xml(b'<?xml version="1.0" encoding="UTF-8"?><a>\xff\xfe</a>')
    with pytest.raises(XmlError):
        parse_xml(b'<?xml version="1.0" encoding="no-such-charset"?><a/>')


def test_ebcdic_cannot_smuggle_a_doctype() -> None:
    doc = document(doctype_probe("/etc/passwd"), "cp500", b"", None)
    with pytest.raises(XmlError):
        parse_xml(doc)


@pytest.fixture
def c(emulator: Any) -> Iterator[httpx.Client]:
    with wire.client(emulator) as client:
        yield client


@pytest.mark.parametrize(("codec", "bom", "declared"), ENCODINGS, ids=IDS)
def test_emulator_answers_the_same_whether_the_dtd_exists_or_not(
    c: httpx.Client, codec: str, bom: bytes, declared: str | None, existing_file: str
) -> None:
    answers = []
    for index, path in enumerate((existing_file, existing_file + ".missing")):
        name = f"dtdprobe{abs(hash((codec, bom, declared))) % 10**6}x{index}"
        inner = (
            f'<!DOCTYPE CreateHostedService SYSTEM "{path}">'
            '<CreateHostedService xmlns="http://schemas.microsoft.com/windowsazure">'
            f"<ServiceName>{name}</ServiceName><Label>bA==</Label><Location>West US</Location>"
            "</CreateHostedService>"
        )
        r = c.post(
            "/services/hostedservices",
            content=document(inner, codec, bom, declared),
            headers={"Content-Type": "application/xml"},
        )
        answers.append((r.status_code, wire.error(r)[0]))
        assert "exists.dtd" not in r.text
        assert c.get(f"/services/hostedservices/{name}").status_code == 404
    assert answers[0] == answers[1] and answers[0][0] == 400
