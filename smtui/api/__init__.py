"""An async client for the Azure Service Management (classic, RDFE) REST API.

This package never imports Textual or Rich: it is usable on its own.
"""

from __future__ import annotations

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
