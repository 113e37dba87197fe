"""Review findings: inputs that made the client raise instead of returning a Response or refusing early."""

from __future__ import annotations

from typing import Any

import pytest

from smtui.api import ServiceManagementClient
from smtui.api.errors import ValidationError
from smtui.api.transport import Transport

from .conftest import SUBSCRIPTION, Canned, ClientFactory, TestServer


@pytest.mark.parametrize("host", ["localhost:abc", "localhost:99999", "localhost:0", "[::1"])
def test_host_with_an_unusable_port_is_refused_at_construction(auth: dict[str, str], host: str) -> None:
    # These used to pass validation and then raise httpx.InvalidURL / an anyio ExceptionGroup
    # out of every operation call.
    with pytest.raises(ValidationError) as caught:
        ServiceManagementClient(SUBSCRIPTION, auth, {"host": host})
    assert caught.value.field == "host"


async def test_transport_turns_an_invalid_url_into_a_transport_error(make_client: ClientFactory) -> None:
    client = make_client()
    transport: Transport = client.transport
    from smtui.api.errors import TransportError

    with pytest.raises(TransportError) as caught:
        await transport.send("GET", "https://localhost:abc/x")
    assert caught.value.code == "InvalidURL"


@pytest.mark.parametrize("body", ["5", '"text"', "null", "[1]", "true"])
async def test_json_answer_of_the_wrong_shape_is_an_unsuccessful_response(
    tls_server: TestServer, make_client: ClientFactory, body: str
) -> None:
    tls_server.on(
        "GET",
        f"/{SUBSCRIPTION}/services/hostedservices/svc",
        Canned(200, body, {"Content-Type": "application/json; charset=utf-8"}),
    )
    client = make_client({"serializetype": "JSON"})
    response: Any = await client.get_hosted_service("svc")
    assert not response.is_successful
    assert response.status_code == 200
    assert response.error.code == "InvalidResponse"


@pytest.mark.parametrize("name", [".", ".."])
async def test_dot_segments_are_refused_before_sending(
    tls_server: TestServer, make_client: ClientFactory, name: str
) -> None:
    # httpx resolves dot segments: DeleteDeployment of ".." went out as
    # DELETE /<sub>/services/hostedservices/svc, i.e. DeleteHostedService.
    from smtui.api import operations_compute as compute

    with pytest.raises(ValidationError) as caught:
        compute.delete_deployment("svc", name)
    assert caught.value.field == "deployment_name"
    client = make_client()
    with pytest.raises(ValidationError):
        await client.delete_role("svc", "dep", name)
    assert tls_server.seen() == []


def test_request_repr_does_not_carry_the_admin_password() -> None:
    # A failing assertion or a worker traceback (Textual shows locals) prints the request's repr.
    from smtui.api import operations_compute as compute

    role = {
        "RoleName": "vm1",
        "OSVirtualHardDisk": {"SourceImageName": "img", "MediaLink": "https://a.blob.core.windows.net/v/os.vhd"},
        "ConfigurationSets": [
            {
                "ConfigurationSetType": "WindowsProvisioningConfiguration",
                "ComputerName": "vm1",
                "AdminPassword": "Adm1nS3cret!",
                "AdminUsername": "admin",
            }
        ],
    }
    request = compute.add_role("svc", "dep", role)
    assert request.body is not None and b"Adm1nS3cret!" in request.body
    assert "Adm1nS3cret!" not in repr(request)
