"""Every resource action of the browser, one row each: id, key, wording, where it applies, the coroutine.

Adding an action is one row here plus its coroutine (in ``smtui.tui.actions*``). The browse screen
binds the keys (:func:`smtui.tui.registry.bindings`), shows a row's key in the footer where it
applies, lists it in the palette and help, and hides ``mutating`` rows in read-only mode. Keys
repeat across rows on purpose (``c`` creates what the list shows): only one applies at a time.
"""

from __future__ import annotations

import contextlib
import functools

from smtui.tui.action_types import DeferredFlow, ResourceAction
from smtui.tui.nodes import Kind

SERVICES = frozenset({Kind.SERVICES})
SERVICE = frozenset({Kind.SERVICE})
DEPLOYMENT = frozenset({Kind.DEPLOYMENT})
ROLE = frozenset({Kind.ROLE})
ROLE_OR_INSTANCE = frozenset({Kind.ROLE, Kind.INSTANCE})
DATA_DISK = frozenset({Kind.DATA_DISK})
IMAGES = frozenset({Kind.IMAGES})
STORAGE_ACCOUNT = frozenset({Kind.STORAGE_ACCOUNT})

A = ResourceAction


# Where each coroutine lives; imported on first use or by preload(), not with this table.
actions = functools.partial(DeferredFlow, "smtui.tui.actions")
actions_disks = functools.partial(DeferredFlow, "smtui.tui.actions_disks")
actions_images = functools.partial(DeferredFlow, "smtui.tui.actions_images")
actions_roles = functools.partial(DeferredFlow, "smtui.tui.actions_roles")

# fmt: off
ACTIONS: tuple[ResourceAction, ...] = (
    # id                    key  description              where             coroutine
    A("service.create",     "c", "Create hosted service", SERVICES,         actions("create_hosted_service"),
      scope="node", show=True, label="Create", help="create a hosted (cloud) service (c)"),
    A("service.delete",     "d", "Delete hosted service", SERVICE,          actions("delete_hosted_service"),
      show=True, label="Delete", help="delete the selected hosted service, typing its name (d)"),
    A("deployment.create",  "c", "Create VM deployment",  SERVICE,          actions("create_deployment"),
      scope="node", show=True, label="Create", help="create a VM deployment in this hosted service (c)"),
    A("deployment.delete",  "d", "Delete deployment",     DEPLOYMENT,       actions("delete_deployment"),
      show=True, label="Delete", help="delete the selected deployment, typing its name (d)"),
    A("disk.add",           "c", "Add data disk",         ROLE,             actions_disks("add_data_disk"),
      scope="node", show=True, label="Add disk", help="attach a data disk to this role (c)"),
    A("disk.modify",        "e", "Modify data disk",      DATA_DISK,        actions_disks("modify_data_disk"),
      show=True, label="Edit", help="change caching, label or LUN (e)"),
    A("disk.remove",        "d", "Remove data disk",      DATA_DISK,        actions_disks("remove_data_disk"),
      show=True, label="Remove", help="detach the selected data disk (d)"),
    A("image.create",       "c", "Create OS image",       IMAGES,           actions_images("create_os_image"),
      scope="node", show=True, label="Create", help="register a VHD blob as an OS image (c)"),
    A("storage.keys",       "K", "Storage account keys",  STORAGE_ACCOUNT,  actions_images("storage_keys"),
      mutating=False, show=True, label="Keys",
      help="show the access keys, masked; reveal (r) and copy (c / C) them (K)"),
    A("role.add",           "c", "Add role",              DEPLOYMENT,       actions_roles("add_role"),
      scope="node", show=True, label="Add role", help="add a VM role to this deployment (c)"),
    A("role.modify",        "e", "Modify role",           ROLE,             actions_roles("modify_role"),
      show=True, label="Edit", help="change size, endpoints, data disk settings (e)"),
    A("role.delete",        "d", "Delete role",           ROLE,             actions_roles("delete_role"),
      show=True, label="Delete", help="delete the selected role (d)"),
    A("instance.shutdown",  "H", "Shut down",             ROLE_OR_INSTANCE, actions_roles("shutdown"),
      show=True, label="Stop", help="halt: shut the VM down, Stopped or StoppedDeallocated (H)"),
    A("instance.start",     "b", "Start",                 ROLE_OR_INSTANCE, actions_roles("start_instance"),
      show=True, label="Start", help="boot: start the VM (b)"),
    A("instance.restart",   "R", "Restart",               ROLE_OR_INSTANCE, actions_roles("restart_instance"),
      show=True, label="Restart", help="restart the VM (R)"),
    A("instance.capture",   "C", "Capture image",         ROLE_OR_INSTANCE, actions_roles("capture"),
      show=True, label="Capture", help="capture the VM to an OS image (C)"),
)
# fmt: on
"""The browser's resource actions, in the order the palette and help list them."""


def preload() -> None:
    """Import every action's module (dialogs, models, the preview): call it off the first paint.

    A failure is left for the action's own run to report, where the user pressed its key.
    """
    for action in ACTIONS:
        if isinstance(action.run, DeferredFlow):
            with contextlib.suppress(Exception):
                action.run.resolve()
