"""Management-certificate resolution and loading, one rule at a time (trustme certificates)."""

from __future__ import annotations

import os
import ssl
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import trustme
from cryptography.hazmat.primitives import hashes, serialization

from smtui.api import auth as auth_module
from smtui.api.auth import build_ssl_context, resolve_certificate
from smtui.api.errors import CertificateError

from .conftest import CertFiles

EMPTY_ENV: dict[str, str] = {}


@pytest.fixture
def other(ca: trustme.CA) -> trustme.LeafCert:
    return ca.issue_cert("someone-else@example.invalid")


def _pems(leaf: trustme.LeafCert) -> tuple[str, str]:
    return leaf.private_key_pem.bytes().decode(), leaf.cert_chain_pems[0].bytes().decode()


def test_values_are_used_and_beat_files(cert_files: CertFiles, tmp_path: Path) -> None:
    missing = str(tmp_path / "does-not-exist.pem")
    cert = resolve_certificate(
        {
            "keyvalue": cert_files.key_pem,
            "keyfile": missing,
            "certvalue": cert_files.cert_pem,
            "certfile": missing,
        },
        environ=EMPTY_ENV,
        cwd=tmp_path,
    )
    assert cert.key_source == "the key given as PEM text"
    assert cert.cert_source == "the certificate given as PEM text"
    assert cert.cert_pem.strip() == cert_files.cert_pem.encode().strip()


def test_value_beats_file_even_when_the_file_holds_another_valid_pair(
    cert_files: CertFiles, other: trustme.LeafCert, tmp_path: Path
) -> None:
    other_key, other_cert = _pems(other)
    (tmp_path / "k.pem").write_text(other_key)
    (tmp_path / "c.pem").write_text(other_cert)
    cert = resolve_certificate(
        {
            "keyvalue": cert_files.key_pem,
            "keyfile": str(tmp_path / "k.pem"),
            "certvalue": cert_files.cert_pem,
            "certfile": str(tmp_path / "c.pem"),
        },
        environ=EMPTY_ENV,
    )
    assert cert.cert_pem.strip() == cert_files.cert_pem.encode().strip()


def test_files_are_used_when_no_values(cert_files: CertFiles, tmp_path: Path) -> None:
    cert = resolve_certificate(
        {"keyfile": str(cert_files.key), "certfile": str(cert_files.cert)}, environ=EMPTY_ENV, cwd=tmp_path
    )
    assert cert.key_source == f"the key file {cert_files.key}"
    assert len(cert.thumbprint) == 40 and cert.thumbprint == cert.thumbprint.upper()


def test_environment_is_the_fallback(cert_files: CertFiles, tmp_path: Path) -> None:
    env = {"CLIENT_AUTH_KEYFILE": str(cert_files.key), "CLIENT_AUTH_CERTFILE": str(cert_files.cert)}
    cert = resolve_certificate(None, environ=env, cwd=tmp_path)
    assert cert.key_source.startswith("env CLIENT_AUTH_KEYFILE=")
    assert cert.cert_source.startswith("env CLIENT_AUTH_CERTFILE=")


def test_auth_beats_environment(cert_files: CertFiles, tmp_path: Path) -> None:
    env = {"CLIENT_AUTH_KEYFILE": str(tmp_path / "nope"), "CLIENT_AUTH_CERTFILE": str(tmp_path / "nope")}
    cert = resolve_certificate(
        {"keyvalue": cert_files.key_pem, "certvalue": cert_files.cert_pem}, environ=env
    )
    assert cert.key_source == "the key given as PEM text"


def test_working_directory_is_the_last_resort(cert_files: CertFiles, tmp_path: Path) -> None:
    (tmp_path / "priv.pem").write_text(cert_files.key_pem)
    (tmp_path / "pub.pem").write_text(cert_files.cert_pem)
    cert = resolve_certificate(None, environ=EMPTY_ENV, cwd=tmp_path)
    assert cert.key_source == f"{tmp_path / 'priv.pem'} (default)"
    assert cert.cert_source == f"{tmp_path / 'pub.pem'} (default)"


def test_working_directory_default_is_the_process_cwd(
    cert_files: CertFiles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "priv.pem").write_text(cert_files.key_pem)
    (tmp_path / "pub.pem").write_text(cert_files.cert_pem)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CLIENT_AUTH_KEYFILE", raising=False)
    monkeypatch.delenv("CLIENT_AUTH_CERTFILE", raising=False)
    assert resolve_certificate().key_source.endswith("priv.pem (default)")


def test_nothing_found_names_everything_tried(tmp_path: Path) -> None:
    with pytest.raises(CertificateError) as caught:
        resolve_certificate(None, environ=EMPTY_ENV, cwd=tmp_path)
    message = str(caught.value)
    for part in ("none given", "CLIENT_AUTH_KEYFILE", "priv.pem", "does not exist"):
        assert part in message


def test_mismatched_key_and_certificate(cert_files: CertFiles, other: trustme.LeafCert) -> None:
    other_key, _ = _pems(other)
    with pytest.raises(CertificateError, match="does not match") as caught:
        resolve_certificate({"keyvalue": other_key, "certfile": str(cert_files.cert)}, environ=EMPTY_ENV)
    assert str(cert_files.cert) in str(caught.value)
    assert "BEGIN" not in str(caught.value)


def test_missing_file_is_named(cert_files: CertFiles, tmp_path: Path) -> None:
    missing = tmp_path / "gone" / "priv.pem"
    with pytest.raises(CertificateError) as caught:
        resolve_certificate({"keyfile": str(missing), "certfile": str(cert_files.cert)}, environ=EMPTY_ENV)
    assert str(missing) in str(caught.value)
    assert "No such file" in str(caught.value)


def test_unreadable_file_is_named(cert_files: CertFiles, tmp_path: Path) -> None:
    # A directory cannot be read as a file, even by root (chmod 000 would not stop root).
    unreadable = tmp_path / "cert-dir.pem"
    unreadable.mkdir()
    with pytest.raises(CertificateError) as caught:
        resolve_certificate({"keyfile": str(cert_files.key), "certfile": str(unreadable)}, environ=EMPTY_ENV)
    assert str(unreadable) in str(caught.value)
    assert "certificate" in str(caught.value)


def test_environment_file_missing_names_the_variable(tmp_path: Path, cert_files: CertFiles) -> None:
    env = {"CLIENT_AUTH_KEYFILE": str(tmp_path / "absent.pem"), "CLIENT_AUTH_CERTFILE": str(cert_files.cert)}
    with pytest.raises(CertificateError, match="CLIENT_AUTH_KEYFILE"):
        resolve_certificate(None, environ=env, cwd=tmp_path)


def test_not_a_key(cert_files: CertFiles) -> None:
    with pytest.raises(CertificateError, match="no PEM private key"):
        resolve_certificate(
            {"keyvalue": cert_files.cert_pem, "certvalue": cert_files.cert_pem}, environ=EMPTY_ENV
        )


def test_corrupt_key_does_not_leak_its_text(cert_files: CertFiles) -> None:
    lines = cert_files.key_pem.splitlines()
    corrupt = "\n".join([lines[0], "SECRETSECRETSECRET" + lines[1][18:], *lines[2:]])
    with pytest.raises(CertificateError) as caught:
        resolve_certificate({"keyvalue": corrupt, "certvalue": cert_files.cert_pem}, environ=EMPTY_ENV)
    assert "SECRET" not in str(caught.value)
    assert "the key given as PEM text" in str(caught.value)
    assert "auth[" not in str(caught.value)


def test_encrypted_key_is_refused(client_identity: trustme.LeafCert, cert_files: CertFiles) -> None:
    key = serialization.load_pem_private_key(client_identity.private_key_pem.bytes(), password=None)
    encrypted = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"pw"),
    ).decode()
    with pytest.raises(CertificateError, match="encrypted"):
        resolve_certificate({"keyvalue": encrypted, "certvalue": cert_files.cert_pem}, environ=EMPTY_ENV)


def test_unknown_auth_key_is_refused(cert_files: CertFiles) -> None:
    with pytest.raises(CertificateError, match="keyfle"):
        resolve_certificate({"keyfle": str(cert_files.key)}, environ=EMPTY_ENV)


def test_combined_pem_file_serves_as_key_and_certificate(cert_files: CertFiles, tmp_path: Path) -> None:
    combined = tmp_path / "combined.pem"
    combined.write_text(cert_files.key_pem + cert_files.cert_pem)
    cert = resolve_certificate({"keyfile": str(combined), "certfile": str(combined)}, environ=EMPTY_ENV)
    assert cert.cert_pem.count(b"BEGIN CERTIFICATE") == 1
    assert b"PRIVATE KEY" not in cert.cert_pem


def test_repr_never_shows_the_key(cert_files: CertFiles) -> None:
    cert = resolve_certificate(
        {"keyfile": str(cert_files.key), "certfile": str(cert_files.cert)}, environ=EMPTY_ENV
    )
    assert "PRIVATE" not in repr(cert)


def test_ssl_context_presents_the_certificate(cert_files: CertFiles) -> None:
    cert = resolve_certificate(
        {"keyfile": str(cert_files.key), "certfile": str(cert_files.cert)}, environ=EMPTY_ENV
    )
    ctx = build_ssl_context(cert, ca_bundle=str(cert_files.ca))
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname
    assert ctx.minimum_version >= ssl.TLSVersion.TLSv1_2
    unverified = build_ssl_context(cert, verify=False)
    assert unverified.verify_mode == ssl.CERT_NONE


def test_bad_ca_bundle_is_a_certificate_error(cert_files: CertFiles, tmp_path: Path) -> None:
    cert = resolve_certificate(
        {"keyfile": str(cert_files.key), "certfile": str(cert_files.cert)}, environ=EMPTY_ENV
    )
    with pytest.raises(CertificateError, match="CA bundle"):
        build_ssl_context(cert, ca_bundle=str(tmp_path / "none.pem"))


def _entries(path: Path) -> set[str]:
    return {str(p) for p in path.rglob("*")}


def test_in_memory_pem_leaves_no_file(
    cert_files: CertFiles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    cert = resolve_certificate(
        {"keyvalue": cert_files.key_pem, "certvalue": cert_files.cert_pem}, environ=EMPTY_ENV
    )
    build_ssl_context(cert, ca_bundle=str(cert_files.ca))
    assert _entries(tmp_path) == set()


def test_temporary_file_fallback_is_private_and_removed(
    cert_files: CertFiles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where memfd is unavailable the PEM goes through a 0600 file in a 0700 dir, removed at once."""
    monkeypatch.setattr(auth_module, "_memfd_available", lambda: False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    observed: list[tuple[int, int, int]] = []
    real = ssl.SSLContext.load_cert_chain

    def spy(self: ssl.SSLContext, certfile: str, keyfile: str | None = None, password: object = None) -> None:
        assert keyfile is not None
        observed.append(
            (
                stat.S_IMODE(os.stat(os.path.dirname(keyfile)).st_mode),
                stat.S_IMODE(os.stat(keyfile).st_mode),
                stat.S_IMODE(os.stat(certfile).st_mode),
            )
        )
        real(self, certfile, keyfile)

    monkeypatch.setattr(ssl.SSLContext, "load_cert_chain", spy)
    cert = resolve_certificate(
        {"keyvalue": cert_files.key_pem, "certvalue": cert_files.cert_pem}, environ=EMPTY_ENV
    )
    build_ssl_context(cert, ca_bundle=str(cert_files.ca))
    # Twice: resolve_certificate has OpenSSL check that key and certificate belong together.
    assert observed == [(0o700, 0o600, 0o600)] * 2
    assert _entries(tmp_path) == set()


def test_temporary_file_is_removed_even_when_openssl_fails(
    cert_files: CertFiles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth_module, "_memfd_available", lambda: False)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def refuse(
        self: ssl.SSLContext, certfile: str, keyfile: str | None = None, password: object = None
    ) -> None:
        raise ssl.SSLError("simulated refusal")

    cert = resolve_certificate(
        {"keyvalue": cert_files.key_pem, "certvalue": cert_files.cert_pem}, environ=EMPTY_ENV
    )
    monkeypatch.setattr(ssl.SSLContext, "load_cert_chain", refuse)
    with pytest.raises(CertificateError, match="OpenSSL refused"):
        build_ssl_context(cert)
    assert _entries(tmp_path) == set()
    # resolve_certificate has OpenSSL load the pair too: a refusal there is reported the same way.
    with pytest.raises(CertificateError, match="OpenSSL refused"):
        resolve_certificate(
            {"keyvalue": cert_files.key_pem, "certvalue": cert_files.cert_pem}, environ=EMPTY_ENV
        )
    assert _entries(tmp_path) == set()


def test_a_good_pair_is_checked_without_loading_cryptography(cert_files: CertFiles) -> None:
    """The check every start makes is OpenSSL's; cryptography (~50 ms to import) only explains a
    refusal. Thumbprint, subject and expiry are still those of the certificate."""
    from cryptography import x509

    files = {"keyfile": str(cert_files.key), "certfile": str(cert_files.cert)}
    code = (
        "import sys; from smtui.api.auth import resolve_certificate; "
        f"c = resolve_certificate({files!r}, environ={{}}); "
        "print(c.thumbprint, 'cryptography' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    leaf = x509.load_pem_x509_certificate(cert_files.cert.read_bytes())
    assert out == [leaf.fingerprint(hashes.SHA1()).hex().upper(), "False"]
    cert = resolve_certificate(
        {"keyfile": str(cert_files.key), "certfile": str(cert_files.cert)}, environ=EMPTY_ENV
    )
    assert cert.subject == leaf.subject.rfc4514_string()
    assert cert.not_valid_after == leaf.not_valid_after_utc


def test_a_trusted_certificate_block_is_refused_not_given_a_wrong_thumbprint(cert_files: CertFiles) -> None:
    # OpenSSL accepts "TRUSTED CERTIFICATE" (the DER then carries trust settings after the
    # certificate). The thumbprint is the SHA-1 of the certificate alone, so such a file was
    # refused as "cannot be loaded"; taking the DER from the block as it is gave a thumbprint that
    # no portal shows, and a subject that raised when first asked.
    plain = ssl.PEM_cert_to_DER_cert(cert_files.cert_pem)
    trusted = ssl.DER_cert_to_PEM_cert(plain + b"\x30\x00").replace("CERTIFICATE", "TRUSTED CERTIFICATE")
    with pytest.raises(CertificateError, match="cannot be loaded"):
        resolve_certificate({"keyvalue": cert_files.key_pem, "certvalue": trusted}, environ=EMPTY_ENV)
