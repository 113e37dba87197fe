"""Importing .publishsettings files (schema 1.0 and 2.0) into profiles and 0600 PEM files."""

from __future__ import annotations

import base64
import json
import shutil
import stat
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from smtui_profile_support import (
    MemoryKeyring,
    make_cert,
    make_key,
    make_pfx_b64,
    publishsettings_v1,
    publishsettings_v2,
)

from smtui.api.errors import UnsafeXmlError
from smtui.profiles import get_profile, import_publishsettings, list_profiles, parse_publishsettings
from smtui.profiles.errors import PublishSettingsError
from smtui.profiles.publishsettings import convert_management_certificate
from smtui.profiles.store import config_file
from tests.reference import EXAMPLES, RECORDINGS

SAMPLES = RECORDINGS / "publishsettings"
needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared recordings not available")


def _assert_private_pem_pair(cert_path: Path, key_path: Path, expected: x509.Certificate) -> None:
    for path in (cert_path, key_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(cert_path.parent.stat().st_mode) == 0o700
    cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
    assert cert == expected
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    assert key.public_key().public_bytes(serialization.Encoding.DER, spki) == cert.public_key().public_bytes(
        serialization.Encoding.DER, spki
    )


@needs_samples
@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*")), ids=lambda p: p.name)
def test_every_recorded_sample_parses(sample: Path) -> None:
    settings = parse_publishsettings(sample.read_bytes())

    text = sample.read_text()
    assert settings.schema_version == ("2.0" if 'SchemaVersion="2.0"' in text else "1.0")
    assert len(settings.subscriptions) == text.count("<Subscription")
    for sub in settings.subscriptions:
        assert sub.id and sub.name and sub.host
        assert sub.management_certificate == "REDACTED-MANAGEMENT-CERTIFICATE"


@needs_samples
def test_recorded_samples_give_ids_names_and_hosts() -> None:
    v1 = parse_publishsettings((SAMPLES / "azure-sdk-for-ruby__azure.publishsettings").read_bytes())
    v2 = parse_publishsettings(
        (SAMPLES / "azure-sdk-for-ruby__azure_new_format.publishsettings").read_bytes())

    assert [(s.id, s.name, s.host) for s in v1.subscriptions] == [
        ("test-id-3", "Ruby Tests", "management.core.windows.net"),
        ("test-id-4", "Java Tests", "management.core.windows.net"),
    ]
    assert [(s.id, s.host) for s in v2.subscriptions] == [
        ("test-id-1", "test-id-1.core.windows.net"), ("test-id-2", "test-id-2.core.windows.net")]


@needs_samples
def test_redacted_certificate_is_refused_and_nothing_is_written(memory_keyring: MemoryKeyring,
                                                               smtui_dirs: dict[str, Path]) -> None:
    with pytest.raises(PublishSettingsError, match="not base64") as info:
        import_publishsettings(SAMPLES / "azure-xplat-cli__account-credentials2.publishSettings")

    assert "REDACTED" not in str(info.value)
    assert list_profiles() == []
    assert not (smtui_dirs["config"] / "certs").exists()
    assert memory_keyring.entries == {}


@pytest.mark.parametrize("example", ["publishsettings.v1.xml", "publishsettings.v2.xml"])
def test_spec_examples_parse(example: str) -> None:
    path = EXAMPLES / example
    if not path.exists():
        pytest.skip("shared examples not available")
    settings = parse_publishsettings(path.read_bytes())
    assert settings.schema_version == example.split(".")[1][1] + ".0"
    assert settings.subscriptions[0].name == "Pay-As-You-Go"


def test_import_v1_one_certificate_for_every_subscription(memory_keyring: MemoryKeyring,
                                                         smtui_dirs: dict[str, Path]) -> None:
    pfx, cert = make_pfx_b64("v1 cert")
    data = publishsettings_v1(pfx, [("sub-a", "Pay-As-You-Go"), ("sub-b", "Dev/Test")])

    result = import_publishsettings(data)

    assert result.schema_version == "1.0"
    assert result.created == ["pay-as-you-go", "dev-test"]
    assert len(result.files) == 2  # one shared certificate/key pair
    a, b = (get_profile(name) for name in result.created)
    assert (a.subscription_id, a.host, a.subscription_name) == ("sub-a", "management.core.windows.net",
                                                                "Pay-As-You-Go")
    assert a.cert_path == b.cert_path and a.key_path == b.key_path
    assert a.cert_path is not None and a.key_path is not None
    _assert_private_pem_pair(Path(a.cert_path), Path(a.key_path), cert)
    assert Path(a.cert_path).parent == smtui_dirs["config"] / "certs"
    assert stat.S_IMODE(smtui_dirs["config"].stat().st_mode) == 0o700
    config = config_file().read_text()
    assert a.cert_path not in config and a.key_path not in config and "PRIVATE" not in config
    stored = {json.loads(v)["cert"] for v in memory_keyring.entries.values()}
    assert stored == {a.cert_path}


def test_import_v2_certificate_and_endpoint_per_subscription(memory_keyring: MemoryKeyring) -> None:
    pfx1, cert1 = make_pfx_b64("first", key_index=0)
    pfx2, cert2 = make_pfx_b64("second", key_index=1)
    data = publishsettings_v2([
        ("sub-1", "One", "https://one.example.net", pfx1),
        ("sub-2", "Two", "https://127.0.0.1:8443", pfx2),
    ])

    result = import_publishsettings(data, ca_file="/ca.pem", read_only=True)

    assert result.schema_version == "2.0"
    one, two = (get_profile(name) for name in ("one", "two"))
    assert (one.host, two.host) == ("one.example.net", "127.0.0.1:8443")
    assert two.read_only and two.ca_file == "/ca.pem"
    assert one.cert_path != two.cert_path
    assert one.cert_path and one.key_path and two.cert_path and two.key_path
    _assert_private_pem_pair(Path(one.cert_path), Path(one.key_path), cert1)
    _assert_private_pem_pair(Path(two.cert_path), Path(two.key_path), cert2)


def test_import_only_selected_subscriptions(memory_keyring: MemoryKeyring) -> None:
    pfx, _ = make_pfx_b64()
    data = publishsettings_v1(pfx, [("sub-a", "A"), ("SUB-B", "B")])

    result = import_publishsettings(data, subscription_ids=["sub-b"])

    assert result.created == ["b"]
    with pytest.raises(PublishSettingsError, match="not in the file: nope"):
        import_publishsettings(data, subscription_ids=["nope"])


def test_reimport_updates_same_subscription_and_suffixes_a_clash(memory_keyring: MemoryKeyring) -> None:
    pfx, _ = make_pfx_b64("old")
    import_publishsettings(publishsettings_v1(pfx, [("sub-a", "Account")]))
    new_pfx, new_cert = make_pfx_b64("new", key_index=1)

    again = import_publishsettings(publishsettings_v1(new_pfx, [("sub-a", "Account"), ("sub-z", "Account")]))

    assert again.updated == ["account"]
    assert again.created == ["account-2"]
    refreshed = get_profile("account")
    assert refreshed.cert_path is not None
    assert x509.load_pem_x509_certificate(Path(refreshed.cert_path).read_bytes()) == new_cert
    assert get_profile("account-2").subscription_id == "sub-z"


def test_openssl_made_pfx_with_empty_password(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    """The portal's files were made by Windows/OpenSSL with an empty password (MAC + 3DES)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")
    key = make_key(0)
    cert = make_cert(key, "openssl")
    (tmp_path / "k.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    (tmp_path / "c.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    subprocess.run(["openssl", "pkcs12", "-export", "-inkey", str(tmp_path / "k.pem"), "-in",
                    str(tmp_path / "c.pem"), "-passout", "pass:", "-out", str(tmp_path / "x.pfx")],
                   check=True, capture_output=True)

    converted = convert_management_certificate(base64.b64encode((tmp_path / "x.pfx").read_bytes()).decode())

    assert x509.load_pem_x509_certificate(converted.cert_pem) == cert
    assert "PRIVATE" not in repr(converted)


def test_password_protected_pfx_is_refused() -> None:
    key = make_key(0)
    pfx = pkcs12.serialize_key_and_certificates(
        b"x", key, make_cert(key, "pw"), None, serialization.BestAvailableEncryption(b"secret"))

    with pytest.raises(PublishSettingsError, match="empty password"):
        convert_management_certificate(base64.b64encode(pfx).decode())


def test_certificate_without_key_is_refused() -> None:
    pfx = pkcs12.serialize_key_and_certificates(
        b"x", None, make_cert(make_key(0), "no key"), None, serialization.NoEncryption())

    with pytest.raises(PublishSettingsError, match="certificate and its private key"):
        convert_management_certificate(base64.b64encode(pfx).decode())


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (b"<Other/>", "root element is <Other>"),
        (b"<PublishData/>", "no <PublishProfile"),
        (b'<PublishData><PublishProfile PublishMethod="MSDeploy"/></PublishData>', "no <PublishProfile"),
        (b'<PublishData><PublishProfile ManagementCertificate="x"/></PublishData>', "no <Subscription>"),
        (b'<PublishData><PublishProfile><Subscription Id="s"/></PublishProfile></PublishData>',
         "has no ManagementCertificate"),
        (b'<PublishData><PublishProfile ManagementCertificate="x"><Subscription Name="n"/>'
         b"</PublishProfile></PublishData>", "has no Id"),
        (b'<PublishData><PublishProfile Url="http://insecure" ManagementCertificate="x">'
         b'<Subscription Id="s"/></PublishProfile></PublishData>', "not an https URL"),
        (b'<PublishData><PublishProfile SchemaVersion="3.0"/></PublishData>', "SchemaVersion"),
        (b"<PublishData", "not a readable"),
    ],
)
def test_malformed_documents_are_explained(document: bytes, message: str) -> None:
    with pytest.raises(PublishSettingsError, match=message.replace("(", r"\(")):
        parse_publishsettings(document)


def test_xxe_is_refused_by_the_hardened_parser() -> None:
    doc = (b'<?xml version="1.0"?><!DOCTYPE PublishData [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           b'<PublishData><PublishProfile ManagementCertificate="&x;"><Subscription Id="s"/>'
           b"</PublishProfile></PublishData>")

    with pytest.raises(PublishSettingsError) as info:
        parse_publishsettings(doc)
    assert isinstance(info.value.__context__, UnsafeXmlError) or "DTD" in str(info.value)


def test_missing_file_is_explained(tmp_path: Path) -> None:
    with pytest.raises(PublishSettingsError, match="cannot read"):
        import_publishsettings(tmp_path / "nope.publishsettings")


def test_reserved_and_unprintable_names_are_adjusted(memory_keyring: MemoryKeyring) -> None:
    pfx, _ = make_pfx_b64()
    data = publishsettings_v1(pfx, [("sub-e", "Emulator"), ("sub-t", "Tab&#9;bed"), ("sub-x", "  ")])

    result = import_publishsettings(data)

    assert result.created == ["emulator-2", "tab-bed", "sub-x"]


def test_one_invalid_subscription_writes_nothing(memory_keyring: MemoryKeyring,
                                                 smtui_dirs: dict[str, Path]) -> None:
    pfx, _ = make_pfx_b64()
    data = publishsettings_v1(pfx, [("good", "Good"), ("bad/id", "Bad")])

    with pytest.raises(PublishSettingsError, match=r"'Bad' \(bad/id\): subscription_id"):
        import_publishsettings(data)

    assert list_profiles() == []
    assert not (smtui_dirs["config"] / "certs").exists()


def test_a_profile_imported_by_an_earlier_version_is_updated_not_duplicated(
    memory_keyring: MemoryKeyring,
) -> None:
    from smtui.profiles import remove_profile, save_profile

    pfx, _ = make_pfx_b64()
    first = import_publishsettings(publishsettings_v1(pfx, [("sub-a", "Pay As You Go")]))
    save_profile(replace(get_profile(first.created[0]), name="Pay As You Go"))
    remove_profile(first.created[0])
    again = import_publishsettings(publishsettings_v1(pfx, [("sub-a", "Pay As You Go")]))
    assert again.updated == ["Pay As You Go"] and again.created == []
