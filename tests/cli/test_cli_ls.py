"""`smtui ls …` prints the subscription's objects as JSON, from a profile or the embedded emulator."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from smtui_profile_support import MemoryKeyring, RunSmtui

from smtui.cli import main
from smtui.profiles import import_publishsettings
from smtui.profiles import operations_store as ops


@pytest.fixture
def emulator_profile(memory_keyring: MemoryKeyring, emulator: Any) -> str:
    """A profile imported from the running emulator's own .publishsettings (schema 2.0)."""
    result = import_publishsettings(Path(emulator.publishsettings), ca_file=str(emulator.ca_file))
    return result.created[0]


def _ls(capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    assert main(["ls", *args]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def test_services_deployments_roles_instances(
    emulator_profile: str, capsys: pytest.CaptureFixture[str]
) -> None:
    services = _ls(capsys, "services", "--profile", emulator_profile)
    names = [s["ServiceName"] for s in services]
    assert "contoso-web" in names
    assert all("HostedServiceProperties" in s for s in services)

    deployments = _ls(capsys, "deployments", "contoso-web", "--profile", emulator_profile)
    production = next(d for d in deployments if d["DeploymentSlot"] == "Production")

    roles = _ls(capsys, "roles", "contoso-web", production["Name"], "--profile", emulator_profile)
    assert roles and all(r["RoleName"] for r in roles)
    instances = _ls(capsys, "instances", "contoso-web", production["Name"], "--profile", emulator_profile)
    assert {i["RoleName"] for i in instances} == {r["RoleName"] for r in roles}
    assert all(i["PowerState"] in ("Started", "Stopped", "Starting") for i in instances)


def test_profile_before_the_subcommand_works_too(
    emulator_profile: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--profile", emulator_profile, "ls", "images"]) == 0
    images = json.loads(capsys.readouterr().out)
    assert images and all("Name" in i and "OS" in i for i in images)


@pytest.mark.parametrize("kind", ["disks", "storage-accounts", "locations", "role-sizes"])
def test_catalogue_listings(emulator_profile: str, capsys: pytest.CaptureFixture[str], kind: str) -> None:
    listed = _ls(capsys, kind, "--profile", emulator_profile)
    assert isinstance(listed, list) and listed


def test_service_error_is_json_on_stderr_and_exit_1(emulator_profile: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ls", "deployments", "no-such-service", "--profile", emulator_profile]) == 1

    captured = capsys.readouterr()
    assert captured.out == ""
    error = json.loads(captured.err)["error"]
    assert error["code"] == "ResourceNotFound" and error["status_code"] == 404 and error["request_id"]


def test_unknown_profile_is_exit_2(memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ls", "services", "--profile", "nope"]) == 2
    assert "no profile named 'nope'" in capsys.readouterr().err


def test_operations_lists_the_persisted_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert _ls(capsys, "operations") == []
    ops.record_operation(
        ops.PendingOperation("r1", "ShutdownRoleInstance", "svc/dep/vm", status=ops.SUCCEEDED))
    ops.record_operation(ops.PendingOperation("r2", "StartRoleInstance", "svc/dep/vm"))

    assert [o["request_id"] for o in _ls(capsys, "operations")] == ["r1", "r2"]
    assert [o["request_id"] for o in _ls(capsys, "operations", "--pending")] == ["r2"]


def test_without_profile_lists_the_embedded_emulator_without_importing_textual(
    run_smtui: RunSmtui, emulator_certs: Path, smtui_dirs: dict[str, Path]
) -> None:
    # Pre-generated certificates: the embedded emulator would otherwise make its own (slower).
    shutil.copytree(emulator_certs, smtui_dirs["data"] / "emulator" / "certs")

    result = run_smtui("ls", "services")

    assert result.returncode == 0, result.stderr
    assert "contoso-web" in [s["ServiceName"] for s in json.loads(result.stdout)]
    assert "textual" not in result.modules
    assert (smtui_dirs["data"] / "emulator").is_dir()  # state kept between runs


def test_ls_operations_in_a_fresh_interpreter_does_not_import_textual(run_smtui: RunSmtui) -> None:
    result = run_smtui("ls", "operations")

    assert result.returncode == 0 and json.loads(result.stdout) == []
    assert "textual" not in result.modules


@pytest.mark.parametrize(("group", "listed"), [("ls", "storage-accounts"), ("profiles", "import")])
def test_command_group_without_subcommand_prints_its_help(
    capsys: pytest.CaptureFixture[str], group: str, listed: str
) -> None:
    assert main([group]) == 2
    out = capsys.readouterr().out
    assert out.startswith(f"usage: smtui {group}") and listed in out
