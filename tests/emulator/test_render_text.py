"""The text serializer of answers (``nodes.to_xml``) writes exactly what the lxml tree did."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest

from smtui.emulator import app as emulator_app
from smtui.emulator.nodes import to_xml, to_xml_tree
from tests.emulator import wire

_DETAIL_LISTS = {
    "/services/hostedservices": "ServiceName",
    "/services/storageservices": "ServiceName",
    "/services/disks": "Name",
    "/services/images": "Name",
    "/affinitygroups": "Name",
    "/certificates": "SubscriptionCertificateThumbprint",
}


def test_every_answer_of_the_demo_matches_the_tree_serializer(
    emulator_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared: list[str] = []

    def checked(tag: str, value: Any) -> bytes:
        text = to_xml(tag, value)
        assert text == to_xml_tree(tag, value), tag
        compared.append(tag)
        return text

    monkeypatch.setattr(emulator_app, "to_xml", checked)
    emu = emulator_factory(seed="demo", scale=3)
    with wire.client(emu) as c:
        paths = ["", "/locations", "/rolesizes", "/services/vmimages", "/operations/" + "0" * 32]
        for listing, key in _DETAIL_LISTS.items():
            body = c.get(listing).text
            paths.append(listing)
            paths += [f"{listing}/{name}" for name in re.findall(rf"<{key}>([^<]+)</{key}>", body)]
        for name in re.findall(r"<ServiceName>([^<]+)</ServiceName>", c.get("/services/hostedservices").text):
            detail = c.get(f"/services/hostedservices/{name}", params={"embed-detail": "true"}).text
            for dep in re.findall(r"<Deployment><Name>([^<]+)</Name>", detail):
                paths.append(f"/services/hostedservices/{name}/deployments/{dep}")
            paths.append(f"/services/hostedservices/{name}/deploymentslots/Production")
        for path in paths:
            c.get(path)
    assert {"HostedService", "Deployment", "StorageService", "Disk", "Error"} <= set(compared)


def test_random_text_and_names_match_or_fail_alike() -> None:
    rng = random.Random(7)
    alphabet = "ab<>&\"'\r\n\t é€\x00\x01\x0b\ufffe\ud800-_.:1 "
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        name = rng.choice(["Label", "A-b.c", "1bad", "x y", "Ok_1", "ExtendedProperties"])
        value: Any = rng.choice([text, {"@type": text, "Name": text}, [text], {"Inner": {}}, None, 12])
        try:
            expected: bytes | type[BaseException] = to_xml_tree(name, value)
        except ValueError:
            expected = ValueError
        if expected is ValueError:
            with pytest.raises(ValueError):
                to_xml(name, value)
        else:
            assert to_xml(name, value) == expected, (name, value)
