"""OS/VM images, disks, storage accounts, locations, role sizes, affinity groups; subscription;
operations; certs."""

from __future__ import annotations

import base64
import binascii

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from smtui.emulator import lookups
from smtui.emulator import render_catalog as rcat
from smtui.emulator import render_compute as rc
from smtui.emulator import validate as v
from smtui.emulator.certs import der_to_pem, thumbprint
from smtui.emulator.engine import ApiError, bad_request, conflict, iso, not_found
from smtui.emulator.nodes import Node
from smtui.emulator.routing import Ctx, Reply, Router

_PLATFORM = ApiError(403, "ForbiddenError", "This operation is not allowed for this subscription.")


def get_operation(ctx: Ctx, op_id: str) -> Reply:
    op = ctx.engine.store.get_operation(ctx.sub, op_id.replace("-", ""))
    if op is None:
        raise not_found("The operation request ID was not found.")
    return Reply(
        200, "Operation", rc.operation(op.id, op.status, op.http_status, op.err_code, op.err_message)
    )


# -- OS images --------------------------------------------------------------------------------------
def list_os_images(ctx: Ctx) -> Reply:
    items = [rcat.os_image(i) for i in ctx.engine.catalog.os_images]
    items += [rcat.os_image(i) for i in ctx.engine.store.list("image", ctx.sub)]
    return Reply(200, "Images", items)


def get_os_image(ctx: Ctx, name: str) -> Reply:
    return Reply(200, "OSImage", rcat.os_image(lookups.get_os_image(ctx.engine, ctx.sub, name)))


_IMAGE_OPTIONAL = ("Eula", "ImageFamily", "PublishedDate", "PrivacyUri", "RecommendedVMSize", "SmallIconUri")
_IMAGE_KEEP_EMPTY = ("Description", "Language")  # RDFE echoed these two even when set to ""


def _image_fields(ctx: Ctx, node: Node, image: Node, *, update: bool = False) -> None:
    label = v.text(node, "Label", required=not update, max_len=100)
    if label is not None:
        image["Label"] = label
    media = v.text(node, "MediaLink", required=not update)
    if media is not None:
        if not media.lower().startswith(("http://", "https://")) or ".blob." not in media.lower():
            raise bad_request(f"The MediaLink {media} is not a valid blob URL.")
        image["MediaLink"] = media
    os_name = v.choice(node, "OS", ("Linux", "Windows"), required=not update)
    if os_name is not None:
        image["OS"] = os_name
    v.update_texts(node, image, _IMAGE_OPTIONAL)
    for field in _IMAGE_KEEP_EMPTY:
        if field in node:
            image[field] = v.text(node, field) or ""
    # IconUri and ShowInGui are accepted but, as RDFE did for User images, not echoed.
    v.text(node, "IconUri")
    v.boolean(node, "ShowInGui")


def create_os_image(ctx: Ctx) -> Reply:
    node = ctx.node("OSImage")
    name = v.text(node, "Name", required=True)
    assert name is not None
    if ctx.engine.store.get("image", ctx.sub, name) or name.lower() in ctx.engine.catalog.os_by_name:
        raise conflict(f"An image with the name {name} already exists.")
    image: Node = {"Category": "User", "Name": name}
    _image_fields(ctx, node, image)
    accounts = ctx.engine.store.list("storage", ctx.sub)
    account = next((a for a in accounts if f"//{a['ServiceName']}.blob." in image["MediaLink"].lower()), None)
    image.update(
        {
            "Location": (account or {}).get("Location") or "West US",
            "LogicalSizeInGB": "30" if image["OS"] == "Linux" else "127",
            "IsPremium": "false",
            "OSState": "Generalized",
            "IOType": "Standard",
        }
    )
    ctx.engine.store.put("image", ctx.sub, name, image)
    ctx.engine.done(ctx.sub, ctx.request_id)
    return Reply(200, "OSImage", rcat.os_image(image))


def update_os_image(ctx: Ctx, name: str) -> Reply:
    node = ctx.node("OSImage")
    image = lookups.get_os_image(ctx.engine, ctx.sub, name)
    if image.get("Category") != "User":
        raise _PLATFORM
    _image_fields(ctx, node, image, update=True)
    ctx.engine.store.put("image", ctx.sub, image["Name"], image)
    ctx.engine.done(ctx.sub, ctx.request_id)
    return Reply(200, "OSImage", rcat.os_image(image))


def delete_os_image(ctx: Ctx, name: str) -> Reply:
    image = lookups.get_os_image(ctx.engine, ctx.sub, name)
    if image.get("Category") != "User":
        raise _PLATFORM
    ctx.engine.store.delete("image", ctx.sub, image["Name"])
    ctx.engine.done(ctx.sub, ctx.request_id)
    return Reply(200)


def list_vm_images(ctx: Ctx) -> Reply:
    items = [rcat.vm_image(i) for i in ctx.engine.catalog.vm_images]
    items += [rcat.vm_image(i) for i in ctx.engine.store.list("vmimage", ctx.sub)]
    return Reply(200, "VMImages", items)


# -- disks ------------------------------------------------------------------------------------------
def list_disks(ctx: Ctx) -> Reply:
    return Reply(200, "Disks", [rcat.disk(d) for d in ctx.engine.store.list("disk", ctx.sub)])


def get_disk(ctx: Ctx, name: str) -> Reply:
    return Reply(200, "Disk", rcat.disk(lookups.get_disk(ctx.engine, ctx.sub, name)))


def add_disk(ctx: Ctx) -> Reply:
    node = ctx.node("Disk")
    name = v.text(node, "Name", required=True)
    media = v.text(node, "MediaLink", required=True)
    label = v.text(node, "Label", required=True, max_len=100)
    assert name is not None and media is not None
    os_name = v.choice(node, "OS", ("Linux", "Windows"))
    if ctx.engine.store.get("disk", ctx.sub, name):
        raise conflict(f"A disk with the name {name} already exists.")
    if any(d.get("MediaLink", "").lower() == media.lower() for d in ctx.engine.store.list("disk", ctx.sub)):
        raise conflict(f"A disk with the media link {media} is already registered.")
    disk: Node = {}
    if os_name:
        disk["OS"] = os_name
    disk.update(
        {
            "Label": label,
            "Location": "West US",
            "LogicalDiskSizeInGB": "30",
            "MediaLink": media,
            "Name": name,
            "IsPremium": "false",
            "CreatedTime": iso(ctx.engine.clock()),
            "IOType": "Standard",
        }
    )
    ctx.engine.store.put("disk", ctx.sub, name, disk)
    ctx.engine.done(ctx.sub, ctx.request_id)
    return Reply(200, "Disk", rcat.disk(disk))


def update_disk(ctx: Ctx, name: str) -> Reply:
    node = ctx.node("Disk")
    disk = lookups.get_disk(ctx.engine, ctx.sub, name)
    label = v.text(node, "Label", max_len=100)
    if label:
        disk["Label"] = label
    size = v.integer(node, "ResizedSizeInGB", 1, 1023)
    if size is not None:
        disk["LogicalDiskSizeInGB"] = str(size)
    ctx.engine.store.put("disk", ctx.sub, disk["Name"], disk)
    op = ctx.engine.begin(ctx.sub, ctx.request_id)
    ctx.engine.finish_at(ctx.sub, op, 2.0)
    return Reply(202)


def delete_disk(ctx: Ctx, name: str) -> Reply:
    disk = lookups.get_disk(ctx.engine, ctx.sub, name)
    at = disk.get("AttachedTo")
    if at:
        raise bad_request(
            f"A disk with name {disk['Name']} is currently in use by virtual machine {at['RoleName']} "
            f"running within hosted service {at['HostedServiceName']}, deployment {at['DeploymentName']}."
        )
    ctx.engine.store.delete("disk", ctx.sub, disk["Name"])
    ctx.engine.done(ctx.sub, ctx.request_id)
    return Reply(200)


# -- storage accounts -------------------------------------------------------------------------------
def list_storage(ctx: Ctx) -> Reply:
    items = [
        rcat.storage_service(ctx.sub, d, detail=False) for d in ctx.engine.store.list("storage", ctx.sub)
    ]
    return Reply(200, "StorageServices", items)


def get_storage(ctx: Ctx, name: str) -> Reply:
    doc = lookups.get_storage(ctx.engine, ctx.sub, name)
    return Reply(200, "StorageService", rcat.storage_service(ctx.sub, doc, detail=True))


def get_storage_keys(ctx: Ctx, name: str) -> Reply:
    doc = lookups.get_storage(ctx.engine, ctx.sub, name)
    return Reply(200, "StorageService", rcat.storage_keys(ctx.sub, doc))


def regenerate_keys(ctx: Ctx, name: str) -> Reply:
    doc = lookups.get_storage(ctx.engine, ctx.sub, name)
    node = ctx.node("RegenerateKeys")
    kind = v.choice(node, "KeyType", ("Primary", "Secondary"), required=True)
    assert kind is not None
    doc[kind] = lookups.new_storage_key()
    ctx.engine.store.put("storage", ctx.sub, doc["ServiceName"], doc)
    ctx.engine.done(ctx.sub, ctx.request_id)
    return Reply(200, "StorageService", rcat.storage_keys(ctx.sub, doc))


_ACCOUNT_TYPES = ("Standard_LRS", "Standard_ZRS", "Standard_GRS", "Standard_RAGRS", "Premium_LRS")


def create_storage(ctx: Ctx) -> Reply:
    node = ctx.node("CreateStorageServiceInput")
    name = v.storage_name(node)
    label = v.label_b64(node)
    groups = {g["Name"].lower(): g for g in ctx.engine.store.list("affinity", ctx.sub)}
    location, group = v.location_or_affinity(node, ctx.engine.catalog.location_names, set(groups))
    if ctx.engine.store.get("storage", ctx.sub, name):
        raise conflict(f"A storage account named '{name}' already exists in the subscription.")
    doc: Node = {
        "ServiceName": name,
        "Label": label,
        "Description": v.text(node, "Description", max_len=1024),
        "Location": location or (groups[group.lower()]["Location"] if group else None),
        "AffinityGroup": group,
        "Status": "Creating",
        "CreationTime": iso(ctx.engine.clock()),
        "AccountType": v.choice(node, "AccountType", _ACCOUNT_TYPES) or "Standard_GRS",
        "ExtendedProperties": v.extended_properties(node) or [],
        "Primary": lookups.new_storage_key(),
        "Secondary": lookups.new_storage_key(),
    }
    ctx.engine.store.put("storage", ctx.sub, name, doc)
    op = ctx.engine.begin(ctx.sub, ctx.request_id)
    ctx.engine.at(ctx.sub, op, 3.0, "storage_status", name=name, status="Created")
    ctx.engine.finish_at(ctx.sub, op, 3.0)
    return Reply(202, headers={"Location": f"{rc.MANAGEMENT_URL}/subscriptions/{ctx.sub}/storage/{name}"})


def update_storage(ctx: Ctx, name: str) -> Reply:
    doc = lookups.get_storage(ctx.engine, ctx.sub, name)
    node = ctx.node("UpdateStorageServiceInput")
    label = v.label_b64(node, required=False)
    if label:
        doc["Label"] = label
    if "Description" in node:
        doc["Description"] = v.text(node, "Description", max_len=1024)
    kind = v.choice(node, "AccountType", _ACCOUNT_TYPES)
    if kind:
        doc["AccountType"] = kind
    v.update_extended_properties(node, doc)
    ctx.engine.store.put("storage", ctx.sub, doc["ServiceName"], doc)
    ctx.engine.done(ctx.sub, ctx.request_id)
    return Reply(200)


def delete_storage(ctx: Ctx, name: str) -> Reply:
    doc = lookups.get_storage(ctx.engine, ctx.sub, name)
    ctx.engine.store.delete("storage", ctx.sub, doc["ServiceName"])
    ctx.engine.done(ctx.sub, ctx.request_id)
    return Reply(200)


# -- locations, role sizes, affinity groups, subscription -------------------------------------------
def list_locations(ctx: Ctx) -> Reply:
    return Reply(200, "Locations", ctx.engine.catalog.locations)


def list_role_sizes(ctx: Ctx) -> Reply:
    return Reply(200, "RoleSizes", ctx.engine.catalog.role_sizes)


def list_groups(ctx: Ctx) -> Reply:
    sizes = ctx.engine.catalog.vm_sizes
    return Reply(
        200,
        "AffinityGroups",
        [rcat.affinity_group(ctx.sub, g, sizes) for g in ctx.engine.store.list("affinity", ctx.sub)],
    )


def get_group(ctx: Ctx, name: str) -> Reply:
    doc = lookups.get_affinity_group(ctx.engine, ctx.sub, name)
    services = [
        s["ServiceName"]
        for s in ctx.engine.store.list("service", ctx.sub)
        if (s.get("AffinityGroup") or "").lower() == name.lower()
    ]
    storage = [
        s["ServiceName"]
        for s in ctx.engine.store.list("storage", ctx.sub)
        if (s.get("AffinityGroup") or "").lower() == name.lower()
    ]
    return Reply(
        200,
        "AffinityGroup",
        rcat.affinity_group(ctx.sub, doc, ctx.engine.catalog.vm_sizes, services, storage),
    )


def create_group(ctx: Ctx) -> Reply:
    node = ctx.node("CreateAffinityGroup")
    name = v.text(node, "Name", required=True, max_len=63)
    assert name is not None
    label = v.label_b64(node)
    location = v.text(node, "Location", required=True)
    assert location is not None
    canonical = ctx.engine.catalog.location_names.get(location.lower())
    if canonical is None:
        raise bad_request(f"The location constraint '{location}' (Location) is not valid.")
    if ctx.engine.store.get("affinity", ctx.sub, name):
        raise conflict(f"An affinity group with the name {name} already exists.")
    doc = {
        "Name": name,
        "Label": label,
        "Description": v.text(node, "Description", max_len=1024),
        "Location": canonical,
        "CreatedTime": iso(ctx.engine.clock()),
    }
    ctx.engine.store.put("affinity", ctx.sub, name, doc)
    ctx.engine.done(ctx.sub, ctx.request_id)
    return Reply(
        201, headers={"Location": f"{rc.MANAGEMENT_URL}/subscriptions/{ctx.sub}/affinitygroup/{name}"}
    )


def update_group(ctx: Ctx, name: str) -> Reply:
    doc = lookups.get_affinity_group(ctx.engine, ctx.sub, name)
    node = ctx.node("UpdateAffinityGroup")
    doc["Label"] = v.label_b64(node)
    if "Description" in node:
        doc["Description"] = v.text(node, "Description", max_len=1024)
    ctx.engine.store.put("affinity", ctx.sub, doc["Name"], doc)
    ctx.engine.done(ctx.sub, ctx.request_id)
    return Reply(200)


def delete_group(ctx: Ctx, name: str) -> Reply:
    doc = lookups.get_affinity_group(ctx.engine, ctx.sub, name)
    in_use = any(
        (s.get("AffinityGroup") or "").lower() == name.lower()
        for kind in ("service", "storage")
        for s in ctx.engine.store.list(kind, ctx.sub)
    )
    if in_use:
        raise bad_request(f"The affinity group {doc['Name']} is in use and cannot be deleted.")
    ctx.engine.store.delete("affinity", ctx.sub, doc["Name"])
    ctx.engine.done(ctx.sub, ctx.request_id)
    return Reply(200)


def get_subscription(ctx: Ctx) -> Reply:
    doc = ctx.engine.store.get_subscription(ctx.sub) or {"id": ctx.sub, "name": ctx.sub}
    cores = 0
    for dep in ctx.engine.store.list("deployment", ctx.sub, parent=None):
        for role in dep["Roles"]:
            size = ctx.engine.catalog.size_by_name.get(role.get("RoleSize", "small").lower()) or {}
            cores += int(size.get("Cores", 1))
    counts = {
        "cores": cores,
        "services": ctx.engine.store.count("service", ctx.sub),
        "storage": ctx.engine.store.count("storage", ctx.sub),
    }
    return Reply(200, "Subscription", rcat.subscription(doc, counts))


# -- management certificates ------------------------------------------------------------------------
def _cert_node(pem: str, thumb: str, created: str) -> Node:
    cert = x509.load_pem_x509_certificate(pem.encode("ascii"))
    public = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    der = cert.public_bytes(serialization.Encoding.DER)
    return rcat.management_certificate(
        thumb, base64.b64encode(public).decode(), base64.b64encode(der).decode(), created
    )


def list_certs(ctx: Ctx) -> Reply:
    return Reply(
        200,
        "SubscriptionCertificates",
        [_cert_node(pem, t, c) for _s, t, pem, c in ctx.engine.store.certs(ctx.sub)],
    )


def get_cert(ctx: Ctx, thumb: str) -> Reply:
    for _s, t, pem, created in ctx.engine.store.certs(ctx.sub):
        if t == thumb.upper():
            return Reply(200, "SubscriptionCertificate", _cert_node(pem, t, created))
    raise not_found("The certificate was not found.")


def add_cert(ctx: Ctx) -> Reply:
    node = ctx.node("SubscriptionCertificate")
    data = v.text(node, "SubscriptionCertificateData", required=True)
    assert data is not None
    try:
        der = base64.b64decode(data, validate=True)
        pem = der_to_pem(der)
    except (binascii.Error, ValueError):
        raise bad_request(
            "The SubscriptionCertificateData is not a valid base64-encoded X.509 certificate."
        ) from None
    thumb = thumbprint(der)
    given = v.text(node, "SubscriptionCertificateThumbprint")
    if given and given.upper() != thumb:
        raise bad_request(
            "The SubscriptionCertificateThumbprint does not match the SubscriptionCertificateData."
        )
    if any(t == thumb for _s, t, _p, _c in ctx.engine.store.certs(ctx.sub)):
        raise conflict("A certificate with the same thumbprint is already registered for this subscription.")
    ctx.engine.store.add_cert(ctx.sub, thumb, pem.decode("ascii"), iso(ctx.engine.clock()))
    ctx.engine.done(ctx.sub, ctx.request_id)
    return Reply(
        201, headers={"Location": f"{rc.MANAGEMENT_URL}/subscriptions/{ctx.sub}/certificates/{thumb}"}
    )


def delete_cert(ctx: Ctx, thumb: str) -> Reply:
    if not ctx.engine.store.delete_cert(ctx.sub, thumb):
        raise not_found("The certificate was not found.")
    ctx.engine.done(ctx.sub, ctx.request_id)
    return Reply(200)


def register(router: Router) -> None:
    """Add this module's routes."""
    router.add("GET", "", get_subscription)
    router.add("GET", "operations/{op_id}", get_operation)
    router.add("GET", "services/images", list_os_images)
    router.add("POST", "services/images", create_os_image)
    router.add("GET", "services/images/{name}", get_os_image)
    router.add("PUT", "services/images/{name}", update_os_image)
    router.add("DELETE", "services/images/{name}", delete_os_image)
    router.add("GET", "services/vmimages", list_vm_images)
    router.add("GET", "services/disks", list_disks)
    router.add("POST", "services/disks", add_disk)
    router.add("GET", "services/disks/{name}", get_disk)
    router.add("PUT", "services/disks/{name}", update_disk)
    router.add("DELETE", "services/disks/{name}", delete_disk)
    router.add("GET", "services/storageservices", list_storage)
    router.add("POST", "services/storageservices", create_storage)
    router.add("GET", "services/storageservices/{name}", get_storage)
    router.add("PUT", "services/storageservices/{name}", update_storage)
    router.add("DELETE", "services/storageservices/{name}", delete_storage)
    router.add("GET", "services/storageservices/{name}/keys", get_storage_keys)
    router.add("POST", "services/storageservices/{name}/keys", regenerate_keys)
    router.add("GET", "locations", list_locations)
    router.add("GET", "rolesizes", list_role_sizes)
    router.add("GET", "affinitygroups", list_groups)
    router.add("POST", "affinitygroups", create_group)
    router.add("GET", "affinitygroups/{name}", get_group)
    router.add("PUT", "affinitygroups/{name}", update_group)
    router.add("DELETE", "affinitygroups/{name}", delete_group)
    router.add("GET", "certificates", list_certs)
    router.add("POST", "certificates", add_cert)
    router.add("GET", "certificates/{thumb}", get_cert)
    router.add("DELETE", "certificates/{thumb}", delete_cert)
