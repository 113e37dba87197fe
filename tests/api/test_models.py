"""Data-object rules: base64 labels, i:nil, unknown elements, i:type, strict types, seed mappings."""

from __future__ import annotations

import base64

import pytest
from lxml import etree

from smtui.api import codec
from smtui.api import models as m
from smtui.api.errors import ValidationError, XmlError
from smtui.api.models import CreateHostedService, DataDisk, Deployment, VMRole
from tests.api.bodies import parse, request_body
from tests.reference import EXAMPLES

NS = 'xmlns="http://schemas.microsoft.com/windowsazure" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"'


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


# --------------------------------------------------------------------------- base64 labels


def test_hosted_service_label_is_decoded_and_reencoded() -> None:
    services = codec.parse_list(m.HostedService, (EXAMPLES / "ListHostedServices.response.xml").read_bytes())
    props = services[0].hosted_service_properties
    assert props is not None and props.label and not props.label.endswith("=")
    xml = codec.to_xml(services[0])
    assert f"<Label>{_b64(props.label)}</Label>".encode() in xml


def test_storage_account_label_is_decoded() -> None:
    raw = (EXAMPLES / "ListStorageAccounts.response.xml").read_bytes()
    accounts = codec.parse_list(m.StorageAccount, raw)
    props = accounts[0].storage_service_properties
    assert props is not None and props.label
    assert f"<Label>{_b64(props.label)}</Label>".encode() in codec.to_xml(accounts[0])


def test_deployment_label_and_configuration_are_base64_in_responses_only() -> None:
    dep = codec.from_xml(m.Deployment, (EXAMPLES / "GetDeployment.response.xml").read_bytes())
    assert dep.label == "myvmsvc-deployment"
    assert dep.configuration is not None and dep.configuration.startswith("<ServiceConfiguration")
    assert f"<Label>{_b64('myvmsvc-deployment')}</Label>".encode() in codec.to_xml(dep)
    request = request_body(Deployment, m.Deployment(name="d", label="plain label"))
    assert b"<Label>plain label</Label>" in request
    assert parse(Deployment, request).label == "plain label"


def test_create_hosted_service_label_is_base64_in_the_request() -> None:
    body = request_body(CreateHostedService, m.CreateHostedService(service_name="s", label="ünï label"))
    assert f"<Label>{_b64('ünï label')}</Label>".encode() in body
    assert parse(CreateHostedService, body).label == "ünï label"


@pytest.mark.parametrize("cls, xml", [
    (m.OSImage, f"<OSImage {NS}><Label>My image</Label><Name>n</Name></OSImage>"),
    (m.Disk, f"<Disk {NS}><Label>disk label</Label><Name>n</Name></Disk>"),
    (m.RoleSize, f"<RoleSize {NS}><Name>Small</Name><Label>Small (1 cores, 1792 MB)</Label></RoleSize>"),
])
def test_plain_text_labels_are_left_alone(cls: type, xml: str) -> None:
    obj = codec.from_xml(cls, xml.encode())
    assert obj.label in ("My image", "disk label", "Small (1 cores, 1792 MB)")
    assert codec.to_xml(obj) == xml.encode()


def test_data_disk_label_is_plain() -> None:
    disk = m.DataDisk.by_size(0, 10, "https://a/b.vhd", label="data label")
    assert b"<DiskLabel>data label</DiskLabel>" in request_body(DataDisk, disk)


def test_invalid_base64_label_is_an_xml_error_naming_the_element() -> None:
    bad = (f"<HostedService {NS}><HostedServiceProperties><Label>%%%</Label>"
           "</HostedServiceProperties></HostedService>")
    with pytest.raises(XmlError, match="<Label> in <HostedServiceProperties>"):
        codec.from_xml(m.HostedService, bad.encode())


# --------------------------------------------------------------------------- i:nil and empties


def test_nil_description_round_trips() -> None:
    raw = (EXAMPLES / "GetHostedService.response.xml").read_bytes()
    raw = raw.replace(b"<Description>my cloud service</Description>", b'<Description i:nil="true"/>')
    service = codec.from_xml(m.HostedService, raw)
    props = service.hosted_service_properties
    assert props is not None and props.description is None
    assert "Description" in props.nil
    assert b'<Description i:nil="true"/>' in codec.to_xml(service)
    explicit = m.HostedServiceProperties(label="x", nil=frozenset({"Description"}))
    xml = codec.to_xml(explicit)
    assert b'<Description i:nil="true"/><Label>eA==</Label>' in xml
    assert codec.from_xml(m.HostedServiceProperties, xml) == explicit


def test_empty_elements_and_wrappers_round_trip() -> None:
    xml = (f"<PersistentVMRole {NS}><RoleName>r</RoleName><OsVersion/><ConfigurationSets>"
           "<ConfigurationSet><ConfigurationSetType>NetworkConfiguration</ConfigurationSetType>"
           "<InputEndpoints/><SubnetNames/></ConfigurationSet></ConfigurationSets>"
           "<DataVirtualHardDisks/></PersistentVMRole>").encode()
    role = codec.from_xml(m.VMRole, xml)
    assert role.os_version == ""
    assert role.data_virtual_hard_disks == [] and role.empty == {"DataVirtualHardDisks"}
    network = role.network_configuration
    assert network is not None and network.empty == {"InputEndpoints", "SubnetNames"}
    assert codec.to_xml(role, request=True) == xml
    assert b"SubnetNames" not in codec.to_xml(m.NetworkConfiguration(), request=True)


# --------------------------------------------------------------------------- unknown elements


def test_unknown_elements_are_kept_in_place() -> None:
    xml = (f"<OSImage {NS}><Category>User</Category><FutureFlag>yes</FutureFlag><Label>l</Label>"
           "<Name>n</Name><Future2><A>1</A></Future2><OS>Linux</OS></OSImage>").encode()
    image = codec.from_xml(m.OSImage, xml)
    assert [(u.after, etree.QName(etree.fromstring(u.xml)).localname) for u in image.extra] == [
        ("Category", "FutureFlag"), ("Name", "Future2")]
    assert codec.to_xml(image) == xml
    assert codec.from_json(m.OSImage, codec.to_json(image)) == image
    assert codec.to_json(image)["FutureFlag"] == "yes"


def test_unknown_configuration_set_type_is_kept() -> None:
    xml = (f"<PersistentVMRole {NS}><ConfigurationSets><ConfigurationSet>"
           "<ConfigurationSetType>FutureConfiguration</ConfigurationSetType><X>1</X>"
           "</ConfigurationSet></ConfigurationSets></PersistentVMRole>").encode()
    role = codec.from_xml(m.VMRole, xml)
    assert isinstance(role.configuration_sets[0], m.OtherConfigurationSet)
    assert codec.to_xml(role, request=True) == xml


# --------------------------------------------------------------------------- i:type


def test_responses_tag_vm_roles_and_network_sets_with_i_type_requests_never() -> None:
    deployment = m.Deployment(name="d", role_list=[
        m.VMRole(role_name="vm", configuration_sets=[m.NetworkConfiguration()]),
        m.VMRole(role_name="WebRole1", role_type=None),
    ])
    response = codec.to_xml(deployment)
    assert response.count(b'<Role i:type="PersistentVMRole">') == 1
    assert b'<ConfigurationSet i:type="NetworkConfigurationSet">' in response
    assert b"i:type" not in request_body(Deployment, deployment)
    get_role = etree.fromstring(codec.to_xml(deployment.role_list[0]))
    assert get_role.get("{http://www.w3.org/2001/XMLSchema-instance}type") is None  # GetRole root has none


def test_configuration_set_dispatch_falls_back_to_i_type() -> None:
    xml = (f'<PersistentVMRole {NS}><ConfigurationSets><ConfigurationSet i:type="NetworkConfigurationSet">'
           "<InputEndpoints/></ConfigurationSet></ConfigurationSets></PersistentVMRole>").encode()
    assert isinstance(codec.from_xml(m.VMRole, xml).configuration_sets[0], m.NetworkConfiguration)


# --------------------------------------------------------------------------- strict types


@pytest.mark.parametrize("element, value, kind", [
    ("LogicalSizeInGB", "thirty", "integer"),
    ("LogicalSizeInGB", "1_0", "integer"),
    ("LogicalSizeInGB", "", "integer"),
    ("IsPremium", "yes", "boolean"),
])
def test_bad_scalar_in_a_response_is_an_xml_error_with_the_element_name(element: str, value: str,
                                                                       kind: str) -> None:
    xml = f"<Images {NS}><OSImage><Name>n</Name><{element}>{value}</{element}></OSImage></Images>"
    with pytest.raises(XmlError, match=f"<{element}> in <OSImage>: expected .*{kind}"):
        codec.parse_list(m.OSImage, xml.encode())


def test_types_are_converted() -> None:
    op = codec.from_xml(m.OperationStatus, (EXAMPLES / "GetOperationStatus.failed.response.xml").read_bytes())
    assert op.status == "Failed" and isinstance(op.http_status_code, int)
    assert op.error is not None and op.error.code
    sizes = codec.parse_list(m.RoleSize, (EXAMPLES / "ListRoleSizes.response.xml").read_bytes())
    assert all(isinstance(s.cores, int) and isinstance(s.supported_by_virtual_machines, bool) for s in sizes)


def test_wrong_root_and_malformed_documents_are_xml_errors() -> None:
    with pytest.raises(XmlError, match="expected <OSImage>"):
        codec.from_xml(m.OSImage, f"<Disk {NS}/>".encode())
    with pytest.raises(XmlError):
        codec.from_xml(m.OSImage, b"<OSImage><Name>")
    with pytest.raises(XmlError, match="unexpected element <Surprise>"):
        codec.from_xml(m.VMRole, f"<PersistentVMRole {NS}><DataVirtualHardDisks><Surprise/>"
                                 "</DataVirtualHardDisks></PersistentVMRole>".encode())


def test_scalar_element_with_children_is_rejected() -> None:
    with pytest.raises(XmlError, match="<Name> in <OSImage>: expected text"):
        codec.from_xml(m.OSImage, f"<OSImage {NS}><Name><X/></Name></OSImage>".encode())


def test_serializing_wrong_types_is_a_validation_error() -> None:
    with pytest.raises(ValidationError) as info:
        codec.to_xml(m.DataDisk(lun="1"))  # type: ignore[arg-type]
    assert info.value.field == "Lun"
    with pytest.raises(ValidationError):
        codec.to_xml(m.OSImage(name="bad\x00char"))


def test_passwords_never_appear_in_validation_messages() -> None:
    with pytest.raises(ValidationError) as info:
        codec.from_mapping(m.WindowsProvisioningConfiguration, {"AdminPassword": 12345678})
    assert "12345678" not in str(info.value)


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("Error.*.response.xml")))
def test_error_examples_parse(name: str) -> None:
    code, message = codec.parse_error((EXAMPLES / name).read_bytes())
    assert code and message


def test_bare_error_without_namespace_parses() -> None:
    assert codec.parse_error(b"<Error><Code>BadRequest</Code><Message>nope</Message></Error>") == (
        "BadRequest", "nope")
    with pytest.raises(XmlError):
        codec.parse_error(f"<Operation {NS}/>".encode())


# --------------------------------------------------------------------------- mappings (the seed)


# The VM role of the seed's examples/servicemanagement/testcreatedeployment.js, line by line.
SEED_ROLE = {
    "RoleName": "testjsRole",
    "RoleSize": "Small",
    "OSVirtualHardDisk": {"SourceImageName": "testJSImg"},
    "DataVirtualHardDisks": [{
        "LogicalDiskSizeInGB": 10, "Lun": 0,
        "MediaLink": "http://sergei.blob.core.azure-preview.com/vhdstore/CentOs-CS.vhd",
    }],
    "ConfigurationSets": [
        {"ConfigurationSetType": "LinuxProvisioningConfiguration", "HostName": "testJSlinux",
         "UserName": "rduser", "UserPassword": "Abc123", "DisablePasswordAuthentication": "false"},
        {"ConfigurationSetType": "NetworkConfiguration",
         "InputEndpoints": [{"Name": "endpnameL", "Protocol": "tcp", "Port": "59913", "LocalPort": "3394"}]},
    ],
}


def test_seed_pascal_case_sample_becomes_a_typed_role() -> None:
    role = codec.from_mapping(m.VMRole, SEED_ROLE)
    assert role.role_type == "PersistentVMRole"  # the seed's default
    linux, network = role.configuration_sets
    assert isinstance(linux, m.LinuxProvisioningConfiguration)
    assert linux.disable_ssh_password_authentication is False  # the seed's misspelt key
    assert isinstance(network, m.NetworkConfiguration)
    assert network.input_endpoints[0].port == 59913 and network.input_endpoints[0].local_port == 3394
    assert role.data_virtual_hard_disks[0].lun == 0
    body = request_body(VMRole, SEED_ROLE)
    assert b"<Port>59913</Port>" in body and b"<RoleType>PersistentVMRole</RoleType>" in body


def test_seed_windows_set_without_type_is_recognised() -> None:
    role = codec.from_mapping(m.VMRole, {"RoleName": "w", "ConfigurationSets": [
        {"AdminPassword": "nodejsIaas", "ComputerName": "NodejsMa", "ResetPasswordOnFirstLogon": False}]})
    assert isinstance(role.configuration_sets[0], m.WindowsProvisioningConfiguration)


def test_mappings_accept_snake_case_nested_models_and_models() -> None:
    disk = m.DataDisk.by_name(2, "disk")
    role = codec.from_mapping(m.VMRole, {"role_name": "r", "data_virtual_hard_disks": [disk],
                                         "os_virtual_hard_disk": {"disk_name": "os"}})
    assert role.data_virtual_hard_disks == [disk]
    assert role.os_virtual_hard_disk == m.OSDisk(disk_name="os")
    assert codec.from_mapping(m.VMRole, role) is role


def test_unknown_mapping_key_names_the_path() -> None:
    with pytest.raises(ValidationError) as info:
        codec.from_mapping(m.VMRole, {"RoleName": "r", "OSVirtualHardDisk": {"Sourceimage": "x"}})
    assert info.value.field == "PersistentVMRole.OSVirtualHardDisk.Sourceimage"
    with pytest.raises(ValidationError):
        codec.from_mapping(m.DataDisk, {"Lun": "zero"})


def test_external_endpoint_is_the_input_endpoint() -> None:
    assert m.ExternalEndpoint is m.InputEndpoint


def test_parse_list_accepts_decoded_json() -> None:
    image = m.OSImage(name="n", label="l", logical_size_in_gb=30)
    assert codec.parse_list(m.OSImage, [codec.to_json(image)]) == [image]


def test_storage_keys_shortcuts() -> None:
    raw = (EXAMPLES / "GetStorageAccountKeys.response.xml").read_bytes()
    keys = codec.from_xml(m.StorageAccountKeys, raw)
    assert keys.primary and keys.secondary and keys.url


def test_models_compare_and_print_field_by_field_as_dataclasses_do() -> None:
    # One __repr__/__eq__ for all models instead of three generated methods per class: same
    # behaviour as dataclass(eq=True, repr=True).
    import dataclasses

    from smtui.api import models

    fields = [
        (f.name, object, dataclasses.field(default=None, repr=f.repr, compare=f.compare))
        for f in dataclasses.fields(models.HostedService)
    ]
    plain = dataclasses.make_dataclass("HostedService", fields)
    ours = models.HostedService(service_name="web", url="https://x")
    theirs = plain(**{f.name: getattr(ours, f.name) for f in dataclasses.fields(ours)})
    assert repr(ours) == repr(theirs)
    assert ours == models.HostedService(service_name="web", url="https://x")
    assert ours != models.HostedService(service_name="api", url="https://x")
    assert ours != models.Deployment()
    assert (ours == 1) is False
    assert models.HostedService.__hash__ is None  # mutable: not hashable, as with eq=True
