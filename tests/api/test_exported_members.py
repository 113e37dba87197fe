"""The public surface of smtui.api: everything in __all__ exists, and the client has every operation."""

from __future__ import annotations

import inspect

import smtui.api
from smtui.api import ServiceManagementClient

OPERATIONS = [
    "get_operation_status",
    "get_os_image",
    "list_os_images",
    "create_os_image",
    "list_hosted_services",
    "get_hosted_service",
    "create_hosted_service",
    "get_storage_account_keys",
    "get_deployment",
    "get_deployment_by_slot",
    "create_deployment",
    "get_role",
    "add_role",
    "modify_role",
    "delete_role",
    "add_data_disk",
    "modify_data_disk",
    "remove_data_disk",
    "shutdown_role_instance",
    "restart_role_instance",
    "capture_role_instance",
    # the neighbours a console needs
    "delete_hosted_service",
    "delete_deployment",
    "start_role_instance",
    "get_data_disk",
    "list_disks",
    "list_storage_accounts",
    "list_locations",
    "list_role_sizes",
    # issue 9 §3
    "list_vm_images",
    "list_affinity_groups",
    "get_affinity_group",
    "get_subscription",
]


def test_all_names_exist() -> None:
    for name in smtui.api.__all__:
        assert hasattr(smtui.api, name), name
    for name in ("ServiceManagementClient", "Response", "ApiRequest", "ClientOptions", "ErrorInfo"):
        assert name in smtui.api.__all__


def test_every_operation_is_an_async_method_with_a_pure_builder() -> None:
    from smtui.api import operations_compute, operations_services

    for name in OPERATIONS:
        method = getattr(ServiceManagementClient, name)
        assert inspect.iscoroutinefunction(method), name
        assert method.__doc__, name
        if name != "get_operation_status":
            assert hasattr(operations_services, name) or hasattr(operations_compute, name), name
    for extra in ("wait_for_operation", "execute", "aclose", "__aenter__", "__aexit__"):
        assert inspect.iscoroutinefunction(getattr(ServiceManagementClient, extra)), extra
    assert callable(ServiceManagementClient.set_proxy_url)
    assert callable(ServiceManagementClient.preview)
