"""Import a ``.publishsettings`` file: one profile per subscription, PEM files from the PKCS#12.

Both schema versions are read (SPEC.md §5):

* 1.0 (no ``SchemaVersion``): ``PublishProfile@Url`` and ``PublishProfile@ManagementCertificate``
  are shared by every ``<Subscription Id Name/>``;
* 2.0: each ``<Subscription>`` carries ``ServiceManagementUrl`` and ``ManagementCertificate``.

To be lenient with hand-edited files, a subscription attribute wins over the profile-level one
in either version. ``ManagementCertificate`` is a base64 PKCS#12 with an empty password; it is
converted with ``cryptography`` into ``<config dir>/certs/<thumbprint>.pem`` (certificate) and
``<thumbprint>.key`` (unencrypted PKCS#8 key), both 0600 in a 0700 directory. File names by
thumbprint make a re-import (or a schema 1.0 file with one certificate for many
subscriptions) reuse the same pair.

Profile names are slugs of the subscription names (``smtui-emulator-subscription``), so they
can be typed after ``--profile`` without quotes. A file written by ``smtui emulator`` (its
``certs/management.pem`` next to it is the file's certificate, and the endpoint is on this
machine) is recognised: the profile trusts that emulator's CA, so ``--profile NAME`` works
without ``--ca-file``, and it does not become the default on its own (plain ``smtui`` already
opens an emulator).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import ipaddress
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from smtui.api.errors import SmError
from smtui.api.xml import local_name, parse_xml
from smtui.profiles import paths, store
from smtui.profiles.errors import PublishSettingsError
from smtui.profiles.model import (
    DEFAULT_API_VERSION,
    DEFAULT_HOST,
    EMULATOR_PROFILE,
    Profile,
    normalize_host,
)

PUBLISH_METHOD = "AzureServiceManagementAPI"


@dataclass(frozen=True)
class PublishSubscription:
    """One ``<Subscription>`` of a ``.publishsettings`` file.

    Attributes:
        id: Subscription id.
        name: Subscription display name (the id when the file has none).
        service_management_url: Endpoint URL (``https://management.core.windows.net``).
        management_certificate: Base64 PKCS#12 — key material, so excluded from ``repr``.
    """

    id: str
    name: str
    service_management_url: str
    management_certificate: str = field(repr=False)

    @property
    def host(self) -> str:
        """``host[:port]`` of :attr:`service_management_url`."""
        return normalize_host(self.service_management_url)


@dataclass(frozen=True)
class PublishSettings:
    """A parsed ``.publishsettings`` file."""

    schema_version: str
    subscriptions: list[PublishSubscription]


@dataclass(frozen=True)
class ManagementCertificate:
    """A management certificate converted to PEM.

    Attributes:
        cert_pem: The certificate, PEM.
        key_pem: Its private key, unencrypted PKCS#8 PEM. Never shown (excluded from ``repr``).
        thumbprint: SHA-1 of the DER certificate, upper-case hex (what the portal shows).
        subject: RFC 4514 subject.
    """

    cert_pem: bytes
    key_pem: bytes = field(repr=False)
    thumbprint: str
    subject: str


@dataclass(frozen=True)
class ImportResult:
    """What :func:`import_publishsettings` did.

    Attributes:
        profiles: The profiles created or updated (with their certificate paths).
        created: Names of profiles that did not exist before.
        updated: Names of existing profiles (same name and subscription id) that were refreshed.
        files: Certificate and key files written.
        schema_version: ``"1.0"`` or ``"2.0"``.
        emulator_ca: The CA trusted because the file is a local emulator's own, else None.
        default: The default profile after the import (None: the embedded emulator).
        became_default: The imported profile that the import made the default, if any.
    """

    profiles: list[Profile]
    created: list[str]
    updated: list[str]
    files: list[Path]
    schema_version: str
    emulator_ca: str | None = None
    default: str | None = None
    became_default: str | None = None


def parse_publishsettings(data: bytes | str) -> PublishSettings:
    """Parse a ``.publishsettings`` document (hardened parser; either schema version).

    Certificates are not decoded here (see :func:`convert_management_certificate`), so files
    whose certificates were redacted still parse.

    Raises:
        PublishSettingsError: Not a publishsettings document, or a subscription lacks an id,
            an endpoint or a certificate.
    """
    try:
        root = parse_xml(data)
    except SmError as exc:
        raise PublishSettingsError(f"not a readable .publishsettings file: {exc}") from None
    if local_name(root) != "PublishData":
        raise PublishSettingsError(f"not a .publishsettings file: root element is <{local_name(root)}>")
    profiles = [
        el for el in root
        if local_name(el) == "PublishProfile" and el.get("PublishMethod", PUBLISH_METHOD) == PUBLISH_METHOD
    ]
    if not profiles:
        raise PublishSettingsError(f"no <PublishProfile PublishMethod=\"{PUBLISH_METHOD}\"> in the file")
    schema = "1.0"
    subscriptions: list[PublishSubscription] = []
    for profile in profiles:
        version = (profile.get("SchemaVersion") or "1.0").strip()
        if version == "2.0":
            schema = "2.0"
        elif version not in ("1.0", "1"):
            raise PublishSettingsError(f"unsupported .publishsettings SchemaVersion {version!r}")
        shared_url = profile.get("Url") or profile.get("ServiceManagementUrl")
        shared_cert = profile.get("ManagementCertificate")
        for index, sub in enumerate(el for el in profile if local_name(el) == "Subscription"):
            sub_id = (sub.get("Id") or "").strip()
            if not sub_id:
                raise PublishSettingsError(f"<Subscription> number {index + 1} has no Id")
            name = (sub.get("Name") or "").strip() or sub_id
            url = sub.get("ServiceManagementUrl") or shared_url or f"https://{DEFAULT_HOST}"
            cert = sub.get("ManagementCertificate") or shared_cert
            if not cert:
                raise PublishSettingsError(f"subscription {name!r} ({sub_id}) has no ManagementCertificate")
            try:
                normalize_host(url)
            except ValueError:
                raise PublishSettingsError(
                    f"subscription {name!r} ({sub_id}): ServiceManagementUrl {url!r} is not an https URL"
                ) from None
            subscriptions.append(PublishSubscription(sub_id, name, url.strip(), cert.strip()))
    if not subscriptions:
        raise PublishSettingsError("the file lists no <Subscription>")
    return PublishSettings(schema_version=schema, subscriptions=subscriptions)


def convert_management_certificate(
    value: str, *, label: str = "ManagementCertificate"
) -> ManagementCertificate:
    """Turn a base64 PKCS#12 with an empty password into PEM certificate and key.

    Args:
        value: The ``ManagementCertificate`` attribute.
        label: Names the certificate in error messages (never the value itself).

    Raises:
        PublishSettingsError: Not base64, not a PKCS#12 with an empty password, no key or no
            certificate inside, or the key does not belong to the certificate.
    """
    try:
        der = base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        raise PublishSettingsError(
            f"{label} is not base64 (was the file redacted, or cut short?)"
        ) from None
    loaded = None
    for password in (b"", None):
        try:
            loaded = pkcs12.load_key_and_certificates(der, password)
            break
        except (ValueError, TypeError):
            continue
    if loaded is None:
        raise PublishSettingsError(f"{label} is not a PKCS#12 (PFX) with an empty password")
    key, cert, _extra = loaded
    if key is None or cert is None:
        raise PublishSettingsError(f"{label} must hold a certificate and its private key")
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(serialization.Encoding.DER, spki) != cert.public_key().public_bytes(
        serialization.Encoding.DER, spki
    ):
        raise PublishSettingsError(f"{label}: the private key does not belong to the certificate")
    cert_der = cert.public_bytes(serialization.Encoding.DER)
    return ManagementCertificate(
        cert_pem=cert.public_bytes(serialization.Encoding.PEM),
        key_pem=key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
        thumbprint=hashlib.sha1(cert_der).hexdigest().upper(),  # noqa: S324 - a thumbprint, not security
        subject=cert.subject.rfc4514_string(),
    )


def certificate_paths(cert: ManagementCertificate, directory: Path | None = None) -> tuple[Path, Path]:
    """Where :func:`write_certificate` puts ``cert``: ``<certs dir>/<thumbprint>.pem`` and ``.key``."""
    target = directory or paths.certs_dir()
    return target / f"{cert.thumbprint}.pem", target / f"{cert.thumbprint}.key"


def write_certificate(cert: ManagementCertificate, directory: Path | None = None) -> tuple[Path, Path]:
    """Write the PEM certificate and key (0600, directory 0700) and return their paths."""
    paths.ensure_private_dir(directory or paths.certs_dir())
    cert_path, key_path = certificate_paths(cert, directory)
    paths.write_private_file(cert_path, cert.cert_pem)
    paths.write_private_file(key_path, cert.key_pem)
    return cert_path, key_path


def slugify(text: str) -> str:
    """``Pay-As-You-Go (2)`` → ``pay-as-you-go-2``: lower-case letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:72].rstrip("-")


def _profile_name(sub: PublishSubscription) -> str:
    """A slug of the subscription name (of its id when the name has no letters or digits)."""
    return slugify(sub.name) or slugify(sub.id) or "subscription"


def _legacy_name(sub: PublishSubscription) -> str:
    """The name earlier versions gave (the display name as is), so a re-import finds that profile."""
    cleaned = "".join(ch for ch in sub.name if ch.isprintable()).strip()[:72]
    return cleaned or sub.id[:72]


def _is_local(host: str) -> bool:
    name = host.rsplit(":", 1)[0].strip("[]") if host.count(":") <= 1 or host.startswith("[") else host
    if name.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def emulator_ca(source: Path, certificates: list[ManagementCertificate], hosts: list[str]) -> Path | None:
    """The CA of the local emulator that wrote ``source``, or None when it is not an emulator's file.

    ``smtui emulator`` writes ``emulator.publishsettings`` beside ``certs/`` in its data dir. The
    file is taken as the emulator's own only when every endpoint is on this machine and every
    certificate in it is that data dir's ``certs/management.pem``; its ``certs/ca.pem`` is then
    the one CA that signed the emulator's server certificate.
    """
    certs = source.parent / "certs"
    ca, management = certs / "ca.pem", certs / "management.pem"
    if not hosts or not all(_is_local(host) for host in hosts):
        return None
    try:
        local = x509.load_pem_x509_certificate(management.read_bytes())
        if not ca.is_file():
            return None
    except (OSError, ValueError):
        return None
    thumbprint = hashlib.sha1(local.public_bytes(serialization.Encoding.DER)).hexdigest().upper()  # noqa: S324
    if any(cert.thumbprint != thumbprint for cert in certificates):
        return None
    return ca.resolve()


def _unique_name(base: str, sub_id: str, taken: dict[str, str | None]) -> tuple[str, bool]:
    """A free profile name for ``base``; (name, True) when a profile of the same subscription is reused."""
    candidate = base
    counter = 1
    while candidate in taken or candidate.lower() == EMULATOR_PROFILE:
        if taken.get(candidate) == sub_id:
            return candidate, True
        counter += 1
        candidate = f"{base}-{counter}"
    return candidate, False


def import_publishsettings(
    source: Path | str | bytes,
    *,
    subscription_ids: list[str] | None = None,
    ca_file: str | None = None,
    read_only: bool = False,
    api_version: str = DEFAULT_API_VERSION,
    make_default: bool | None = None,
) -> ImportResult:
    """Create (or refresh) one profile per subscription of a ``.publishsettings`` file.

    Every certificate is converted and every profile validated before anything is written,
    so a file with one bad subscription changes nothing. Profile names come from the
    subscription names; a name taken by a profile of a different subscription (or the
    reserved ``emulator``) gets a ``-2``, ``-3`` … suffix, while a profile of the same name
    and subscription is updated (re-importing a fresh file).

    Args:
        source: Path of the file, or its content.
        subscription_ids: Import only these subscriptions (case-insensitive ids).
        ca_file: CA bundle to trust for the endpoint (e.g. the emulator's CA).
        read_only: Mark the new profiles read-only.
        api_version: ``x-ms-version`` of the new profiles.
        make_default: As in :func:`smtui.profiles.store.save_profile`, for the first profile.

    Raises:
        PublishSettingsError: The file cannot be read, or a certificate cannot be converted.
        CredentialStoreError: The certificate paths could not be stored.
    """
    source_path: Path | None = None
    if isinstance(source, bytes):
        data = source
    else:
        source_path = Path(source).expanduser().absolute()
        try:
            data = source_path.read_bytes()
        except OSError as exc:
            raise PublishSettingsError(f"cannot read {source}: {exc.strerror or exc}") from None
    settings = parse_publishsettings(data)
    chosen = settings.subscriptions
    if subscription_ids:
        wanted = {sid.lower() for sid in subscription_ids}
        chosen = [sub for sub in chosen if sub.id.lower() in wanted]
        missing = wanted - {sub.id.lower() for sub in chosen}
        if missing:
            raise PublishSettingsError(f"subscription(s) not in the file: {', '.join(sorted(missing))}")
    converted: list[tuple[PublishSubscription, ManagementCertificate]] = []
    cache: dict[str, ManagementCertificate] = {}
    for sub in chosen:
        if sub.management_certificate not in cache:
            cache[sub.management_certificate] = convert_management_certificate(
                sub.management_certificate, label=f"the ManagementCertificate of subscription {sub.name!r}"
            )
        converted.append((sub, cache[sub.management_certificate]))
    local_ca = (
        emulator_ca(source_path, [cert for _sub, cert in converted], [sub.host for sub, _cert in converted])
        if source_path is not None
        else None
    )
    if ca_file:
        ca_file = str(Path(ca_file).expanduser().absolute())
    elif local_ca is not None:
        ca_file = str(local_ca)
    if local_ca is not None and make_default is None:
        # Plain `smtui` already opens an emulator; an emulator's file must not take that over silently.
        make_default = False
    # Plan and validate every profile before writing anything.
    taken: dict[str, str | None] = {p.name: p.subscription_id for p in store.list_profiles()}
    planned: list[tuple[Profile, bool, ManagementCertificate]] = []
    for sub, cert in converted:
        legacy = _legacy_name(sub)
        if taken.get(legacy) == sub.id:
            name, existing = legacy, True
        else:
            name, existing = _unique_name(_profile_name(sub), sub.id, taken)
        cert_path, key_path = certificate_paths(cert)
        if existing:
            # A re-import refreshes endpoint and certificate but keeps what the user set.
            before = store.get_profile(name, with_credentials=False)
            profile = replace(
                before,
                host=sub.host,
                subscription_name=sub.name,
                ca_file=ca_file or before.ca_file,
                read_only=read_only or before.read_only,
                cert_path=str(cert_path),
                key_path=str(key_path),
            )
        else:
            profile = Profile(
                name=name,
                subscription_id=sub.id,
                host=sub.host,
                api_version=api_version,
                read_only=read_only,
                subscription_name=sub.name,
                ca_file=ca_file,
                cert_path=str(cert_path),
                key_path=str(key_path),
            )
        try:
            planned.append((profile.validated(), existing, cert))
        except ValueError as exc:
            raise PublishSettingsError(f"subscription {sub.name!r} ({sub.id}): {exc}") from None
        taken[name] = sub.id
    paths.ensure_private_dir(paths.config_dir())
    files: list[Path] = []
    for _profile, _existing, cert in planned:
        cert_path, key_path = certificate_paths(cert)
        if cert_path not in files:
            write_certificate(cert)
            files.extend((cert_path, key_path))
    result_profiles: list[Profile] = []
    created: list[str] = []
    updated: list[str] = []
    default_before = store.default_profile_name()
    for index, (profile, existing, _cert) in enumerate(planned):
        saved = store.save_profile(
            profile, overwrite=existing, make_default=make_default if index == 0 else None
        )
        result_profiles.append(saved)
        (updated if existing else created).append(saved.name)
    default_after = store.default_profile_name()
    return ImportResult(
        result_profiles,
        created,
        updated,
        files,
        settings.schema_version,
        emulator_ca=str(local_ca) if local_ca is not None else None,
        default=default_after,
        became_default=default_after if default_after != default_before else None,
    )
