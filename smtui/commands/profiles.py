"""``smtui profiles list|show|add|remove|import|default``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from smtui.commands.output import guarded, note, print_json, show_keyring_notice_once, table, usage

if TYPE_CHECKING:
    from smtui.profiles.model import Profile
    from smtui.profiles.paths import JsonObject


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``smtui profiles`` and its subcommands."""
    parser = subparsers.add_parser("profiles", help="list, add, remove or import subscription profiles")
    parser.set_defaults(handler=usage(parser))
    sub = parser.add_subparsers(dest="profiles_command", metavar="{list,show,add,remove,import,default}")

    p = sub.add_parser("list", help="list the configured profiles")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=run_list)

    p = sub.add_parser("show", help="show one profile, with its certificate paths")
    p.add_argument("name")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=run_show)

    p = sub.add_parser("add", help="add (or with --force replace) a profile")
    p.add_argument("name")
    p.add_argument("--subscription-id", required=True)
    p.add_argument("--cert", required=True, help="PEM management certificate")
    p.add_argument("--key", required=True, help="PEM private key of the certificate")
    p.add_argument("--host", default=None, help="management endpoint host[:port] or https URL")
    p.add_argument("--api-version", default=None, help="x-ms-version (default 2014-10-01)")
    p.add_argument("--serialize-type", choices=("XML", "JSON", "xml", "json"), default="XML")
    p.add_argument("--ca-file", default=None, help="CA bundle trusted for the endpoint")
    p.add_argument("--redirect-host", action="append", default=[], metavar="HOST",
                   help="also follow 307 redirects to HOST (name, name:port or *.domain; repeatable); "
                        "by default only the endpoint's host and its subdomains")
    p.add_argument("--read-only", action="store_true", help="hide mutating actions for this profile")
    p.add_argument("--default", action="store_true", help="make it the default profile")
    p.add_argument("--force", action="store_true", help="replace a profile of the same name")
    p.add_argument("--no-check", action="store_true", help="do not check that certificate and key match")
    p.set_defaults(handler=run_add)

    p = sub.add_parser("remove", help="remove a profile (and its keyring entry)")
    p.add_argument("name")
    p.add_argument("--delete-files", action="store_true",
                   help="also delete certificate files smtui imported, if no other profile uses them")
    p.set_defaults(handler=run_remove)

    p = sub.add_parser("import", help="import a .publishsettings file (one profile per subscription)")
    p.add_argument("file")
    p.add_argument("--subscription", action="append", default=None, metavar="ID",
                   help="import only this subscription id (repeatable)")
    p.add_argument("--ca-file", default=None, help="CA bundle trusted for the endpoint")
    p.add_argument("--read-only", action="store_true", help="mark the new profiles read-only")
    p.add_argument("--default", action="store_true", help="make the first imported profile the default")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(handler=run_import)

    p = sub.add_parser("default", help="show or set the default profile")
    p.add_argument("name", nargs="?")
    p.add_argument("--clear", action="store_true", help="no default: smtui opens the embedded emulator")
    p.set_defaults(handler=run_default)


def _public(profile: Profile, default: str | None, *, with_paths: bool) -> JsonObject:
    data: JsonObject = {"name": profile.name, "default": profile.name == default, **profile.metadata()}
    if with_paths:
        data["cert_path"] = profile.cert_path
        data["key_path"] = profile.key_path
    return data


@guarded
def run_list(args: argparse.Namespace) -> int:
    """``smtui profiles list``."""
    from smtui.profiles import default_profile_name, list_profiles

    profiles = list_profiles()
    default = default_profile_name()
    if args.json:
        print_json([_public(p, default, with_paths=False) for p in profiles])
        return 0
    if not profiles:
        print("No profiles configured: smtui uses the embedded emulator. "
              "Add one with `smtui profiles import FILE.publishsettings`.")
        return 0
    rows = [
        ["*" if p.name == default else "", p.name, p.subscription_id, p.host, p.api_version, p.serialize_type,
         "yes" if p.read_only else ""]
        for p in profiles
    ]
    print(table(["", "NAME", "SUBSCRIPTION", "HOST", "API VERSION", "FORMAT", "READ-ONLY"], rows))
    return 0


@guarded
def run_show(args: argparse.Namespace) -> int:
    """``smtui profiles show NAME``."""
    from smtui.profiles import default_profile_name, get_profile

    profile = get_profile(args.name)
    data = _public(profile, default_profile_name(), with_paths=True)
    if args.json:
        print_json(data)
    else:
        for key, value in data.items():
            print(f"{key.replace('_', ' '):<18} {'' if value is None else value}")
    return 0


@guarded
def run_add(args: argparse.Namespace) -> int:
    """``smtui profiles add NAME --subscription-id … --cert … --key …``."""
    from smtui.profiles import Profile, default_profile_name, save_profile
    from smtui.profiles.model import DEFAULT_API_VERSION, DEFAULT_HOST

    if not args.no_check:
        from smtui.api.auth import resolve_certificate

        # Loads both files and checks the key belongs to the certificate; the error names the files.
        resolve_certificate({"certfile": args.cert, "keyfile": args.key}, environ={})
    default_before = default_profile_name()
    profile = save_profile(
        Profile(
            name=args.name,
            subscription_id=args.subscription_id,
            host=args.host or DEFAULT_HOST,
            api_version=args.api_version or DEFAULT_API_VERSION,
            serialize_type=args.serialize_type,
            read_only=args.read_only,
            ca_file=args.ca_file,
            redirect_hosts=tuple(args.redirect_host),
            cert_path=args.cert,
            key_path=args.key,
        ),
        overwrite=args.force,
        make_default=True if args.default else None,
    )
    note(f"profile {profile.name!r} saved ({profile.subscription_id} at {profile.host})")
    default_note(default_profile_name(), default_before)
    show_keyring_notice_once()
    return 0


def default_note(default: str | None, before: str | None) -> None:
    """Say which profile plain ``smtui`` / ``smtui ls`` now use, when a command changed it."""
    if default == before:
        return
    if default is None:
        note("no default profile: plain `smtui` and `smtui ls` use the embedded emulator")
    else:
        note(
            f"{default!r} is now the default profile: plain `smtui` and `smtui ls` use it "
            "(`smtui profiles default --clear` goes back to the embedded emulator)"
        )


@guarded
def run_remove(args: argparse.Namespace) -> int:
    """``smtui profiles remove NAME``."""
    from smtui.profiles import remove_profile

    deleted = remove_profile(args.name, delete_files=args.delete_files)
    note(f"profile {args.name!r} removed" + (f"; deleted {len(deleted)} file(s)" if deleted else ""))
    return 0


@guarded
def run_import(args: argparse.Namespace) -> int:
    """``smtui profiles import FILE``."""
    from smtui.profiles import default_profile_name, import_publishsettings

    default_before = default_profile_name()
    result = import_publishsettings(
        args.file,
        subscription_ids=args.subscription,
        ca_file=args.ca_file,
        read_only=args.read_only,
        make_default=True if args.default else None,
    )
    if args.json:
        print_json({
            "schema_version": result.schema_version,
            "created": result.created,
            "updated": result.updated,
            "files": [str(path) for path in result.files],
            "profiles": [_public(p, default_profile_name(), with_paths=True) for p in result.profiles],
        })
    else:
        for profile in result.profiles:
            state = "updated" if profile.name in result.updated else "created"
            print(f"{state} profile {profile.name!r}: {profile.subscription_id} at {profile.host}")
        for path in result.files:
            print(f"wrote {path} (0600)")
    if result.emulator_ca:
        note(f"this is a local smtui emulator's file: the profile trusts its CA {result.emulator_ca}")
    default_note(result.default, default_before)
    if result.profiles and result.default != result.profiles[0].name:
        note(f"use it with: smtui --profile {result.profiles[0].name}  (or smtui ls services --profile "
             f"{result.profiles[0].name})")
    show_keyring_notice_once()
    return 0


@guarded
def run_default(args: argparse.Namespace) -> int:
    """``smtui profiles default [NAME | --clear]``."""
    from smtui.profiles import default_profile_name, set_default_profile

    if args.clear:
        set_default_profile(None)
    elif args.name:
        set_default_profile(args.name)
    print(default_profile_name() or "(none: the embedded emulator)")
    return 0
