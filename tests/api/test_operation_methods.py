"""Client operation methods are their builders: same parameters, docstring, and typed results.

Each client method made by ``operation(builder)`` (the ``ServiceOperations``/``ComputeOperations``
lines beside the builders) must look to ``help()``, IDEs and mypy exactly like the builder it
runs, returning ``Response[T]`` where the builder returns ``ApiRequest[T]``.
"""

from __future__ import annotations

import inspect
import textwrap
from pathlib import Path

import pytest

from smtui.api import operations_compute, operations_services
from smtui.api.client import ServiceManagementClient
from smtui.api.errors import ValidationError
from smtui.api.operations_compute import ComputeOperations
from smtui.api.operations_services import ServiceOperations

from .conftest import SUBSCRIPTION, Canned, ClientFactory, TestServer


def _generated() -> list[str]:
    return sorted(
        name
        for mixin in (ServiceOperations, ComputeOperations)
        for name, value in vars(mixin).items()
        if inspect.isfunction(value)
    )


def _builder(name: str) -> object:
    return getattr(operations_services, name, None) or getattr(operations_compute, name)


def test_every_builder_has_its_client_method() -> None:
    builders = {
        name
        for module in (operations_services, operations_compute)
        for name, fn in vars(module).items()
        if inspect.isfunction(fn)
        and fn.__module__ == module.__name__
        and not name.startswith("_")
        and inspect.signature(fn).return_annotation.startswith("ApiRequest[")
    }
    # list_hosted_services is the one builder behind a hand-written (paging) method.
    assert builders - {"list_hosted_services"} == set(_generated())


@pytest.mark.parametrize("name", _generated())
def test_method_has_the_builders_signature_and_docstring(name: str) -> None:
    builder = _builder(name)
    method = getattr(ServiceManagementClient, name)
    bound = getattr(ServiceManagementClient.__new__(ServiceManagementClient), name)
    expected = inspect.signature(builder)  # type: ignore[arg-type]
    assert inspect.signature(bound).parameters == expected.parameters
    returns = inspect.signature(bound).return_annotation
    assert returns == "Response[" + expected.return_annotation.removeprefix("ApiRequest[")
    assert inspect.iscoroutinefunction(bound)
    assert method.__name__ == name
    assert method.__doc__ == builder.__doc__ and method.__doc__  # type: ignore[attr-defined]


async def test_invalid_arguments_fail_before_sending(
    tls_server: TestServer, make_client: ClientFactory
) -> None:
    with pytest.raises(ValidationError, match="Lun"):
        await make_client().get_data_disk("svc", "dep", "vm1", 16)
    assert tls_server.seen() == []


async def test_keyword_arguments_reach_the_builder(
    tls_server: TestServer, make_client: ClientFactory
) -> None:
    tls_server.on("DELETE", f"/{SUBSCRIPTION}/services/hostedservices/svc", Canned(202))
    resp = await make_client().delete_hosted_service(service_name="svc", delete_media=True)
    assert resp.status_code == 202
    assert tls_server.seen()[0].query == "comp=media"


def test_mypy_sees_the_builders_signature(tmp_path: Path) -> None:
    """What an IDE/mypy infers for a client method: the builder's parameters, ``Response[T]``."""
    mypy_api = pytest.importorskip("mypy.api")
    source = tmp_path / "uses_client.py"
    source.write_text(
        textwrap.dedent(
            """
            from typing import assert_type
            from smtui.api import models
            from smtui.api.client import ServiceManagementClient
            from smtui.api.response import Response

            async def use(client: ServiceManagementClient) -> None:
                assert_type(await client.get_disk("d"), Response[models.Disk])
                assert_type(await client.get_data_disk("s", "d", "r", 1), Response[models.DataDisk])
                assert_type(await client.create_hosted_service("s", {"Location": "x"}), Response[None])
                await client.get_data_disk("s", "d", "r", "1")  # E: wrong type
                await client.get_disk("d", embed=True)  # E: no such parameter
            """
        )
    )
    out, _, status = mypy_api.run(
        ["--strict", "--no-error-summary", "--cache-dir", str(tmp_path / "cache"), str(source)]
    )
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert status == 1, out
    assert len(errors) == 2, out
    assert 'Argument 4 has incompatible type "str"; expected "int"' in errors[0], out
    assert 'Unexpected keyword argument "embed"' in errors[1], out
