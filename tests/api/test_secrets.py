"""Secrets stay out of reprs and previews; switches that merely mention passwords stay visible."""

from __future__ import annotations

from smtui.api import models
from smtui.api.operations_compute import add_role


def linux_role() -> dict[str, object]:
    return {
        "RoleName": "web01",
        "RoleSize": "Small",
        "OSVirtualHardDisk": {
            "SourceImageName": "b39f27a8b8c64d52b05eac6a62ebad85__Ubuntu-14_04_2-LTS-amd64-server",
            "MediaLink": "https://acct.blob.core.windows.net/vhds/web01.vhd",
        },
        "ConfigurationSets": [
            {
                "ConfigurationSetType": "LinuxProvisioningConfiguration",
                "HostName": "web01",
                "UserName": "azureuser",
                "UserPassword": "Sup3r-Secret!",
                "DisableSshPasswordAuthentication": "false",
            }
        ],
    }


def test_password_fields_are_not_in_model_reprs() -> None:
    windows = models.WindowsProvisioningConfiguration(computer_name="w1", admin_password="Sup3r-Secret!")
    linux = models.LinuxProvisioningConfiguration(host_name="l1", user_password="Sup3r-Secret!")
    creds = models.DomainJoinCredentials(domain="corp", username="u", password="Sup3r-Secret!")
    for obj in (windows, linux, creds):
        assert "Sup3r-Secret!" not in repr(obj)


def test_preview_masks_the_password_but_not_the_ssh_password_switch() -> None:
    req = add_role("svc", "dep", linux_role())
    redacted = req.redacted_body()
    assert "Sup3r-Secret!" not in redacted
    assert "<DisableSshPasswordAuthentication>false</DisableSshPasswordAuthentication>" in redacted
    assert "<HostName>web01</HostName>" in redacted
