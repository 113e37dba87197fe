"""A previewed request as something an operator can script: a ``curl`` command, or Python.

Both are built from a ``smtui.api.client.RequestPreview`` and the connection's certificate
paths. The body is the masked one unless the caller passes the revealed body (the user
asked for it). No Textual here.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol
from urllib.parse import parse_qsl, urlsplit

if TYPE_CHECKING:
    from smtui.profiles.connection import Connection

SKIPPED_HEADERS = frozenset({"authorization", "cookie", "user-agent"})
"""Headers a copy leaves out (credentials; the user agent is curl's own)."""


@dataclass(frozen=True)
class Credentials:
    """Where the profile's client certificate lives (paths only: never the key itself).

    Attributes:
        cert_path: PEM management certificate.
        key_path: PEM private key.
        ca_file: CA bundle that signs the server, if not the system store.
        subscription_id: The subscription (for the Python client).
        host: Management endpoint ``host[:port]``.
        api_version: ``x-ms-version``.
        serialize_type: ``XML`` or ``JSON``.
    """

    cert_path: str
    key_path: str
    ca_file: str | None = None
    subscription_id: str = ""
    host: str = ""
    api_version: str = ""
    serialize_type: str = "XML"

    @classmethod
    def of(cls, connection: Connection | None) -> Credentials | None:
        """From a ``smtui.profiles.connection.Connection`` (``None`` if there is none)."""
        if connection is None:
            return None
        return cls(
            cert_path=str(connection.cert_path),
            key_path=str(connection.key_path),
            ca_file=str(connection.ca_file) if connection.ca_file else None,
            subscription_id=str(connection.subscription_id),
            host=str(connection.host),
            api_version=str(connection.api_version),
            serialize_type=str(connection.serialize_type),
        )


class PreviewedRequest(Protocol):
    """A request as previewed (``smtui.api.client.RequestPreview``): the body already masked."""

    @property
    def method(self) -> str: ...

    @property
    def url(self) -> str: ...

    @property
    def headers(self) -> Mapping[str, str]: ...

    @property
    def body(self) -> str | None: ...


def _headers(headers: Mapping[str, str]) -> list[tuple[str, str]]:
    return [(k, v) for k, v in headers.items() if k.lower() not in SKIPPED_HEADERS]


def as_curl(preview: PreviewedRequest, credentials: Credentials | None, body: str | None = None) -> str:
    """The ``curl`` command that sends ``preview``'s request with the profile's certificate.

    Args:
        preview: The request (``method``, ``url``, ``headers``, ``body`` masked).
        credentials: Certificate paths (``None``: placeholders the user fills in).
        body: The body to send instead of the masked one (the user revealed it).
    """
    parts = ["curl", "--fail-with-body", "-sS"]
    cert = credentials.cert_path if credentials else "CERT.pem"
    key = credentials.key_path if credentials else "KEY.pem"
    parts += ["--cert", shlex.quote(cert), "--key", shlex.quote(key)]
    if credentials is not None and credentials.ca_file:
        parts += ["--cacert", shlex.quote(credentials.ca_file)]
    parts += ["-X", preview.method.upper()]
    for name, value in _headers(preview.headers or {}):
        parts += ["-H", shlex.quote(f"{name}: {value}")]
    text = body if body is not None else preview.body
    if text:
        parts += ["--data-binary", shlex.quote(text)]
    parts.append(shlex.quote(preview.url))
    return " ".join(parts)


def as_python(preview: PreviewedRequest, credentials: Credentials | None, body: str | None = None) -> str:
    """A script that sends ``preview``'s request with :mod:`smtui.api` and waits for the operation."""
    url = urlsplit(preview.url)
    sub = credentials.subscription_id if credentials else url.path.strip("/").split("/", 1)[0]
    path = url.path[len(sub) + 1 :] if url.path.startswith(f"/{sub}/") else url.path
    query = dict(parse_qsl(url.query, keep_blank_values=True))
    text = body if body is not None else preview.body
    content_type = next((v for k, v in (preview.headers or {}).items() if k.lower() == "content-type"), "")
    is_json = "json" in content_type.lower()
    options: dict[str, str] = {"host": credentials.host if credentials else url.netloc}
    if credentials is not None:
        options["apiversion"] = credentials.api_version
        options["serializetype"] = credentials.serialize_type
        if credentials.ca_file:
            options["ca_bundle"] = credentials.ca_file
    auth = {
        "certfile": credentials.cert_path if credentials else "CERT.pem",
        "keyfile": credentials.key_path if credentials else "KEY.pem",
    }
    lines = [
        f"# {preview.operation if hasattr(preview, 'operation') else ''}: {preview.method} {preview.url}",
        "import asyncio",
        *(["import json"] if is_json and text else []),
        "",
        "from smtui.api.client import ServiceManagementClient",
        "from smtui.api.operations import ApiRequest",
        "",
        f"BODY = {text!r}" if text else "BODY = None",
        "",
        "REQUEST = ApiRequest(",
        f"    {getattr(preview, 'operation', 'Request')!r},",
        f"    {preview.method.upper()!r},",
        f"    {path!r},",
        f"    query={query!r},",
        '    body=BODY.encode("utf-8") if BODY is not None else None,',
        *(["    json_renderer=lambda _payload: json.loads(BODY),"] if is_json and text else []),
        ")",
        "",
        "",
        "async def main() -> None:",
        f"    auth = {auth!r}",
        f"    options = {options!r}",
        f"    async with ServiceManagementClient({sub!r}, auth, options) as client:",
        "        response = await client.execute(REQUEST)",
        "        print(response.status_code, response.request_id, response.error)",
        "        if response.is_successful and response.request_id:",
        "            status = await client.wait_for_operation(response.request_id, interval=1.0)",
        "            print(status.status, status.error)",
        "",
        "",
        "asyncio.run(main())",
        "",
    ]
    return "\n".join(lines)
