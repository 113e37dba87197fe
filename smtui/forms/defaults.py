"""Default values the forms start from, chosen so that the untouched form is valid and safe.

A default the form itself would flag (SSH on a port another role already has, a slot that is
taken) teaches the operator to distrust the form; these helpers pick the first value that the
deployment as it is now leaves free.
"""

from __future__ import annotations

from collections.abc import Iterable

from smtui.forms.values import SLOTS

SSH_PORTS_TRIED = (22, *range(2222, 2300))
"""Public ports offered for a new role's SSH endpoint, in order (22, then 2222, 2223, …)."""


def free_ssh_port(ports_in_use: Iterable[tuple[str, int]]) -> int | None:
    """The first public port of :data:`SSH_PORTS_TRIED` no endpoint of the deployment uses.

    A port counts as taken whatever its protocol: the service names only the port when it
    refuses ("Port 22 is already in use by one of the endpoints in this deployment").

    Args:
        ports_in_use: ``(protocol, public port)`` of the deployment's endpoints.

    Returns:
        The port, or None when every candidate is taken.
    """
    taken = {port for _proto, port in ports_in_use}
    return next((port for port in SSH_PORTS_TRIED if port not in taken), None)


def free_slot(slots_in_use: Iterable[str]) -> str | None:
    """The first deployment slot (Production, then Staging) the hosted service leaves free."""
    taken = {slot.lower() for slot in slots_in_use}
    return next((slot for slot in SLOTS if slot.lower() not in taken), None)
