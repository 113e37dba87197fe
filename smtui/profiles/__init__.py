"""Connection profiles: config file, certificate paths in the OS keyring, ``.publishsettings`` import.

No Textual or Rich here: the CLI and the TUI share it. The TUI's entry points:

* :class:`Connection`, :func:`profile_connection`, :func:`wanted_profile` — what a profile
  connects to (the embedded emulator is started by the composition root, :mod:`smtui.session`);
* :class:`ProfileError`, :class:`CredentialStoreError`, :class:`PublishSettingsError` — the errors;
* :func:`list_profiles`, :func:`get_profile`, :func:`save_profile`, :func:`remove_profile`,
  :func:`default_profile_name`, :func:`set_default_profile` — the profile screen;
* :func:`import_publishsettings` — the import dialog;
* :func:`keyring_status`, :func:`pending_keyring_notice`, :func:`mark_keyring_notice_shown`;
* :mod:`smtui.profiles.operations_store` — pending operations;
* :func:`run_off_loop` — run any of the blocking calls above from the event loop.

Public names are imported on first use, so that a light submodule (``paths``,
``operations_store``) does not load the keyring and the client library.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from smtui.profiles.blocking import call_with_timeout, run_off_loop
    from smtui.profiles.connection import (
        Connection,
        ConnectionResolver,
        profile_connection,
        profiles_only,
        wanted_profile,
    )
    from smtui.profiles.credentials import (
        CertPaths,
        KeyringStatus,
        keyring_status,
        mark_keyring_notice_shown,
        pending_keyring_notice,
    )
    from smtui.profiles.errors import CredentialStoreError, ProfileError, PublishSettingsError
    from smtui.profiles.model import EMULATOR_PROFILE, Profile
    from smtui.profiles.paths import config_dir, data_dir
    from smtui.profiles.publishsettings import (
        ImportResult,
        PublishSettings,
        PublishSubscription,
        import_publishsettings,
        parse_publishsettings,
    )
    from smtui.profiles.store import (
        default_profile_name,
        get_profile,
        list_profiles,
        remove_profile,
        save_profile,
        set_default_profile,
    )

_EXPORTS: dict[str, str] = {
    "EMULATOR_PROFILE": "smtui.profiles.model",
    "CertPaths": "smtui.profiles.credentials",
    "Connection": "smtui.profiles.connection",
    "ConnectionResolver": "smtui.profiles.connection",
    "CredentialStoreError": "smtui.profiles.errors",
    "ProfileError": "smtui.profiles.errors",
    "PublishSettingsError": "smtui.profiles.errors",
    "ImportResult": "smtui.profiles.publishsettings",
    "KeyringStatus": "smtui.profiles.credentials",
    "Profile": "smtui.profiles.model",
    "PublishSettings": "smtui.profiles.publishsettings",
    "PublishSubscription": "smtui.profiles.publishsettings",
    "call_with_timeout": "smtui.profiles.blocking",
    "config_dir": "smtui.profiles.paths",
    "data_dir": "smtui.profiles.paths",
    "default_profile_name": "smtui.profiles.store",
    "get_profile": "smtui.profiles.store",
    "import_publishsettings": "smtui.profiles.publishsettings",
    "keyring_status": "smtui.profiles.credentials",
    "list_profiles": "smtui.profiles.store",
    "mark_keyring_notice_shown": "smtui.profiles.credentials",
    "parse_publishsettings": "smtui.profiles.publishsettings",
    "pending_keyring_notice": "smtui.profiles.credentials",
    "remove_profile": "smtui.profiles.store",
    "profile_connection": "smtui.profiles.connection",
    "profiles_only": "smtui.profiles.connection",
    "wanted_profile": "smtui.profiles.connection",
    "run_off_loop": "smtui.profiles.blocking",
    "save_profile": "smtui.profiles.store",
    "set_default_profile": "smtui.profiles.store",
}
"""Public name → the module that defines it, imported on first use."""

__all__ = [
    "EMULATOR_PROFILE",
    "CertPaths",
    "Connection",
    "ConnectionResolver",
    "CredentialStoreError",
    "ImportResult",
    "KeyringStatus",
    "Profile",
    "ProfileError",
    "PublishSettingsError",
    "PublishSettings",
    "PublishSubscription",
    "call_with_timeout",
    "config_dir",
    "data_dir",
    "default_profile_name",
    "get_profile",
    "import_publishsettings",
    "keyring_status",
    "list_profiles",
    "mark_keyring_notice_shown",
    "parse_publishsettings",
    "pending_keyring_notice",
    "remove_profile",
    "profile_connection",
    "profiles_only",
    "run_off_loop",
    "save_profile",
    "set_default_profile",
    "wanted_profile",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'smtui.profiles' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value
