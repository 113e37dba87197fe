"""Pure request builders: what each operation sends, without sending it.

An :class:`ApiRequest` is everything needed to perform one Service Management call —
method, path (relative to ``/<subscription-id>``), query, body, the statuses that mean
success and how to parse the answer. Building one does no I/O, so the TUI can show
exactly what would be sent (:meth:`ApiRequest.redacted_body` hides passwords) before
the user confirms; :meth:`ServiceManagementClient.execute` performs it.

The per-operation builders live in :mod:`smtui.api.operations_services` (images, hosted
services, storage, disks, locations, role sizes, operation status) and
:mod:`smtui.api.operations_compute` (deployments, roles, data disks, role instances).
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from typing import Any, Concatenate, Generic, ParamSpec, Protocol, TypeVar
from urllib.parse import quote, urlencode

from lxml import etree

from smtui.api.errors import ValidationError, XmlError
from smtui.api.response import Response
from smtui.api.vocabulary import LUN_RANGE, MAX_LUN
from smtui.api.xml import local_name, parse_xml

T = TypeVar("T")
P = ParamSpec("P")

REDACTED = "********"
"""What a secret is replaced with in previews and logs (fixed length: hides the length too)."""

# Anchored: AdminPassword/UserPassword/Password are secrets, DisableSshPasswordAuthentication and
# ResetPasswordOnFirstLogon are switches a reviewer of the preview needs to see.
_SECRET_NAME = re.compile(r"password$|^privateconfiguration$|^data$", re.IGNORECASE)
"""Element/key names whose values are secrets (AdminPassword, UserPassword, certificate Data …)."""

XML_CONTENT_TYPE = "application/xml"
JSON_CONTENT_TYPE = "application/json"


@dataclass(frozen=True)
class ResponseParser(Generic[T]):
    """How to turn a successful response body into models.

    Attributes:
        name: What is parsed, for messages (``"HostedService"``, ``"list[OSImage]"``).
        from_xml: Parses an XML body.
        from_json: Parses a decoded JSON body (for ``serializetype="JSON"``).
    """

    name: str
    from_xml: Callable[[bytes], T]
    from_json: Callable[[Any], T]

    def parse(self, body: bytes, content_type: str) -> T:
        """Parse ``body``, choosing JSON when the server labelled it so."""
        if "json" in content_type.lower():
            return self.from_json(json.loads(body))
        return self.from_xml(body)


@dataclass(frozen=True)
class ApiRequest(Generic[T]):
    """One Service Management call, ready to be previewed or executed.

    Attributes:
        operation: Operation name (``"CreateHostedService"``), for logs and previews.
        method: HTTP method.
        path: Path below ``/<subscription-id>``, starting with ``/``; segments already quoted.
        query: Query parameters.
        body: XML request body, or ``None``.
        payload: The object ``body`` was serialised from (used to render JSON bodies).
        expected: Statuses the documentation/recordings give for success.
        parser: Parser of the response body, ``None`` when the operation returns none.
        is_async: True when success means "accepted" and the work is tracked by an operation id.
        headers: Extra request headers of this operation (``x-ms-continuation-token``).
    """

    operation: str
    method: str
    path: str
    query: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = field(default=None, repr=False)  # may hold passwords
    payload: object | None = None
    expected: frozenset[int] = frozenset({200})
    parser: ResponseParser[T] | None = None
    is_async: bool = False
    json_renderer: Callable[[object], object] | None = field(default=None, repr=False, compare=False)
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def path_and_query(self) -> str:
        """``path`` plus ``?query`` if any."""
        return self.path + (f"?{urlencode(dict(self.query))}" if self.query else "")

    def render_body(self, serialize_type: str = "XML") -> bytes | None:
        """The body as sent with ``serialize_type`` (``"XML"`` or ``"JSON"``)."""
        if self.body is None:
            return None
        if serialize_type.upper() == "JSON" and self.json_renderer is not None:
            return json.dumps(self.json_renderer(self.payload), separators=(",", ":")).encode("utf-8")
        return self.body

    def content_type(self, serialize_type: str = "XML") -> str | None:
        """``Content-Type`` of the body, ``None`` without a body."""
        if self.body is None:
            return None
        if serialize_type.upper() == "JSON" and self.json_renderer is not None:
            return JSON_CONTENT_TYPE
        return XML_CONTENT_TYPE

    def redacted_body(self, serialize_type: str = "XML") -> str | None:
        """The body as text with every password (and other secret) replaced by ``********``."""
        body = self.render_body(serialize_type)
        if body is None:
            return None
        if serialize_type.upper() == "JSON" and self.json_renderer is not None:
            return redact_json(body)
        return redact_xml(body)


def redact_xml(body: bytes) -> str:
    """``body`` with the text of every secret element replaced by :data:`REDACTED`."""
    try:
        root = parse_xml(body)
    except XmlError:
        return "<unparseable body withheld>"
    for element in root.iter():
        if (
            isinstance(element.tag, str)
            and _SECRET_NAME.search(local_name(element))
            and (len(element) == 0 and (element.text or "").strip())
        ):
            element.text = REDACTED
    return etree.tostring(root, encoding="unicode")


def redact_json(body: bytes) -> str:
    """``body`` (JSON) with every secret value replaced by :data:`REDACTED`."""
    try:
        data = json.loads(body)
    except ValueError:
        return "<unparseable body withheld>"

    def scrub(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: (REDACTED if _SECRET_NAME.search(k) and isinstance(v, str | int) and v != "" else scrub(v))
                for k, v in value.items()
            }
        if isinstance(value, list):
            return [scrub(v) for v in value]
        return value

    return json.dumps(scrub(data), separators=(",", ":"))


# ---------------------------------------------------------------------------------------------
# one declaration per operation: the builder is the client method


class Executor(Protocol):
    """What an operation method needs from its client: running a built request."""

    async def execute(self, request: ApiRequest[T]) -> Response[T]:
        """Send ``request`` and parse the answer (never raises for HTTP or network failures)."""
        ...


# ``Coroutine[Any, Any, …]`` is the type of an ``async def`` call: the yield/send types of a
# coroutine are the event loop's business, and ``asyncio.create_task`` requires a Coroutine.
OperationMethod = Callable[Concatenate[Executor, P], Coroutine[Any, Any, Response[T]]]


def operation(builder: Callable[P, ApiRequest[T]]) -> OperationMethod[P, T]:
    """The client method that builds a request with ``builder`` and executes it.

    Assigned in a class body (``get_disk = operation(get_disk)``) the result is an
    ordinary method: ``client.get_disk(name)`` validates via the builder (raising
    :class:`~smtui.api.errors.ValidationError` before anything is sent) and returns the
    awaitable :class:`~smtui.api.response.Response`. Name, docstring and signature are the
    builder's (plus ``self``), the return annotation ``Response[…]`` instead of ``ApiRequest[…]``.
    """

    async def run_operation(self: Executor, /, *args: P.args, **kwargs: P.kwargs) -> Response[T]:
        return await self.execute(builder(*args, **kwargs))

    signature = inspect.signature(builder)
    returns = signature.return_annotation
    if isinstance(returns, str) and returns.startswith("ApiRequest["):
        # Annotations are strings here (``from __future__ import annotations``); keep them so.
        returns = "Response[" + returns.removeprefix("ApiRequest[")
    self_parameter = inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY)
    run_operation.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[self_parameter, *signature.parameters.values()], return_annotation=returns
    )
    run_operation.__name__ = builder.__name__
    run_operation.__qualname__ = f"ServiceManagementClient.{builder.__name__}"
    run_operation.__doc__ = builder.__doc__
    run_operation.__module__ = builder.__module__
    return run_operation


# ---------------------------------------------------------------------------------------------
# helpers shared by the builders


def segment(value: object, field_name: str) -> str:
    """A validated, URL-quoted path segment.

    Raises:
        ValidationError: ``value`` is missing or empty, or is ``.``/``..``.
    """
    text = require_text(value, field_name)
    if text.strip() in (".", ".."):
        # httpx resolves dot segments: ``deployments/..`` would address the hosted service itself.
        raise ValidationError(field_name, f"{text.strip()!r} is not a valid name")
    return quote(text, safe="()$=',")


def require_text(value: object, field_name: str) -> str:
    """``value`` as a non-empty string.

    Raises:
        ValidationError: ``value`` is ``None``, not text/number, or blank.
    """
    if value is None:
        raise ValidationError(field_name, "is required")
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValidationError(field_name, f"must be text, got {type(value).__name__}")
    text = str(value)
    if not text.strip():
        raise ValidationError(field_name, "must not be empty")
    return text


def choice(value: object, field_name: str, allowed: tuple[str, ...]) -> str:
    """``value`` normalised to the canonical spelling of one of ``allowed`` (case-insensitive).

    Raises:
        ValidationError: ``value`` is not one of ``allowed``.
    """
    text = require_text(value, field_name)
    for candidate in allowed:
        if candidate.lower() == text.lower():
            return candidate
    raise ValidationError(field_name, f"must be one of {', '.join(allowed)}, got {text!r}")


def checked_lun(value: object, field_name: str = "Lun") -> int:
    """``value`` as a LUN in 0..15.

    Raises:
        ValidationError: Missing, not an integer, or out of range.
    """
    if value is None:
        raise ValidationError(field_name, "is required")
    if isinstance(value, bool):
        raise ValidationError(field_name, f"must be an integer 0-{MAX_LUN}")
    try:
        number = int(value) if isinstance(value, int | str) else None
    except ValueError:
        number = None
    if number is None:
        raise ValidationError(field_name, f"must be an integer 0-{MAX_LUN}, got {value!r}")
    if not LUN_RANGE[0] <= number <= MAX_LUN:
        raise ValidationError(field_name, f"must be between 0 and {MAX_LUN}, got {number}")
    return number


def media_query(delete_media: bool) -> dict[str, str]:
    """``{"comp": "media"}`` when the VHD blobs are to be deleted too."""
    return {"comp": "media"} if delete_media else {}


# ---------------------------------------------------------------------------------------------
# model plumbing (via the codec)

M = TypeVar("M")


def model_parser(cls: type[M]) -> ResponseParser[M]:
    """Parser of a body holding one ``cls``."""
    from smtui.api import codec

    return ResponseParser(
        cls.__name__,
        lambda body: codec.from_xml(cls, body),
        lambda data: codec.from_json(cls, data),
    )


def list_parser(cls: type[M]) -> ResponseParser[list[M]]:
    """Parser of a body holding a list of ``cls`` (``<Images><OSImage/>…</Images>``)."""
    from smtui.api import codec

    def from_json(data: Any) -> list[M]:
        if isinstance(data, dict) and len(data) == 1:
            data = next(iter(data.values()))
        if isinstance(data, dict):
            data = [data]
        return [codec.from_json(cls, item) for item in data or []]

    return ResponseParser(f"list[{cls.__name__}]", lambda body: codec.parse_list(cls, body), from_json)


def with_body(payload: object, root: str | None = None) -> dict[str, Any]:
    """``ApiRequest`` keyword arguments for a request carrying ``payload`` (request form)."""
    from smtui.api import codec

    def render_json(value: object) -> object:
        return codec.to_json(value, request=True)

    return {
        "body": codec.to_xml(payload, root=root, request=True),
        "payload": payload,
        "json_renderer": render_json,
    }


def coerce(cls: type[M], value: object, field_name: str) -> M:
    """``value`` as a ``cls``: the model itself, or a mapping with PascalCase/snake_case keys.

    Raises:
        ValidationError: ``value`` is missing or cannot be read as a ``cls``.
    """
    from smtui.api import codec

    if value is None:
        raise ValidationError(field_name, "is required")
    if isinstance(value, cls):
        return value
    if not isinstance(value, Mapping):
        raise ValidationError(
            field_name, f"must be a {cls.__name__} or a mapping, got {type(value).__name__}"
        )
    try:
        return codec.from_mapping(cls, value)
    except ValidationError:
        raise
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError(field_name, str(exc)) from None
