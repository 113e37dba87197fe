"""``smtui info``: versions, paths, keyring backend in use, profiles."""

from __future__ import annotations

import argparse
import os
import platform
import sys
from typing import TYPE_CHECKING

from smtui.commands.output import guarded, print_json

if TYPE_CHECKING:
    from smtui.profiles.paths import JsonObject

# Read from package metadata, never imported: importing Textual would cost ~0.3 s and is
# exactly what these commands must not do.
PACKAGES = ("smtui", "textual", "httpx", "lxml", "keyring", "cryptography", "platformdirs", "starlette",
            "uvicorn")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``smtui info``."""
    parser = subparsers.add_parser("info", help="versions, paths, keyring backend and profiles")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.set_defaults(handler=run)


def _version(package: str) -> str | None:
    from importlib import metadata  # ~20 ms (email parsing): not on the console's start path

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def collect() -> JsonObject:
    """Everything ``smtui info`` reports, as a JSON-able dict."""
    from smtui.profiles import keyring_status, list_profiles
    from smtui.profiles import operations_store as ops
    from smtui.profiles.paths import certs_dir, config_dir, data_dir, emulator_data_dir
    from smtui.profiles.store import config_file, default_profile_name

    status = keyring_status()
    profiles: list[JsonObject] = []
    problems: list[str] = []
    default = None
    try:
        default = default_profile_name()
        for profile in list_profiles():
            profiles.append({"name": profile.name, "default": profile.name == default, **profile.metadata()})
    except Exception as exc:  # a broken config file is reported, not fatal here
        problems.append(str(exc))
    # Not HTTPS_PROXY: its URL may carry a password.
    shown = ("PYTHON_KEYRING_BACKEND", "SMTUI_CONFIG_DIR", "SMTUI_DATA_DIR", "SMTUI_KEYRING_TIMEOUT")
    env = {name: os.environ[name] for name in shown if os.environ.get(name)}
    return {
        "versions": {
            "python": platform.python_version(),
            **{package: _version(package) for package in PACKAGES},
        },
        "platform": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "executable": sys.executable,
        "paths": {
            "config_dir": str(config_dir()),
            "profiles_file": str(config_file()),
            "certificates_dir": str(certs_dir()),
            "data_dir": str(data_dir()),
            "operations_file": str(ops.operations_file()),
            "emulator_data_dir": str(emulator_data_dir()),
        },
        "keyring": {
            "backend": status.backend,
            "store": status.store,
            "reason": status.reason,
            "fallback_file": str(status.fallback_file),
        },
        "default_profile": default,
        "connects_to": default or "embedded emulator (no default profile)",
        "profiles": profiles,
        "environment": env,
        "problems": problems,
    }


def render(data: JsonObject) -> str:
    """The text form of :func:`collect`'s result."""
    lines = ["smtui " + (data["versions"]["smtui"] or "?")]
    lines.append("")
    lines.append("Versions")
    for name, version in data["versions"].items():
        lines.append(f"  {name:<13} {version or 'not installed'}")
    lines.append(f"  {'platform':<13} {data['platform']}")
    lines.append("")
    lines.append("Paths")
    for name, path in data["paths"].items():
        lines.append(f"  {name.replace('_', ' '):<18} {path}")
    lines.append("")
    keyring = data["keyring"]
    lines.append("Keyring")
    lines.append(f"  {'backend':<13} {keyring['backend']}")
    if keyring["store"] == "keyring":
        lines.append(f"  {'stores in':<13} the OS keyring")
    else:
        lines.append(f"  {'stores in':<13} {keyring['fallback_file']} (mode 0600)")
        lines.append(f"  {'because':<13} {keyring['reason']}")
    lines.append("")
    lines.append(f"Connects to    {data['connects_to']}")
    lines.append(f"Profiles ({len(data['profiles'])})")
    for profile in data["profiles"]:
        mark = "*" if profile["default"] else " "
        flags = " read-only" if profile["read_only"] else ""
        lines.append(f"  {mark} {profile['name']}  {profile['subscription_id']}  {profile['host']}{flags}")
    for name, value in data["environment"].items():
        lines.append(f"env {name}={value}")
    for problem in data["problems"]:
        lines.append(f"problem: {problem}")
    return "\n".join(lines)


@guarded
def run(args: argparse.Namespace) -> int:
    """Print the report."""
    data = collect()
    if args.json:
        print_json(data)
    else:
        print(render(data))
    return 0
