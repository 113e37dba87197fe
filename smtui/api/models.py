"""Typed data objects of the Service Management API, one class per wire element.

Conventions (see :mod:`smtui.api.codec` for the serializers):

* Field name = snake_case of the element name; the element name is declared next to each field
  (``wire("Name")``). Field order = documented (RDFE DataContract) element order, which is the order
  the codec emits. Parsing is order-insensitive.
* Optional scalars default to ``None`` (= element absent); ``""`` is an empty element. List wrappers
  are lists of models (or of strings) and default to empty.
* Three bookkeeping fields keep a parsed document lossless: ``extra`` (unknown child elements, as
  canonical XML, each remembering the known element it followed), ``nil`` (children sent as
  ``i:nil="true"``, e.g. a hosted service's ``Description``) and ``empty`` (list wrappers present
  with no items, e.g. ``<SubnetNames/>``).
* Labels the service base64-encodes (hosted-service and storage-account ``Label``, deployment
  ``Label`` and ``Configuration`` in responses) are stored DECODED; OS image, disk, data-disk and
  role-size labels are plain text on the wire and stay as they are.
* ``CustomData``, unattend ``Content`` and similar base64 payloads are opaque and kept as sent.

``ExternalEndpoint`` (named by the 2012 Node.js client's documentation, absent from its
``roleschema.json``) is the endpoint a VM exposes to the internet, i.e. an :class:`InputEndpoint`
of the network configuration set; it is an alias of that class. The per-instance view the service
reports back is :class:`InstanceEndpoint`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import ClassVar, TypeVar, dataclass_transform

from smtui.api.codec_schema import (
    empty_elements,
    nil_elements,
    unknown_elements,
    wire,
    wire_list,
)


@dataclass(frozen=True, slots=True)
class UnknownElement:
    """A child element no model field describes, preserved verbatim.

    Attributes:
        after: Wire name of the known element it followed (``None``: it came first).
        xml: The element as exclusive canonical XML (C14N), without its tail.
    """

    after: str | None
    xml: str


_Model = TypeVar("_Model")


@dataclass_transform(eq_default=False)
def model(cls: type[_Model]) -> type[_Model]:
    """Make ``cls`` a wire model: a slotted dataclass whose repr and == are :class:`WireObject`'s.

    One for all the models (those dataclass would write are the same, field by field):
    generating three methods for each of 73 classes was ~40 ms of every start that loads the
    client, most of it compiling their source.
    """
    return dataclass(slots=True, repr=False, eq=False)(cls)


@model
class WireObject:
    """Base of every data object: the bookkeeping that keeps a parsed document lossless.

    Attributes:
        extra: Child elements no field describes, in document position.
        nil: Wire names of children sent as ``i:nil="true"`` (their field is ``None``).
        empty: Wire names of list wrappers present on the wire with no items.
    """

    __wire__: ClassVar[str] = ""
    extra: list[UnknownElement] = unknown_elements()
    nil: frozenset[str] = nil_elements()
    empty: frozenset[str] = empty_elements()

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _names(type(self), "repr"))
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        names = _names(type(self), "compare")
        return tuple(getattr(self, n) for n in names) == tuple(getattr(other, n) for n in names)

    __hash__ = None  # type: ignore[assignment]  # mutable, as with dataclass(eq=True)


_NAMES: dict[tuple[type, str], tuple[str, ...]] = {}


def _names(cls: type, role: str) -> tuple[str, ...]:
    """The fields of a model class that take part in its repr (``repr``) or equality (``compare``)."""
    names = _NAMES.get((cls, role))
    if names is None:
        names = _NAMES[(cls, role)] = tuple(f.name for f in fields(cls) if getattr(f, role))
    return names


# --------------------------------------------------------------------------- common


@model
class ExtendedProperty(WireObject):
    """A name/value pair attached to a hosted service, deployment or storage account."""

    __wire__: ClassVar[str] = "ExtendedProperty"
    name: str | None = wire("Name")
    value: str | None = wire("Value")


@model
class OperationError(WireObject):
    """The ``Error`` of a failed asynchronous operation."""

    __wire__: ClassVar[str] = "Error"
    code: str | None = wire("Code")
    message: str | None = wire("Message")


@model
class OperationStatus(WireObject):
    """Status of an asynchronous operation (``GET /<sub>/operations/<request-id>``)."""

    __wire__: ClassVar[str] = "Operation"
    id: str | None = wire("ID")
    status: str | None = wire("Status")
    http_status_code: int | None = wire("HttpStatusCode")
    error: OperationError | None = wire("Error")


# --------------------------------------------------------------------------- images and disks


@model
class OSImage(WireObject):
    """An OS image of the image repository (platform or user image)."""

    __wire__: ClassVar[str] = "OSImage"
    __wire_list__: ClassVar[str] = "Images"
    # Add/Update OS Image bodies follow the request DataContract (as sent by .NET 2015-04-01),
    # which orders the optional members differently from the OSImage the service returns.
    __wire_request_order__: ClassVar[tuple[str, ...]] = (
        "Label", "MediaLink", "Name", "OS", "Eula", "Description", "ImageFamily", "PublishedDate",
        "IsPremium", "ShowInGui", "PrivacyUri", "IconUri", "RecommendedVMSize", "SmallIconUri", "Language",
    )
    affinity_group: str | None = wire("AffinityGroup")
    category: str | None = wire("Category")
    label: str | None = wire("Label")
    location: str | None = wire("Location")
    logical_size_in_gb: int | None = wire("LogicalSizeInGB")
    media_link: str | None = wire("MediaLink")
    name: str | None = wire("Name")
    os: str | None = wire("OS")
    eula: str | None = wire("Eula")
    description: str | None = wire("Description")
    image_family: str | None = wire("ImageFamily")
    show_in_gui: bool | None = wire("ShowInGui")
    published_date: str | None = wire("PublishedDate")
    is_premium: bool | None = wire("IsPremium")
    icon_uri: str | None = wire("IconUri")
    privacy_uri: str | None = wire("PrivacyUri")
    recommended_vm_size: str | None = wire("RecommendedVMSize")
    publisher_name: str | None = wire("PublisherName")
    pricing_detail_link: str | None = wire("PricingDetailLink")
    small_icon_uri: str | None = wire("SmallIconUri")
    language: str | None = wire("Language")
    os_state: str | None = wire("OSState")
    io_type: str | None = wire("IOType")


@model
class AttachedTo(WireObject):
    """The role a registered disk is attached to."""

    __wire__: ClassVar[str] = "AttachedTo"
    deployment_name: str | None = wire("DeploymentName")
    hosted_service_name: str | None = wire("HostedServiceName")
    role_name: str | None = wire("RoleName")


@model
class Disk(WireObject):
    """A disk of the subscription's disk repository (``List Disks``)."""

    __wire__: ClassVar[str] = "Disk"
    __wire_list__: ClassVar[str] = "Disks"
    affinity_group: str | None = wire("AffinityGroup")
    attached_to: AttachedTo | None = wire("AttachedTo")
    os: str | None = wire("OS")
    label: str | None = wire("Label")
    is_corrupted: bool | None = wire("IsCorrupted")
    location: str | None = wire("Location")
    logical_disk_size_in_gb: int | None = wire("LogicalDiskSizeInGB")
    media_link: str | None = wire("MediaLink")
    name: str | None = wire("Name")
    source_image_name: str | None = wire("SourceImageName")
    is_premium: bool | None = wire("IsPremium")
    pricing_detail_link: str | None = wire("PricingDetailLink")
    created_time: str | None = wire("CreatedTime")
    io_type: str | None = wire("IOType")


# --------------------------------------------------------------------------- hosted services


@model
class HostedServiceProperties(WireObject):
    """Properties of a cloud service. ``label`` is stored decoded (base64 on the wire)."""

    __wire__: ClassVar[str] = "HostedServiceProperties"
    description: str | None = wire("Description")
    location: str | None = wire("Location")
    affinity_group: str | None = wire("AffinityGroup")
    label: str | None = wire("Label", b64="always")
    status: str | None = wire("Status")
    date_created: str | None = wire("DateCreated")
    date_last_modified: str | None = wire("DateLastModified")
    extended_properties: list[ExtendedProperty] = wire_list("ExtendedProperties", "ExtendedProperty")
    guest_agent_type: str | None = wire("GuestAgentType")
    reverse_dns_fqdn: str | None = wire("ReverseDnsFqdn")


@model
class ComputeCapabilities(WireObject):
    """Role sizes available to a cloud service or in a location."""

    __wire__: ClassVar[str] = "ComputeCapabilities"
    web_worker_role_sizes: list[str] = wire_list("WebWorkerRoleSizes", "RoleSize")
    virtual_machines_role_sizes: list[str] = wire_list("VirtualMachinesRoleSizes", "RoleSize")


@model
class CreateHostedService(WireObject):
    """Body of ``Create Cloud Service``. ``label`` is stored decoded (sent base64)."""

    __wire__: ClassVar[str] = "CreateHostedService"
    service_name: str | None = wire("ServiceName")
    label: str | None = wire("Label", b64="always")
    description: str | None = wire("Description")
    location: str | None = wire("Location")
    affinity_group: str | None = wire("AffinityGroup")
    extended_properties: list[ExtendedProperty] = wire_list("ExtendedProperties", "ExtendedProperty")
    reverse_dns_fqdn: str | None = wire("ReverseDnsFqdn")


# --------------------------------------------------------------------------- storage


@model
class StorageServiceKeys(WireObject):
    """The two access keys of a storage account."""

    __wire__: ClassVar[str] = "StorageServiceKeys"
    primary: str | None = wire("Primary")
    secondary: str | None = wire("Secondary")


@model
class StorageAccountKeys(WireObject):
    """Answer of ``Get Storage Account Keys`` (wire root ``StorageService``)."""

    __wire__: ClassVar[str] = "StorageService"
    url: str | None = wire("Url")
    storage_service_keys: StorageServiceKeys | None = wire("StorageServiceKeys")

    @property
    def primary(self) -> str | None:
        """The primary key, if present."""
        return self.storage_service_keys.primary if self.storage_service_keys else None

    @property
    def secondary(self) -> str | None:
        """The secondary key, if present."""
        return self.storage_service_keys.secondary if self.storage_service_keys else None


@model
class StorageAccountProperties(WireObject):
    """Properties of a storage account (wire ``StorageServiceProperties``); ``label`` decoded."""

    __wire__: ClassVar[str] = "StorageServiceProperties"
    description: str | None = wire("Description")
    affinity_group: str | None = wire("AffinityGroup")
    location: str | None = wire("Location")
    label: str | None = wire("Label", b64="always")
    status: str | None = wire("Status")
    endpoints: list[str] = wire_list("Endpoints", "Endpoint")
    geo_replication_enabled: bool | None = wire("GeoReplicationEnabled")
    geo_primary_region: str | None = wire("GeoPrimaryRegion")
    status_of_primary: str | None = wire("StatusOfPrimary")
    geo_secondary_region: str | None = wire("GeoSecondaryRegion")
    status_of_secondary: str | None = wire("StatusOfSecondary")
    last_geo_failover_time: str | None = wire("LastGeoFailoverTime")
    creation_time: str | None = wire("CreationTime")
    custom_domains: list[CustomDomain] = wire_list("CustomDomains", "CustomDomain")
    secondary_endpoints: list[str] = wire_list("SecondaryEndpoints", "Endpoint")
    account_type: str | None = wire("AccountType")


@model
class CustomDomain(WireObject):
    """A custom domain mapped to a storage account."""

    __wire__: ClassVar[str] = "CustomDomain"
    name: str | None = wire("Name")
    use_sub_domain_name: bool | None = wire("UseSubDomainName")


@model
class StorageAccount(WireObject):
    """A storage account (wire ``StorageService``) as listed or fetched."""

    __wire__: ClassVar[str] = "StorageService"
    __wire_list__: ClassVar[str] = "StorageServices"
    url: str | None = wire("Url")
    service_name: str | None = wire("ServiceName")
    storage_service_properties: StorageAccountProperties | None = wire("StorageServiceProperties")
    extended_properties: list[ExtendedProperty] = wire_list("ExtendedProperties", "ExtendedProperty")
    capabilities: list[str] = wire_list("Capabilities", "Capability")


# --------------------------------------------------------------------------- locations and sizes


@model
class StorageCapabilities(WireObject):
    """Storage account types offered in a location."""

    __wire__: ClassVar[str] = "StorageCapabilities"
    storage_account_types: list[str] = wire_list("StorageAccountTypes", "StorageAccountType")


@model
class Location(WireObject):
    """A data-center region (``List Locations``)."""

    __wire__: ClassVar[str] = "Location"
    __wire_list__: ClassVar[str] = "Locations"
    name: str | None = wire("Name")
    display_name: str | None = wire("DisplayName")
    available_services: list[str] = wire_list("AvailableServices", "AvailableService")
    compute_capabilities: ComputeCapabilities | None = wire("ComputeCapabilities")
    storage_capabilities: StorageCapabilities | None = wire("StorageCapabilities")


@model
class RoleSize(WireObject):
    """A VM/role size (``List Role Sizes``). ``label`` is plain text."""

    __wire__: ClassVar[str] = "RoleSize"
    __wire_list__: ClassVar[str] = "RoleSizes"
    name: str | None = wire("Name")
    label: str | None = wire("Label")
    cores: int | None = wire("Cores")
    memory_in_mb: int | None = wire("MemoryInMb")
    supported_by_web_worker_roles: bool | None = wire("SupportedByWebWorkerRoles")
    supported_by_virtual_machines: bool | None = wire("SupportedByVirtualMachines")
    max_data_disk_count: int | None = wire("MaxDataDiskCount")
    web_worker_resource_disk_size_in_mb: int | None = wire("WebWorkerResourceDiskSizeInMb")
    virtual_machine_resource_disk_size_in_mb: int | None = wire("VirtualMachineResourceDiskSizeInMb")


# --------------------------------------------------------------------------- VM images, groups, subscription


@model
class OSDiskConfiguration(WireObject):
    """The OS disk of a VM image."""

    __wire__: ClassVar[str] = "OSDiskConfiguration"
    name: str | None = wire("Name")
    host_caching: str | None = wire("HostCaching")
    os_state: str | None = wire("OSState")
    os: str | None = wire("OS")
    media_link: str | None = wire("MediaLink")
    logical_disk_size_in_gb: int | None = wire("LogicalDiskSizeInGB")
    io_type: str | None = wire("IOType")


@model
class DataDiskConfiguration(WireObject):
    """A data disk of a VM image."""

    __wire__: ClassVar[str] = "DataDiskConfiguration"
    name: str | None = wire("Name")
    host_caching: str | None = wire("HostCaching")
    lun: int | None = wire("Lun")
    media_link: str | None = wire("MediaLink")
    logical_disk_size_in_gb: int | None = wire("LogicalDiskSizeInGB")
    io_type: str | None = wire("IOType")


@model
class VMImage(WireObject):
    """A VM image (``List VM Images``): an OS disk plus data disks, platform or user. ``label`` is plain."""

    __wire__: ClassVar[str] = "VMImage"
    __wire_list__: ClassVar[str] = "VMImages"
    name: str | None = wire("Name")
    label: str | None = wire("Label")
    category: str | None = wire("Category")
    description: str | None = wire("Description")
    os_disk_configuration: OSDiskConfiguration | None = wire("OSDiskConfiguration")
    data_disk_configurations: list[DataDiskConfiguration] = wire_list(
        "DataDiskConfigurations", "DataDiskConfiguration"
    )
    service_name: str | None = wire("ServiceName")
    deployment_name: str | None = wire("DeploymentName")
    role_name: str | None = wire("RoleName")
    affinity_group: str | None = wire("AffinityGroup")
    location: str | None = wire("Location")
    created_time: str | None = wire("CreatedTime")
    modified_time: str | None = wire("ModifiedTime")
    language: str | None = wire("Language")
    image_family: str | None = wire("ImageFamily")
    recommended_vm_size: str | None = wire("RecommendedVMSize")
    is_premium: bool | None = wire("IsPremium")
    eula: str | None = wire("Eula")
    icon_uri: str | None = wire("IconUri")
    small_icon_uri: str | None = wire("SmallIconUri")
    privacy_uri: str | None = wire("PrivacyUri")
    publisher_name: str | None = wire("PublisherName")
    published_date: str | None = wire("PublishedDate")
    show_in_gui: bool | None = wire("ShowInGui")
    pricing_detail_link: str | None = wire("PricingDetailLink")
    vm_image_state: str | None = wire("VMImageState")


@model
class ResourceReference(WireObject):
    """A hosted service or storage account listed in an affinity group (``Url``, ``ServiceName``)."""

    __wire__: ClassVar[str] = "HostedService"
    url: str | None = wire("Url")
    service_name: str | None = wire("ServiceName")


@model
class AffinityGroup(WireObject):
    """An affinity group; Get Affinity Group adds its hosted services and storage accounts.

    ``label`` is stored decoded (base64 on the wire).
    """

    __wire__: ClassVar[str] = "AffinityGroup"
    __wire_list__: ClassVar[str] = "AffinityGroups"
    name: str | None = wire("Name")
    label: str | None = wire("Label", b64="always")
    description: str | None = wire("Description")
    location: str | None = wire("Location")
    hosted_services: list[ResourceReference] = wire_list("HostedServices", "HostedService")
    storage_services: list[ResourceReference] = wire_list("StorageServices", "StorageService")
    capabilities: list[str] = wire_list("Capabilities", "Capability")
    created_time: str | None = wire("CreatedTime")
    compute_capabilities: ComputeCapabilities | None = wire("ComputeCapabilities")


@model
class Subscription(WireObject):
    """The subscription and its quotas (``Get Subscription``): limits and current usage."""

    __wire__: ClassVar[str] = "Subscription"
    subscription_id: str | None = wire("SubscriptionID")
    subscription_name: str | None = wire("SubscriptionName")
    subscription_status: str | None = wire("SubscriptionStatus")
    account_admin_live_email_id: str | None = wire("AccountAdminLiveEmailId")
    service_admin_live_email_id: str | None = wire("ServiceAdminLiveEmailId")
    max_core_count: int | None = wire("MaxCoreCount")
    max_storage_accounts: int | None = wire("MaxStorageAccounts")
    max_hosted_services: int | None = wire("MaxHostedServices")
    current_core_count: int | None = wire("CurrentCoreCount")
    current_hosted_services: int | None = wire("CurrentHostedServices")
    current_storage_accounts: int | None = wire("CurrentStorageAccounts")
    max_virtual_network_sites: int | None = wire("MaxVirtualNetworkSites")
    max_local_network_sites: int | None = wire("MaxLocalNetworkSites")
    max_dns_servers: int | None = wire("MaxDnsServers")
    offer_categories: str | None = wire("OfferCategories")
    aad_tenant_id: str | None = wire("AADTenantID")
    created_time: str | None = wire("CreatedTime")
    max_reserved_ips: int | None = wire("MaxReservedIPs")
    current_reserved_ips: int | None = wire("CurrentReservedIPs")
    max_public_ip_count: int | None = wire("MaxPublicIPCount")


# --------------------------------------------------------------------------- disks of a role


@model
class OSDisk(WireObject):
    """The OS disk of a VM role (wire ``OSVirtualHardDisk``).

    Create from an image with ``source_image_name`` + ``media_link`` (blob to create), attach an
    existing OS disk with ``disk_name`` alone, or boot a remote image with
    ``remote_source_image_link`` + ``os``.
    """

    __wire__: ClassVar[str] = "OSVirtualHardDisk"
    host_caching: str | None = wire("HostCaching")
    disk_label: str | None = wire("DiskLabel")
    disk_name: str | None = wire("DiskName")
    media_link: str | None = wire("MediaLink")
    source_image_name: str | None = wire("SourceImageName")
    os: str | None = wire("OS")
    remote_source_image_link: str | None = wire("RemoteSourceImageLink")
    io_type: str | None = wire("IOType")
    resized_size_in_gb: int | None = wire("ResizedSizeInGB")


@model
class DataDisk(WireObject):
    """A data disk of a VM role (wire ``DataVirtualHardDisk``).

    Three ways to add one (see the constructors): :meth:`by_size` (a new empty disk),
    :meth:`by_name` (an existing registered disk) and :meth:`by_media_link` (an existing VHD blob).
    ``disk_label`` is plain text on the wire.
    """

    __wire__: ClassVar[str] = "DataVirtualHardDisk"
    __wire_list__: ClassVar[str] = "DataVirtualHardDisks"
    host_caching: str | None = wire("HostCaching")
    disk_label: str | None = wire("DiskLabel")
    disk_name: str | None = wire("DiskName")
    lun: int | None = wire("Lun")
    logical_disk_size_in_gb: int | None = wire("LogicalDiskSizeInGB")
    media_link: str | None = wire("MediaLink")
    source_media_link: str | None = wire("SourceMediaLink")
    io_type: str | None = wire("IOType")

    @classmethod
    def by_size(
        cls, lun: int, size_in_gb: int, media_link: str, *, label: str | None = None,
        host_caching: str | None = None,
    ) -> DataDisk:
        """A new empty disk of ``size_in_gb`` GB stored in the (not yet existing) blob ``media_link``."""
        return cls(host_caching=host_caching, disk_label=label, lun=lun,
                   logical_disk_size_in_gb=size_in_gb, media_link=media_link)

    @classmethod
    def by_name(cls, lun: int, disk_name: str, *, host_caching: str | None = None) -> DataDisk:
        """An existing disk of the disk repository (see ``list_disks``)."""
        return cls(host_caching=host_caching, disk_name=disk_name, lun=lun)

    @classmethod
    def by_media_link(
        cls, lun: int, source_media_link: str, *, label: str | None = None,
        host_caching: str | None = None, media_link: str | None = None,
    ) -> DataDisk:
        """An existing VHD blob ``source_media_link`` (copied to ``media_link`` if given)."""
        return cls(host_caching=host_caching, disk_label=label, lun=lun, media_link=media_link,
                   source_media_link=source_media_link)


# --------------------------------------------------------------------------- configuration sets


@model
class CertificateSetting(WireObject):
    """A service certificate to install in the VM's certificate store."""

    __wire__: ClassVar[str] = "CertificateSetting"
    store_location: str | None = wire("StoreLocation")
    store_name: str | None = wire("StoreName")
    thumbprint: str | None = wire("Thumbprint")


@model
class WinRMListener(WireObject):
    """A WinRM listener (Python SDK element order: ``Protocol``, ``CertificateThumbprint``)."""

    __wire__: ClassVar[str] = "Listener"
    protocol: str | None = wire("Protocol")
    certificate_thumbprint: str | None = wire("CertificateThumbprint")


@model
class WinRM(WireObject):
    """WinRM configuration of a Windows VM."""

    __wire__: ClassVar[str] = "WinRM"
    listeners: list[WinRMListener] = wire_list("Listeners", "Listener")


@model
class DomainJoinCredentials(WireObject):
    """Credentials used to join a domain."""

    __wire__: ClassVar[str] = "Credentials"
    domain: str | None = wire("Domain")
    username: str | None = wire("Username")
    password: str | None = wire("Password", secret=True)


@model
class DomainJoinProvisioning(WireObject):
    """Offline domain-join blob."""

    __wire__: ClassVar[str] = "Provisioning"
    account_data: str | None = wire("AccountData")


@model
class DomainJoin(WireObject):
    """Domain membership of a Windows VM."""

    __wire__: ClassVar[str] = "DomainJoin"
    credentials: DomainJoinCredentials | None = wire("Credentials")
    provisioning: DomainJoinProvisioning | None = wire("Provisioning")
    join_domain: str | None = wire("JoinDomain")
    machine_object_ou: str | None = wire("MachineObjectOU")


@model
class ComponentSetting(WireObject):
    """One unattend setting; ``content`` is base64 on the wire and kept as sent."""

    __wire__: ClassVar[str] = "ComponentSetting"
    setting_name: str | None = wire("SettingName")
    content: str | None = wire("Content")


@model
class UnattendComponent(WireObject):
    """An unattend.xml component."""

    __wire__: ClassVar[str] = "UnattendComponent"
    component_name: str | None = wire("ComponentName")
    component_settings: list[ComponentSetting] = wire_list("ComponentSettings", "ComponentSetting")


@model
class UnattendPass(WireObject):
    """An unattend.xml pass."""

    __wire__: ClassVar[str] = "UnattendPass"
    pass_name: str | None = wire("PassName")
    components: list[UnattendComponent] = wire_list("Components", "UnattendComponent")


@model
class AdditionalUnattendContent(WireObject):
    """Extra unattend.xml content for Windows provisioning."""

    __wire__: ClassVar[str] = "AdditionalUnattendContent"
    passes: list[UnattendPass] = wire_list("Passes", "UnattendPass")


@model
class WindowsProvisioningConfiguration(WireObject):
    """Windows provisioning set (``ConfigurationSetType`` ``WindowsProvisioningConfiguration``)."""

    __wire__: ClassVar[str] = "ConfigurationSet"
    __wire_discriminator__: ClassVar[tuple[str, str]] = (
        "ConfigurationSetType", "WindowsProvisioningConfiguration")
    __wire_xsi_type__: ClassVar[str] = "WindowsProvisioningConfigurationSet"
    configuration_set_type: str | None = wire(
        "ConfigurationSetType", default="WindowsProvisioningConfiguration")
    computer_name: str | None = wire("ComputerName")
    admin_password: str | None = wire("AdminPassword", secret=True)
    reset_password_on_first_logon: bool | None = wire("ResetPasswordOnFirstLogon")
    enable_automatic_updates: bool | None = wire("EnableAutomaticUpdates")
    time_zone: str | None = wire("TimeZone")
    domain_join: DomainJoin | None = wire("DomainJoin")
    stored_certificate_settings: list[CertificateSetting] = wire_list(
        "StoredCertificateSettings", "CertificateSetting")
    win_rm: WinRM | None = wire("WinRM")
    admin_username: str | None = wire("AdminUsername")
    custom_data: str | None = wire("CustomData")
    additional_unattend_content: AdditionalUnattendContent | None = wire("AdditionalUnattendContent")


@model
class SSHPublicKey(WireObject):
    """An SSH public key to install (``Fingerprint`` of an uploaded service certificate)."""

    __wire__: ClassVar[str] = "PublicKey"
    fingerprint: str | None = wire("Fingerprint")
    path: str | None = wire("Path")


@model
class SSHKeyPair(WireObject):
    """An SSH key pair to install."""

    __wire__: ClassVar[str] = "KeyPair"
    fingerprint: str | None = wire("Fingerprint")
    path: str | None = wire("Path")


@model
class SSH(WireObject):
    """SSH keys of a Linux VM."""

    __wire__: ClassVar[str] = "SSH"
    public_keys: list[SSHPublicKey] = wire_list("PublicKeys", "PublicKey")
    key_pairs: list[SSHKeyPair] = wire_list("KeyPairs", "KeyPair")


@model
class LinuxProvisioningConfiguration(WireObject):
    """Linux provisioning set (``ConfigurationSetType`` ``LinuxProvisioningConfiguration``)."""

    __wire__: ClassVar[str] = "ConfigurationSet"
    __wire_discriminator__: ClassVar[tuple[str, str]] = (
        "ConfigurationSetType", "LinuxProvisioningConfiguration")
    __wire_xsi_type__: ClassVar[str] = "LinuxProvisioningConfigurationSet"
    configuration_set_type: str | None = wire(
        "ConfigurationSetType", default="LinuxProvisioningConfiguration")
    host_name: str | None = wire("HostName")
    user_name: str | None = wire("UserName")
    user_password: str | None = wire("UserPassword", secret=True)
    disable_ssh_password_authentication: bool | None = wire("DisableSshPasswordAuthentication")
    ssh: SSH | None = wire("SSH")
    custom_data: str | None = wire("CustomData")


@model
class LoadBalancerProbe(WireObject):
    """Health probe of a load-balanced endpoint set."""

    __wire__: ClassVar[str] = "LoadBalancerProbe"
    path: str | None = wire("Path")
    port: int | None = wire("Port")
    protocol: str | None = wire("Protocol")
    interval_in_seconds: int | None = wire("IntervalInSeconds")
    timeout_in_seconds: int | None = wire("TimeoutInSeconds")


@model
class AclRule(WireObject):
    """One rule of an endpoint ACL."""

    __wire__: ClassVar[str] = "Rule"
    order: int | None = wire("Order")
    action: str | None = wire("Action")
    remote_subnet: str | None = wire("RemoteSubnet")
    description: str | None = wire("Description")


@model
class EndpointAcl(WireObject):
    """Access control list of an input endpoint."""

    __wire__: ClassVar[str] = "EndpointAcl"
    rules: list[AclRule] = wire_list("Rules", "Rule")


@model
class InputEndpoint(WireObject):
    """An endpoint a VM exposes through the cloud service's VIP (alias :data:`ExternalEndpoint`)."""

    __wire__: ClassVar[str] = "InputEndpoint"
    load_balanced_endpoint_set_name: str | None = wire("LoadBalancedEndpointSetName")
    local_port: int | None = wire("LocalPort")
    name: str | None = wire("Name")
    port: int | None = wire("Port")
    load_balancer_probe: LoadBalancerProbe | None = wire("LoadBalancerProbe")
    protocol: str | None = wire("Protocol")
    vip: str | None = wire("Vip")
    enable_direct_server_return: bool | None = wire("EnableDirectServerReturn")
    endpoint_acl: EndpointAcl | None = wire("EndpointAcl")
    load_balancer_name: str | None = wire("LoadBalancerName")
    idle_timeout_in_minutes: int | None = wire("IdleTimeoutInMinutes")
    load_balancer_distribution: str | None = wire("LoadBalancerDistribution")
    virtual_ip_name: str | None = wire("VirtualIPName")


ExternalEndpoint = InputEndpoint
"""The seed's name for an endpoint exposed to the internet: an :class:`InputEndpoint`."""


@model
class PublicIP(WireObject):
    """An instance-level public IP."""

    __wire__: ClassVar[str] = "PublicIP"
    name: str | None = wire("Name")
    address: str | None = wire("Address")
    idle_timeout_in_minutes: int | None = wire("IdleTimeoutInMinutes")
    domain_name_label: str | None = wire("DomainNameLabel")
    fqdns: list[str] = wire_list("Fqdns", "Fqdn")


@model
class NetworkConfiguration(WireObject):
    """Network set (``ConfigurationSetType`` ``NetworkConfiguration``): endpoints, subnets, IPs."""

    __wire__: ClassVar[str] = "ConfigurationSet"
    __wire_discriminator__: ClassVar[tuple[str, str]] = ("ConfigurationSetType", "NetworkConfiguration")
    __wire_xsi_type__: ClassVar[str] = "NetworkConfigurationSet"
    configuration_set_type: str | None = wire("ConfigurationSetType", default="NetworkConfiguration")
    input_endpoints: list[InputEndpoint] = wire_list("InputEndpoints", "InputEndpoint")
    subnet_names: list[str] = wire_list("SubnetNames", "SubnetName")
    static_virtual_network_ip_address: str | None = wire("StaticVirtualNetworkIPAddress")
    public_ips: list[PublicIP] = wire_list("PublicIPs", "PublicIP")
    network_security_group: str | None = wire("NetworkSecurityGroup")
    ip_forwarding: str | None = wire("IPForwarding")


@model
class OtherConfigurationSet(WireObject):
    """A configuration set of a type this client does not know; its children stay in ``extra``."""

    __wire__: ClassVar[str] = "ConfigurationSet"
    __wire_discriminator__: ClassVar[tuple[str, str]] = ("ConfigurationSetType", "*")
    configuration_set_type: str | None = wire("ConfigurationSetType")


ProvisioningConfiguration = WindowsProvisioningConfiguration | LinuxProvisioningConfiguration
"""A provisioning set: Windows or Linux."""

ConfigurationSet = (
    WindowsProvisioningConfiguration | LinuxProvisioningConfiguration | NetworkConfiguration
    | OtherConfigurationSet
)
"""Any item of ``ConfigurationSets`` (dispatched on ``ConfigurationSetType``)."""


# --------------------------------------------------------------------------- roles


@model
class ResourceExtensionParameterValue(WireObject):
    """A (public or private) parameter of a VM extension reference."""

    __wire__: ClassVar[str] = "ResourceExtensionParameterValue"
    key: str | None = wire("Key")
    value: str | None = wire("Value")
    type: str | None = wire("Type")


@model
class ResourceExtensionReference(WireObject):
    """A VM extension installed on a role."""

    __wire__: ClassVar[str] = "ResourceExtensionReference"
    reference_name: str | None = wire("ReferenceName")
    publisher: str | None = wire("Publisher")
    name: str | None = wire("Name")
    version: str | None = wire("Version")
    resource_extension_parameter_values: list[ResourceExtensionParameterValue] = wire_list(
        "ResourceExtensionParameterValues", "ResourceExtensionParameterValue")
    state: str | None = wire("State")
    force_update: bool | None = wire("ForceUpdate")


@model
class DebugSettings(WireObject):
    """Boot diagnostics of a VM."""

    __wire__: ClassVar[str] = "DebugSettings"
    boot_diagnostics_enabled: bool | None = wire("BootDiagnosticsEnabled")
    console_screenshot_blob_uri: str | None = wire("ConsoleScreenshotBlobUri")
    serial_output_blob_uri: str | None = wire("SerialOutputBlobUri")


@model
class VMRole(WireObject):
    """A persistent VM role (wire ``PersistentVMRole`` as a document, ``Role`` inside ``RoleList``).

    Responses only echo the network configuration set; provisioning sets (and passwords) never
    come back. ``role_type`` defaults to ``PersistentVMRole`` for new roles, as in the seed.
    """

    __wire__: ClassVar[str] = "PersistentVMRole"
    __wire_xsi_type__: ClassVar[str] = "PersistentVMRole"
    # As a document root (Get/Add/Update Role) RDFE orders these members differently from a Role
    # inside a deployment's RoleList.
    __wire_root_order__: ClassVar[tuple[str, ...]] = (
        "RoleName", "OsVersion", "RoleType", "ConfigurationSets", "ResourceExtensionReferences",
        "VMImageName", "MediaLocation", "AvailabilitySetName", "DataVirtualHardDisks", "Label",
        "OSVirtualHardDisk", "RoleSize", "ProvisionGuestAgent", "DefaultWinRmCertificateThumbprint",
        "LicenseType", "DebugSettings",
    )
    role_name: str | None = wire("RoleName")
    os_version: str | None = wire("OsVersion")
    role_type: str | None = wire("RoleType", default="PersistentVMRole")
    configuration_sets: list[ConfigurationSet] = wire_list("ConfigurationSets", "ConfigurationSet")
    resource_extension_references: list[ResourceExtensionReference] = wire_list(
        "ResourceExtensionReferences", "ResourceExtensionReference")
    vm_image_name: str | None = wire("VMImageName")
    media_location: str | None = wire("MediaLocation")
    availability_set_name: str | None = wire("AvailabilitySetName")
    data_virtual_hard_disks: list[DataDisk] = wire_list("DataVirtualHardDisks", "DataVirtualHardDisk")
    label: str | None = wire("Label")
    os_virtual_hard_disk: OSDisk | None = wire("OSVirtualHardDisk")
    role_size: str | None = wire("RoleSize")
    default_win_rm_certificate_thumbprint: str | None = wire("DefaultWinRmCertificateThumbprint")
    provision_guest_agent: bool | None = wire("ProvisionGuestAgent")
    debug_settings: DebugSettings | None = wire("DebugSettings")
    license_type: str | None = wire("LicenseType")
    migration_state: str | None = wire("MigrationState")

    @property
    def network_configuration(self) -> NetworkConfiguration | None:
        """The role's network configuration set, if any."""
        for item in self.configuration_sets:
            if isinstance(item, NetworkConfiguration):
                return item
        return None


# --------------------------------------------------------------------------- deployments


@model
class InstanceEndpoint(WireObject):
    """An endpoint as reported for a running role instance."""

    __wire__: ClassVar[str] = "InstanceEndpoint"
    name: str | None = wire("Name")
    vip: str | None = wire("Vip")
    public_port: int | None = wire("PublicPort")
    local_port: int | None = wire("LocalPort")
    protocol: str | None = wire("Protocol")
    idle_timeout_in_minutes: int | None = wire("IdleTimeoutInMinutes")


@model
class FormattedMessage(WireObject):
    """A localised status message."""

    __wire__: ClassVar[str] = "FormattedMessage"
    language: str | None = wire("Language")
    message: str | None = wire("Message")


@model
class GuestAgentStatus(WireObject):
    """Status of the VM guest agent."""

    __wire__: ClassVar[str] = "GuestAgentStatus"
    protocol_version: str | None = wire("ProtocolVersion")
    timestamp: str | None = wire("Timestamp")
    guest_agent_version: str | None = wire("GuestAgentVersion")
    status: str | None = wire("Status")
    code: int | None = wire("Code")
    formatted_message: FormattedMessage | None = wire("FormattedMessage")


@model
class ResourceExtensionStatus(WireObject):
    """Status of one VM extension handler."""

    __wire__: ClassVar[str] = "ResourceExtensionStatus"
    handler_name: str | None = wire("HandlerName")
    version: str | None = wire("Version")
    status: str | None = wire("Status")
    code: int | None = wire("Code")
    formatted_message: FormattedMessage | None = wire("FormattedMessage")


@model
class RoleInstance(WireObject):
    """A running (or stopped) instance of a role; for VMs ``instance_name`` equals the role name."""

    __wire__: ClassVar[str] = "RoleInstance"
    role_name: str | None = wire("RoleName")
    instance_name: str | None = wire("InstanceName")
    instance_status: str | None = wire("InstanceStatus")
    extended_instance_status: str | None = wire("ExtendedInstanceStatus")
    instance_upgrade_domain: int | None = wire("InstanceUpgradeDomain")
    instance_fault_domain: int | None = wire("InstanceFaultDomain")
    instance_size: str | None = wire("InstanceSize")
    instance_state_details: str | None = wire("InstanceStateDetails")
    instance_error_code: str | None = wire("InstanceErrorCode")
    ip_address: str | None = wire("IpAddress")
    instance_endpoints: list[InstanceEndpoint] = wire_list("InstanceEndpoints", "InstanceEndpoint")
    power_state: str | None = wire("PowerState")
    host_name: str | None = wire("HostName")
    remote_access_certificate_thumbprint: str | None = wire("RemoteAccessCertificateThumbprint")
    guest_agent_status: GuestAgentStatus | None = wire("GuestAgentStatus")
    resource_extension_status_list: list[ResourceExtensionStatus] = wire_list(
        "ResourceExtensionStatusList", "ResourceExtensionStatus")
    public_ips: list[PublicIP] = wire_list("PublicIPs", "PublicIP")


@model
class UpgradeStatus(WireObject):
    """Progress of an in-place upgrade."""

    __wire__: ClassVar[str] = "UpgradeStatus"
    upgrade_type: str | None = wire("UpgradeType")
    current_upgrade_domain_state: str | None = wire("CurrentUpgradeDomainState")
    current_upgrade_domain: int | None = wire("CurrentUpgradeDomain")


@model
class PersistentVMDowntime(WireObject):
    """A scheduled maintenance window of the deployment's VMs."""

    __wire__: ClassVar[str] = "PersistentVMDowntime"
    start_time: str | None = wire("StartTime")
    end_time: str | None = wire("EndTime")
    status: str | None = wire("Status")


@model
class VirtualIP(WireObject):
    """A virtual IP address of a deployment."""

    __wire__: ClassVar[str] = "VirtualIP"
    address: str | None = wire("Address")
    is_dns_programmed: bool | None = wire("IsDnsProgrammed")
    name: str | None = wire("Name")
    is_reserved: bool | None = wire("IsReserved")
    reserved_ip_name: str | None = wire("ReservedIPName")
    type: str | None = wire("Type")


@model
class DnsServer(WireObject):
    """A DNS server the deployment's VMs use."""

    __wire__: ClassVar[str] = "DnsServer"
    name: str | None = wire("Name")
    address: str | None = wire("Address")


@model
class Dns(WireObject):
    """DNS settings of a deployment."""

    __wire__: ClassVar[str] = "Dns"
    dns_servers: list[DnsServer] = wire_list("DnsServers", "DnsServer")


@model
class FrontendIpConfiguration(WireObject):
    """Front end of an internal load balancer."""

    __wire__: ClassVar[str] = "FrontendIpConfiguration"
    type: str | None = wire("Type")
    subnet_name: str | None = wire("SubnetName")
    static_virtual_network_ip_address: str | None = wire("StaticVirtualNetworkIPAddress")


@model
class LoadBalancer(WireObject):
    """An internal load balancer of a deployment."""

    __wire__: ClassVar[str] = "LoadBalancer"
    name: str | None = wire("Name")
    frontend_ip_configuration: FrontendIpConfiguration | None = wire("FrontendIpConfiguration")


@model
class Deployment(WireObject):
    """A deployment (the VMs of a cloud service slot).

    ``label`` and ``configuration`` are stored decoded: responses carry them base64-encoded, while
    the VM ``CreateDeployment`` request sends ``Label`` as plain text (the codec handles both).
    """

    __wire__: ClassVar[str] = "Deployment"
    name: str | None = wire("Name")
    deployment_slot: str | None = wire("DeploymentSlot")
    private_id: str | None = wire("PrivateID")
    status: str | None = wire("Status")
    label: str | None = wire("Label", b64="response")
    url: str | None = wire("Url")
    configuration: str | None = wire("Configuration", b64="response")
    role_instance_list: list[RoleInstance] = wire_list("RoleInstanceList", "RoleInstance")
    upgrade_status: UpgradeStatus | None = wire("UpgradeStatus")
    upgrade_domain_count: int | None = wire("UpgradeDomainCount")
    role_list: list[VMRole] = wire_list("RoleList", "Role")
    sdk_version: str | None = wire("SdkVersion")
    locked: bool | None = wire("Locked")
    rollback_allowed: bool | None = wire("RollbackAllowed")
    virtual_network_name: str | None = wire("VirtualNetworkName")
    created_time: str | None = wire("CreatedTime")
    last_modified_time: str | None = wire("LastModifiedTime")
    extended_properties: list[ExtendedProperty] = wire_list("ExtendedProperties", "ExtendedProperty")
    dns: Dns | None = wire("Dns")
    persistent_vm_downtime: PersistentVMDowntime | None = wire("PersistentVMDowntime")
    virtual_ips: list[VirtualIP] = wire_list("VirtualIPs", "VirtualIP")
    reserved_ip_name: str | None = wire("ReservedIPName")
    internal_dns_suffix: str | None = wire("InternalDnsSuffix")
    load_balancers: list[LoadBalancer] = wire_list("LoadBalancers", "LoadBalancer")
    virtual_network_id: str | None = wire("VirtualNetworkId")


@model
class HostedService(WireObject):
    """A cloud service; ``deployments`` is filled only with ``embed-detail=true``."""

    __wire__: ClassVar[str] = "HostedService"
    __wire_list__: ClassVar[str] = "HostedServices"
    url: str | None = wire("Url")
    service_name: str | None = wire("ServiceName")
    hosted_service_properties: HostedServiceProperties | None = wire("HostedServiceProperties")
    deployments: list[Deployment] = wire_list("Deployments", "Deployment")
    compute_capabilities: ComputeCapabilities | None = wire("ComputeCapabilities")


# --------------------------------------------------------------------------- role operations


@model
class ShutdownRoleOperation(WireObject):
    """Body of ``Shutdown Role``; ``post_shutdown_action`` ``Stopped`` | ``StoppedDeallocated``."""

    __wire__: ClassVar[str] = "ShutdownRoleOperation"
    operation_type: str | None = wire("OperationType", default="ShutdownRoleOperation")
    post_shutdown_action: str | None = wire("PostShutdownAction")


@model
class StartRoleOperation(WireObject):
    """Body of ``Start Role``."""

    __wire__: ClassVar[str] = "StartRoleOperation"
    operation_type: str | None = wire("OperationType", default="StartRoleOperation")


@model
class RestartRoleOperation(WireObject):
    """Body of ``Restart Role``."""

    __wire__: ClassVar[str] = "RestartRoleOperation"
    operation_type: str | None = wire("OperationType", default="RestartRoleOperation")


@model
class CaptureRoleOperation(WireObject):
    """Body of ``Capture Role`` (capture an OS image); ``target_image_label`` is plain text."""

    __wire__: ClassVar[str] = "CaptureRoleOperation"
    operation_type: str | None = wire("OperationType", default="CaptureRoleOperation")
    post_capture_action: str | None = wire("PostCaptureAction")
    provisioning_configuration: ProvisioningConfiguration | None = wire("ProvisioningConfiguration")
    target_image_label: str | None = wire("TargetImageLabel")
    target_image_name: str | None = wire("TargetImageName")


@model
class ShutdownRolesOperation(WireObject):
    """Body of ``Shutdown Roles`` (several roles of one deployment)."""

    __wire__: ClassVar[str] = "ShutdownRolesOperation"
    operation_type: str | None = wire("OperationType", default="ShutdownRolesOperation")
    roles: list[str] = wire_list("Roles", "Name")
    post_shutdown_action: str | None = wire("PostShutdownAction")


@model
class StartRolesOperation(WireObject):
    """Body of ``Start Roles`` (several roles of one deployment)."""

    __wire__: ClassVar[str] = "StartRolesOperation"
    operation_type: str | None = wire("OperationType", default="StartRolesOperation")
    roles: list[str] = wire_list("Roles", "Name")
