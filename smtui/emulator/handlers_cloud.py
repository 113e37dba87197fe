"""Cloud-service level resources: service certificates and cloud-service extensions.

Service certificates (``…/hostedservices/<svc>/certificates``) are what Linux SSH keys
(``Fingerprint``) and Windows certificate settings of a VM refer to; the recorded capture
flow uploads one first. Only the public certificate is kept: the PFX's private key and its
password are read to check them and then dropped.
"""

from __future__ import annotations

import base64
import binascii
import hashlib

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from smtui.emulator import render_compute as rc
from smtui.emulator import validate as v
from smtui.emulator.engine import bad_request, conflict, iso, not_found
from smtui.emulator.lookups import get_service
from smtui.emulator.nodes import Node
from smtui.emulator.routing import Ctx, Reply, Router


def _load_certificate(data: bytes, fmt: str, password: str | None) -> x509.Certificate:
    if fmt == "pfx":
        try:
            _key, cert, _extra = pkcs12.load_key_and_certificates(
                data, password.encode("utf-8") if password else None
            )
        except ValueError:
            raise bad_request(
                "The certificate data is not a valid PFX, or the password is incorrect."
            ) from None
        if cert is None:
            raise bad_request("The PFX does not contain a certificate.")
        return cert
    try:
        return x509.load_der_x509_certificate(data)
    except ValueError:
        try:
            return x509.load_pem_x509_certificate(data)
        except ValueError:
            raise bad_request("The certificate data is not a valid X.509 certificate.") from None


def _cert_url(ctx: Ctx, service: str, thumb: str) -> str:
    return f"{rc.MANAGEMENT_URL}/{ctx.sub}/services/hostedservices/{service}/certificates/sha1-{thumb}"


def add_service_certificate(ctx: Ctx, service: str) -> Reply:
    """``POST …/certificates`` (``CertificateFile``: Data, CertificateFormat, Password) → 202."""
    svc = get_service(ctx.engine, ctx.sub, service)
    node = ctx.node("CertificateFile")
    fmt = v.choice(node, "CertificateFormat", ("pfx", "cer"), required=True)
    raw = v.text(node, "Data", required=True)
    assert fmt is not None and raw is not None
    try:
        data = base64.b64decode(raw.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise bad_request("The certificate Data is not a valid base64-encoded string.") from None
    cert = _load_certificate(data, fmt, v.text(node, "Password"))
    der = cert.public_bytes(serialization.Encoding.DER)
    thumb = hashlib.sha1(der).hexdigest().upper()  # noqa: S324 - the thumbprint RDFE uses
    name = svc["ServiceName"]
    key = f"{name}/{thumb}"
    if ctx.engine.store.get("svccert", ctx.sub, key, parent=name) is not None:
        raise conflict(f"A certificate with thumbprint {thumb} already exists for this hosted service.")
    data_b64 = base64.b64encode(der).decode("ascii")
    doc = {"Thumbprint": thumb, "Data": data_b64, "Created": iso(ctx.engine.clock())}
    ctx.engine.store.put("svccert", ctx.sub, key, doc, parent=name)
    op = ctx.engine.begin(ctx.sub, ctx.request_id)
    ctx.engine.finish_at(ctx.sub, op, 1.0)
    return Reply(202)


def _thumb_of(ref: str) -> str:
    algorithm, _, thumb = ref.partition("-")
    if algorithm.lower() != "sha1" or not thumb:
        raise bad_request(f"The certificate reference {ref} is invalid; expected sha1-<thumbprint>.")
    return thumb.upper()


def _service_cert(ctx: Ctx, service: str, ref: str) -> tuple[str, Node]:
    name = get_service(ctx.engine, ctx.sub, service)["ServiceName"]
    thumb = _thumb_of(ref)
    doc = ctx.engine.store.get("svccert", ctx.sub, f"{name}/{thumb}", parent=name)
    if doc is None:
        raise not_found("The certificate was not found.")
    return name, doc


def list_service_certificates(ctx: Ctx, service: str) -> Reply:
    """``GET …/certificates`` → ``Certificates/Certificate`` (Url, Thumbprint, ThumbprintAlgorithm, Data)."""
    name = get_service(ctx.engine, ctx.sub, service)["ServiceName"]
    items = [
        {
            "CertificateUrl": _cert_url(ctx, name, d["Thumbprint"]),
            "Thumbprint": d["Thumbprint"],
            "ThumbprintAlgorithm": "sha1",
            "Data": d["Data"],
        }
        for d in ctx.engine.store.list("svccert", ctx.sub, parent=name)
    ]
    return Reply(200, "Certificates", items)


def get_service_certificate(ctx: Ctx, service: str, ref: str) -> Reply:
    """``GET …/certificates/sha1-<thumbprint>`` → ``Certificate(Data)`` (as recorded)."""
    _name, doc = _service_cert(ctx, service, ref)
    return Reply(200, "Certificate", {"Data": doc["Data"]})


def delete_service_certificate(ctx: Ctx, service: str, ref: str) -> Reply:
    """``DELETE …/certificates/sha1-<thumbprint>`` → 202."""
    name, doc = _service_cert(ctx, service, ref)
    ctx.engine.store.delete("svccert", ctx.sub, f"{name}/{doc['Thumbprint']}", parent=name)
    op = ctx.engine.begin(ctx.sub, ctx.request_id)
    ctx.engine.finish_at(ctx.sub, op, 1.0)
    return Reply(202)


_EXTENSION_FIELDS = ("ProviderNameSpace", "Type", "Id", "Thumbprint", "ThumbprintAlgorithm",
                     "PublicConfiguration", "Version")  # fmt: skip


def add_extension(ctx: Ctx, service: str) -> Reply:
    """``POST …/hostedservices/<svc>/extensions`` (``Extension``) → 202; private configuration dropped."""
    name = get_service(ctx.engine, ctx.sub, service)["ServiceName"]
    node = ctx.node("Extension")
    for field in ("ProviderNameSpace", "Type", "Id"):
        v.text(node, field, required=True)
    ext_id = str(v.text(node, "Id"))
    if ctx.engine.store.get("extension", ctx.sub, f"{name}/{ext_id}", parent=name) is not None:
        raise conflict(f"An extension with the ID {ext_id} already exists for this hosted service.")
    doc = {field: v.text(node, field) for field in _EXTENSION_FIELDS if v.text(node, field)}
    doc.setdefault("Version", "*")
    doc["IsJsonExtension"] = "false"
    ctx.engine.store.put("extension", ctx.sub, f"{name}/{ext_id}", doc, parent=name)
    op = ctx.engine.begin(ctx.sub, ctx.request_id)
    ctx.engine.finish_at(ctx.sub, op, 1.0)
    return Reply(202)


def list_extensions(ctx: Ctx, service: str) -> Reply:
    """``GET …/hostedservices/<svc>/extensions`` → ``Extensions/Extension``."""
    name = get_service(ctx.engine, ctx.sub, service)["ServiceName"]
    return Reply(200, "Extensions", ctx.engine.store.list("extension", ctx.sub, parent=name))


def delete_extension(ctx: Ctx, service: str, ext_id: str) -> Reply:
    """``DELETE …/hostedservices/<svc>/extensions/<id>`` → 202."""
    name = get_service(ctx.engine, ctx.sub, service)["ServiceName"]
    docs = ctx.engine.store.list("extension", ctx.sub, parent=name)
    doc = next((d for d in docs if str(d.get("Id", "")).lower() == ext_id.lower()), None)
    if doc is None:
        raise not_found("The extension was not found.")
    ctx.engine.store.delete("extension", ctx.sub, f"{name}/{doc['Id']}", parent=name)
    op = ctx.engine.begin(ctx.sub, ctx.request_id)
    ctx.engine.finish_at(ctx.sub, op, 1.0)
    return Reply(202)


def register(router: Router) -> None:
    """Add this module's routes."""
    base = "services/hostedservices/{service}"
    router.add("POST", base + "/certificates", add_service_certificate)
    router.add("GET", base + "/certificates", list_service_certificates)
    router.add("GET", base + "/certificates/{ref}", get_service_certificate)
    router.add("DELETE", base + "/certificates/{ref}", delete_service_certificate)
    router.add("POST", base + "/extensions", add_extension)
    router.add("GET", base + "/extensions", list_extensions)
    router.add("DELETE", base + "/extensions/{ext_id}", delete_extension)
