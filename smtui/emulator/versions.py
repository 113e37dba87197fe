"""Answers follow the request's ``x-ms-version``: elements introduced later are left out.

RDFE serialised its contracts per version: a client that asked for 2012-03-01 (the Node.js
client of 2012) never saw an element that arrived in 2014. The introductions below are those
SPEC.md §6/§8 and the MSDN element tables state; elements not listed are answered to every
version the emulator accepts (2012-03-01 and later).
"""

from __future__ import annotations

INTRODUCED: dict[str, str] = {
    # OS images: the elements Update OS Image (≥ 2012-08-01) manages, and the disk I/O type
    # first seen in the 2014-10-01 recordings (older clients' models do not know it).
    "Eula": "2012-08-01",
    "Description": "2012-08-01",
    "ImageFamily": "2012-08-01",
    "PublishedDate": "2012-08-01",
    "ShowInGui": "2012-08-01",
    "PrivacyUri": "2012-08-01",
    "IconUri": "2012-08-01",
    "SmallIconUri": "2012-08-01",
    "RecommendedVMSize": "2012-08-01",
    "Language": "2012-08-01",
    "IsPremium": "2012-08-01",
    "PublisherName": "2012-08-01",
    "IOType": "2014-10-01",
    # Hosted services, deployments, roles and instances (SPEC.md §6).
    "ComputeCapabilities": "2014-05-01",
    "LoadBalancers": "2014-05-01",
    "ReservedIPName": "2014-05-01",
    "PublicIPs": "2014-05-01",
    "ReverseDnsFqdn": "2014-06-01",
    "IdleTimeoutInMinutes": "2014-06-01",
    "NetworkInterfaces": "2014-08-01",
    "ExtendedInstanceStatus": "2015-05-01",
}
"""Element name → first ``x-ms-version`` that returned it."""

_IMAGE_ONLY = frozenset(
    ("Eula", "Description", "ImageFamily", "PublishedDate", "ShowInGui", "PrivacyUri", "IconUri",
     "SmallIconUri", "RecommendedVMSize", "Language", "IsPremium", "PublisherName")
)  # fmt: skip
"""Gated only inside images: hosted services, storage accounts and groups had ``Description`` before."""
_IMAGES = frozenset(("OSImage", "Images", "VMImage", "VMImages"))

_NEWEST = max(INTRODUCED.values())


def for_version(value: object, version: str, parent: str = "") -> object:
    """``value`` (a reply node) without the elements introduced after ``version``."""
    if version >= _NEWEST:
        return value
    return _strip(value, version, parent)


def _strip(value: object, version: str, parent: str) -> object:
    if isinstance(value, dict):
        out: dict[str, object] = {}
        for key, child in value.items():
            since = INTRODUCED.get(key)
            if since is not None and version < since and (key not in _IMAGE_ONLY or parent in _IMAGES):
                continue
            out[key] = _strip(child, version, key)
        return out
    if isinstance(value, list):
        return [_strip(item, version, parent) for item in value]
    return value
