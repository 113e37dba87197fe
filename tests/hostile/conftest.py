"""The hostile suite reuses the client-test fixtures (test CA, certificates, programmable TLS server)."""

from tests.api.conftest import (  # noqa: F401 (fixtures are found by name)
    _server,
    auth,
    ca,
    cert_files,
    client_identity,
    make_client,
    no_proxy_env,
    tls_server,
)
