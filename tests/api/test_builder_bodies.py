"""The request builders the client executes send what Microsoft's SDKs sent.

test_request_bodies.py checks the codec's body serializers; this file checks the path the client
really takes: a recorded request body is parsed into the model, handed to the operation's request
builder (smtui.api.operations_*), and the builder's body must equal the recorded one (canonical XML).
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from smtui.api import models as m
from smtui.api import operations_compute as compute
from smtui.api import operations_services as services
from smtui.api.models import CreateHostedService, Deployment, OSImage, VMRole
from smtui.api.operations import ApiRequest
from tests.api.bodies import parse, parse_role_operation
from tests.reference import RECORDINGS

from .xml_canon import canonical


def _role_operation(body: bytes) -> ApiRequest[Any]:
    op = parse_role_operation(body)
    if isinstance(op, m.ShutdownRoleOperation):
        return compute.shutdown_role_instance("svc", "dep", "vm", op.post_shutdown_action)
    if isinstance(op, m.StartRoleOperation):
        return compute.start_role_instance("svc", "dep", "vm")
    if isinstance(op, m.RestartRoleOperation):
        return compute.restart_role_instance("svc", "dep", "vm")
    return compute.capture_role_instance("svc", "dep", "vm", op)


def _update_role(body: bytes) -> ApiRequest[Any]:
    role = parse(VMRole, body)
    return compute.modify_role("svc", "dep", role.role_name or "vm", role)


BUILD: dict[str, Callable[[bytes], ApiRequest[Any]]] = {
    "AddRole": lambda b: compute.add_role("svc", "dep", parse(VMRole, b)),
    "UpdateRole": _update_role,
    "ShutdownRole": _role_operation,
    "StartRole": _role_operation,
    "RestartRole": _role_operation,
    "CaptureRole": _role_operation,
}


def _recorded(source: str) -> list[tuple[str, str, str]]:
    out = []
    for path in sorted((RECORDINGS / source).glob("*.json")):
        rec = json.loads(path.read_text())
        if rec["operation"] in BUILD and rec.get("request_body"):
            out.append((path.name, rec["operation"], rec["request_body"]))
    return out


@pytest.mark.parametrize("source", ["azure-sdk-for-python", "azure-sdk-for-net"])
def test_builders_send_the_recorded_bodies(source: str) -> None:
    seen: Counter[str] = Counter()
    for name, operation, body in _recorded(source):
        request = BUILD[operation](body.encode())
        assert request.body is not None, name
        assert canonical(request.body) == canonical(body), name
        seen[operation] += 1
    print(f"\n[{source}] builder bodies equal to the recording: {dict(sorted(seen.items()))}")
    assert seen["AddRole"] and seen["ShutdownRole"]


def test_create_deployment_builder_sends_the_recorded_bodies() -> None:
    seen = 0
    for source in ("azure-sdk-for-python", "azure-sdk-for-net"):
        for path in sorted((RECORDINGS / source).glob("*.json")):
            rec = json.loads(path.read_text())
            if rec["operation"] != "CreateDeployment" or not rec.get("request_body"):
                continue
            dep = parse(Deployment, rec["request_body"].encode())
            options: dict[str, Any] = {"DeploymentSlot": dep.deployment_slot, "Label": dep.label}
            for key, value in (
                ("VirtualNetworkName", dep.virtual_network_name),
                ("Dns", dep.dns),
                ("ReservedIPName", dep.reserved_ip_name),
                ("LoadBalancers", dep.load_balancers or None),
            ):
                if value is not None:
                    options[key] = value
            request = compute.create_deployment("svc", dep.name or "dep", dep.role_list[0], options)
            assert request.body is not None
            # The builder sends the slot's canonical spelling; the Python SDK passed the caller's
            # "production" through (the service matched slots case-insensitively).
            recorded = rec["request_body"].replace(
                "<DeploymentSlot>production<", "<DeploymentSlot>Production<"
            )
            assert canonical(request.body) == canonical(recorded), path.name
            seen += 1
    assert seen


def test_create_hosted_service_and_os_image_builders_match_the_recordings() -> None:
    seen: Counter[str] = Counter()
    for source in ("azure-sdk-for-python", "azure-sdk-for-net"):
        for path in sorted((RECORDINGS / source).glob("*.json")):
            rec = json.loads(path.read_text())
            body = rec.get("request_body")
            if not body:
                continue
            if rec["operation"] == "CreateHostedService":
                svc = parse(CreateHostedService, body.encode())
                options: dict[str, Any] = {
                    "Label": svc.label, "Description": svc.description, "Location": svc.location,
                    "AffinityGroup": svc.affinity_group, "ExtendedProperties": svc.extended_properties,
                    "ReverseDnsFqdn": svc.reverse_dns_fqdn,
                }  # fmt: skip
                request: ApiRequest[Any] = services.create_hosted_service(
                    svc.service_name or "", {k: v for k, v in options.items() if v not in (None, [])}
                )
            elif rec["operation"] == "AddOSImage":
                img = parse(OSImage, body.encode())
                extras = {
                    f.name: getattr(img, f.name) for f in dataclasses.fields(img)
                    if "wire" in f.metadata and f.name not in ("os", "name", "media_link")
                    and getattr(img, f.name) is not None
                }  # fmt: skip
                request = services.create_os_image(img.os or "", img.name or "", img.media_link or "", extras)
            else:
                continue
            sent = request.body
            assert sent is not None
            if rec["operation"] == "CreateHostedService" and svc.description is None:
                # The seed's default Description fills what this SDK left out.
                default = b"<Description>Service host</Description>"
                assert default in sent, path.name
                sent = sent.replace(default, b"")
            assert canonical(sent) == canonical(body), path.name
            seen[rec["operation"]] += 1
    assert seen["CreateHostedService"] and seen["AddOSImage"]
