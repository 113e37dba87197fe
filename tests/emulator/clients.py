"""smtui's own client pointed at a running emulator, for the emulator tests that drive it."""

from __future__ import annotations

from typing import Any

from smtui.api import ServiceManagementClient


def make_client(emu: Any, *, foreign: bool = False, **options: Any) -> ServiceManagementClient:
    cert, key = (emu.foreign_cert, emu.foreign_key) if foreign else (emu.client_cert, emu.client_key)
    client = ServiceManagementClient(
        emu.subscription_id,
        {"certfile": str(cert), "keyfile": str(key)},
        {"host": emu.host, "ca_bundle": str(emu.ca_file), **options},
    )
    client.set_proxy_url(None)
    return client

