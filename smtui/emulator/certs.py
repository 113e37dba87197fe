"""Certificates of the emulator: a local CA, the HTTPS server certificate and management certificates.

Everything is generated with ``cryptography`` on first start and cached in ``<data-dir>/certs``
so later starts are quick. Management certificates are self-signed, as the ones the Azure
portal generated were; the server authorizes them per request, not at the TLS layer.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

_VALIDITY = dt.timedelta(days=3650)


@dataclass(frozen=True)
class KeyPair:
    """Paths of a PEM certificate and its PEM private key."""

    cert: Path
    key: Path


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` readable by the owner only (0600 from creation on)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def private_dir(directory: Path) -> None:
    """Create ``directory`` (if needed) and restrict it to the owner (0700): it holds private keys."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(directory, 0o700)


def _write_public(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _key_pem(key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)


def ensure_ca(directory: Path) -> KeyPair:
    """Create the emulator's CA in ``directory`` unless it exists."""
    private_dir(directory)
    pair = KeyPair(directory / "ca.pem", directory / "ca.key")
    if pair.cert.exists() and pair.key.exists():
        return pair
    key = ec.generate_private_key(ec.SECP256R1())
    subject = _name("smtui emulator local CA")
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_now())
        .not_valid_after(_now() + _VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    write_private(pair.key, _key_pem(key))
    _write_public(pair.cert, cert.public_bytes(serialization.Encoding.PEM))
    return pair


def ensure_server_cert(directory: Path, ca: KeyPair) -> KeyPair:
    """Create the HTTPS server certificate (127.0.0.1, ::1, localhost) signed by the CA."""
    private_dir(directory)
    pair = KeyPair(directory / "server.pem", directory / "server.key")
    if pair.cert.exists() and pair.key.exists():
        return pair
    ca_key = serialization.load_pem_private_key(ca.key.read_bytes(), None)
    ca_cert = x509.load_pem_x509_certificate(ca.cert.read_bytes())
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
    key = ec.generate_private_key(ec.SECP256R1())
    san = x509.SubjectAlternativeName(
        [
            x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
            x509.IPAddress(ipaddress.ip_address("::1")),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_now())
        .not_valid_after(_now() + _VALIDITY)
        .add_extension(san, critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    write_private(pair.key, _key_pem(key))
    _write_public(pair.cert, cert.public_bytes(serialization.Encoding.PEM))
    return pair


def ensure_management_cert(directory: Path, stem: str, common_name: str) -> KeyPair:
    """Create a self-signed RSA management certificate ``<stem>.pem``/``<stem>.key``."""
    private_dir(directory)
    pair = KeyPair(directory / f"{stem}.pem", directory / f"{stem}.key")
    if pair.cert.exists() and pair.key.exists():
        return pair
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = _name(common_name)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_now())
        .not_valid_after(_now() + _VALIDITY)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    write_private(pair.key, _key_pem(key))
    _write_public(pair.cert, cert.public_bytes(serialization.Encoding.PEM))
    return pair


def thumbprint(der: bytes) -> str:
    """The SHA-1 thumbprint Azure uses to name a certificate (40 uppercase hex)."""
    return hashlib.sha1(der).hexdigest().upper()


def pem_to_der(pem: bytes) -> bytes:
    """The DER bytes of the first certificate in ``pem``."""
    return x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)


def der_to_pem(der: bytes) -> bytes:
    """PEM text of a DER certificate."""
    return x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM)


def pkcs12_base64(pair: KeyPair) -> str:
    """Base64 of a PKCS#12 bundle (empty password) holding the certificate and key, as publishsettings carry.

    Kept beside the key (0600, it holds the key too) for the next start: the export costs
    ~45 ms of CPU that the embedded emulator would spend while serving the console's first
    request. The cache names the SHA-256 of the PEMs it was made from, so a new pair remakes it.
    """  # noqa: E501
    cert_pem, key_pem = pair.cert.read_bytes(), pair.key.read_bytes()
    digest = hashlib.sha256(cert_pem + key_pem).hexdigest()
    cache = pair.key.with_name(pair.key.stem + ".p12.b64")
    try:
        made_from, _, blob = cache.read_text(encoding="ascii").partition("\n")
    except (OSError, ValueError):
        made_from, blob = "", ""
    if made_from == digest and blob:
        return blob
    key = serialization.load_pem_private_key(key_pem, None)
    cert = x509.load_pem_x509_certificate(cert_pem)
    assert isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey)
    exported = pkcs12.serialize_key_and_certificates(
        b"smtui emulator management certificate", key, cert, None, serialization.NoEncryption()
    )
    blob = base64.b64encode(exported).decode("ascii")
    write_private(cache, f"{digest}\n{blob}".encode("ascii"))
    return blob


def write_publishsettings(path: Path, entries: list[tuple[str, str, KeyPair]], url: str) -> None:
    """Write a schema 2.0 ``.publishsettings`` for ``(subscription id, name, cert)`` entries (0600)."""
    from lxml import etree

    root = etree.Element("PublishData")
    profile = etree.SubElement(
        root, "PublishProfile", SchemaVersion="2.0", PublishMethod="AzureServiceManagementAPI"
    )
    for sub_id, name, pair in entries:
        etree.SubElement(
            profile,
            "Subscription",
            ServiceManagementUrl=url,
            Id=sub_id,
            Name=name,
            ManagementCertificate=pkcs12_base64(pair),
        )
    data = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    write_private(path, data)
