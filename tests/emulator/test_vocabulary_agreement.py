"""The emulator's own rules agree with the client's vocabulary (smtui.api.vocabulary).

The emulator is an independent oracle: it declares its rules itself. This test sends the boundary
of every rule it enforces over the wire — the last value the vocabulary accepts and the first it
refuses — and checks that the emulator draws the line at the same place. A request that passes the
rule under test may still be refused for another reason (a lock, a storage account, a disk count);
what matters is that the refusal never names the field under test.
"""

from __future__ import annotations

import base64
import itertools
import re
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from smtui.api import vocabulary as vocab
from tests.emulator import wire

SERVICE = "contoso-web"
DEPLOYMENT = "contoso-web-prod"
ROLE = "web01"
STORAGE = "contosoportalvhds"  # the demo seed's storage account in West US, contoso-web's location
LINUX_IMAGE = "b39f27a8b8c64d52b05eac6a62ebad85__Ubuntu-14_04-LTS-amd64-server-20140414-en-us-30GB"
NS = 'xmlns="http://schemas.microsoft.com/windowsazure"'

_unique = itertools.count()


@pytest.fixture(scope="module")
def emu(tmp_path_factory: pytest.TempPathFactory, emulator_certs: Any) -> Iterator[Any]:
    """A private demo emulator: this test adds roles and disks the shared one must not see."""
    import shutil

    from smtui.emulator import Emulator
    from tests.conftest import FAST

    data = tmp_path_factory.mktemp("vocabulary") / "data"
    data.mkdir()
    shutil.copytree(emulator_certs, data / "certs")
    with Emulator.running(data, seed="demo", speed=FAST) as running:
        yield running


@pytest.fixture
def c(emu: Any) -> Iterator[httpx.Client]:
    with wire.client(emu) as client:
        yield client


def _send(c: httpx.Client, method: str, path: str, body: str) -> tuple[int, str]:
    """Send ``body``; wait for an accepted operation so the next request finds no lock."""
    r = c.request(method, path, content=body.encode(), headers={"Content-Type": wire.XML})
    if r.status_code == 202:
        wire.wait_op(c, r.headers["x-ms-request-id"])
    message = wire.error(r)[1] if r.status_code >= 400 and r.content else ""
    return r.status_code, message


def _check(
    send: Callable[[str], tuple[int, str]], field: re.Pattern[str], ok: list[str], bad: list[str]
) -> None:
    for value in ok:
        status, message = send(value)
        assert not (status == 400 and field.search(message)), f"{value!r} refused: {message}"
    for value in bad:
        status, message = send(value)
        assert status == 400 and field.search(message), (
            f"{value!r} not refused by the rule: {status} {message}"
        )


def _name(prefix: str, length: int) -> str:
    """A unique name of exactly ``length`` characters starting with ``prefix``."""
    tag = f"{prefix}{next(_unique)}x"
    return (tag + "a" * length)[:length] if length >= len(tag) else tag[:length]


# --------------------------------------------------------------------------- hosted services


def _create_service(
    c: httpx.Client, name: str, label: str = "label", description: str = ""
) -> tuple[int, str]:
    label64 = base64.b64encode(label.encode()).decode()
    desc = f"<Description>{description}</Description>" if description else ""
    body = (
        f"<CreateHostedService {NS}><ServiceName>{name}</ServiceName><Label>{label64}</Label>{desc}"
        "<Location>West US</Location></CreateHostedService>"
    )
    return _send(c, "POST", "/services/hostedservices", body)


def test_hosted_service_names(c: httpx.Client) -> None:
    rule = vocab.HOSTED_SERVICE_NAME
    ok = [
        _name("s", rule.min_length),
        _name("s", rule.max_length),
        f"a{next(_unique)}-b",
        f"a{next(_unique)}--b",
    ]
    bad = [_name("s", rule.min_length - 1), _name("s", rule.max_length + 1), "1abc", "abc-", "ab_c", "a.bc"]
    assert all(rule.accepts(v) for v in ok) and not any(rule.accepts(v) for v in bad)
    _check(lambda v: _create_service(c, v), re.compile("hosted service name", re.I), ok, bad)


def test_labels_and_descriptions(c: httpx.Client) -> None:
    _check(
        lambda v: _create_service(c, _name("lbl", 12), label=v),
        re.compile("Label"),
        ["x" * vocab.MAX_LABEL],
        ["x" * (vocab.MAX_LABEL + 1)],
    )
    _check(
        lambda v: _create_service(c, _name("dsc", 12), description=v),
        re.compile("Description"),
        ["x" * vocab.MAX_DESCRIPTION],
        ["x" * (vocab.MAX_DESCRIPTION + 1)],
    )


# --------------------------------------------------------------------------- roles


def _linux_role(
    name: str,
    *,
    port: str = "",
    local_port: str = "22",
    host: str = "vm",
    user: str = "azureuser",
    password: str = "Passw0rd!",
    caching: str = "ReadWrite",
) -> str:
    public = port or str(20000 + next(_unique))
    return (
        f"<PersistentVMRole {NS}><RoleName>{name}</RoleName><RoleType>PersistentVMRole</RoleType>"
        "<ConfigurationSets><ConfigurationSet>"
        "<ConfigurationSetType>LinuxProvisioningConfiguration</ConfigurationSetType>"
        f"<HostName>{host}</HostName><UserName>{user}</UserName><UserPassword>{password}</UserPassword>"
        "<DisableSshPasswordAuthentication>false</DisableSshPasswordAuthentication></ConfigurationSet>"
        "<ConfigurationSet><ConfigurationSetType>NetworkConfiguration</ConfigurationSetType><InputEndpoints>"
        f"<InputEndpoint><LocalPort>{local_port}</LocalPort><Name>ssh</Name><Port>{public}</Port>"
        "<Protocol>tcp</Protocol></InputEndpoint></InputEndpoints></ConfigurationSet></ConfigurationSets>"
        f"<OSVirtualHardDisk><HostCaching>{caching}</HostCaching>"
        f"<MediaLink>https://{STORAGE}.blob.core.windows.net/vhds/{name}-{next(_unique)}-os.vhd</MediaLink>"
        f"<SourceImageName>{LINUX_IMAGE}</SourceImageName></OSVirtualHardDisk>"
        "<RoleSize>Large</RoleSize></PersistentVMRole>"
    )


def _add_role(c: httpx.Client, body: str) -> tuple[int, str]:
    return _send(c, "POST", f"/services/hostedservices/{SERVICE}/deployments/{DEPLOYMENT}/roles", body)


def test_role_names(c: httpx.Client) -> None:
    rule = vocab.ROLE_NAME
    ok = [_name("r", rule.max_length), f"r{next(_unique)}-b"]
    bad = [f"a{next(_unique)}.b", f"a{next(_unique)}_b", "1ab", "ab-", _name("r", rule.max_length + 1)]
    assert all(rule.accepts(v) for v in ok) and not any(rule.accepts(v) for v in bad)
    _check(lambda v: _add_role(c, _linux_role(v)), re.compile("RoleName"), ok, bad)


def test_endpoint_ports(c: httpx.Client) -> None:
    low, high = vocab.PORT_RANGE
    _check(
        lambda v: _add_role(c, _linux_role(_name("p", 10), port=v)),
        re.compile(r"\bPort\b"),
        [str(high)],
        [str(low - 1), str(high + 1)],
    )
    _check(
        lambda v: _add_role(c, _linux_role(_name("q", 10), local_port=v)),
        re.compile("LocalPort"),
        [str(low)],
        [str(low - 1), str(high + 1)],
    )


def test_linux_provisioning_lengths(c: httpx.Client) -> None:
    host = vocab.LINUX_HOST_NAME.max_length
    user = vocab.LINUX_USER_NAME.max_length
    password = vocab.LINUX_PASSWORD_LENGTH[1]
    _check(
        lambda v: _add_role(c, _linux_role(_name("h", 10), host=v)),
        re.compile("HostName"),
        ["h" * host],
        ["h" * (host + 1)],
    )
    _check(
        lambda v: _add_role(c, _linux_role(_name("u", 10), user=v)),
        re.compile("UserName"),
        ["u" * user],
        ["u" * (user + 1)],
    )
    _check(
        lambda v: _add_role(c, _linux_role(_name("w", 10), password=v)),
        re.compile("UserPassword"),
        ["Aa1!" * (password // 4)],
        ["Aa1!" * (password // 4) + "x"],
    )


def test_os_disk_host_caching(c: httpx.Client) -> None:
    _check(
        lambda v: _add_role(c, _linux_role(_name("k", 10), caching=v)),
        re.compile("HostCaching"),
        list(vocab.HOST_CACHING),
        ["WriteOnly"],
    )


# --------------------------------------------------------------------------- data disks


def _add_disk(c: httpx.Client, lun: str = "", size: str = "1", caching: str = "ReadOnly") -> tuple[int, str]:
    # The LUN under test, or a fresh one so that other checks never collide on it.
    lun = lun or str(next(_unique) % (vocab.MAX_LUN + 1))
    body = (
        f"<DataVirtualHardDisk {NS}><HostCaching>{caching}</HostCaching><Lun>{lun}</Lun>"
        f"<LogicalDiskSizeInGB>{size}</LogicalDiskSizeInGB>"
        f"<MediaLink>https://{STORAGE}.blob.core.windows.net/vhds/agree-{next(_unique)}.vhd</MediaLink>"
        "</DataVirtualHardDisk>"
    )
    status, message = _send(
        c, "POST", f"/services/hostedservices/{SERVICE}/deployments/{DEPLOYMENT}/roles/{ROLE}/DataDisks", body
    )
    if status == 202:  # keep the role's disks few: the next check starts from the same role
        r = c.delete(
            f"/services/hostedservices/{SERVICE}/deployments/{DEPLOYMENT}/roles/{ROLE}/DataDisks/{lun}"
        )
        wire.wait_op(c, r.headers["x-ms-request-id"])
    return status, message


def test_data_disk_luns_sizes_and_caching(c: httpx.Client) -> None:
    low, high = vocab.LUN_RANGE
    _check(lambda v: _add_disk(c, lun=v), re.compile(r"\bLun\b"), [str(high)], [str(low - 1), str(high + 1)])
    low, high = vocab.DATA_DISK_SIZE_GB
    _check(
        lambda v: _add_disk(c, size=v),
        re.compile("LogicalDiskSizeInGB"),
        [str(low), str(high)],
        [str(low - 1), str(high + 1)],
    )
    _check(
        lambda v: _add_disk(c, caching=v), re.compile("HostCaching"), list(vocab.HOST_CACHING), ["Sometimes"]
    )


# --------------------------------------------------------------------------- deployments and role operations


def test_deployment_slots_and_names(c: httpx.Client) -> None:
    def create(slot: str = "Staging", name: str = "") -> tuple[int, str]:
        service = _name("dep", 14)
        assert _create_service(c, service)[0] == 201
        body = (
            (
                f"<Deployment {NS}><Name>{name or service}</Name><DeploymentSlot>{slot}</DeploymentSlot>"
                f"<Label>{service}</Label><RoleList>{_linux_role(_name('d', 8))}</RoleList></Deployment>"
            )
            .replace(f"<PersistentVMRole {NS}>", "<Role>")
            .replace("</PersistentVMRole>", "</Role>")
        )
        return _send(c, "POST", f"/services/hostedservices/{service}/deployments", body)

    _check(create, re.compile("DeploymentSlot"), list(vocab.SLOTS), ["Prod"])
    rule = vocab.DEPLOYMENT_NAME
    _check(
        lambda v: create(name=v),
        re.compile(r"deployment name|\bName\b", re.I),
        [_name("n", rule.max_length)],
        [_name("n", rule.max_length + 1), "-abc"],
    )


def test_post_shutdown_and_post_capture_actions(c: httpx.Client) -> None:
    base = f"/services/hostedservices/{SERVICE}/deployments/{DEPLOYMENT}/roleinstances/{ROLE}/Operations"

    def shutdown(action: str) -> tuple[int, str]:
        body = (
            f"<ShutdownRoleOperation {NS}><OperationType>ShutdownRoleOperation</OperationType>"
            f"<PostShutdownAction>{action}</PostShutdownAction></ShutdownRoleOperation>"
        )
        return _send(c, "POST", base, body)

    def capture(action: str) -> tuple[int, str]:
        body = (
            f"<CaptureRoleOperation {NS}><OperationType>CaptureRoleOperation</OperationType>"
            f"<PostCaptureAction>{action}</PostCaptureAction><TargetImageName>img-{next(_unique)}"
            "</TargetImageName><TargetImageLabel>img</TargetImageLabel></CaptureRoleOperation>"
        )
        # web01 runs: a valid action is refused (409) for the running VM, never for the action.
        return _send(c, "POST", base.replace(ROLE, "web02"), body)

    _check(capture, re.compile("PostCaptureAction"), ["Delete"], ["Destroy"])
    _check(shutdown, re.compile("PostShutdownAction"), list(vocab.POST_SHUTDOWN_ACTIONS), ["Paused"])
