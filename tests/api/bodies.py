"""Request bodies through the codec's generic entry points (what the request builders use)."""

from __future__ import annotations

from typing import Any, TypeVar

from smtui.api import codec
from smtui.api.models import (
    CaptureRoleOperation,
    RestartRoleOperation,
    ShutdownRoleOperation,
    StartRoleOperation,
)
from smtui.api.xml import local_name, parse_xml

T = TypeVar("T")

RoleOperation = ShutdownRoleOperation | StartRoleOperation | RestartRoleOperation | CaptureRoleOperation
_ROLE_OPERATIONS: dict[str, type[Any]] = {
    cls.__wire__: cls
    for cls in (ShutdownRoleOperation, StartRoleOperation, RestartRoleOperation, CaptureRoleOperation)
}


def request_body(cls: type[Any], obj: Any) -> bytes:
    """The request body of ``obj`` (a model of ``cls`` or a mapping of its fields)."""
    return codec.to_xml(codec.from_mapping(cls, obj), request=True)


def parse(cls: type[T], data: bytes | str) -> T:
    """A request body parsed into ``cls``."""
    return codec.from_xml(cls, data, request=True)


def parse_role_operation(data: bytes | str) -> RoleOperation:
    """Any body POSTed to ``…/roleinstances/<name>/Operations``, by its root element."""
    root = parse_xml(data.encode() if isinstance(data, str) else data)
    result: RoleOperation = codec.from_xml(_ROLE_OPERATIONS[local_name(root)], root, request=True)
    return result
