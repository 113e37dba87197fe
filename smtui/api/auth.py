"""Management certificates: finding them, checking them, and turning them into a TLS context.

The Service Management API authenticates with mutual TLS: the client presents an
X.509 certificate (and proves possession of its private key) during the handshake.
This module resolves where the key and the certificate come from, checks that they
load and belong together, and builds the one :class:`ssl.SSLContext` a client uses.

Resolution, independently for the key and for the certificate (first match wins):

1. ``auth["keyvalue"]`` / ``auth["certvalue"]`` — PEM text;
2. ``auth["keyfile"]`` / ``auth["certfile"]`` — path to a PEM file;
3. environment ``CLIENT_AUTH_KEYFILE`` / ``CLIENT_AUTH_CERTFILE``;
4. ``priv.pem`` / ``pub.pem`` in the working directory.

Key material stays in memory. OpenSSL only loads certificate chains from paths, so
the PEM is handed over through an anonymous in-memory file (``memfd``) where the
platform has one, otherwise through a 0600 file in a private 0700 directory that is
removed as soon as OpenSSL has read it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
import shutil
import ssl
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Union

from smtui.api.errors import CertificateError

if TYPE_CHECKING:
    from cryptography import x509

ENV_KEYFILE = "CLIENT_AUTH_KEYFILE"
"""Environment variable naming the PEM private key file (used when ``auth`` gives none)."""

ENV_CERTFILE = "CLIENT_AUTH_CERTFILE"
"""Environment variable naming the PEM certificate file (used when ``auth`` gives none)."""

DEFAULT_KEYFILE = "priv.pem"
"""Key file looked for in the working directory as the last resort."""

DEFAULT_CERTFILE = "pub.pem"
"""Certificate file looked for in the working directory as the last resort."""

AuthValue = Union[str, bytes, "os.PathLike[str]"]
"""What an ``auth`` mapping may hold: PEM text/bytes for ``*value``, a path for ``*file``."""

_PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z0-9 ]+)-----\r?\n.*?-----END \1-----", re.DOTALL)
_KEY_LABELS = {b"PRIVATE KEY", b"RSA PRIVATE KEY", b"EC PRIVATE KEY", b"ENCRYPTED PRIVATE KEY"}
_CERT_LABELS = {b"CERTIFICATE", b"TRUSTED CERTIFICATE"}


@dataclass(frozen=True)
class ClientCertificate:
    """A management certificate with its private key, checked to belong together.

    Attributes:
        key_pem: The private key, PEM. Never logged, never shown (excluded from ``repr``).
        cert_pem: The certificate (optionally followed by its chain), PEM.
        key_source: Where the key came from, for messages (``"the key file /x/priv.pem"``).
        cert_source: Where the certificate came from.
        thumbprint: SHA-1 of the DER certificate, upper-case hex — what the portal shows.
    """

    key_pem: bytes = field(repr=False)
    cert_pem: bytes
    key_source: str
    cert_source: str
    thumbprint: str

    @property
    def subject(self) -> str:
        """The certificate subject, RFC 4514."""
        return _leaf(self.cert_pem).subject.rfc4514_string()

    @property
    def not_valid_after(self) -> datetime:
        """Expiry (UTC)."""
        return _leaf(self.cert_pem).not_valid_after_utc


@functools.lru_cache(maxsize=8)
def _leaf(cert_pem: bytes) -> x509.Certificate:
    """The first certificate of ``cert_pem``, parsed (on demand: the import costs ~50 ms)."""
    from cryptography import x509

    return x509.load_pem_x509_certificate(_blocks(cert_pem, _CERT_LABELS)[0])


@dataclass(frozen=True)
class _Found:
    data: bytes
    source: str


def resolve_certificate(
    auth: Mapping[str, AuthValue] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
) -> ClientCertificate:
    """Find, load and check the management key and certificate.

    Args:
        auth: Optional mapping with ``keyvalue``/``keyfile``/``certvalue``/``certfile``.
        environ: Environment to consult (defaults to ``os.environ``).
        cwd: Directory searched for ``priv.pem``/``pub.pem`` (defaults to the working directory).

    Returns:
        The checked certificate.

    Raises:
        CertificateError: Nothing was found, a file could not be read, the PEM is not a
            key/certificate, the key is encrypted, or key and certificate do not match.
            The message names every source tried and why it failed; it never contains
            key material.
    """
    env = os.environ if environ is None else environ
    base = Path.cwd() if cwd is None else Path(cwd)
    given = dict(auth or {})
    unknown = sorted(set(given) - {"keyvalue", "keyfile", "certvalue", "certfile"})
    if unknown:
        raise CertificateError(
            f"unknown auth option(s) {', '.join(unknown)}; expected keyvalue, keyfile, certvalue, certfile"
        )
    key = _find("key", given, "keyvalue", "keyfile", env, ENV_KEYFILE, base / DEFAULT_KEYFILE)
    cert = _find("certificate", given, "certvalue", "certfile", env, ENV_CERTFILE, base / DEFAULT_CERTFILE)
    return _check(key, cert)


def _find(
    what: str,
    auth: Mapping[str, AuthValue],
    value_key: str,
    file_key: str,
    env: Mapping[str, str],
    env_name: str,
    default_path: Path,
) -> _Found:
    value = auth.get(value_key)
    if value:
        data = value.encode("utf-8") if isinstance(value, str) else value
        if not isinstance(data, bytes):
            raise CertificateError(f"the {what} given as text must be PEM text, got {type(value).__name__}")
        return _Found(data, f"the {what} given as PEM text")
    path = auth.get(file_key)
    if path:
        if isinstance(path, bytes):
            path = path.decode()
        return _read(Path(path), f"the {what} file {path}", what)
    env_path = env.get(env_name)
    if env_path:
        return _read(Path(env_path), f"env {env_name}={env_path}", what)
    if default_path.exists():
        return _read(default_path, f"{default_path} (default)", what)
    raise CertificateError(
        f"no management {what} found: none given (as a file or as PEM text), {env_name} is unset, "
        f"and {default_path} does not exist"
    )


def _read(path: Path, source: str, what: str) -> _Found:
    try:
        return _Found(path.read_bytes(), source)
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise CertificateError(f"cannot read the management {what} from {source}: {reason}") from None


def _blocks(data: bytes, labels: set[bytes]) -> list[bytes]:
    return [m.group(0) for m in _PEM_BLOCK.finditer(data) if m.group(1) in labels]


def _check(key: _Found, cert: _Found) -> ClientCertificate:
    key_blocks = _blocks(key.data, _KEY_LABELS)
    if not key_blocks:
        raise CertificateError(f"the management key from {key.source} holds no PEM private key")
    if b"ENCRYPTED" in key_blocks[0].split(b"\n", 1)[0] or b"Proc-Type: 4,ENCRYPTED" in key_blocks[0]:
        raise CertificateError(
            f"the management key from {key.source} is encrypted; give an unencrypted PEM key"
        )
    cert_blocks = _blocks(cert.data, _CERT_LABELS)
    if not cert_blocks:
        raise CertificateError(f"the management certificate from {cert.source} holds no PEM certificate")
    key_pem, cert_pem = key_blocks[0] + b"\n", b"\n".join(cert_blocks) + b"\n"
    # OpenSSL loads both and checks that the key belongs to the certificate (~1 ms), as it does
    # for every TLS context; only when it refuses is the cryptography package loaded (~50 ms
    # of every start otherwise), to say precisely what is wrong.
    try:
        with _pem_paths(cert_pem, key_pem) as (cert_path, key_path):
            ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_cert_chain(cert_path, key_path)
        # The certificate's own DER (the SHA-1 of which is the thumbprint): the stdlib refuses a
        # TRUSTED CERTIFICATE block, whose DER carries trust settings after the certificate.
        der = ssl.PEM_cert_to_DER_cert(cert_blocks[0].decode("ascii"))
    except (ssl.SSLError, ValueError):
        _explain_refusal(key, key_blocks[0], cert, cert_blocks[0])
        raise CertificateError(
            f"OpenSSL refused the management certificate ({cert.source}) with key ({key.source})"
        ) from None
    return ClientCertificate(
        key_pem=key_pem,
        cert_pem=cert_pem,
        key_source=key.source,
        cert_source=cert.source,
        thumbprint=hashlib.sha1(der).hexdigest().upper(),
    )


def _explain_refusal(key: _Found, key_block: bytes, cert: _Found, cert_block: bytes) -> None:
    """Raise the precise :class:`CertificateError` for a key/certificate pair OpenSSL refused."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    try:
        # Skipping RSA's consistency check (100+ ms) is safe here: the key is the user's own
        # file and Python never signs with it; the match with the certificate is checked below.
        private_key = serialization.load_pem_private_key(
            key_block, password=None, unsafe_skip_rsa_key_validation=True
        )
    except (ValueError, TypeError) as exc:
        raise CertificateError(f"the management key from {key.source} cannot be loaded: {exc}") from None
    try:
        leaf = x509.load_pem_x509_certificate(cert_block)
    except ValueError as exc:
        raise CertificateError(
            f"the management certificate from {cert.source} cannot be loaded: {exc}"
        ) from None
    spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if private_key.public_key().public_bytes(*spki) != leaf.public_key().public_bytes(*spki):
        raise CertificateError(
            f"the management key from {key.source} does not match the certificate from {cert.source} "
            f"(subject {leaf.subject.rfc4514_string()})"
        )


def build_ssl_context(
    certificate: ClientCertificate,
    *,
    verify: bool | str = True,
    ca_bundle: str | os.PathLike[str] | None = None,
) -> ssl.SSLContext:
    """Build the TLS context presenting ``certificate`` and verifying the server.

    Args:
        certificate: The management certificate and key.
        verify: ``True`` to verify the server against the system store (or ``ca_bundle``),
            ``False`` to skip verification (test endpoints only), or a path to a CA bundle.
        ca_bundle: A PEM bundle of CAs to trust instead of the system store.

    Returns:
        A client-side context, TLS 1.2 or newer.

    Raises:
        CertificateError: OpenSSL refused the key/certificate or the CA bundle.
    """
    cafile = ca_bundle if ca_bundle is not None else (verify if isinstance(verify, str) else None)
    try:
        ctx = ssl.create_default_context(
            ssl.Purpose.SERVER_AUTH, cafile=os.fspath(cafile) if cafile else None
        )
    except (OSError, ssl.SSLError) as exc:
        raise CertificateError(f"cannot load the CA bundle {cafile}: {exc}") from None
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    if verify is False:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    try:
        with _pem_paths(certificate.cert_pem, certificate.key_pem) as (cert_path, key_path):
            ctx.load_cert_chain(cert_path, key_path)
    except ssl.SSLError as exc:
        raise CertificateError(
            f"OpenSSL refused the management certificate ({certificate.cert_source}) "
            f"with key ({certificate.key_source}): {getattr(exc, 'reason', None) or exc}"
        ) from None
    return ctx


def _memfd_available() -> bool:
    return hasattr(os, "memfd_create") and Path("/proc/self/fd").is_dir()


@contextlib.contextmanager
def _pem_paths(cert_pem: bytes, key_pem: bytes) -> Iterator[tuple[str, str]]:
    """Yield two paths OpenSSL can read the PEMs from, gone when the block ends."""
    if _memfd_available():
        fds: list[int] = []
        try:
            for name, data in (("smtui-cert", cert_pem), ("smtui-key", key_pem)):
                fd = os.memfd_create(name, os.MFD_CLOEXEC)
                fds.append(fd)
                os.write(fd, data)
                os.lseek(fd, 0, os.SEEK_SET)
            yield f"/proc/self/fd/{fds[0]}", f"/proc/self/fd/{fds[1]}"
        finally:
            for fd in fds:
                os.close(fd)
        return
    private_dir = tempfile.mkdtemp(prefix="smtui-tls-")  # created 0700
    try:
        paths = []
        for name, data in (("cert.pem", cert_pem), ("key.pem", key_pem)):
            path = os.path.join(private_dir, name)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            paths.append(path)
        yield paths[0], paths[1]
    finally:
        shutil.rmtree(private_dir, ignore_errors=True)
