"""The audit log from the console (issue 12 §3): every action kind leaves an entry, none a secret.

Also the request preview's "copy as curl" / "copy as Python": the copies are run for real
against the emulator.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from smtui.profiles import audit
from smtui.tui.dialogs.confirm import ConfirmDialog
from smtui.tui.screens.audit_log import AuditLogScreen
from smtui.tui.screens.browse import BrowseScreen
from tests.tui.helpers import (
    SECRET,
    connection_for,
    console,
    dialog_class,
    discard_changes,
    fill,
    make_vm,
    open_preview,
    open_row,
    operation_done,
    run_client,
    select_row,
    unique,
    wait_for,
    wait_screen,
)

pytestmark = pytest.mark.asyncio


def _entries_since(count: int) -> list[audit.AuditEntry]:
    return audit.read_entries()[count:]


async def test_every_action_kind_is_audited_and_no_entry_holds_the_password(
    emulator: Any, tmp_path: Path
) -> None:
    service, dep, (role,) = await make_vm(emulator)
    before = len(audit.read_entries())  # the setup's own calls went through an audited client too
    created = unique("aud")
    async with console(emulator, tmp_path) as (app, pilot):
        # A form with a preview: create a hosted service.
        await pilot.press("c")
        dialog = await wait_screen(pilot, app, dialog_class("CreateHostedServiceDialog"))
        await fill(pilot, dialog, "service_name", created)
        await open_preview(pilot, app)
        await pilot.press("enter")
        assert (await operation_done(pilot, app, "CreateHostedService")).status == "Succeeded"

        # A name someone else takes while the dialog is open: refused (409), audited with its error.
        await pilot.press("c")
        dialog = await wait_screen(pilot, app, dialog_class("CreateHostedServiceDialog"))
        clash = unique("clash")
        async with connection_for(emulator).create_client(audit=False) as other:
            assert (await other.create_hosted_service(clash, {"Location": "West US"})).is_successful
        await fill(pilot, dialog, "service_name", clash)
        await open_preview(pilot, app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: dialog.service_error, what="409 in the dialog")
        await discard_changes(pilot, app)  # the form has changes: "Discard changes?" first

        # A form holding an admin password: add a Windows role.
        await open_row(pilot, app, f"service/{service}")
        await open_row(pilot, app, f"deployment/{service}/{dep}")
        await pilot.press("c")
        builder = await wait_screen(pilot, app, dialog_class("VMRoleBuilder"))
        await fill(pilot, builder, "role_name", "win1")
        await fill(pilot, builder, "image_filter", "Windows-Server-2012")
        builder.field("os_disk.source_image_name").control.focus()
        await pilot.press("enter", "down", "enter")
        await fill(pilot, builder, "provisioning.host_name", "win1")
        await fill(pilot, builder, "provisioning.user_name", "azureadmin")
        await fill(pilot, builder, "provisioning.password", SECRET)
        await fill(pilot, builder, "endpoints.0.public_port", "3389")
        await fill(pilot, builder, "endpoints.0.local_port", "3389")
        await fill(pilot, builder, "endpoints.0.name", "RDP")
        await open_preview(pilot, app)
        await pilot.press("enter")
        assert (await operation_done(pilot, app, "AddRole")).status == "Succeeded"

        # A confirmed action (shut down) and one without confirmation (start).
        await select_row(pilot, app, f"role/{service}/{dep}/{role}")
        await pilot.press("H")
        await wait_screen(pilot, app, ConfirmDialog)
        await pilot.press("y")
        assert (await operation_done(pilot, app, "ShutdownRoleInstance")).status == "Succeeded"
        await select_row(pilot, app, f"role/{service}/{dep}/{role}")
        await pilot.press("b")
        assert (await operation_done(pilot, app, "StartRoleInstance")).status == "Succeeded"

        # The tracker's final statuses land in the log (its writer thread).
        def final() -> list[audit.AuditEntry] | None:
            entries = _entries_since(before)
            done = [e for e in entries if e.status != audit.IN_PROGRESS]
            return entries if len(entries) >= 5 and len(done) == len(entries) else None

        entries = await wait_for(pilot, final, what="final statuses in the audit log")
        ops = [(e.operation, e.status) for e in entries]
        assert ops == [
            ("CreateHostedService", "Succeeded"),
            ("CreateHostedService", "Failed"),
            ("AddRole", "Succeeded"),
            ("ShutdownRoleInstance", "Succeeded"),
            ("StartRoleInstance", "Succeeded"),
        ]
        refused = entries[1]
        assert refused.http_status == 409 and refused.error and "Conflict" in refused.error
        shutdown = entries[3]
        # (the cursor may sit on the role just added: either VM of the deployment)
        assert shutdown.method == "POST"
        assert shutdown.target in (f"{service}/{dep}/{role}", f"{service}/{dep}/win1")
        assert shutdown.request_id and shutdown.subscription_id == emulator.subscription_id
        assert shutdown.user_host == audit.local_user_host() and shutdown.profile is None
        assert shutdown.finished is not None and shutdown.time.endswith("Z")

        # L: newest first; Enter opens the target in the browser.
        await pilot.press("L")
        screen = await wait_screen(pilot, app, AuditLogScreen)
        table = screen.query_one("#audit-list BigTable")
        await wait_for(pilot, lambda: table.row_count >= 5, what="log rows")
        assert table.model.view[0].cells[3] == "StartRoleInstance"
        assert table.model.view[1].cells[3] == "ShutdownRoleInstance"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, BrowseScreen), what="back in the browser")
        browse = app.screen
        assert browse.current.key == f"role/{entries[4].target}"

    raw = audit.audit_file().read_bytes()
    assert SECRET.encode() not in raw
    assert b"AdminPassword" not in raw and b"<" not in raw  # no body at all
    assert stat.S_IMODE(os.stat(audit.audit_file()).st_mode) == 0o600


async def test_copy_as_curl_and_python_send_the_same_request(emulator: Any, tmp_path: Path) -> None:
    by_curl, by_python = unique("curl"), unique("py")
    async with console(emulator, tmp_path) as (app, pilot):
        await pilot.press("c")
        dialog = await wait_screen(pilot, app, dialog_class("CreateHostedServiceDialog"))
        await fill(pilot, dialog, "service_name", by_curl)
        preview = await open_preview(pilot, app)
        await pilot.press("c")
        curl = preview.last_copy
        await pilot.press("y")
        python = preview.last_copy
        await pilot.press("escape")  # nothing sent from the console
        await wait_screen(pilot, app, dialog_class("CreateHostedServiceDialog"))
        await pilot.press("escape")
    conn = app.connection
    assert curl is not None and python is not None
    assert f"--cert {shlex.quote(conn.cert_path)} --key {shlex.quote(conn.key_path)}" in curl
    assert "-H 'x-ms-version: 2014-10-01'" in curl and "-X POST" in curl
    assert "from smtui.api.client import ServiceManagementClient" in python

    def run_curl() -> subprocess.CompletedProcess[str]:
        return subprocess.run(curl, shell=True, capture_output=True, text=True, timeout=60)  # noqa: S602

    done = await asyncio.to_thread(run_curl)
    assert done.returncode == 0, done.stderr
    script = tmp_path / "copied_request.py"
    script.write_text(python.replace(by_curl, by_python))

    def run_python() -> subprocess.CompletedProcess[str]:
        import smtui

        # This checkout's smtui, whatever the interpreter's own site-packages hold.
        env = {**os.environ, "PYTHONPATH": str(Path(smtui.__file__).resolve().parents[1])}
        return subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, timeout=60, env=env
        )

    done = await asyncio.to_thread(run_python)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("201 ")
    for name in (by_curl, by_python):
        got = await run_client(emulator, lambda c, n=name: c.get_hosted_service(n))
        assert got.is_successful, (name, got.error)


async def test_copies_mask_the_password_until_revealed(emulator: Any, tmp_path: Path) -> None:
    service, dep, _ = await make_vm(emulator)
    async with console(emulator, tmp_path) as (app, pilot):
        await open_row(pilot, app, f"service/{service}")
        await open_row(pilot, app, f"deployment/{service}/{dep}")
        await pilot.press("c")
        builder = await wait_screen(pilot, app, dialog_class("VMRoleBuilder"))
        await fill(pilot, builder, "role_name", "lin2")
        await fill(pilot, builder, "image_filter", "Ubuntu-14_04")
        builder.field("os_disk.source_image_name").control.focus()
        await pilot.press("enter", "down", "enter")
        await fill(pilot, builder, "provisioning.host_name", "lin2")
        await fill(pilot, builder, "provisioning.user_name", "azureuser")
        await fill(pilot, builder, "provisioning.password", SECRET)
        await fill(pilot, builder, "endpoints.0.public_port", "2222")
        preview = await open_preview(pilot, app)
        for key in ("c", "y"):
            await pilot.press(key)
            assert preview.last_copy is not None
            assert SECRET not in preview.last_copy and "********" in preview.last_copy
        await pilot.press("v")
        assert "revealed" in str(preview.query_one("#copy-hint").render())
        for key in ("c", "y"):
            await pilot.press(key)
            assert preview.last_copy is not None and SECRET in preview.last_copy
        assert SECRET not in preview.text  # the screen itself stays masked
        await pilot.press("escape")
