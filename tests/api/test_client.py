"""Client construction, options, previews, validation before sending, and the JSON serializer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import trustme

from smtui.api import ClientOptions, ServiceManagementClient
from smtui.api import operations_compute as compute
from smtui.api import operations_services as services
from smtui.api.errors import CertificateError, ValidationError
from tests.reference import RECORDINGS

from .conftest import SUBSCRIPTION, Canned, CertFiles, ClientFactory, TestServer, recorded

ROLE = {
    "RoleName": "vm1",
    "OSVirtualHardDisk": {
        "SourceImageName": "img",
        "MediaLink": "https://acct.blob.core.windows.net/vhds/os.vhd",
    },
    "ConfigurationSets": [
        {
            "ConfigurationSetType": "WindowsProvisioningConfiguration",
            "ComputerName": "vm1",
            "AdminPassword": "Adm1nS3cret!",
            "AdminUsername": "admin",
        },
    ],
}


# ------------------------------------------------------------------ construction


async def test_defaults(auth: dict[str, str], no_proxy_env: None) -> None:
    client = ServiceManagementClient(SUBSCRIPTION, auth)
    try:
        assert client.host == "management.core.windows.net"
        assert client.base_url == "https://management.core.windows.net"
        assert client.options.apiversion == "2014-10-01"
        assert client.serialize_type == "XML"
        assert client.proxy_url is None
        assert len(client.certificate_thumbprint) == 40
        assert "PRIVATE" not in repr(client.certificate_info)
        assert client.url_for(services.list_locations()) == (
            f"https://management.core.windows.net/{SUBSCRIPTION}/locations"
        )
    finally:
        await client.aclose()


async def test_auth_falls_back_to_the_environment(
    cert_files: CertFiles, no_proxy_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CLIENT_AUTH_KEYFILE", str(cert_files.key))
    monkeypatch.setenv("CLIENT_AUTH_CERTFILE", str(cert_files.cert))
    client = ServiceManagementClient(SUBSCRIPTION)
    assert client.certificate_info.key_source.startswith("env CLIENT_AUTH_KEYFILE")
    await client.aclose()


def test_mismatched_certificate_fails_at_construction(cert_files: CertFiles, ca: trustme.CA) -> None:
    other = ca.issue_cert("other@example.invalid")
    with pytest.raises(CertificateError, match="does not match"):
        ServiceManagementClient(
            SUBSCRIPTION,
            {"keyvalue": other.private_key_pem.bytes().decode(), "certfile": str(cert_files.cert)},
        )


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"serializetype": "YAML"}, "serializetype"),
        ({"host": "https://x/"}, "host"),
        ({"max_in_flight": 0}, "max_in_flight"),
        ({"timeout": -1}, "timeout"),
        ({"colour": "blue"}, "colour"),
        ({"apiversion": ""}, "apiversion"),
    ],
)
def test_invalid_options_name_the_field(auth: dict[str, str], options: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ServiceManagementClient(SUBSCRIPTION, auth, options)
    assert caught.value.field == field


def test_empty_subscription_is_refused(auth: dict[str, str]) -> None:
    with pytest.raises(ValidationError, match="subscription_id"):
        ServiceManagementClient("  ", auth)


def test_options_object_and_shortcuts() -> None:
    opts = ClientOptions.from_value({"serializetype": "json", "retries": 2, "timeout": 5, "host": "h:8443"})
    assert opts.serializetype == "JSON" and opts.retry.max_attempts == 3
    assert opts.timeouts.read == 5 and opts.base_url == "https://h:8443"
    assert ClientOptions.from_value(opts) == opts


# ------------------------------------------------------------------ validation before sending


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.add_data_disk("svc", "dep", "vm1", {"Lun": 16, "LogicalDiskSizeInGB": 10}), "Lun"),
        (lambda c: c.add_data_disk("svc", "dep", "vm1", {"Lun": -1, "DiskName": "d"}), "Lun"),
        (lambda c: c.add_data_disk("svc", "dep", "vm1", {"LogicalDiskSizeInGB": 10}), "Lun"),
        (lambda c: c.add_data_disk("svc", "dep", "vm1", {"Lun": 0}), "DataVirtualHardDisk"),
        (
            lambda c: c.add_data_disk(
                "svc", "dep", "vm1", {"Lun": 0, "DiskName": "d", "HostCaching": "Fast"}
            ),
            "HostCaching",
        ),
        (lambda c: c.get_data_disk("svc", "dep", "vm1", 99), "Lun"),
        (lambda c: c.remove_data_disk("svc", "dep", "vm1", "x"), "Lun"),
        (lambda c: c.get_deployment_by_slot("svc", "Testing"), "DeploymentSlot"),
        (lambda c: c.create_deployment("svc", "dep", ROLE, {"DeploymentSlot": "Blue"}), "DeploymentSlot"),
        (lambda c: c.create_deployment("svc", "dep", {"RoleName": "vm1"}), "OSVirtualHardDisk"),
        (lambda c: c.create_deployment("svc", "dep", {**ROLE, "RoleType": "WebRole"}), "RoleType"),
        (lambda c: c.create_deployment("svc", "", ROLE), "deployment_name"),
        (lambda c: c.add_role("svc", "dep", {"OSVirtualHardDisk": {"DiskName": "d"}}), "RoleName"),
        (lambda c: c.modify_role("svc", "dep", "vm1", ROLE), "ConfigurationSets"),
        (lambda c: c.modify_role("svc", "dep", "vm1", {"RoleName": "vm2"}), "RoleName"),
        (lambda c: c.shutdown_role_instance("svc", "dep", "vm1", "Hibernate"), "PostShutdownAction"),
        (
            lambda c: c.capture_role_instance("svc", "dep", "vm1", {"TargetImageName": "x"}),
            "PostCaptureAction",
        ),
        (
            lambda c: c.capture_role_instance(
                "svc", "dep", "vm1", {"PostCaptureAction": "Reprovision", "TargetImageName": "x"}
            ),
            "ProvisioningConfiguration",
        ),
        (
            lambda c: c.capture_role_instance("svc", "dep", "vm1", {"PostCaptureAction": "Delete"}),
            "TargetImageName",
        ),
        (lambda c: c.create_hosted_service("svc"), "Location"),
        (
            lambda c: c.create_hosted_service("svc", {"Location": "West US", "AffinityGroup": "ag"}),
            "AffinityGroup",
        ),
        (lambda c: c.create_hosted_service("svc", {"Location": "x", "Label": "L" * 101}), "Label"),
        (lambda c: c.create_os_image("BeOS", "img", "https://x/y.vhd"), "OS"),
        (lambda c: c.get_hosted_service(""), "service_name"),
        (lambda c: c.get_role("svc", "dep", None), "role_name"),
    ],
)
async def test_invalid_arguments_raise_before_any_request(
    tls_server: TestServer, make_client: ClientFactory, call: Any, field: str
) -> None:
    client = make_client()
    with pytest.raises(ValidationError) as caught:
        await call(client)
    assert caught.value.field == field, caught.value
    assert field in str(caught.value)
    assert tls_server.seen() == []


async def test_lun_bounds_are_accepted(tls_server: TestServer, make_client: ClientFactory) -> None:
    tls_server.on(
        "POST",
        f"/{SUBSCRIPTION}/services/hostedservices/svc/deployments/dep/roles/vm1/DataDisks",
        Canned(202),
    )
    client = make_client()
    for number in (0, 15):
        assert (
            await client.add_data_disk("svc", "dep", "vm1", {"Lun": number, "DiskName": "d"})
        ).is_successful


def test_seed_style_pascal_case_mappings_and_models_are_equivalent() -> None:
    from smtui.api import codec, models

    role_model = codec.from_mapping(models.VMRole, ROLE)
    from_mapping = compute.create_deployment("svc", "dep", ROLE)
    from_model = compute.create_deployment("svc", "dep", role_model)
    assert from_mapping.body == from_model.body


# ------------------------------------------------------------------ previews


def test_request_builders_are_pure_and_preview_redacts_passwords(auth: dict[str, str]) -> None:
    request = compute.create_deployment("svc", "dep", ROLE)
    assert request.method == "POST" and request.path == "/services/hostedservices/svc/deployments"
    assert request.body is not None and b"Adm1nS3cret!" in request.body  # the real body is intact
    redacted = request.redacted_body()
    assert redacted is not None and "Adm1nS3cret!" not in redacted and "<AdminPassword>********" in redacted
    assert "<ComputerName>vm1</ComputerName>" in redacted
    client = ServiceManagementClient(SUBSCRIPTION, auth, {"host": "example.invalid"})
    preview = client.preview(request)
    assert preview.url == f"https://example.invalid/{SUBSCRIPTION}/services/hostedservices/svc/deployments"
    assert preview.headers["x-ms-version"] == "2014-10-01"
    assert preview.headers["Content-Type"] == "application/xml"
    assert preview.body is not None and "Adm1nS3cret!" not in preview.body
    assert "Adm1nS3cret!" not in repr(preview)


def test_linux_user_password_is_redacted() -> None:
    role = {
        "RoleName": "vm1",
        "OSVirtualHardDisk": {
            "SourceImageName": "img",
            "MediaLink": "https://a.blob.core.windows.net/v/os.vhd",
        },
        "ConfigurationSets": [
            {
                "ConfigurationSetType": "LinuxProvisioningConfiguration",
                "HostName": "vm1",
                "UserName": "u",
                "UserPassword": "L1nuxS3cret!",
            }
        ],
    }
    request = compute.add_role("svc", "dep", role)
    assert "L1nuxS3cret!" not in (request.redacted_body() or "")
    assert "L1nuxS3cret!" not in (request.redacted_body("JSON") or "")


async def test_password_never_reaches_request_options(
    tls_server: TestServer, make_client: ClientFactory
) -> None:
    tls_server.on("POST", f"/{SUBSCRIPTION}/services/hostedservices/svc/deployments", Canned(202))
    resp = await make_client().create_deployment("svc", "dep", ROLE)
    assert resp.is_successful
    assert "Adm1nS3cret!" not in repr(resp.request_options)
    assert b"Adm1nS3cret!" in tls_server.seen()[0].body  # but it was sent


# ------------------------------------------------------------------ JSON


async def test_json_serializetype_sends_json_and_parses_json(
    tls_server: TestServer, make_client: ClientFactory
) -> None:
    tls_server.on("POST", f"/{SUBSCRIPTION}/services/hostedservices", Canned(201))
    answer = {
        "Url": "https://x/svc",
        "ServiceName": "svc",
        "HostedServiceProperties": {"Label": "c3Zj", "Location": "West US", "Status": "Created"},
    }
    tls_server.on(
        "GET",
        f"/{SUBSCRIPTION}/services/hostedservices/svc",
        Canned(200, json.dumps(answer), {"Content-Type": "application/json; charset=utf-8"}),
    )
    client = make_client({"serializetype": "JSON"})
    created = await client.create_hosted_service("svc", {"Location": "West US"})
    assert created.is_successful
    sent = tls_server.seen("POST")[0]
    assert sent.headers["content-type"] == "application/json"
    assert sent.headers["accept"] == "application/json"
    body = json.loads(sent.body)
    assert body["ServiceName"] == "svc" and body["Label"] == "c3Zj" and body["Description"] == "Service host"
    got = await client.get_hosted_service("svc")
    assert got.is_successful and got.response is not None
    assert got.response.service_name == "svc"
    assert got.response.hosted_service_properties is not None
    assert got.response.hosted_service_properties.label == "svc"


async def test_json_client_still_reads_xml_answers_and_errors(
    tls_server: TestServer, make_client: ClientFactory
) -> None:
    tls_server.on(
        "GET", f"/{SUBSCRIPTION}/locations", recorded("azure-sdk-for-python/105-ListLocations.json")
    )
    tls_server.on(
        "GET",
        f"/{SUBSCRIPTION}/rolesizes",
        Canned(
            404,
            json.dumps({"Code": "ResourceNotFound", "Message": "nope"}),
            {"Content-Type": "application/json"},
        ),
    )
    client = make_client({"serializetype": "JSON"})
    locations = await client.list_locations()
    assert locations.is_successful and locations.response
    sizes = await client.list_role_sizes()
    assert sizes.error == ("ResourceNotFound", "nope")


def test_json_preview_redacts_passwords(auth: dict[str, str]) -> None:
    client = ServiceManagementClient(SUBSCRIPTION, auth, {"serializetype": "JSON"})
    preview = client.preview(compute.create_deployment("svc", "dep", ROLE))
    assert preview.headers["Content-Type"] == "application/json"
    assert preview.body is not None and "Adm1nS3cret!" not in preview.body
    assert json.loads(preview.body)["Name"] == "dep"


def test_role_read_back_from_the_service_can_be_modified() -> None:
    """RDFE omits <Lun> for LUN 0; Update Role with such a role must not fail validation."""
    from smtui.api import codec, models

    body = json.loads((RECORDINGS / "azure-sdk-for-net" / "116-GetRole.json").read_text())
    role = codec.from_xml(models.VMRole, body["response_body"].encode())
    assert role.data_virtual_hard_disks and role.data_virtual_hard_disks[0].lun is None
    request = compute.modify_role("svc", "dep", str(role.role_name), role)
    assert request.body is not None and b"<Lun>0</Lun>" in request.body
