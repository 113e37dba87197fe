"""An async client for the Azure Service Management (classic, RDFE) REST API.

This package never imports Textual or Rich: it is usable on its own.
"""

from __future__ import annotations

from smtui.api.errors import (
    CertificateError,
    OperationFailedError,
    OperationTimeoutError,
    ServiceError,
    SmError,
    TransportError,
    UnsafeXmlError,
    ValidationError,
    XmlError,
)

__all__ = [
    "CertificateError",
    "OperationFailedError",
    "OperationTimeoutError",
    "ServiceError",
    "SmError",
    "TransportError",
    "UnsafeXmlError",
    "ValidationError",
    "XmlError",
]
