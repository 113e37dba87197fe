"""307 Temporary Redirect: the same method and body are re-sent to Location (RDFE regional hosts)."""

from __future__ import annotations

import pytest

from smtui.api.operations import ApiRequest

from .conftest import SUBSCRIPTION, Canned, ClientFactory, TestServer, recorded

REGIONAL = f"/regional/{SUBSCRIPTION}"


def redirect_to(server: TestServer, path: str) -> Canned:
    return Canned(307, headers={"Location": f"{server.base_url}{path}"})


async def test_post_is_re_sent_with_the_same_body(tls_server: TestServer, make_client: ClientFactory) -> None:
    original = recorded("azure-xplat-cli/025-CreateHostedService-307.json")
    original.headers["location"] = f"{tls_server.base_url}{REGIONAL}/services/hostedservices"
    tls_server.on("POST", f"/{SUBSCRIPTION}/services/hostedservices", original)
    tls_server.on(
        "POST", f"{REGIONAL}/services/hostedservices", Canned(201, headers={"x-ms-request-id": "r1"})
    )
    resp = await make_client().create_hosted_service("svc", {"Location": "West US"})
    assert resp.is_successful and resp.status_code == 201 and resp.request_id == "r1"
    first, second = tls_server.seen("POST")
    assert second.path == f"{REGIONAL}/services/hostedservices"
    assert first.body == second.body and b"<ServiceName>svc</ServiceName>" in second.body
    assert first.headers["content-type"] == second.headers["content-type"]
    assert second.headers["x-ms-version"] == "2014-10-01"
    assert resp.request_options.url == f"{tls_server.base_url}{REGIONAL}/services/hostedservices"


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE", "POST"])
async def test_every_method_follows(tls_server: TestServer, make_client: ClientFactory, method: str) -> None:
    tls_server.on(method, f"/{SUBSCRIPTION}/thing", redirect_to(tls_server, f"{REGIONAL}/thing"))
    tls_server.on(method, f"{REGIONAL}/thing", Canned(200))
    body = None if method in ("GET", "DELETE") else b"<Thing/>"
    resp = await make_client().execute(ApiRequest("Thing", method, "/thing", body=body))
    assert resp.is_successful
    methods = [s.method for s in tls_server.seen()]
    assert methods == [method, method]
    assert tls_server.seen()[1].body == (body or b"")


async def test_redirect_loops_are_bounded(tls_server: TestServer, make_client: ClientFactory) -> None:
    tls_server.on("GET", f"/{SUBSCRIPTION}/loop", redirect_to(tls_server, f"/{SUBSCRIPTION}/loop"))
    resp = await make_client({"max_redirects": 3}).execute(ApiRequest("Loop", "GET", "/loop"))
    assert resp.error is not None and resp.error.code == "TooManyRedirects"
    assert len(tls_server.seen()) == 4


async def test_redirect_to_plain_http_is_refused(tls_server: TestServer, make_client: ClientFactory) -> None:
    tls_server.on(
        "POST", f"/{SUBSCRIPTION}/thing", Canned(307, headers={"Location": "http://example.invalid/x"})
    )
    resp = await make_client().execute(ApiRequest("Thing", "POST", "/thing", body=b"<secret/>"))
    assert resp.error is not None and resp.error.code == "RedirectRefused"
    assert "http://example.invalid/x" in resp.error.message
    assert len(tls_server.seen()) == 1


async def test_relative_location_is_resolved(tls_server: TestServer, make_client: ClientFactory) -> None:
    tls_server.on("GET", f"/{SUBSCRIPTION}/thing", Canned(307, headers={"Location": f"{REGIONAL}/thing"}))
    tls_server.on("GET", f"{REGIONAL}/thing", Canned(200))
    assert (await make_client().execute(ApiRequest("Thing", "GET", "/thing"))).is_successful


async def test_recorded_get_redirect_then_answer(tls_server: TestServer, make_client: ClientFactory) -> None:
    first = recorded("azure-xplat-cli/092-GetHostedService-307.json")
    first.headers["location"] = f"{tls_server.base_url}{REGIONAL}/services/hostedservices/svc"
    tls_server.on("GET", f"/{SUBSCRIPTION}/services/hostedservices/svc", first)
    tls_server.on(
        "GET",
        f"{REGIONAL}/services/hostedservices/svc",
        recorded("azure-sdk-for-python/069-GetHostedService.json"),
    )
    resp = await make_client().get_hosted_service("svc")
    assert resp.is_successful and resp.response is not None
    assert resp.response.service_name
