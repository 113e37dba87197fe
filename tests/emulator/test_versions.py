"""Answers follow the request's ``x-ms-version`` (issue 9 §2): one case per client version of SPEC.md §6."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulator import wire
from tests.emulator.wire import NS

# client → the x-ms-version it sends by default (SPEC.md §6)
VERSIONS = {
    "node-0.6 (N06)": "2012-03-01",
    "node-0.7 (N07)": "2013-06-01",
    "powershell contract": "2013-08-01",
    "go (early)": "2014-05-01",
    "python legacy SDK / recordings": "2014-10-01",
    "asm-compute (ASMC)": "2017-01-01",
}


def _names(root: Any) -> set[str]:
    return {el.tag.removeprefix(NS) for el in root.iter() if isinstance(el.tag, str)}


@pytest.mark.parametrize("version", list(VERSIONS.values()), ids=list(VERSIONS))
def test_elements_introduced_after_the_version_are_left_out(emulator: Any, version: str) -> None:
    with wire.client(emulator) as c:
        c.headers["x-ms-version"] = version
        services = _names(wire.xml(c.get("/services/hostedservices")))
        deployment = _names(
            wire.xml(c.get("/services/hostedservices/contoso-web/deployments/contoso-web-prod"))
        )
        role = _names(
            wire.xml(c.get("/services/hostedservices/contoso-web/deployments/contoso-web-prod/roles/web01"))
        )
        detail = _names(
            wire.xml(c.get("/services/hostedservices/contoso-web", params={"embed-detail": "true"}))
        )
        image = _names(wire.xml(c.get("/services/images/contoso-web-golden-2016")))
    # present for every version the emulator accepts
    assert {"Description", "Label", "Location", "Status", "DateCreated"} <= services
    assert {"RoleInstanceList", "RoleList", "VirtualIPs", "InstanceEndpoints"} <= deployment
    assert {"ConfigurationSets", "OSVirtualHardDisk", "RoleSize"} <= role
    assert {"Name", "OS", "MediaLink", "Category"} <= image
    assert ("ComputeCapabilities" in services) == (version >= "2014-05-01")
    assert ("LoadBalancers" in deployment) == ("LoadBalancers" in detail) == (version >= "2014-05-01")
    assert (
        ("IdleTimeoutInMinutes" in deployment)
        == ("IdleTimeoutInMinutes" in role)
        == (version >= "2014-06-01")
    )
    assert ("IOType" in role) == ("IOType" in image) == (version >= "2014-10-01")
    assert ("IsPremium" in image) == (version >= "2012-08-01")


def test_each_version_is_cached_apart(emulator: Any) -> None:
    """The read cache must not hand a 2012 client the 2014 body it rendered a moment ago (or back)."""
    with wire.client(emulator) as c:
        new = c.get("/services/hostedservices").content
        old = c.get("/services/hostedservices", headers={"x-ms-version": "2012-03-01"}).content
        again = c.get("/services/hostedservices").content
    assert b"ComputeCapabilities" in new and b"ComputeCapabilities" not in old
    assert again == new
