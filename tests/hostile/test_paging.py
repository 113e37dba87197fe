"""A hostile or broken server paging List Hosted Services (issue 9 §2): the client never loops
and never hides a failed page. The scripted HTTPS server of tests/api is reused."""

from __future__ import annotations

from typing import Any

from tests.api import conftest as api
from tests.api.conftest import SUBSCRIPTION, Canned, error

# The scripted server's fixtures, used here by name.
ca, client_identity, cert_files, auth = api.ca, api.client_identity, api.cert_files, api.auth
_server, tls_server, no_proxy_env, make_client = (
    api._server,
    api.tls_server,
    api.no_proxy_env,
    api.make_client,
)

PATH = f"/{SUBSCRIPTION}/services/hostedservices"


def _page(*names: str, token: str | None = None) -> Canned:
    items = "".join(f"<HostedService><ServiceName>{n}</ServiceName></HostedService>" for n in names)
    body = f'<HostedServices xmlns="http://schemas.microsoft.com/windowsazure">{items}</HostedServices>'
    return Canned(200, body, {"x-ms-continuation-token": token} if token else {})


async def test_a_token_sent_twice_ends_the_listing(tls_server: Any, make_client: Any) -> None:
    tls_server.on("GET", PATH, [_page("a", token="t1"), _page("b", token="t1")])  # the last one repeats
    services = (await make_client().list_hosted_services()).result()
    assert [s.service_name for s in services] == ["a", "b"]
    sent = [r.headers.get("x-ms-continuation-token") for r in tls_server.seen("GET")]
    assert sent == [None, "t1"]


async def test_a_failed_page_is_returned_not_a_partial_list(tls_server: Any, make_client: Any) -> None:
    tls_server.on(
        "GET", PATH, [_page("a", token="t1"), error(400, "BadRequest", "The continuation token is invalid.")]
    )
    response = await make_client().list_hosted_services()
    assert not response.is_successful and response.status_code == 400
    assert response.error is not None and "continuation token" in response.error.message
