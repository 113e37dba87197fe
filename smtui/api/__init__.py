"""An async client for the Azure Service Management (classic, RDFE) REST API.

This package never imports Textual or Rich: it is usable on its own.

Its public names are imported on first use, so that importing one light submodule
(``smtui.api.errors``, ``smtui.api.xml``) does not load httpx, the codec and the models: the
console shows its frame before it needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from smtui.api.auth import ClientCertificate
    from smtui.api.client import RequestPreview, ServiceManagementClient
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
    from smtui.api.operations import ApiRequest
    from smtui.api.response import ErrorInfo, RequestOptions, Response
    from smtui.api.transport import ClientOptions, RetryPolicy, Timeouts

_EXPORTS: dict[str, str] = {
    "ApiRequest": "smtui.api.operations",
    "ClientCertificate": "smtui.api.auth",
    "ClientOptions": "smtui.api.transport",
    "ErrorInfo": "smtui.api.response",
    "RequestOptions": "smtui.api.response",
    "RequestPreview": "smtui.api.client",
    "Response": "smtui.api.response",
    "RetryPolicy": "smtui.api.transport",
    "ServiceManagementClient": "smtui.api.client",
    "Timeouts": "smtui.api.transport",
    "CertificateError": "smtui.api.errors",
    "OperationFailedError": "smtui.api.errors",
    "OperationTimeoutError": "smtui.api.errors",
    "ServiceError": "smtui.api.errors",
    "SmError": "smtui.api.errors",
    "TransportError": "smtui.api.errors",
    "UnsafeXmlError": "smtui.api.errors",
    "ValidationError": "smtui.api.errors",
    "XmlError": "smtui.api.errors",
}
"""Public name → the module that defines it, imported on first use."""

__all__ = [
    "ApiRequest",
    "ClientCertificate",
    "ClientOptions",
    "ErrorInfo",
    "RequestOptions",
    "RequestPreview",
    "Response",
    "RetryPolicy",
    "ServiceManagementClient",
    "Timeouts",
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


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'smtui.api' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value
