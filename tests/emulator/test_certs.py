"""Client-certificate authentication, generated files and the publishsettings."""

from __future__ import annotations

import base64
import datetime as dt
import os
import re
import ssl
import stat
from pathlib import Path
from typing import Any

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from smtui.api.xml import parse_xml
from tests.emulator import wire

FORBIDDEN = (
    "The server failed to authenticate the request. Verify that the certificate is valid and is "
    "associated with this subscription."
)


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "stranger")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1)).sign(key, hashes.SHA256())
    )  # fmt: skip
    cert_path, key_path = directory / "stranger.pem", directory / "stranger.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_path, key_path


def test_certificate_of_another_subscription_gets_403(emulator: Any) -> None:
    with wire.client(emulator, cert=emulator.foreign_cert, key=emulator.foreign_key) as c:
        r = c.get("/services/hostedservices")
        assert r.status_code == 403
        assert wire.error(r) == ("ForbiddenError", FORBIDDEN)
        # checked on every request of the connection, for every path
        assert c.post("/services/hostedservices", content=b"<x/>").status_code == 403
    with wire.client(
        emulator, sub=emulator.foreign_subscription_id, cert=emulator.foreign_cert, key=emulator.foreign_key
    ) as c:
        assert c.get("/services/hostedservices").status_code == 200
    with wire.client(emulator, sub=emulator.foreign_subscription_id) as c:
        assert c.get("/services/hostedservices").status_code == 403


def test_unknown_subscription_gets_403(emulator: Any) -> None:
    with wire.client(emulator, sub="11111111-2222-3333-4444-555555555555") as c:
        assert wire.error(c.get("/services/hostedservices"))[0] == "ForbiddenError"


def test_unknown_certificate_passes_tls_and_gets_403(emulator: Any, tmp_path: Path) -> None:
    # RDFE took any client certificate at the TLS layer and answered 403 per request; it used to be a
    # handshake failure here, which no client of the real service ever saw.
    cert, key = _self_signed(tmp_path)
    with wire.client(emulator, cert=cert, key=key) as c:
        r = c.get("/services/hostedservices")
        assert r.status_code == 403
        assert wire.error(r) == ("ForbiddenError", FORBIDDEN)
        assert re.fullmatch(r"[0-9a-f]{32}", r.headers["x-ms-request-id"])
    no_cert = ssl.create_default_context(cafile=str(emulator.ca_file))
    with httpx.Client(verify=no_cert) as c:
        r = c.get(
            f"{emulator.base_url}/{emulator.subscription_id}/services/hostedservices",
            headers={"x-ms-version": "2014-10-01"},
        )
        assert r.status_code == 403
        assert wire.error(r) == ("ForbiddenError", FORBIDDEN)


def test_uploaded_management_certificate_is_accepted_then_revoked(
    emulator_factory: Any, tmp_path: Path
) -> None:
    emu = emulator_factory()
    cert, key = _self_signed(tmp_path)
    der = x509.load_pem_x509_certificate(cert.read_bytes()).public_bytes(serialization.Encoding.DER)
    body = (
        '<SubscriptionCertificate xmlns="http://schemas.microsoft.com/windowsazure">'
        f"<SubscriptionCertificateData>{base64.b64encode(der).decode()}</SubscriptionCertificateData>"
        "</SubscriptionCertificate>"
    )
    with wire.client(emu) as c:
        r = c.post("/certificates", content=body, headers={"Content-Type": wire.XML})
        assert r.status_code == 201, r.text
        thumb = r.headers["location"].rsplit("/", 1)[1]
        listed = [
            e.text
            for e in wire.xml(c.get("/certificates")).iter(wire.NS + "SubscriptionCertificateThumbprint")
        ]
        assert thumb in listed and len(listed) == 2
    with wire.client(emu, cert=cert, key=key) as c:
        assert c.get("/services/hostedservices").status_code == 200
        assert c.delete(f"/certificates/{thumb}").status_code == 200
        assert c.get("/services/hostedservices").status_code == 403


def test_generated_files_keys_0600_and_publishsettings(emulator: Any) -> None:
    for key in (
        emulator.client_key,
        emulator.foreign_key,
        emulator.cert_dir / "server.key",
        emulator.cert_dir / "ca.key",
    ):
        assert stat.S_IMODE(os.stat(key).st_mode) == 0o600, key
    assert stat.S_IMODE(os.stat(emulator.publishsettings).st_mode) == 0o600
    root = parse_xml(emulator.publishsettings.read_bytes())
    profile = root.find("PublishProfile")
    assert profile is not None and profile.get("SchemaVersion") == "2.0"
    sub = profile.find("Subscription")
    assert sub is not None
    assert sub.get("Id") == emulator.subscription_id
    assert sub.get("ServiceManagementUrl") == emulator.base_url
    key, cert, _ = pkcs12.load_key_and_certificates(
        base64.b64decode(sub.get("ManagementCertificate") or ""), b""
    )
    assert cert is not None and key is not None
    assert cert.public_bytes(serialization.Encoding.PEM) == emulator.client_cert.read_bytes()


def test_restart_reuses_certificates_and_state(emulator_factory: Any, tmp_path: Path) -> None:
    # How long the restart takes is measured by bench/startup.py, not here.
    data = tmp_path / "restart"
    first = emulator_factory(data_dir=data, seed="demo")
    sub, pem = first.subscription_id, first.client_cert.read_bytes()
    first.stop()
    second = emulator_factory(data_dir=data, seed="demo")
    assert second.subscription_id == sub and second.client_cert.read_bytes() == pem
    with wire.client(second) as c:
        assert c.get("/services/hostedservices/contoso-web").status_code == 200


def test_certificate_directory_holding_keys_is_0700(emulator: Any, tmp_path: Path) -> None:
    from smtui.emulator import certs

    assert stat.S_IMODE(os.stat(emulator.cert_dir).st_mode) == 0o700
    fresh = tmp_path / "fresh" / "certs"
    certs.ensure_ca(fresh)
    assert stat.S_IMODE(os.stat(fresh).st_mode) == 0o700


def test_the_publishsettings_bundle_is_made_once_per_key_and_kept_private(
    tmp_path: Path, emulator_certs: Path, monkeypatch: Any
) -> None:
    """The PKCS#12 export (~45 ms) is kept for the next start, 0600, and remade for a new pair."""
    import shutil

    from smtui.emulator import certs

    directory = tmp_path / "certs"
    shutil.copytree(emulator_certs, directory)
    pair = certs.KeyPair(directory / "management.pem", directory / "management.key")
    first = certs.pkcs12_base64(pair)
    cache = directory / "management.p12.b64"
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600

    exported: list[object] = []
    real = pkcs12.serialize_key_and_certificates
    monkeypatch.setattr(pkcs12, "serialize_key_and_certificates", lambda *a: exported.append(a) or real(*a))
    assert certs.pkcs12_base64(pair) == first and not exported  # the next start reads it back

    other = certs.ensure_management_cert(tmp_path / "other", "management", "another certificate")
    shutil.copy(other.cert, pair.cert)
    shutil.copy(other.key, pair.key)
    remade = certs.pkcs12_base64(pair)
    assert exported and remade != first
    _key, cert, _ = pkcs12.load_key_and_certificates(base64.b64decode(remade), None)
    assert cert is not None and cert.subject.rfc4514_string() == "CN=another certificate"
