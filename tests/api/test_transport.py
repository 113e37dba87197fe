"""The client on the wire: headers, mutual TLS, errors as responses, pooling, concurrency, logging."""

from __future__ import annotations

import asyncio
import logging
import socket

import pytest
import trustme

from smtui.api import ServiceManagementClient
from smtui.api.errors import ServiceError, TransportError
from smtui.api.operations import ApiRequest

from .conftest import SUBSCRIPTION, Canned, CertFiles, ClientFactory, TestServer, error, recorded

PROBE: ApiRequest[None] = ApiRequest("Probe", "GET", "/probe")


async def test_get_sends_the_documented_headers(tls_server: TestServer, make_client: ClientFactory) -> None:
    tls_server.on("GET", f"/{SUBSCRIPTION}/probe", Canned(200))
    client = make_client()
    resp = await client.execute(PROBE)
    assert resp.is_successful and resp.status_code == 200
    (seen,) = tls_server.seen("GET")
    assert seen.path == f"/{SUBSCRIPTION}/probe"
    assert seen.headers["x-ms-version"] == "2014-10-01"
    assert seen.headers["accept"] == "application/xml"
    assert "content-type" not in seen.headers
    assert "authorization" not in seen.headers


async def test_api_version_and_host_options(tls_server: TestServer, make_client: ClientFactory) -> None:
    tls_server.on("GET", f"/{SUBSCRIPTION}/probe", Canned(200))
    client = make_client({"apiversion": "2015-04-01", "user_agent": "probe/1"})
    assert client.host == tls_server.hostport
    await client.execute(PROBE)
    (seen,) = tls_server.seen()
    assert seen.headers["x-ms-version"] == "2015-04-01"
    assert seen.headers["user-agent"] == "probe/1"


async def test_bodiless_delete_sends_content_length_zero(
    tls_server: TestServer, make_client: ClientFactory
) -> None:
    tls_server.on("DELETE", r".*/services/hostedservices/gone", Canned(200))
    resp = await make_client().delete_hosted_service("gone")
    assert resp.is_successful
    (seen,) = tls_server.seen("DELETE")
    assert seen.headers.get("content-length") == "0"


async def test_request_id_and_request_options(tls_server: TestServer, make_client: ClientFactory) -> None:
    tls_server.on("GET", f"/{SUBSCRIPTION}/probe", Canned(200, headers={"x-ms-request-id": "abc123"}))
    resp = await make_client().execute(PROBE)
    assert resp.request_id == "abc123"
    assert resp.headers["x-ms-request-id"] == "abc123"
    assert resp.request_options.method == "GET"
    assert resp.request_options.url == f"{tls_server.base_url}/{SUBSCRIPTION}/probe"
    assert resp.request_options.headers["x-ms-version"] == "2014-10-01"
    assert "PRIVATE" not in repr(resp)


async def test_http_error_is_an_unsuccessful_response(
    tls_server: TestServer, make_client: ClientFactory
) -> None:
    tls_server.on(
        "GET",
        r".*/services/hostedservices/nope",
        recorded("azure-sdk-for-python/071-GetHostedService-404.json"),
    )
    resp = await make_client().get_hosted_service("nope")
    assert not resp.is_successful and resp.status_code == 404
    assert resp.error is not None
    code, message = resp.error
    assert code == "ResourceNotFound" and message == "The hosted service does not exist."
    assert resp.response is None and b"ResourceNotFound" in resp.body
    with pytest.raises(ServiceError) as caught:
        resp.raise_for_error()
    assert caught.value.status_code == 404 and caught.value.code == "ResourceNotFound"
    assert caught.value.request_id == resp.request_id


async def test_error_without_body_gets_a_code_from_the_status(
    tls_server: TestServer, make_client: ClientFactory
) -> None:
    tls_server.on("GET", f"/{SUBSCRIPTION}/probe", Canned(409))
    resp = await make_client().execute(PROBE)
    assert resp.error is not None and resp.error.code == "ConflictError"


async def test_unparseable_success_body_is_reported_not_raised(
    tls_server: TestServer, make_client: ClientFactory
) -> None:
    tls_server.on("GET", f"/{SUBSCRIPTION}/locations", Canned(200, "<Locations><oops>"))
    resp = await make_client().list_locations()
    assert not resp.is_successful and resp.status_code == 200
    assert resp.error is not None and resp.error.code == "InvalidResponse"


async def test_unsafe_xml_in_a_response_is_refused(
    tls_server: TestServer, make_client: ClientFactory
) -> None:
    xxe = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><Locations>&e;</Locations>'
    tls_server.on("GET", f"/{SUBSCRIPTION}/locations", Canned(200, xxe))
    resp = await make_client().list_locations()
    assert resp.error is not None and resp.error.code == "InvalidResponse"
    assert "root:" not in resp.error.message


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_connection_refused_is_an_unsuccessful_response(make_client: ClientFactory) -> None:
    client = make_client({"host": f"127.0.0.1:{_closed_port()}"})
    resp = await client.execute(PROBE)
    assert resp.status_code is None and resp.is_transport_failure and not resp.is_successful
    assert resp.error is not None and resp.error.code == "ConnectError"
    assert resp.request_options.url.endswith("/probe")
    with pytest.raises(TransportError) as caught:
        resp.raise_for_error()
    assert caught.value.code == "ConnectError"


async def test_untrusted_server_is_a_tls_error(tls_server: TestServer, make_client: ClientFactory) -> None:
    other_ca = trustme.CA()
    client = make_client({"ca_bundle": None})
    # The system store does not know the test CA.
    resp = await client.execute(PROBE)
    assert resp.error is not None and resp.error.code == "TLSError"
    assert other_ca  # keep a second CA alive to show the server's CA is the only one that works


async def test_verify_false_skips_server_verification(
    tls_server: TestServer, make_client: ClientFactory
) -> None:
    tls_server.on("GET", f"/{SUBSCRIPTION}/probe", Canned(200))
    resp = await make_client({"ca_bundle": None, "verify": False}).execute(PROBE)
    assert resp.is_successful


async def test_server_rejects_an_unknown_client_certificate(
    tls_server: TestServer, make_client: ClientFactory, tmp_path: pytest.TempPathFactory
) -> None:
    stranger = trustme.CA().issue_cert("stranger@example.invalid")
    auth = {
        "keyvalue": stranger.private_key_pem.bytes().decode(),
        "certvalue": stranger.cert_chain_pems[0].bytes().decode(),
    }
    tls_server.on("GET", f"/{SUBSCRIPTION}/probe", Canned(200))
    resp = await make_client(auth=auth).execute(PROBE)
    assert resp.is_transport_failure
    assert resp.error is not None and resp.error.code in ("TLSError", "NetworkError", "ProtocolError")
    assert tls_server.seen() == []


async def test_one_connection_is_kept_alive(tls_server: TestServer, make_client: ClientFactory) -> None:
    tls_server.on("GET", f"/{SUBSCRIPTION}/probe", Canned(200))
    client = make_client()
    for _ in range(5):
        assert (await client.execute(PROBE)).is_successful
    assert len(set(tls_server.client_ports)) == 1


async def test_in_flight_requests_are_bounded(tls_server: TestServer, make_client: ClientFactory) -> None:
    tls_server.on("GET", f"/{SUBSCRIPTION}/probe", Canned(200, delay=0.15))
    client = make_client({"max_in_flight": 2})
    results = await asyncio.gather(*(client.execute(PROBE) for _ in range(6)))
    assert all(r.is_successful for r in results)
    assert tls_server.max_active == 2
    assert client.transport.in_flight == 0


async def test_read_timeout_is_a_transport_failure(
    tls_server: TestServer, make_client: ClientFactory
) -> None:
    tls_server.on("POST", f"/{SUBSCRIPTION}/slow", Canned(202, delay=1.0))
    client = make_client({"timeout": 0.2})
    resp = await client.execute(ApiRequest("Slow", "POST", "/slow", body=b"<x/>"))
    # The POST reached the server, so its outcome is unknown rather than a plain timeout (issue 10).
    assert resp.error is not None and resp.error.code == "OutcomeUnknown"
    assert len(tls_server.seen("POST")) == 1


async def test_closed_client_refuses_requests(make_client: ClientFactory) -> None:
    client = make_client()
    await client.aclose()
    resp = await client.execute(PROBE)
    assert resp.error is not None and resp.error.code == "Closed"


async def test_async_with_closes_the_pool(
    tls_server: TestServer, cert_files: CertFiles, auth: dict[str, str], no_proxy_env: None
) -> None:
    tls_server.on("GET", f"/{SUBSCRIPTION}/probe", Canned(200))
    options = {"host": tls_server.hostport, "ca_bundle": str(cert_files.ca)}
    async with ServiceManagementClient(SUBSCRIPTION, auth, options) as client:
        assert (await client.execute(PROBE)).is_successful
    assert (await client.execute(PROBE)).error == ("Closed", "the client has been closed")


async def test_debug_log_names_requests_but_never_secrets(
    tls_server: TestServer, make_client: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    tls_server.on("POST", r".*/deployments", Canned(202, headers={"x-ms-request-id": "feedbeef"}))
    role = {
        "RoleName": "vm1",
        "ConfigurationSets": [
            {
                "ConfigurationSetType": "LinuxProvisioningConfiguration",
                "HostName": "vm1",
                "UserName": "azureuser",
                "UserPassword": "Sup3rS3cret!",
            },
        ],
        "OSVirtualHardDisk": {
            "SourceImageName": "img",
            "MediaLink": "https://a.blob.core.windows.net/v/os.vhd",
        },
    }
    with caplog.at_level(logging.DEBUG, logger="smtui.api"):
        resp = await make_client().create_deployment("svc", "svc", role)
    assert resp.is_successful
    text = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("smtui.api"))
    assert "POST" in text and "/services/hostedservices/svc/deployments" in text
    assert "202" in text and "feedbeef" in text
    assert "Sup3rS3cret!" not in text and "PRIVATE KEY" not in text
    assert "Sup3rS3cret!" not in repr(resp)


async def test_error_response_for_bad_gateway_body(
    tls_server: TestServer, make_client: ClientFactory
) -> None:
    tls_server.on("DELETE", f"/{SUBSCRIPTION}/probe", Canned(502, "<html>bad gateway</html>"))
    resp = await make_client().execute(ApiRequest("Probe", "DELETE", "/probe"))
    assert resp.status_code == 502 and resp.error is not None
    assert resp.error.code == "Http502"
    assert "bad gateway" in resp.error.message


async def test_service_error_codes_from_recordings(
    tls_server: TestServer, make_client: ClientFactory
) -> None:
    tls_server.on(
        "GET", f"/{SUBSCRIPTION}/probe", error(403, "ForbiddenError", "The server failed to authenticate")
    )
    resp = await make_client().execute(PROBE)
    assert resp.error == ("ForbiddenError", "The server failed to authenticate")
