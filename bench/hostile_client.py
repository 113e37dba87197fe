"""Measure the client against a hostile server: a gzip bomb's memory cost and a trickling server's hold.

Each measurement runs in a fresh interpreter (so ``ru_maxrss`` is the probe's own peak) against
a TLS server on 127.0.0.1 inside that interpreter. Figures (issue 10 §2, before → after):

* gzip bomb decoding to 1 GB: the client grew 2,061 MB → 75 MB (stops at the 64 MB cap);
* ``timeout=2`` list call against a server sending one byte a second: still running at 30 s → 2.0 s.

Usage: ``python bench/hostile_client.py [--bomb-mb 1024] [--trickle-cap 30]`` (needs trustme,
from the test extras).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import trustme

PROBE = textwrap.dedent(
    """
    import asyncio, resource, ssl, sys, time, zlib
    from smtui.api import ServiceManagementClient

    key, cert, server_pem, ca, mode, amount = sys.argv[1:7]
    BODY = b'<Locations xmlns="http://schemas.microsoft.com/windowsazure"></Locations>'

    def bomb(mb):
        z = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        block = bytes(1 << 20)
        return b"".join(z.compress(block) for _ in range(mb)) + z.flush()

    async def main():
        payload = bomb(int(amount)) if mode == "bomb" else b""

        async def handle(reader, writer):
            try:
                await reader.readuntil(b"\\r\\n\\r\\n")
                if mode == "bomb":
                    head = (b"HTTP/1.1 200 OK\\r\\nContent-Type: application/xml\\r\\n"
                            b"Content-Encoding: gzip\\r\\nContent-Length: %d\\r\\n\\r\\n" % len(payload))
                    writer.write(head + payload)
                    await writer.drain()
                else:
                    writer.write(b"HTTP/1.1 200 OK\\r\\nContent-Type: application/xml\\r\\n"
                                 b"Content-Length: %d\\r\\n\\r\\n" % len(BODY))
                    for i in range(len(BODY)):
                        writer.write(BODY[i:i + 1])
                        await writer.drain()
                        await asyncio.sleep(1.0)
            except (ConnectionError, asyncio.CancelledError, ssl.SSLError):
                pass
            writer.transport.abort()

        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(server_pem)
        server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=ctx)
        host = f"127.0.0.1:{server.sockets[0].getsockname()[1]}"
        options = {"host": host, "ca_bundle": ca, "timeout": 2.0 if mode == "trickle" else 60.0}
        async with ServiceManagementClient("sub", {"keyfile": key, "certfile": cert}, options) as client:
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            started = time.monotonic()
            try:
                cap = float(amount) if mode == "trickle" else 600.0
                resp = await asyncio.wait_for(client.list_locations(), cap)
                outcome = resp.error.code if resp.error else "ok"
            except asyncio.TimeoutError:
                outcome = "still running"
            elapsed = time.monotonic() - started
            grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024
        server.close()
        if mode == "bomb":
            wire = f"{len(payload):,} bytes on the wire"
            print(f"gzip bomb {amount} MB ({wire}): {outcome}, client grew {grown} MB")
        else:
            print(f"timeout=2 list call, server sending 1 byte/s: {outcome} after {elapsed:.1f} s")

    asyncio.run(main())
    """
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bomb-mb", type=int, default=1024, help="decoded size of the gzip bomb")
    parser.add_argument("--trickle-cap", type=float, default=30.0, help="stop watching the trickle then")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        ca = trustme.CA()
        ca.cert_pem.write_to_path(str(base / "ca.pem"))
        ca.issue_cert("127.0.0.1").private_key_and_cert_chain_pem.write_to_path(str(base / "server.pem"))
        client = ca.issue_cert("bench@smtui.invalid")
        client.private_key_pem.write_to_path(str(base / "key.pem"))
        client.cert_chain_pems[0].write_to_path(str(base / "cert.pem"))
        (base / "probe.py").write_text(PROBE)
        common = [str(base / n) for n in ("key.pem", "cert.pem", "server.pem", "ca.pem")]
        for mode, amount in (("bomb", str(args.bomb_mb)), ("trickle", str(args.trickle_cap))):
            subprocess.run([sys.executable, str(base / "probe.py"), *common, mode, amount], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
