"""Property tests: model → XML → model and model → JSON → model are the identity.

Instances are generated from each model's own wire table, so every field (with ``None``,
``i:nil``, empty wrappers and unknown elements) is exercised without listing fields twice.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from smtui.api import codec
from smtui.api import models as m
from smtui.api.codec_schema import LIST_MODEL, LIST_SCALAR, MODEL, POLY, SCALAR, Field, spec_of
from smtui.api.codec_xml import canonical
from smtui.api.models import Deployment
from smtui.api.xml import AZURE_NS
from tests.api.bodies import parse, request_body

MAX_DEPTH = 4

# Text XML can carry: no surrogates, no C0 controls except tab/newline/CR, no U+FFFE/U+FFFF.
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from("\t\n\r <>&\"'"),
    max_size=12,
)
INT = st.integers(min_value=-(2**31), max_value=2**31 - 1)


def _scalar(field: Field) -> st.SearchStrategy[Any]:
    if field.scalar is int:
        return INT
    if field.scalar is bool:
        return st.booleans()
    return TEXT


@st.composite
def unknown_element(draw: st.DrawFn) -> m.UnknownElement:
    elem = etree.Element(f"{{{AZURE_NS}}}Future{draw(st.integers(0, 3))}", nsmap={None: AZURE_NS})
    elem.text = draw(TEXT) or None
    return m.UnknownElement(None, canonical(elem))


@st.composite
def instance(draw: st.DrawFn, cls: type, depth: int = 0) -> Any:
    spec = spec_of(cls)
    discriminator = cls.__dict__.get("__wire_discriminator__")
    kwargs: dict[str, Any] = {}
    nil: set[str] = set()
    empty: set[str] = set()
    for field in spec.fields:
        if discriminator and field.wire == discriminator[0]:
            value = discriminator[1]
            kwargs[field.name] = "FutureConfiguration" if value == "*" else value
            continue
        if field.kind == SCALAR:
            value = draw(st.none() | _scalar(field))
        elif field.kind in (MODEL, POLY):
            choices = (field.cls,) if field.kind == MODEL else field.choices
            value = None
            if depth < MAX_DEPTH:
                value = draw(st.none() | st.sampled_from(choices).flatmap(lambda c: instance(c, depth + 1)))
        else:
            items: st.SearchStrategy[Any]
            if depth >= MAX_DEPTH or field.kind == LIST_SCALAR:
                items = TEXT
            elif field.kind == LIST_MODEL:
                items = instance(field.cls, depth + 1)
            else:
                items = st.sampled_from(field.choices).flatmap(lambda c: instance(c, depth + 1))
            value = draw(st.lists(items, max_size=0 if depth >= MAX_DEPTH else 2 if depth < 2 else 1))
            if not value:
                mark = draw(st.sampled_from(["absent", "empty", "nil"]))
                if mark == "empty":
                    empty.add(field.wire)
                elif mark == "nil":
                    nil.add(field.wire)
        if value is None and field.kind in (SCALAR, MODEL, POLY) and draw(st.booleans()):
            nil.add(field.wire)
        kwargs[field.name] = value
    obj = cls(**kwargs)
    obj.extra = draw(st.lists(unknown_element(), max_size=2))
    obj.nil = frozenset(nil)
    obj.empty = frozenset(empty)
    return obj


MAIN_MODELS = [
    m.OperationStatus, m.OSImage, m.Disk, m.HostedService, m.CreateHostedService, m.Deployment, m.VMRole,
    m.DataDisk, m.StorageAccount, m.StorageAccountKeys, m.Location, m.RoleSize, m.CaptureRoleOperation,
    m.ShutdownRoleOperation,
]
# Where generation starts in the depth budget: the big trees (a hosted service holds deployments,
# roles, configuration sets …) start deeper so each example stays small; Deployment and VMRole
# are exercised in full on their own.
START_DEPTH = {m.HostedService: 2, m.Deployment: 1}
SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("cls", MAIN_MODELS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("request_form", [False, True], ids=["response", "request"])
@SETTINGS
@given(data=st.data())
def test_xml_round_trip_is_identity(cls: type, request_form: bool, data: st.DataObject) -> None:
    obj = data.draw(instance(cls, START_DEPTH.get(cls, 0)))
    xml = codec.to_xml(obj, request=request_form)
    assert codec.from_xml(cls, xml, request=request_form) == obj


@pytest.mark.parametrize("cls", MAIN_MODELS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("request_form", [False, True], ids=["response", "request"])
@SETTINGS
@given(data=st.data())
def test_json_round_trip_is_identity(cls: type, request_form: bool, data: st.DataObject) -> None:
    obj = data.draw(instance(cls, START_DEPTH.get(cls, 0)))
    assert codec.from_json(cls, codec.to_json(obj, request=request_form), request=request_form) == obj


@SETTINGS
@given(label=TEXT)
def test_base64_labels_round_trip_as_decoded_text(label: str) -> None:
    properties = m.HostedServiceProperties(label=label)
    service = m.HostedService(service_name="s", hosted_service_properties=properties)
    assert codec.from_xml(m.HostedService, codec.to_xml(service)) == service
    deployment = m.Deployment(name="d", label=label)
    assert parse(Deployment, request_body(Deployment, deployment)) == deployment
