"""Profile CRUD: metadata in ``profiles.json`` in the config dir, certificate paths in the keyring.

The config file looks like::

    {"version": 1, "default_profile": "prod",
     "profiles": {"prod": {"subscription_id": "…", "host": "management.core.windows.net",
                           "api_version": "2014-10-01", "serialize_type": "XML",
                           "read_only": false, "subscription_name": "…", "ca_file": null}}}

Functions that touch credentials (``get_profile(with_credentials=True)``, ``save_profile``,
``remove_profile``) may wait for the keyring (bounded by its timeout); call them off the UI
thread. ``list_profiles`` only reads the file.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

from smtui.profiles import credentials, paths
from smtui.profiles.errors import ProfileError
from smtui.profiles.model import EMULATOR_PROFILE, Profile

CONFIG_FILE = "profiles.json"
CONFIG_VERSION = 1


def config_file() -> Path:
    """The profiles file (``<config dir>/profiles.json``)."""
    return paths.config_dir() / CONFIG_FILE


def _read() -> dict[str, Any]:
    path = config_file()
    try:
        data = paths.read_json(path, {})
    except ValueError as exc:
        raise ProfileError(f"{path} is not valid JSON ({exc}); fix or delete it") from None
    if not isinstance(data, dict):
        raise ProfileError(f"{path} must hold a JSON object")
    profiles = data.get("profiles")
    data["profiles"] = profiles if isinstance(profiles, dict) else {}
    return data


def _write(data: dict[str, Any]) -> None:
    data["version"] = CONFIG_VERSION
    paths.ensure_private_dir(paths.config_dir())
    paths.write_json(config_file(), data, private=True)


def _profile(name: str, entry: Any) -> Profile:
    if not isinstance(entry, dict):
        raise ProfileError(f"profile {name!r} in {config_file()} is not a JSON object")
    try:
        return Profile.from_metadata(name, entry)
    except (TypeError, ValueError) as exc:
        raise ProfileError(f"profile {name!r} in {config_file()} is invalid: {exc}") from None


def list_profiles() -> list[Profile]:
    """Every configured profile, in the order they were added, without credentials (no keyring call)."""
    return [_profile(name, entry) for name, entry in _read()["profiles"].items()]


def profile_names() -> list[str]:
    """Names of the configured profiles."""
    return list(_read()["profiles"])


def default_profile_name() -> str | None:
    """The profile used when none is named, or None (then smtui uses the embedded emulator)."""
    data = _read()
    name = data.get("default_profile")
    return name if isinstance(name, str) and name in data["profiles"] else None


def set_default_profile(name: str | None) -> None:
    """Make ``name`` the default profile (None: no default, i.e. the emulator).

    Raises:
        ProfileError: No profile has that name.
    """
    with paths.locked(config_file()):
        data = _read()
        if name is not None and name not in data["profiles"]:
            raise ProfileError(f"no profile named {name!r}")
        data["default_profile"] = name
        _write(data)


def get_profile(name: str, *, with_credentials: bool = True) -> Profile:
    """The profile called ``name``.

    Args:
        name: The profile name.
        with_credentials: Also fill ``cert_path``/``key_path`` from the keyring (may wait for it).

    Raises:
        ProfileError: No such profile, or the config file is broken.
        CredentialStoreError: The keyring failed (only with ``with_credentials``).
    """
    entries = _read()["profiles"]
    if name not in entries:
        known = ", ".join(entries) or "none configured"
        raise ProfileError(f"no profile named {name!r} (profiles: {known})")
    profile = _profile(name, entries[name])
    if not with_credentials:
        return profile
    stored = credentials.load_cert_paths(name)
    if stored is None:
        return profile
    return replace(profile, cert_path=stored.cert, key_path=stored.key)


def save_profile(
    profile: Profile,
    *,
    overwrite: bool = False,
    previous_name: str | None = None,
    make_default: bool | None = None,
) -> Profile:
    """Create or update a profile: metadata to the config file, certificate paths to the keyring.

    Args:
        profile: The profile. ``cert_path``/``key_path`` of None leave the stored paths unchanged
            (an edit screen need not know them).
        overwrite: Replace an existing profile of the same name (otherwise that is an error).
        previous_name: The profile's name before an edit that renamed it; the old entry and its
            keyring entry move to the new name.
        make_default: True makes it the default profile; None makes it the default only if
            there was none (so the first profile configured becomes the one ``smtui`` opens).

    Returns:
        The validated, normalised profile as stored.

    Raises:
        ValidationError: A field is invalid.
        ProfileError: The name is taken (and neither ``overwrite`` nor a rename of itself).
        CredentialStoreError: The certificate paths could not be stored.
    """
    profile = profile.validated()
    renamed = previous_name is not None and previous_name != profile.name
    moved: credentials.CertPaths | None = None
    with paths.locked(config_file()):
        data = _read()
        entries: dict[str, Any] = data["profiles"]
        if previous_name is not None and previous_name not in entries:
            raise ProfileError(f"no profile named {previous_name!r} to edit")
        if profile.name in entries and not overwrite and previous_name != profile.name:
            raise ProfileError(f"a profile named {profile.name!r} exists already")
        if profile.has_credentials:
            assert profile.cert_path is not None and profile.key_path is not None
            credentials.store_cert_paths(
                profile.name, credentials.CertPaths(_absolute(profile.cert_path), _absolute(profile.key_path))
            )
        elif renamed:
            assert previous_name is not None
            moved = credentials.load_cert_paths(previous_name)
            if moved is not None:
                credentials.store_cert_paths(profile.name, moved)
        if renamed:
            assert previous_name is not None
            entries = {
                (profile.name if key == previous_name else key): value
                for key, value in entries.items()
                if not (key == profile.name and key != previous_name)
            }
            if data.get("default_profile") == previous_name:
                data["default_profile"] = profile.name
        entries[profile.name] = profile.metadata()
        data["profiles"] = entries
        if make_default or (make_default is None and data.get("default_profile") not in entries):
            data["default_profile"] = profile.name
        _write(data)
    if renamed:
        assert previous_name is not None
        credentials.delete_cert_paths(previous_name)
    if profile.has_credentials:
        assert profile.cert_path is not None and profile.key_path is not None
        return replace(profile, cert_path=_absolute(profile.cert_path), key_path=_absolute(profile.key_path))
    if moved is not None:
        return replace(profile, cert_path=moved.cert, key_path=moved.key)
    return profile


def remove_profile(name: str, *, delete_files: bool = False) -> list[Path]:
    """Remove a profile and its keyring entry.

    Args:
        name: The profile.
        delete_files: Also delete its certificate and key files, but only files smtui wrote
            itself (inside ``<config dir>/certs``) and that no other profile uses.

    Returns:
        The files deleted.

    Raises:
        ProfileError: No such profile.
    """
    stored: credentials.CertPaths | None = None
    if delete_files:
        stored = credentials.load_cert_paths(name)
    with paths.locked(config_file()):
        data = _read()
        if name not in data["profiles"]:
            raise ProfileError(f"no profile named {name!r}")
        del data["profiles"][name]
        if data.get("default_profile") == name:
            # Keep a default while profiles remain, so `smtui` does not silently switch to the emulator.
            data["default_profile"] = next(iter(data["profiles"]), None)
        _write(data)
        others = list(data["profiles"])
    credentials.delete_cert_paths(name)
    deleted: list[Path] = []
    if stored is None:
        return deleted
    in_use: set[str] = set()
    for other in others:
        other_paths = credentials.load_cert_paths(other)
        if other_paths is not None:
            in_use.update({other_paths.cert, other_paths.key})
    certs = paths.certs_dir().resolve()
    for file in {stored.cert, stored.key}:
        path = Path(file)
        if file in in_use or not path.exists() or certs not in path.resolve().parents:
            continue
        path.unlink()
        deleted.append(path)
    return deleted


def _absolute(path: str) -> str:
    return os.path.abspath(os.path.expanduser(path))


__all__ = [
    "EMULATOR_PROFILE",
    "config_file",
    "default_profile_name",
    "get_profile",
    "list_profiles",
    "profile_names",
    "remove_profile",
    "save_profile",
    "set_default_profile",
]
