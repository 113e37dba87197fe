"""Turn a start-up failure into words: what happened and what the user can do (no traceback).

No Textual import; the start-up error screen renders the :class:`Diagnosis`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from smtui.api.errors import CertificateError, SmError
from smtui.profiles.errors import CredentialStoreError, ProfileError


@dataclass(frozen=True)
class Diagnosis:
    """A start-up failure explained.

    Attributes:
        title: One line.
        detail: What exactly failed (the error's own words, code and request id).
        hints: What to try, most likely first.
    """

    title: str
    detail: str
    hints: list[str] = field(default_factory=list)


PROFILE_HINTS = [
    "press p to open the profile screen (add a subscription or import a .publishsettings file)",
    "or run: smtui profiles list / smtui profiles import FILE",
    "press e to use the embedded emulator instead",
]


def diagnose_exception(exc: BaseException, host: str | None = None) -> Diagnosis:
    """Explain an exception raised while resolving the connection or building the client."""
    if isinstance(exc, CertificateError):
        return Diagnosis(
            "The management certificate could not be loaded",
            str(exc),
            [
                "check that the certificate and key files exist, are PEM and belong together",
                "re-import the subscription's .publishsettings (p → import) to write fresh PEM files",
                *PROFILE_HINTS[2:],
            ],
        )
    if isinstance(exc, CredentialStoreError):
        return Diagnosis(
            "The keyring could not return the certificate paths",
            str(exc),
            ["unlock the keyring, or set PYTHON_KEYRING_BACKEND (see smtui info)", *PROFILE_HINTS],
        )
    if isinstance(exc, ProfileError):
        return Diagnosis("The profile cannot be used", str(exc), PROFILE_HINTS)
    if isinstance(exc, TimeoutError):
        return Diagnosis(
            "Connecting took too long",
            str(exc),
            ["a locked keyring can hang: unlock it or set PYTHON_KEYRING_BACKEND", *PROFILE_HINTS],
        )
    if isinstance(exc, SmError):
        return Diagnosis("Could not connect", str(exc), PROFILE_HINTS)
    return Diagnosis("Could not start", f"{type(exc).__name__}: {exc}", PROFILE_HINTS)


# OpenSSL reasons that mean the other end does not speak TLS at all (plain HTTP, another protocol).
_NOT_TLS = ("WRONG_VERSION_NUMBER", "HTTP_REQUEST", "PACKET_LENGTH_TOO_LONG", "RECORD_LAYER_FAILURE")
# Reasons that mean the server did not accept our certificate (it alerted during the handshake).
_CLIENT_CERT_REFUSED = ("CERTIFICATE_REQUIRED", "BAD_CERTIFICATE", "UNKNOWN_CA", "CERTIFICATE_UNKNOWN")


def _diagnose_tls(host: str, detail: str, message: str) -> Diagnosis:
    """A TLS failure explained by its cause: hints about certificates only when certificates are the cause."""
    reason = message.upper()
    if any(marker in reason for marker in _NOT_TLS):
        return Diagnosis(
            f"{host} does not speak HTTPS",
            detail,
            [
                "the host:port in the profile answers in plain HTTP (or another protocol), not TLS",
                "the Service Management API is HTTPS only: check the port (the emulator prints its endpoint)",
                *PROFILE_HINTS[:1],
            ],
        )
    if "CERTIFICATE_VERIFY_FAILED" in reason or "HOSTNAME" in reason:
        return Diagnosis(
            f"The server certificate of {host} is not trusted",
            detail,
            [
                "set the profile's CA file for a private endpoint (for smtui's emulator: its certs/ca.pem)",
                "check the host name in the profile matches the server's certificate",
                *PROFILE_HINTS[:1],
            ],
        )
    if any(marker in reason for marker in _CLIENT_CERT_REFUSED):
        return Diagnosis(
            f"{host} refused the management certificate",
            detail,
            [
                "check the profile's certificate is a management certificate of the subscription",
                *PROFILE_HINTS[:1],
            ],
        )
    return Diagnosis(
        f"TLS handshake with {host} failed",
        detail,
        [
            "the server certificate may not be trusted: set the profile's CA file for private endpoints",
            "or the server refused the management certificate: check it is the subscription's",
            *PROFILE_HINTS[:1],
        ],
    )


def diagnose_response(response: Any, host: str) -> Diagnosis | None:
    """Explain a failed first request, or None if the response was fine.

    Only failures that make the console useless are diagnosed here (no answer, TLS,
    forbidden certificate, unknown subscription); anything else is shown in place.
    """
    if getattr(response, "is_successful", False):
        return None
    error = getattr(response, "error", None)
    code = getattr(error, "code", None) or "Error"
    message = getattr(error, "message", None) or ""
    status = getattr(response, "status_code", None)
    rid = getattr(response, "request_id", None)
    detail = f"{status or ''} {code}: {message}".strip() + (f"\nrequest id {rid}" if rid else "")
    if status is None:
        if code == "TLSError":
            return _diagnose_tls(host, detail, message)
        if code == "RedirectRefused":
            return Diagnosis(
                f"{host} redirected to a host smtui does not send requests to",
                detail,
                [
                    "requests only follow redirects to the profile's host or its subdomains, over HTTPS",
                    "if the target is legitimate, allow it in the client's redirect_hosts option",
                    *PROFILE_HINTS[:1],
                ],
            )
        if code == "ProxyError":
            return Diagnosis(
                "The proxy refused the connection",
                detail,
                ["check HTTPS_PROXY (or unset it)", *PROFILE_HINTS[:1]],
            )
        if code == "Timeout":
            return Diagnosis(
                f"{host} did not answer in time",
                detail,
                ["check the network path from this host (firewall, VPN, proxy)", "press r to retry"],
            )
        return Diagnosis(
            f"Cannot reach {host}",
            detail,
            [
                "check the host name and port in the profile",
                "check DNS / firewall / HTTPS_PROXY from this machine",
                "press r to retry",
                *PROFILE_HINTS[2:],
            ],
        )
    if status == 403:
        return Diagnosis(
            "The service refused the management certificate",
            detail,
            [
                "upload the certificate to the subscription, or import a fresh .publishsettings",
                "check the subscription id in the profile",
                *PROFILE_HINTS[:1],
            ],
        )
    if status == 404 or status == 401:
        return Diagnosis(
            "The subscription was not found",
            detail,
            ["check the subscription id in the profile", *PROFILE_HINTS[:1]],
        )
    if status == 400 and "version" in (code + message).lower():
        return Diagnosis(
            "The service does not accept the API version",
            detail,
            ["edit the profile's API version (e.g. 2014-10-01)", *PROFILE_HINTS[:1]],
        )
    return None
