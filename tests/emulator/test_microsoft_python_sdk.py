"""Microsoft's own Python client (azure-servicemanagement-legacy) runs a whole VM scenario against
the emulator unchanged (issue 9): create a service and a Linux VM deployment, add, update and
delete a data disk, power actions, add and delete a second role, capture, then delete everything.

Each long-running call is polled the SDK's own way (``wait_for_operation_status``), so a call the
emulator answered with the wrong status, or left running when the real service is synchronous
(Update Data Disk), fails here the way it failed for the SDK's users.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from azure.servicemanagement import (
    ConfigurationSet,
    ConfigurationSetInputEndpoint,
    LinuxConfigurationSet,
    OSVirtualHardDisk,
    ServiceManagementService,
)

PASSWORD = "Sdk-Passw0rd!"  # an emulator-only credential: the emulator never echoes it


@pytest.fixture
def sms(emulator: Any) -> Iterator[ServiceManagementService]:
    session = requests.Session()
    session.cert = (str(emulator.client_cert), str(emulator.client_key))
    session.verify = str(emulator.ca_file)
    session.trust_env = False  # REQUESTS_CA_BUNDLE/proxies of the host would override verify
    yield ServiceManagementService(
        emulator.subscription_id, host=emulator.host, request_session=session
    )
    session.close()


def _wait(sms: ServiceManagementService, result: Any) -> None:
    """Poll like the SDK's users do; the emulator runs at test speed, so poll often."""
    assert result is not None and result.request_id, "a long-running call must return x-ms-request-id"
    done = sms.wait_for_operation_status(
        result.request_id,
        timeout=30,
        sleep_interval=0.05,
        progress_callback=None,
        success_callback=None,
        failure_callback=None,
    )
    assert done.status == "Succeeded", vars(done)


def _linux(host: str) -> LinuxConfigurationSet:
    return LinuxConfigurationSet(host, "azureuser", PASSWORD, disable_ssh_password_authentication=False)


def _ssh(port: int) -> ConfigurationSet:
    network = ConfigurationSet()
    network.configuration_set_type = "NetworkConfiguration"
    endpoint = ConfigurationSetInputEndpoint("SSH", "tcp", str(port), "22")
    network.input_endpoints.input_endpoints.append(endpoint)
    return network


def test_a_whole_vm_scenario_with_the_python_sdk(sms: ServiceManagementService, emulator: Any) -> None:
    service = f"sdk-{uuid.uuid4().hex[:8]}"
    location = "West US"
    accounts = sms.list_storage_accounts()
    account = next(a for a in accounts if a.storage_service_properties.location == location)
    vhds = f"https://{account.service_name}.blob.core.windows.net/vhds"
    image = next(i for i in sms.list_os_images() if i.os == "Linux")

    sms.create_hosted_service(service, service, location=location)
    assert sms.get_hosted_service_properties(service).hosted_service_properties.location == location

    _wait(sms, sms.create_virtual_machine_deployment(
        service, service, "production", service, "vm1", _linux("vm1"),
        OSVirtualHardDisk(image.name, f"{vhds}/{service}-vm1.vhd"), network_config=_ssh(22),
        role_size="Small",
    ))  # fmt: skip
    deployment = sms.get_deployment_by_name(service, service)
    assert [r.role_name for r in deployment.role_list] == ["vm1"]

    # Data disks: Add is long-running; Update is synchronous (200, complete when it answers).
    _wait(sms, sms.add_data_disk(
        service, service, "vm1", 0, logical_disk_size_in_gb=10, media_link=f"{vhds}/{service}-vm1-d0.vhd",
        disk_label="data",
    ))  # fmt: skip
    updated = sms.update_data_disk(
        service, service, "vm1", 0, updated_lun=0, disk_label="renamed", host_caching="ReadOnly"
    )
    # No wait: the SDK's users go on at once, so it must be complete when it answers.
    assert emulator.operation_status(updated.request_id) == "Succeeded"
    disk = sms.get_data_disk(service, service, "vm1", 0)
    assert (disk.disk_label, disk.host_caching) == ("renamed", "ReadOnly")
    _wait(sms, sms.delete_data_disk(service, service, "vm1", 0))

    # Power actions.
    _wait(sms, sms.shutdown_role(service, service, "vm1", post_shutdown_action="Stopped"))
    assert sms.get_deployment_by_name(service, service).role_instance_list[0].instance_status == "StoppedVM"
    _wait(sms, sms.start_role(service, service, "vm1"))
    _wait(sms, sms.restart_role(service, service, "vm1"))

    # A second role, then deleted (a deployment's last role cannot be).
    _wait(sms, sms.add_role(
        service, service, "vm2", _linux("vm2"), OSVirtualHardDisk(image.name, f"{vhds}/{service}-vm2.vhd"),
        network_config=_ssh(2222), role_size="Small",
    ))  # fmt: skip
    assert {r.role_name for r in sms.get_deployment_by_name(service, service).role_list} == {"vm1", "vm2"}
    _wait(sms, sms.delete_role(service, service, "vm2"))

    # Capture (the VM must be stopped first, as on the real service), then clean up.
    _wait(sms, sms.shutdown_role(service, service, "vm1", post_shutdown_action="Stopped"))
    captured = f"{service}-img"
    _wait(sms, sms.capture_role(service, service, "vm1", "Delete", captured, captured))
    assert captured in {i.name for i in sms.list_os_images()}
    _wait(sms, sms.delete_os_image(captured, delete_vhd=True))
    # PostCaptureAction Delete removed the deployment's only VM, and with it the deployment.
    assert not sms.get_hosted_service_properties(service, embed_detail=True).deployments.deployments
    sms.delete_hosted_service(service)
    assert service not in {s.service_name for s in sms.list_hosted_services()}
