"""Turn a start-up failure into words: what happened and what the user can do (no traceback).

No Textual import; the start-up error screen renders the :class:`Diagnosis`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from smtui.api.errors import CertificateError, CredentialStoreError, ProfileError, SmError


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
            return Diagnosis(
                f"TLS handshake with {host} failed",
                detail,
                [
                    "the server certificate is not trusted: set the profile's CA file for private endpoints",
                    "or the server refused the management certificate: check it is the subscription's",
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
