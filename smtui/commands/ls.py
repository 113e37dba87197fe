"""``smtui ls …``: read-only listings as JSON, for scripts.

Each listing is one client call on the connection :func:`smtui.session.resolve_connection`
picks (``--profile``, the default profile, or the embedded emulator). Models are printed
with :func:`smtui.api.codec.to_json`: the service's element names as keys and wire values,
exactly what the API's JSON serialization carries. ``ls operations`` reads the pending
operations the TUI persisted and needs no connection.

``ls deployments --all`` and ``ls instances --all`` list the whole fleet of one or more
profiles instead (one call per hosted service, concurrently; see :mod:`smtui.commands.fleet`).

Exit codes: 0 success, 1 the service (or the network) answered with an error — printed as
``{"error": {...}}`` on stderr —, 2 a configuration problem (profile, certificate).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from smtui.commands.output import guarded, note, print_json, usage


@dataclass(frozen=True)
class Listing:
    """One ``smtui ls`` kind.

    Attributes:
        help: Help text.
        args: Positional argument names.
        fetch: ``(client, *args) -> awaitable Response``.
        pick: Extracts the list to print from ``Response.response``.
    """

    help: str
    args: tuple[str, ...]
    fetch: Callable[..., Awaitable[Any]]
    pick: Callable[[Any], Any] = lambda value: value


LISTINGS: dict[str, Listing] = {
    "images": Listing("OS images", (), lambda c: c.list_os_images()),
    "services": Listing("hosted services", (), lambda c: c.list_hosted_services()),
    "deployments": Listing(
        "deployments of a hosted service", ("service",),
        lambda c, service: c.get_hosted_service(service, embed_detail=True),
        lambda hosted: hosted.deployments,
    ),
    "roles": Listing(
        "roles (VM configuration) of a deployment", ("service", "deployment"),
        lambda c, service, deployment: c.get_deployment(service, deployment),
        lambda deployment: deployment.role_list,
    ),
    "instances": Listing(
        "role instances (state, power state, IP) of a deployment", ("service", "deployment"),
        lambda c, service, deployment: c.get_deployment(service, deployment),
        lambda deployment: deployment.role_instance_list,
    ),
    "disks": Listing("disks of the disk repository", (), lambda c: c.list_disks()),
    "storage-accounts": Listing("storage accounts", (), lambda c: c.list_storage_accounts()),
    "locations": Listing("locations", (), lambda c: c.list_locations()),
    "role-sizes": Listing("role sizes", (), lambda c: c.list_role_sizes()),
}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``smtui ls`` and its kinds."""
    parser = subparsers.add_parser("ls", help="print objects of the subscription as JSON (read-only)")
    parser.set_defaults(handler=usage(parser))
    kinds = parser.add_subparsers(dest="ls_kind", metavar="{" + ",".join([*LISTINGS, "operations"]) + "}")
    for kind, listing in LISTINGS.items():
        fleet = kind in FLEET_KINDS
        p = kinds.add_parser(kind, help=listing.help + (" (or --all: every one of the subscription)" if fleet
                                                         else ""))
        for name in listing.args:
            p.add_argument(name, nargs="?" if fleet else None)
        _connection_options(p)
        if fleet:
            _fleet_options(p)
        p.set_defaults(handler=run_listing, listing=kind)
    p = kinds.add_parser("operations", help="long-running operations the console is tracking")
    p.add_argument("--pending", action="store_true", help="only those still InProgress")
    p.set_defaults(handler=run_operations)


FLEET_KINDS = ("deployments", "instances")
"""Listings that also take ``--all`` (the whole fleet)."""


def _connection_options(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: `smtui --profile X ls …` and `smtui ls … --profile X` both work.
    parser.add_argument("--profile", default=argparse.SUPPRESS, action="append",
                        help="profile to use (default: the default profile, else the embedded emulator); "
                             "repeatable with --all")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="deadline of the call in seconds, retries included (default 60)")


def _fleet_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--all", action="store_true", dest="fleet",
                        help="every one of the subscription (one call per hosted service, concurrently)")
    parser.add_argument("--all-profiles", action="store_true",
                        help="with --all: every configured profile, with a subscription column")
    parser.add_argument("--output", choices=("json", "table"), default="json",
                        help="with --all: JSON (default) or a text table")
    parser.add_argument("--max-in-flight", type=int, default=None, metavar="N",
                        help="with --all: most requests on the wire per subscription (default 64, adaptive)")


def _single_profile(args: argparse.Namespace) -> str | None:
    from smtui.api.errors import ValidationError

    named = getattr(args, "profile", None)
    if isinstance(named, list):
        if len(set(named)) > 1:
            raise ValidationError("profile", "several profiles only with --all")
        return str(named[-1])
    return str(named) if named is not None else None


def _to_json(value: Any) -> Any:
    from smtui.api.codec import to_json

    if isinstance(value, list):
        return [to_json(item) for item in value]
    return to_json(value)


async def _fetch(connection: Any, listing: Listing, positional: list[str], timeout: float) -> Any:
    async with connection.create_client(timeout=timeout) as client:
        return await listing.fetch(client, *positional)


def _hint(code: str, message: str) -> str | None:
    """What to do about a failure with no HTTP answer, when its cause is clear (else None)."""
    if code != "TLSError":
        return None
    if "CERTIFICATE_VERIFY_FAILED" in message:
        return ("the server certificate is not trusted: give the profile the endpoint's CA "
                "(smtui profiles add NAME ... --ca-file CA.pem --force; "
                "for smtui's emulator, its certs/ca.pem)")
    if "WRONG_VERSION_NUMBER" in message or "HTTP_REQUEST" in message:
        return "the endpoint does not speak HTTPS: check the host and port of the profile"
    return None


@guarded
def run_listing(args: argparse.Namespace) -> int:
    """``smtui ls KIND …`` against the resolved connection."""
    from smtui.api.errors import ValidationError
    from smtui.session import resolve_connection

    listing = LISTINGS[args.listing]
    positional = [getattr(args, name) for name in listing.args]
    if getattr(args, "fleet", False):
        if any(positional):
            raise ValidationError("--all", f"takes no {' or '.join(listing.args)}")
        if args.all_profiles and getattr(args, "profile", None):
            raise ValidationError("--all-profiles", "lists every profile: leave out --profile")
        if args.max_in_flight is not None and args.max_in_flight < 1:
            raise ValidationError("--max-in-flight", "must be at least 1")
        from smtui.commands.fleet import run_fleet

        return run_fleet(args, args.listing)
    if not all(positional):
        raise ValidationError(listing.args[len([p for p in positional if p])],
                              f"missing (or use --all for every {args.listing[:-1]} of the subscription)")
    if getattr(args, "all_profiles", False):
        raise ValidationError("--all-profiles", "only with --all")
    with resolve_connection(_single_profile(args), read_only=True) as connection:
        if connection.is_emulator and sys.stderr.isatty():
            note(f"no profile configured: listing the embedded emulator ({connection.base_url})")
        response = asyncio.run(_fetch(connection, listing, positional, args.timeout))
    if not response.is_successful:
        code, message = response.error or ("UnknownError", "request failed")
        detail = {"code": code, "message": message, "status_code": response.status_code,
                  "request_id": response.request_id}
        hint = _hint(code, message)
        if hint:
            detail["hint"] = hint
        sys.stderr.write(json.dumps({"error": detail}, indent=2) + "\n")
        return 1
    print_json(_to_json(listing.pick(response.response)))
    return 0


@guarded
def run_operations(args: argparse.Namespace) -> int:
    """``smtui ls operations``: the persisted operations file, no connection needed."""
    from smtui.profiles import operations_store

    operations = operations_store.load_operations()
    for warning in operations_store.take_warnings():
        note(f"warning: {warning}")
    if args.pending:
        operations = [op for op in operations if op.is_pending]
    print_json([op.to_dict() for op in operations])
    return 0
