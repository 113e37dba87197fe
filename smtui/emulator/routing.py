"""Request context, replies and a path router with case-insensitive literal segments (as RDFE had)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from smtui.api.errors import XmlError
from smtui.emulator.engine import ApiError, Engine
from smtui.emulator.nodes import Node, Value, parse_body


def _invalid_xml(detail: str = "") -> ApiError:
    message = "The request body's XML was invalid or not correctly specified"
    return ApiError(400, "InvalidXmlRequest", f"{message}: {detail}." if detail else f"{message}.")


@dataclass
class Ctx:
    """Everything a handler sees of one request."""

    engine: Engine
    sub: str
    request_id: str
    method: str
    query: dict[str, str]
    body: bytes
    content_type: str
    version: str
    parsed: tuple[str, Value] | Exception | None = None
    """The body already parsed (off the event loop, for large bodies), or the error parsing it raised."""
    continuation: str = ""
    """The request's ``x-ms-continuation-token`` (List Hosted Services paging)."""

    def flag(self, name: str) -> bool:
        """A boolean query parameter (``embed-detail=true``)."""
        return self.query.get(name.lower(), "").lower() == "true"

    @property
    def media(self) -> bool:
        """``comp=media`` on a delete."""
        return self.query.get("comp", "").lower() == "media"

    def node(self, *roots: str) -> Node:
        """The parsed body, whose XML root must be one of ``roots``.

        Raises:
            ApiError: 400 InvalidXmlRequest for a missing, malformed or unexpected body.
        """
        if not self.body.strip():
            raise _invalid_xml()
        try:
            if isinstance(self.parsed, Exception):
                raise self.parsed
            root, node = self.parsed or parse_body(self.body, self.content_type)
        except (XmlError, ValueError, UnicodeDecodeError, RecursionError):
            # RecursionError: JSON nested deeper than the interpreter's stack, malformed as far as
            # the API is concerned.
            raise _invalid_xml() from None
        if root and roots and root not in roots:
            raise _invalid_xml(f"unexpected root element {root} (expected {' or '.join(roots)})")
        if not isinstance(node, dict):
            raise _invalid_xml()
        return node


@dataclass
class Reply:
    """A handler's answer; ``tag``/``node`` become the XML (or JSON) body."""

    status: int = 200
    tag: str | None = None
    node: object = None
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    raw_type: str = "application/xml; charset=utf-8"


Handler = Callable[..., Reply]


class Router:
    """Routes ``(method, /<sub>/...)`` to handlers; ``{name}`` segments capture values."""

    def __init__(self) -> None:
        self._routes: dict[tuple[str, int], list[tuple[tuple[str, ...], Handler, bool]]] = {}

    def add(self, method: str, pattern: str, handler: Handler, *, mutating: bool | None = None) -> None:
        """Register ``handler`` for ``method`` and a pattern relative to the subscription."""
        segments = tuple(
            s.lower() if not s.startswith("{") else s for s in pattern.strip("/").split("/") if s
        )
        is_mutating = method != "GET" if mutating is None else mutating
        self._routes.setdefault((method, len(segments)), []).append((segments, handler, is_mutating))

    def match(self, method: str, segments: list[str]) -> tuple[Handler, dict[str, str], bool] | None | bool:
        """``(handler, params, mutating)``; ``False`` when the path exists for another method; None otherwise."""  # noqa: E501
        found = self._match(method, segments)
        if found is not None:
            return found
        for (other, length), _ in self._routes.items():
            if other != method and length == len(segments) and self._match(other, segments):
                return False
        return None

    def _match(self, method: str, segments: list[str]) -> tuple[Handler, dict[str, str], bool] | None:
        for pattern, handler, mutating in self._routes.get((method, len(segments)), []):
            params: dict[str, str] = {}
            for pat, seg in zip(pattern, segments, strict=True):
                if pat.startswith("{"):
                    params[pat[1:-1]] = seg
                elif pat != seg.lower():
                    break
            else:
                return handler, params, mutating
        return None
