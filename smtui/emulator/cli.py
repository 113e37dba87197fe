"""The ``smtui emulator`` subcommand: run the Service Management emulator in the foreground."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from smtui.emulator.server import Emulator


def register(subparsers: Any, *, default_data_dir: Callable[[], Path]) -> argparse.ArgumentParser:
    """Add the ``emulator`` subcommand to ``smtui``'s subparsers.

    Args:
        subparsers: ``smtui``'s subparsers.
        default_data_dir: Where the state lives without ``--data-dir`` (the caller's data dir: the
            emulator does not know smtui's profiles or paths); called only when the command runs.
    """
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "emulator",
        help="run the local Service Management emulator (HTTPS + client certificate)",
        description="Run a local Azure Service Management endpoint with generated certificates.",
    )
    parser.add_argument(
        "--port", type=port_number, default=8443, help="HTTPS port (0: any free port; default 8443)"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--data-dir", default=None, help="state and certificates (default: user data dir)")
    parser.add_argument(
        "--speed",
        type=float,
        default=1.0,
        help="time scale of long-running operations (10 = ten times faster)",
    )
    parser.add_argument(
        "--seed", choices=("demo", "empty"), default="demo", help="initial content on first start"
    )
    parser.add_argument("--scale", type=int, default=0, help="also create N hosted services (benchmarks)")
    parser.add_argument(
        "--faults",
        default=None,
        help="fault injection, e.g. latency=0.2,503=0.1,drop=0.05,redirect,retry-after=1; "
        "lost=0.1 applies a change and drops its answer, op-latency=2 delays operation status only",
    )
    parser.set_defaults(handler=run, default_data_dir=default_data_dir)
    return parser


def port_number(text: str) -> int:
    """A TCP port 0-65535 (argparse type: anything else is a usage error, not a traceback)."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is out of range (0-65535)")
    return port


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address or ``localhost``."""
    import ipaddress

    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def data_dir_of(args: argparse.Namespace) -> Path:
    """``--data-dir``, or the default the command was registered with."""
    return Path(args.data_dir) if args.data_dir is not None else Path(args.default_data_dir())


def run(args: argparse.Namespace) -> int:
    """Start the emulator and serve until interrupted."""
    from smtui.emulator.dirlock import DataDirBusy
    from smtui.emulator.faults import Faults
    from smtui.emulator.server import Emulator

    try:
        faults = Faults.parse(args.faults)
    except ValueError as exc:
        print(f"smtui emulator: {exc}", file=sys.stderr)
        return 2
    emu = Emulator(
        data_dir_of(args),
        seed=args.seed,
        speed=args.speed,
        port=args.port,
        host=args.host,
        scale=args.scale,
        faults=faults,
    )
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, emu.request_stop)  # from here on SIGTERM is a clean stop
    if not is_loopback(args.host):
        print(
            f"smtui emulator: warning: listening on {args.host}, which is not a loopback address: "
            "other machines can reach this emulator",
            file=sys.stderr,
        )
    try:
        emu.prepare()
    except DataDirBusy as exc:
        print(f"smtui emulator: {exc}", file=sys.stderr)
        return 1
    try:
        emu.bind()
    except OSError as exc:
        emu.stop()
        print(f"smtui emulator: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    emu.write_publishsettings()  # before the banner names it
    print(banner(emu), flush=True)
    try:
        emu.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


def banner(emu: Emulator) -> str:
    """What ``smtui emulator`` prints on start."""
    return (
        "smtui Service Management emulator\n"
        f"  subscription id : {emu.subscription_id}\n"
        f"  endpoint        : {emu.base_url}\n"
        f"  CA certificate  : {emu.ca_file}\n"
        f"  client cert     : {emu.client_cert}\n"
        f"  client key      : {emu.client_key}\n"
        f"  publishsettings : {emu.publishsettings}\n"
        f"  data dir        : {emu.data_dir}\n"
        f"  speed           : {emu.speed}x\n"
        "\nConnect with smtui's client:\n\n" + emu.client_snippet() + "\nor curl:\n\n"
        f"  curl --cacert {emu.ca_file} --cert {emu.client_cert} --key {emu.client_key} "
        f'-H "x-ms-version: 2014-10-01" {emu.base_url}/{emu.subscription_id}/services/hostedservices\n'
        "\nPress Ctrl-C to stop."
    )
