"""What the details pane shows: a model as property rows, its raw XML, the request that fetched it.

Secrets never leave this module unmasked unless the caller asks: storage account keys are
masked until revealed, passwords always (the service never returns them, but a model built
locally could hold one). No Textual import.
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any

from lxml import etree

from smtui.api.xml import parse_xml
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


def properties(model: Any, *, reveal: bool = False, indent: str = "") -> list[tuple[str, str]]:
    """``(name, value)`` rows for a model; nested objects and list items become indented groups.

    Args:
        model: A dataclass model (or None).
        reveal: Show storage keys in clear.
        indent: Prefix of nested rows (two spaces per level).
    """
    rows: list[tuple[str, str]] = []
    if model is None or not dataclasses.is_dataclass(model):
        return rows
    for f in dataclasses.fields(model):
        if f.name in _BOOKKEEPING:
            continue
        value = getattr(model, f.name)
        name = f"{indent}{f.name}"
        if value is None or value == []:
            continue
        if dataclasses.is_dataclass(value):
            if f.name.endswith("_properties"):
                # The service's "…Properties" wrappers add nothing for a reader: flatten them.
                rows.extend(properties(value, reveal=reveal, indent=indent))
            else:
                rows.append((name, ""))
                rows.extend(properties(value, reveal=reveal, indent=indent + "  "))
        elif isinstance(value, list):
            if all(isinstance(v, str | int | float | bool) for v in value):
                rows.append((name, ", ".join(str(v) for v in value)))
            else:
                for index, item in enumerate(value):
                    rows.append((f"{name}[{index}]", ""))
                    rows.extend(properties(item, reveal=reveal, indent=indent + "  "))
        else:
            shown = "true" if value is True else "false" if value is False else str(value)
            if f.name in SECRET_FIELDS and not (reveal and f.name in ("primary", "secondary")):
                shown = mask(shown)
            rows.append((name, shown))
    return rows


def _mask_tree(root: Any, reveal_keys: bool) -> None:
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        local = etree.QName(el).localname
        if el.text and (local in ALWAYS_SECRET_ELEMENTS or (local in KEY_ELEMENTS and not reveal_keys)):
            el.text = mask(el.text)


def _locate(root: Any, steps: tuple[tuple[str, int], ...]) -> Any:
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
