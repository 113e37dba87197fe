"""The pure validation rules: good input passes, bad input gets a message naming the field."""

from __future__ import annotations

import pytest

from smtui.forms import validation as v
from smtui.forms.values import (
    CaptureValues,
    DataDiskValues,
    DeploymentValues,
    EndpointValues,
    HostedServiceValues,
    OSDiskValues,
    OSImageValues,
    ProvisioningValues,
    VMRoleValues,
)

PASSWORD = "Sup3r-Secret-Pw"


@pytest.mark.parametrize("name", ["abc", "myvmsvc", "a-b-c", "A1b2", "x" * 63])
def test_hosted_service_name_accepts_dns_labels(name: str) -> None:
    assert v.check_hosted_service_name(name) is None


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("", "Service name is required."),
        ("ab", "Service name must be 3–63 characters long"),
        ("x" * 64, "Service name must be 3–63 characters long"),
        ("1abc", "must start with a letter"),
        ("abc-", "end with a letter or digit"),
        ("my_svc", "only letters, digits and hyphens"),
        ("my.svc", "only letters, digits and hyphens"),
    ],
)
def test_hosted_service_name_rejects(name: str, fragment: str) -> None:
    message = v.check_hosted_service_name(name)
    assert message is not None and fragment in message and message.startswith("Service name")


@pytest.mark.parametrize("name", ["myvm", "web-01", "A"])
def test_role_name_accepts(name: str) -> None:
    assert v.check_role_name(name) is None


@pytest.mark.parametrize("name", ["", "my.vm", "vm-", "1vm", "v" * 65, "my vm"])
def test_role_name_rejects(name: str) -> None:
    message = v.check_role_name(name)
    assert message is not None and message.startswith("Role name")


@pytest.mark.parametrize("name", ["myvmsvc", "dep_1", "1dep", "d.e-p"])
def test_deployment_name_accepts(name: str) -> None:
    assert v.check_deployment_name(name) is None


@pytest.mark.parametrize("name", ["", "-dep", "dep/1", "d" * 65])
def test_deployment_name_rejects(name: str) -> None:
    message = v.check_deployment_name(name)
    assert message is not None and message.startswith("Deployment name")


@pytest.mark.parametrize("lun", ["0", "7", "15"])
def test_lun_in_range(lun: str) -> None:
    assert v.check_lun(lun) is None


@pytest.mark.parametrize(
    ("lun", "message"),
    [
        ("16", "LUN must be between 0 and 15 (got 16)."),
        ("-1", "LUN must be between 0 and 15 (got -1)."),
        ("x", "LUN must be a whole number."),
        ("", "LUN is required."),
    ],
)
def test_lun_out_of_range(lun: str, message: str) -> None:
    assert v.check_lun(lun) == message


@pytest.mark.parametrize("port", ["1", "22", "65535"])
def test_port_in_range(port: str) -> None:
    assert v.check_port(port, "Public port") is None


@pytest.mark.parametrize("port", ["0", "65536", "22.5", "ssh"])
def test_port_out_of_range(port: str) -> None:
    message = v.check_port(port, "Public port")
    assert message is not None and message.startswith("Public port")


@pytest.mark.parametrize("password", ["Passw0rd!", "abcDEF12", "abc12345!", "ABC!!!!1", "a" * 120 + "B1"])
def test_password_accepts_three_of_four_classes(password: str) -> None:
    assert v.check_password(password) is None


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("", "is required"),
        ("Ab1!", "8–123 characters"),
        ("Ab1!" * 31, "8–123 characters"),
        ("abcdefgh", "3 of"),
        ("abcdefg1", "3 of"),
        ("ABCDEFG!", "3 of"),
    ],
)
def test_password_rejects_weak(password: str, fragment: str) -> None:
    message = v.check_password(password)
    assert message is not None and fragment in message and message.startswith("Admin password")
    if password:
        assert password not in message


@pytest.mark.parametrize(
    ("value", "ok"), [("winvm", True), ("a" * 15, True), ("a" * 16, False), ("12345", False)]
)
def test_windows_computer_name(value: str, ok: bool) -> None:
    assert (v.check_windows_computer_name(value) is None) is ok


@pytest.mark.parametrize(
    ("value", "ok"), [("azureadmin", True), ("admin", False), ("bob.", False), ("a" * 21, False)]
)
def test_windows_admin_username(value: str, ok: bool) -> None:
    assert (v.check_windows_admin_username(value) is None) is ok


def test_linux_lengths_follow_the_spec() -> None:
    assert v.check_linux_host_name("h" * 64) is None
    assert "1–64" in (v.check_linux_host_name("h" * 65) or "")
    assert v.check_linux_user_name("u" * 32) is None
    assert "1–32" in (v.check_linux_user_name("u" * 33) or "")
    assert v.check_linux_user_name("root") is not None


def test_media_link() -> None:
    assert v.check_media_link("https://acct.blob.core.windows.net/vhds/a.vhd") is None
    assert v.check_media_link("acct/vhds/a.vhd") is not None
    assert v.check_media_link("https://acct.blob.core.windows.net/a.vhd") is not None
    assert v.check_media_link("", optional=True) is None


def _endpoints(*rows: tuple[str, str, str, str]) -> list[EndpointValues]:
    return [EndpointValues(name=n, protocol=p, public_port=pub, local_port=loc) for n, p, pub, loc in rows]


def test_duplicate_public_port_is_refused_like_the_service() -> None:
    errors = v.validate_endpoints(_endpoints(("SSH", "tcp", "22", "22"), ("SSH2", "tcp", "22", "2222")))
    assert list(errors) == ["endpoints.1.public_port"]
    assert errors["endpoints.1.public_port"].startswith("Public port 22 is already in use")


def test_same_port_on_other_protocol_is_allowed() -> None:
    assert v.validate_endpoints(_endpoints(("dns", "tcp", "53", "53"), ("dnsu", "udp", "53", "53"))) == {}


def test_ports_used_by_other_roles_are_refused() -> None:
    errors = v.validate_endpoints(_endpoints(("web", "tcp", "80", "80")), ports_in_use=[("tcp", 80)])
    assert "endpoints.0.public_port" in errors


def test_duplicate_endpoint_names_and_bad_ports() -> None:
    errors = v.validate_endpoints(_endpoints(("web", "tcp", "80", "0"), ("WEB", "udp", "70000", "80")))
    assert errors["endpoints.0.local_port"].startswith("Local port")
    assert errors["endpoints.1.name"] == "Endpoint name 'WEB' is used twice."
    assert errors["endpoints.1.public_port"].startswith("Public port must be between 1 and 65535")


def test_luns_unique_per_role() -> None:
    disks = [DataDiskValues(lun="1", size_gb="10"), DataDiskValues(lun="1", size_gb="20")]
    errors = v.validate_data_disks(disks)
    assert errors == {"data_disks.1.lun": "LUN 1 is already used by another data disk of this role."}


def test_data_disk_modes_require_their_fields() -> None:
    assert "d.size_gb" in v.validate_data_disk(DataDiskValues(mode="empty", size_gb=""), prefix="d")
    assert "d.size_gb" in v.validate_data_disk(DataDiskValues(mode="empty", size_gb="2000"), prefix="d")
    assert "d.disk_name" in v.validate_data_disk(DataDiskValues(mode="existing"), prefix="d")
    assert "d.source_media_link" in v.validate_data_disk(DataDiskValues(mode="blob"), prefix="d")
    assert v.validate_data_disk(
        DataDiskValues(mode="existing", disk_name="d1"), luns_in_use=[0], prefix="d"
    ) == {"d.lun": "LUN 0 is already used by another data disk of this role."}


def _linux(**kw: object) -> ProvisioningValues:
    base = {"os": "Linux", "host_name": "myvm", "user_name": "azureuser", "password": PASSWORD}
    base.update(kw)
    return ProvisioningValues(**base)  # type: ignore[arg-type]


def test_linux_provisioning_password_or_key() -> None:
    assert v.validate_provisioning(_linux()) == {}
    assert "provisioning.password" in v.validate_provisioning(_linux(password=""))
    key = "6C2B6D9B4A5E3F1C0D8E7F6A5B4C3D2E1F0A9B8C"
    assert (
        v.validate_provisioning(_linux(password="", ssh_fingerprint=key, disable_ssh_password_auth=True))
        == {}
    )
    errors = v.validate_provisioning(_linux(disable_ssh_password_auth=True))
    assert list(errors) == ["provisioning.ssh_fingerprint"]
    assert errors["provisioning.ssh_fingerprint"].startswith("SSH key fingerprint is required")
    assert "provisioning.ssh_fingerprint" in v.validate_provisioning(_linux(ssh_fingerprint="nothex"))


def test_windows_provisioning() -> None:
    prov = ProvisioningValues(os="Windows", host_name="winvm", user_name="azureadmin", password="weakpass")
    errors = v.validate_provisioning(prov)
    assert list(errors) == ["provisioning.password"]
    assert "weakpass" not in errors["provisioning.password"]


def _role(**kw: object) -> VMRoleValues:
    role = VMRoleValues(
        role_name="myvm",
        role_size="Small",
        os_disk=OSDiskValues(
            source_image_name="img", media_link="https://a.blob.core.windows.net/vhds/os.vhd"
        ),
        data_disks=[DataDiskValues(lun="0", size_gb="10")],
        provisioning=_linux(),
        endpoints=_endpoints(("SSH", "tcp", "22", "22")),
    )
    for key, value in kw.items():
        setattr(role, key, value)
    return role


def test_valid_role_and_deployment() -> None:
    assert v.validate_vm_role(_role()) == {}
    dep = DeploymentValues(name="myvmsvc", label="my deployment", role=_role())
    assert v.validate_deployment(dep) == {}


def test_role_problems_are_keyed_by_field() -> None:
    errors = v.validate_vm_role(_role(role_name="my.vm", os_disk=OSDiskValues()), role_names_in_use=["x"])
    assert set(errors) == {"role_name", "os_disk.source_image_name"}
    assert v.validate_vm_role(_role(), role_names_in_use=["MYVM"])["role_name"].startswith("Role name 'myvm'")
    assert "provisioning" in v.validate_vm_role(_role(provisioning=None))


def test_deployment_problems_are_prefixed() -> None:
    dep = DeploymentValues(
        name="", slot="Prod", label="", upgrade_domain_count="30", role=_role(role_name="")
    )
    errors = v.validate_deployment(dep)
    assert set(errors) == {"name", "slot", "label", "upgrade_domain_count", "role.role_name"}


def test_hosted_service_form() -> None:
    good = HostedServiceValues(service_name="myvmsvc", label="l", location="West US")
    assert v.validate_hosted_service(good) == {}
    errors = v.validate_hosted_service(
        HostedServiceValues(service_name="x", label="", description="d" * 1025)
    )
    assert set(errors) == {"service_name", "label", "description", "location"}


def test_capture_form() -> None:
    good = CaptureValues(post_capture_action="Delete", target_image_name="img1", target_image_label="Image 1")
    assert v.validate_capture(good) == {}
    repro = CaptureValues(post_capture_action="Reprovision", target_image_name="img1", target_image_label="l")
    assert "provisioning" in v.validate_capture(repro)
    repro.provisioning = _linux(password="short")
    assert "provisioning.password" in v.validate_capture(repro)


def test_os_image_form() -> None:
    good = OSImageValues(
        name="myimg", label="My image", media_link="https://a.blob.core.windows.net/vhds/i.vhd", os="Linux"
    )
    assert v.validate_os_image(good) == {}
    assert set(v.validate_os_image(OSImageValues(os="BeOS"))) == {"name", "label", "media_link", "os"}


def test_typed_confirmation() -> None:
    assert v.check_typed_confirmation("myvmsvc", "myvmsvc") is None
    assert v.check_typed_confirmation("myvmsv", "myvmsvc") == "Type 'myvmsvc' exactly to confirm."


def test_password_never_in_repr() -> None:
    assert PASSWORD not in repr(_linux())
    assert PASSWORD not in repr(_role())


def test_os_disk_is_an_image_or_an_existing_disk() -> None:
    both = _role(os_disk=OSDiskValues(source_image_name="img", disk_name="d", media_link="https://a/b/c.vhd"))
    assert v.validate_vm_role(both) == {
        "os_disk.disk_name": "Give a source image or an existing OS disk, not both."
    }
    attach = _role(os_disk=OSDiskValues(disk_name="my-os-disk"), provisioning=None)
    assert v.validate_vm_role(attach) == {}
