"""``x-ms-continuation-token`` paging of List Hosted Services (issue 9 §2), on the wire and in the client.

The emulator answers at most ``PAGE_SIZE`` (1,000) hosted services per call; a truncated
answer carries ``x-ms-continuation-token``, which the next request sends back as a header.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from smtui.emulator.handlers_services import PAGE_SIZE
from tests.emulator import wire
from tests.emulator.clients import make_client
from tests.emulator.wire import NS

COUNT = 2 * PAGE_SIZE + 100


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory, emulator_certs: Path) -> Iterator[Any]:
    from smtui.emulator import Emulator

    data = tmp_path_factory.mktemp("paging") / "data"
    shutil.copytree(emulator_certs, data / "certs")
    with Emulator.running(data, seed="empty", scale=COUNT, speed=1000) as emu:
        yield emu


def _names(body: bytes) -> list[str]:
    return [e.text or "" for e in wire.parse_xml(body).iter(NS + "ServiceName")]


def test_pages_on_the_wire(big: Any) -> None:
    with wire.client(big) as c:
        first = c.get("/services/hostedservices")
        token = first.headers["x-ms-continuation-token"]
        second = c.get("/services/hostedservices", headers={"x-ms-continuation-token": token})
        last = c.get(
            "/services/hostedservices",
            headers={"x-ms-continuation-token": second.headers["x-ms-continuation-token"]},
        )
        bad = c.get("/services/hostedservices", headers={"x-ms-continuation-token": "bm9wZQ=="})
    pages = [_names(r.content) for r in (first, second, last)]
    assert [len(p) for p in pages] == [PAGE_SIZE, PAGE_SIZE, 100]
    assert "x-ms-continuation-token" not in last.headers
    every = [n for p in pages for n in p]
    assert len(set(every)) == COUNT and every[0] == "svc00000" and every[-1] == f"svc{COUNT - 1:05d}"
    assert bad.status_code == 400 and wire.error(bad)[0] == "BadRequest"


def test_small_subscriptions_get_one_page_without_a_token(emulator: Any) -> None:
    with wire.client(emulator) as c:
        r = c.get("/services/hostedservices")
    assert r.status_code == 200 and "x-ms-continuation-token" not in r.headers


async def test_client_follows_tokens_and_exposes_pages(big: Any) -> None:
    async with make_client(big) as client:
        everything = (await client.list_hosted_services()).result()
        pages = [page.result() async for page in client.list_hosted_services_pages()]
    assert len(everything) == COUNT
    assert [len(p) for p in pages] == [PAGE_SIZE, PAGE_SIZE, 100]
    assert [s.service_name for p in pages for s in p] == [s.service_name for s in everything]
