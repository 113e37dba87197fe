"""The emulator refuses names that end in a newline, as RDFE refused any character outside the rules."""

from __future__ import annotations

import pytest

from smtui.emulator import validate
from smtui.emulator.engine import ApiError


@pytest.mark.parametrize("name", ["abc\n", "contoso-web\n"])
def test_service_name_with_trailing_newline_is_bad_request(name: str) -> None:
    assert validate.service_name({"ServiceName": name.strip()}) == name.strip()
    with pytest.raises(ApiError):
        validate.service_name({"ServiceName": name})


def test_role_name_with_trailing_newline_is_bad_request() -> None:
    assert validate.role_name("vm1") == "vm1"
    with pytest.raises(ApiError):
        validate.role_name("vm1\n")
