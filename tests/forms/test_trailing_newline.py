"""A name followed by a newline is not a valid name (``$`` alone would accept it).

Thumbprints are different on purpose: the form trims them before checking and before building.
"""

from __future__ import annotations

import pytest

from smtui.forms import validation as v


@pytest.mark.parametrize(
    ("check", "good"),
    [
        (v.check_hosted_service_name, "contoso-web"),
        (v.check_deployment_name, "dep1"),
        (v.check_role_name, "vm1"),
        (v.check_image_name, "my-image"),
        (v.check_windows_computer_name, "web01"),
        (v.check_linux_host_name, "web01"),
        (v.check_linux_user_name, "azureuser"),
    ],
)
def test_name_with_a_trailing_newline_is_refused(check: object, good: str) -> None:
    assert callable(check)
    assert check(good) is None
    assert check(good + "\n") is not None
