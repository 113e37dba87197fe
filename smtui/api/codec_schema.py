"""Field declarations for the data objects and the per-class wire tables built from them.

:mod:`smtui.api.models` declares every field with :func:`wire` / :func:`wire_list` so that the
element name sits next to the field (greppable, explicit). The codec turns each class into a
:class:`Spec` once: a tuple of :class:`Field` in documented element order plus a dict keyed by
Clark tag (``{namespace}Name``) for order-insensitive, split-free parsing.
"""

from __future__ import annotations

import dataclasses
import threading
import types
import typing
from typing import Any, Literal, Union

from smtui.api.xml import AZURE_NS

B64Mode = Literal["always", "response"]
"""``always``: the service base64-encodes the text in requests and responses; ``response``: only
in responses (the VM ``CreateDeployment`` request sends the deployment ``Label`` as plain text)."""

# Field kinds.
SCALAR = 0
MODEL = 1
POLY = 2
LIST_MODEL = 3
LIST_SCALAR = 4
LIST_POLY = 5


def wire(name: str, *, default: Any = None, b64: B64Mode | None = None, secret: bool = False) -> Any:
    """Declare a scalar or nested-object field carried by the child element ``name``.

    Args:
        name: The element name on the wire (without namespace).
        default: Default value (``None`` = element absent).
        b64: Whether the service base64-encodes the text (the model keeps it decoded).
        secret: A password: left out of ``repr`` so it cannot leak into logs or worker descriptions.
    """
    return dataclasses.field(default=default, repr=not secret, metadata={"wire": name, "b64": b64})


def wire_list(name: str, item: str) -> Any:
    """Declare a list field carried by the wrapper element ``name`` with ``item`` children."""
    return dataclasses.field(default_factory=list, metadata={"wire": name, "item": item})


def unknown_elements() -> Any:
    """The ``extra`` field: child elements the model does not know, kept in place."""
    return dataclasses.field(default_factory=list, kw_only=True, metadata={"book": "extra"})


def nil_elements() -> Any:
    """The ``nil`` field: wire names of children that were sent as ``i:nil="true"``."""
    return dataclasses.field(default=frozenset(), kw_only=True, repr=False, metadata={"book": "nil"})


def empty_elements() -> Any:
    """The ``empty`` field: wire names of list wrappers present on the wire with no items."""
    return dataclasses.field(default=frozenset(), kw_only=True, repr=False, metadata={"book": "empty"})


def clark(name: str) -> str:
    """The namespaced (Clark notation) tag of an Azure element name."""
    return f"{{{AZURE_NS}}}{name}"


class Field:
    """How one dataclass field maps to one child element."""

    __slots__ = (
        "name", "wire", "tag", "kind", "scalar", "b64", "item", "item_tag",
        "cls", "choices", "index", "default",
    )

    def __init__(self, name: str, wire_name: str, kind: int, index: int) -> None:
        self.name = name
        self.wire = wire_name
        self.tag = clark(wire_name)
        self.kind = kind
        self.index = index
        self.scalar: type = str
        self.b64: B64Mode | None = None
        self.item: str | None = None
        self.item_tag: str | None = None
        self.cls: type | None = None
        self.choices: tuple[type, ...] = ()
        self.default: Any = None


class Spec:
    """The wire table of one model class."""

    __slots__ = ("cls", "root", "fields", "by_tag", "by_key", "template", "list_indexes", "root_order",
                 "request_order", "tables")

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.root: str = getattr(cls, "__wire__", cls.__name__)
        self.fields: tuple[Field, ...] = ()
        self.by_tag: dict[str, Field] = {}
        self.by_key: dict[str, Field] = {}
        self.template: list[Any] = []
        self.list_indexes: tuple[int, ...] = ()
        self.root_order: tuple[Field, ...] | None = None
        self.request_order: tuple[Field, ...] | None = None
        # Parse tables of the codec, by mode (response, request); built on first use.
        self.tables: list[Any] = [None, None]


_specs: dict[type, Spec] = {}
_lock = threading.Lock()


def is_model(tp: Any) -> bool:
    """Whether ``tp`` is one of the wire dataclasses."""
    return isinstance(tp, type) and dataclasses.is_dataclass(tp) and hasattr(tp, "__wire__")


def _strip_optional(tp: Any) -> tuple[Any, ...]:
    if typing.get_origin(tp) in (Union, types.UnionType):
        return tuple(a for a in typing.get_args(tp) if a is not type(None))
    return (tp,)


def _classify(tp: Any) -> tuple[int, Any]:
    """(kind, payload) of an annotation: payload is a scalar type, a class or a tuple of classes."""
    if typing.get_origin(tp) is list:
        (inner,) = typing.get_args(tp)
        members = _strip_optional(inner)
        if len(members) > 1:
            return LIST_POLY, members
        if is_model(members[0]):
            return LIST_MODEL, members[0]
        return LIST_SCALAR, members[0]
    members = _strip_optional(tp)
    if len(members) > 1:
        return POLY, members
    if is_model(members[0]):
        return MODEL, members[0]
    return SCALAR, members[0]


def spec_of(cls: type) -> Spec:
    """The (cached) wire table of a model class."""
    spec = _specs.get(cls)
    if spec is not None:
        return spec
    with _lock:
        spec = _specs.get(cls)
        if spec is None:
            spec = _build(cls)
            _specs[cls] = spec
    return spec


def _build(cls: type) -> Spec:
    if not is_model(cls):
        raise TypeError(f"{cls!r} is not a wire data object")
    hints = typing.get_type_hints(cls)
    spec = Spec(cls)
    fields: list[Field] = []
    lists: list[int] = []
    template: list[Any] = []
    for dc_field in dataclasses.fields(cls):
        meta = dc_field.metadata
        if meta.get("book") is not None:
            continue  # kw-only bookkeeping (extra, nil, empty): set after construction
        index = len(template)
        # Absent elements parse to None even where the constructor has a friendlier default
        # (VMRole.role_type): the model must say what the wire said.
        template.append(None)
        kind, payload = _classify(hints[dc_field.name])
        field = Field(dc_field.name, meta["wire"], kind, index)
        field.default = None if dc_field.default is dataclasses.MISSING else dc_field.default
        field.b64 = meta.get("b64")
        if kind in (LIST_MODEL, LIST_SCALAR, LIST_POLY):
            field.item = meta["item"]
            field.item_tag = clark(meta["item"])
            lists.append(index)
        if kind in (MODEL, LIST_MODEL):
            field.cls = payload
        elif kind in (POLY, LIST_POLY):
            field.choices = payload
        else:
            field.scalar = payload
        fields.append(field)
    spec.fields = tuple(fields)
    spec.by_tag = {f.tag: f for f in fields}
    spec.by_key = {}
    for f in fields:
        spec.by_key[f.wire] = f
        spec.by_key[f.name] = f
    spec.template = template
    spec.list_indexes = tuple(lists)
    spec.root_order = _reordered(fields, getattr(cls, "__wire_root_order__", None))
    spec.request_order = _reordered(fields, getattr(cls, "__wire_request_order__", None))
    return spec


def _reordered(fields: list[Field], order: tuple[str, ...] | None) -> tuple[Field, ...] | None:
    """``fields`` with the wire names of ``order`` first, in that order (None if no override)."""
    if not order:
        return None
    by_wire = {f.wire: f for f in fields}
    return tuple([by_wire[w] for w in order] + [f for f in fields if f.wire not in order])


def poly_discriminator(choices: tuple[type, ...]) -> tuple[str, dict[str, type], dict[str, type]]:
    """(discriminator element, value → class, i:type → class) for a polymorphic field."""
    by_value: dict[str, type] = {}
    by_xsi: dict[str, type] = {}
    element = ""
    for choice in choices:
        element, value = choice.__dict__["__wire_discriminator__"]
        by_value[value] = choice
        xsi = getattr(choice, "__wire_xsi_type__", None)
        if xsi:
            by_xsi[xsi] = choice
    return element, by_value, by_xsi
