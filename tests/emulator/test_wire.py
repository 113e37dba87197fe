"""Wire-level behaviour over real mTLS: headers, status codes, error bodies, versions, formats."""

from __future__ import annotations

import base64
import json
import re
import uuid
from typing import Any

import httpx
import pytest

from tests.emulator import wire
from tests.emulator.wire import NS


@pytest.fixture
def c(emulator: Any) -> httpx.Client:
    with wire.client(emulator) as client:
        yield client


def test_list_hosted_services_headers_and_namespaces(c: httpx.Client) -> None:
    r = c.get("/services/hostedservices")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/xml; charset=utf-8"
    assert r.headers["cache-control"] == "no-cache"
    assert r.headers["server"].endswith("Microsoft-HTTPAPI/2.0")
    assert re.fullmatch(r"[0-9a-f]{32}", r.headers["x-ms-request-id"])
    assert r.content.startswith(
        b'<HostedServices xmlns="http://schemas.microsoft.com/windowsazure" '
        b'xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><HostedService><Url>'
    )
    names = [e.text for e in wire.xml(r).iter(NS + "ServiceName")]
    assert {"contoso-web", "fabrikam-api", "northwind-db"} <= set(names)


def test_labels_are_base64_and_missing_description_is_nil(c: httpx.Client) -> None:
    root = wire.xml(c.get("/services/hostedservices/fabrikam-api"))
    assert base64.b64decode(wire.text(root, "HostedServiceProperties/Label")) == b"fabrikam-api"
    assert b'<Description i:nil="true"/>' in c.get("/services/hostedservices/fabrikam-api").content
    assert root.find(NS + "Deployments") is None


def test_embed_detail_has_both_slots(c: httpx.Client) -> None:
    root = wire.xml(c.get("/services/hostedservices/contoso-web", params={"embed-detail": "true"}))
    slots = sorted(d.findtext(NS + "DeploymentSlot") for d in root.iter(NS + "Deployment"))
    assert slots == ["Production", "Staging"]
    states = {e.text for e in root.iter(NS + "InstanceStatus")}
    assert {"ReadyRole", "StoppedDeallocated", "StoppedVM"} <= states
    role = root.find(f"{NS}Deployments/{NS}Deployment/{NS}RoleList/{NS}Role")
    assert (
        role is not None and role.get("{http://www.w3.org/2001/XMLSchema-instance}type") == "PersistentVMRole"
    )


def test_paths_are_case_insensitive(c: httpx.Client) -> None:
    a = c.get("/services/hostedservices/contoso-web/deploymentslots/production")
    b = c.get("/Services/HostedServices/CONTOSO-WEB/DeploymentSlots/Production")
    assert a.status_code == b.status_code == 200
    assert wire.text(wire.xml(a), "Name") == wire.text(wire.xml(b), "Name") == "contoso-web-prod"


@pytest.mark.parametrize("version", [None, "", "2011-01-01", "2099-01-01", "garbage"])
def test_missing_or_unknown_version_is_rejected(emulator: Any, version: str | None) -> None:
    with wire.client(emulator) as c:
        headers = {} if version is None else {"x-ms-version": version}
        c.headers.pop("x-ms-version")
        r = c.get("/services/hostedservices", headers=headers)
    assert r.status_code == 400
    assert wire.error(r)[0] == "MissingOrIncorrectVersionHeader"
    assert re.fullmatch(r"[0-9a-f]{32}", r.headers["x-ms-request-id"])


@pytest.mark.parametrize("version", ["2012-03-01", "2013-06-01", "2014-10-01", "2015-04-01", "2017-01-01"])
def test_versions_real_clients_sent_are_accepted(c: httpx.Client, version: str) -> None:
    assert c.get("/locations", headers={"x-ms-version": version}).status_code == 200


def test_not_found_errors_carry_rdfe_messages(c: httpx.Client) -> None:
    r = c.get("/services/hostedservices/nope-nope")
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/xml; charset=utf-8"
    assert r.content == (
        b'<Error xmlns="http://schemas.microsoft.com/windowsazure" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">'
        b"<Code>ResourceNotFound</Code><Message>The hosted service does not exist.</Message></Error>"
    )
    assert (
        wire.error(c.get("/services/hostedservices/fabrikam-api/deployments/nope"))[1]
        == "No deployments were found."
    )
    r = c.get("/services/hostedservices/fabrikam-api/deployments/fabrikam-api/roles/nope")
    assert wire.error(r) == ("ResourceNotFound", "Role nope was not found in the currently deployed service.")
    assert (
        wire.error(c.get("/services/images/nope"))[1] == "The image with the specified name does not exist."
    )
    assert (
        wire.error(c.get("/services/storageservices/nope/keys"))[1]
        == "The storage account 'nope' was not found."
    )
    assert c.get("/no/such/thing").status_code == 404
    assert c.get("/operations/" + "0" * 32).status_code == 404


def test_create_hosted_service_201_location_and_409_on_duplicate(c: httpx.Client) -> None:
    r = wire.create_service(c, "wire-create-svc")
    assert r.status_code == 201
    assert r.content == b""
    assert r.headers["location"].endswith(
        f"/subscriptions/{c.base_url.path.strip('/')}/compute/wire-create-svc"
    )
    op = wire.xml(c.get(f"/operations/{r.headers['x-ms-request-id']}"))
    assert wire.text(op, "Status") == "Succeeded" and wire.text(op, "HttpStatusCode") == "200"
    dup = wire.create_service(c, "WIRE-CREATE-SVC")
    assert dup.status_code == 409 and wire.error(dup)[0] == "ConflictError"
    assert c.delete("/services/hostedservices/wire-create-svc").status_code == 200
    assert c.get("/services/hostedservices/wire-create-svc").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("<ServiceName>bad_name!</ServiceName><Label>eA==</Label><Location>West US</Location>", "name"),
        ("<ServiceName>okname1</ServiceName><Label>not base64!</Label><Location>West US</Location>", "Label"),
        ("<ServiceName>okname2</ServiceName><Label>eA==</Label>", "Location"),
        ("<ServiceName>okname3</ServiceName><Label>eA==</Label><Location>Mars</Location>", "Location"),
        ("<ServiceName>okname4</ServiceName><Location>West US</Location>", "Label"),
    ],
)
def test_validation_errors_name_the_field_and_change_nothing(c: httpx.Client, body: str, field: str) -> None:
    before = c.get("/services/hostedservices").content.count(b"<HostedService>")
    xml = (
        f'<CreateHostedService xmlns="http://schemas.microsoft.com/windowsazure">{body}</CreateHostedService>'
    )
    r = c.post("/services/hostedservices", content=xml, headers={"Content-Type": wire.XML})
    assert r.status_code == 400
    code, message = wire.error(r)
    assert code == "BadRequest" and field in message
    assert c.get("/services/hostedservices").content.count(b"<HostedService>") == before


INVALID_XML = "The request body's XML was invalid or not correctly specified"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", f"{INVALID_XML}."),
        (b"<not xml", f"{INVALID_XML}."),
        (b'<!DOCTYPE x [<!ENTITY a "b">]><CreateHostedService/>', f"{INVALID_XML}."),
        (b"<!DOCTYPE CreateHostedService><CreateHostedService/>", f"{INVALID_XML}."),  # no entity
        (b"<Wrong/>", f"{INVALID_XML}: unexpected root element Wrong (expected CreateHostedService)."),
        (b"{json", f"{INVALID_XML}."),
    ],
)
def test_malformed_or_unsafe_bodies_get_400(c: httpx.Client, body: bytes, message: str) -> None:
    r = c.post("/services/hostedservices", content=body, headers={"Content-Type": wire.XML})
    assert r.status_code == 400
    assert wire.error(r)[0] == "InvalidXmlRequest"
    assert wire.error(r)[1] == message


def test_atom_content_type_any_order_and_i_type_are_accepted(c: httpx.Client) -> None:
    body = (
        '<CreateHostedService xmlns:i="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns="http://schemas.microsoft.com/windowsazure"><Location>West US</Location>'
        "<Label>b3JkZXI=</Label><ServiceName>wire-any-order</ServiceName></CreateHostedService>"
    )
    r = c.post("/services/hostedservices", content=body, headers={"Content-Type": wire.ATOM})
    assert r.status_code == 201
    assert c.delete("/services/hostedservices/wire-any-order").status_code == 200


def test_json_bodies_and_json_answers(c: httpx.Client) -> None:
    body = {"ServiceName": "wire-json", "Label": base64.b64encode(b"json").decode(), "Location": "West US"}
    r = c.post(
        "/services/hostedservices", content=json.dumps(body), headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 201
    got = c.get("/services/hostedservices/wire-json", headers={"Accept": "application/json"})
    assert got.headers["content-type"].startswith("application/json")
    data = got.json()
    assert data["ServiceName"] == "wire-json"
    assert data["HostedServiceProperties"]["Label"] == base64.b64encode(b"json").decode()
    assert data["HostedServiceProperties"]["Description"] is None
    listed = c.get("/services/hostedservices", headers={"Accept": "application/json"}).json()
    assert isinstance(listed, list) and "wire-json" in {s["ServiceName"] for s in listed}
    error = c.get("/services/hostedservices/nope-json", headers={"Accept": "application/json"}).json()
    assert error == {"Code": "ResourceNotFound", "Message": "The hosted service does not exist."}
    assert c.delete("/services/hostedservices/wire-json").status_code == 200


def test_wrong_method_is_refused(c: httpx.Client) -> None:
    r = c.put("/locations", content=b"<x/>")
    assert r.status_code == 400 and wire.error(r)[0] == "InvalidHttpVerb"


def test_catalog_lists(c: httpx.Client) -> None:
    images = wire.xml(c.get("/services/images"))
    assert len(images) >= 40
    assert images[0].tag == NS + "OSImage"
    assert {"Public", "User"} == {e.text for e in images.iter(NS + "Category")}
    assert len(wire.xml(c.get("/services/vmimages"))) >= 5
    sizes = wire.xml(c.get("/rolesizes"))
    assert "Small" in {e.findtext(NS + "Name") for e in sizes}
    locations = wire.xml(c.get("/locations"))
    assert "West US" in {e.findtext(NS + "Name") for e in locations}
    storage = wire.xml(c.get("/services/storageservices"))
    assert len(storage) >= 3
    keys = wire.xml(c.get("/services/storageservices/contosoportalvhds/keys"))
    assert len(wire.text(keys, "StorageServiceKeys/Primary")) == 88
    disks = wire.xml(c.get("/services/disks"))
    attached = [d for d in disks if d.find(NS + "AttachedTo") is not None]
    assert attached and len(attached) < len(disks)
    sub = wire.xml(c.get(""))
    assert wire.text(sub, "SubscriptionStatus") == "Active"
    assert int(wire.text(sub, "CurrentHostedServices")) >= 5
    groups = wire.xml(c.get("/affinitygroups"))
    assert groups[0].findtext(NS + "Name") == "contoso-west"
    group = wire.xml(c.get("/affinitygroups/contoso-west"))
    assert [e.text for e in group.iter(NS + "ServiceName")] == ["northwind-db"]


def test_keep_alive_requests_share_one_connection(c: httpx.Client) -> None:
    # Their latency (TCP_NODELAY: no 40 ms Nagle/delayed-ACK stall) is measured by bench/startup.py.
    streams = set()
    for _ in range(5):
        r = c.get("/operations/" + "0" * 32)
        assert r.headers.get("connection", "").lower() != "close"
        streams.add(id(r.extensions["network_stream"]))
    assert len(streams) == 1


def test_cached_reads_follow_every_change(c: httpx.Client) -> None:
    before = c.get("/services/hostedservices").content
    assert b"wire-cache-svc" not in before
    assert c.get("/services/hostedservices").content == before
    assert wire.create_service(c, "wire-cache-svc").status_code == 201
    assert b"wire-cache-svc" in c.get("/services/hostedservices").content
    assert c.delete("/services/hostedservices/wire-cache-svc").status_code == 200
    assert c.get("/services/hostedservices").content == before


def _properties(root: Any) -> dict[str, str]:
    return {wire.text(p, "Name"): wire.text(p, "Value") for p in root.iter(NS + "ExtendedProperty")}


@pytest.mark.parametrize(
    ("path", "root"),
    [
        ("/services/hostedservices/contoso-web", "UpdateHostedService"),
        ("/services/storageservices/fabrikamdata", "UpdateStorageServiceInput"),
    ],
)
def test_updated_extended_properties_replace_by_name_and_keep_the_others(
    c: httpx.Client, path: str, root: str
) -> None:
    before = _properties(wire.xml(c.get(path)))
    props = "".join(
        f"<ExtendedProperty><Name>{n}</Name><Value>{val}</Value></ExtendedProperty>"
        for n, val in (("ResourceLocation", "moved"), ("Owner", "ops"))
    )
    body = f'<{root} xmlns="{NS[1:-1]}"><ExtendedProperties>{props}</ExtendedProperties></{root}>'
    r = c.put(path, content=body, headers={"Content-Type": wire.XML})
    assert r.status_code == 200, r.text
    assert _properties(wire.xml(c.get(path))) == {**before, "ResourceLocation": "moved", "Owner": "ops"}


def test_update_os_image_sets_and_clears_optional_text(c: httpx.Client) -> None:
    def put(fields: str) -> None:
        body = f'<OSImage xmlns="{NS[1:-1]}">{fields}</OSImage>'
        r = c.put(
            "/services/images/contoso-web-golden-2016", content=body, headers={"Content-Type": wire.XML}
        )
        assert r.status_code == 200, r.text

    put("<Eula>https://contoso.example/eula</Eula><ImageFamily>web</ImageFamily>")
    image = wire.xml(c.get("/services/images/contoso-web-golden-2016"))
    assert (wire.text(image, "Eula"), wire.text(image, "ImageFamily")) == (
        "https://contoso.example/eula",
        "web",
    )
    put("<Eula></Eula>")
    image = wire.xml(c.get("/services/images/contoso-web-golden-2016"))
    assert image.find(NS + "Eula") is None
    assert wire.text(image, "ImageFamily") == "web"


def test_service_in_an_affinity_group_reports_the_group_location(c: httpx.Client) -> None:
    # The recordings (python ListHostedServices, xplat-cli embed-detail) show ResourceLocation set to
    # the affinity group's region for services created in a group, not an empty value.
    name = "agsvc" + uuid.uuid4().hex[:8]
    body = (
        '<CreateHostedService xmlns="http://schemas.microsoft.com/windowsazure">'
        f"<ServiceName>{name}</ServiceName><Label>{base64.b64encode(name.encode()).decode()}</Label>"
        "<AffinityGroup>contoso-west</AffinityGroup></CreateHostedService>"
    )
    created = c.post("/services/hostedservices", content=body, headers={"Content-Type": wire.XML})
    assert created.status_code == 201
    try:
        svc = wire.xml(c.get(f"/services/hostedservices/{name}"))
        props = {
            p.findtext(NS + "Name"): p.findtext(NS + "Value") for p in svc.iter(NS + "ExtendedProperty")
        }
        assert wire.text(svc, "HostedServiceProperties/AffinityGroup") == "contoso-west"
        assert props["ResourceLocation"] == "West US"
    finally:
        c.delete(f"/services/hostedservices/{name}")
