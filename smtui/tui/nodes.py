"""What the browser navigates: node references, listed items and the columns of each list.

No Textual here: the tree, the table and the details pane all render these plain objects,
and the loaders (:mod:`smtui.tui.loaders`) produce them from client responses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from smtui.tui.table_model import Column

if TYPE_CHECKING:
    from smtui.api.response import Response


class Kind(StrEnum):
    """Every kind of thing the browser shows (containers and leaves)."""

    SUBSCRIPTION = "subscription"
    SERVICES = "services"
    SERVICE = "service"
    DEPLOYMENT = "deployment"
    ROLE = "role"
    INSTANCE = "instance"
    OS_DISK = "os-disk"
    DATA_DISK = "data-disk"
    IMAGES = "images"
    IMAGE = "image"
    DISKS = "disks"
    DISK = "disk"
    STORAGE = "storage"
    STORAGE_ACCOUNT = "storage-account"
    LOCATIONS = "locations"
    LOCATION = "location"
    ROLE_SIZES = "role-sizes"
    ROLE_SIZE = "role-size"
    VM_IMAGES = "vm-images"
    VM_IMAGE = "vm-image"
    AFFINITY_GROUPS = "affinity-groups"
    AFFINITY_GROUP = "affinity-group"
    QUOTAS = "quotas"
    QUOTA = "quota"


CONTAINERS = frozenset(
    {
        Kind.SUBSCRIPTION,
        Kind.SERVICES,
        Kind.SERVICE,
        Kind.DEPLOYMENT,
        Kind.ROLE,
        Kind.IMAGES,
        Kind.DISKS,
        Kind.STORAGE,
        Kind.LOCATIONS,
        Kind.ROLE_SIZES,
        Kind.VM_IMAGES,
        Kind.AFFINITY_GROUPS,
        Kind.QUOTAS,
    }
)
"""Kinds that have children (drilling into them lists something)."""

TREE_LEAVES = frozenset({Kind.INSTANCE, Kind.OS_DISK, Kind.DATA_DISK})
"""Leaf kinds that also appear in the navigation tree (under their role)."""

CATEGORY_TITLES: dict[Kind, str] = {
    Kind.SERVICES: "Hosted services",
    Kind.IMAGES: "OS images",
    Kind.DISKS: "Disks",
    Kind.STORAGE: "Storage accounts",
    Kind.LOCATIONS: "Locations",
    Kind.ROLE_SIZES: "Role sizes",
    Kind.VM_IMAGES: "VM images",
    Kind.AFFINITY_GROUPS: "Affinity groups",
    Kind.QUOTAS: "Quotas",
}
"""The top-level lists under the subscription, in the order shown."""


@dataclass(frozen=True)
class NodeRef:
    """Identity of a node: its kind and the names that locate it.

    ``parts`` are the path names: ``(service,)``, ``(service, deployment)``,
    ``(service, deployment, role)``; a role's children add their own name, a data disk its LUN.

    Attributes:
        kind: What it is.
        parts: Names from the subscription down.
        label: How the tree and breadcrumbs name it.
    """

    kind: Kind
    parts: tuple[str, ...] = ()
    label: str = field(default="", compare=False)

    @property
    def key(self) -> str:
        """A stable string identity (row keys, tree node ids, caches)."""
        return "/".join((self.kind.value, *self.parts))

    @property
    def name(self) -> str:
        """The last path name (what ``y`` copies), or the label for categories."""
        return self.parts[-1] if self.parts else (self.label or self.kind.value)

    @property
    def is_container(self) -> bool:
        """True when drilling into it lists children."""
        return self.kind in CONTAINERS

    @property
    def display(self) -> str:
        """Label for humans (falls back to the name)."""
        return self.label or self.name

    def parent(self) -> NodeRef | None:
        """The node this one is listed under (``None`` for the subscription)."""
        kind, parts = self.kind, self.parts
        if kind is Kind.SUBSCRIPTION:
            return None
        if kind in CATEGORY_TITLES:
            return SUBSCRIPTION
        if kind is Kind.SERVICE:
            return category(Kind.SERVICES)
        if kind is Kind.DEPLOYMENT:
            return NodeRef(Kind.SERVICE, parts[:1], parts[0])
        if kind is Kind.ROLE:
            return NodeRef(Kind.DEPLOYMENT, parts[:2], parts[1])
        if kind in (Kind.INSTANCE, Kind.OS_DISK, Kind.DATA_DISK):
            return NodeRef(Kind.ROLE, parts[:3], parts[2])
        parent_kind = {
            Kind.IMAGE: Kind.IMAGES,
            Kind.DISK: Kind.DISKS,
            Kind.STORAGE_ACCOUNT: Kind.STORAGE,
            Kind.LOCATION: Kind.LOCATIONS,
            Kind.ROLE_SIZE: Kind.ROLE_SIZES,
            Kind.VM_IMAGE: Kind.VM_IMAGES,
            Kind.AFFINITY_GROUP: Kind.AFFINITY_GROUPS,
            Kind.QUOTA: Kind.QUOTAS,
        }[kind]
        return category(parent_kind)

    def lineage(self) -> list[NodeRef]:
        """This node and its ancestors, subscription first (for breadcrumbs)."""
        chain: list[NodeRef] = []
        node: NodeRef | None = self
        while node is not None:
            chain.append(node)
            node = node.parent()
        return chain[::-1]


SUBSCRIPTION = NodeRef(Kind.SUBSCRIPTION, (), "Subscription")


def category(kind: Kind) -> NodeRef:
    """The top-level list node of ``kind`` (``Kind.SERVICES`` …)."""
    return NodeRef(kind, (), CATEGORY_TITLES[kind])


@dataclass(frozen=True)
class Source:
    """Where an item came from: the response that carried it and where in its XML it sits.

    Attributes:
        response: The client's ``Response`` (body, request options, request id, headers).
        steps: Path to the item's element: ``(local-name, index)`` pairs from the root.
    """

    response: Response[Any]  # a list's or an item's: any model
    steps: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Item:
    """One row of a listing: a child node with its table cells and its model.

    Attributes:
        ref: The child node.
        cells: Table cells, in the listing's column order.
        model: The parsed model object (``HostedService``, ``RoleInstance`` …) or None.
        source: Where the model came from (for the raw XML and request views).
    """

    ref: NodeRef
    cells: tuple[str, ...]
    model: Any = None
    source: Source | None = None


@dataclass(frozen=True)
class Listing:
    """The children of a node, as loaded at ``fetched_at`` (monotonic seconds).

    Attributes:
        node: The node listed.
        columns: Columns of the table.
        items: The children.
        fetched_at: ``time.monotonic()`` when the data arrived.
        model: The node's own model when the request returned it (a deployment …).
        source: The response that listed the children (shown when no row is selected).
        error: ``"code: message (request id …)"`` when loading failed.
    """

    node: NodeRef
    columns: Sequence[Column]
    items: list[Item]
    fetched_at: float
    model: Any = None
    source: Source | None = None
    error: str | None = None


def status_style(value: str) -> str | None:
    """Colour of an instance/deployment/operation status (green good, yellow stopped, red bad)."""
    low = value.lower()
    if low in ("readyrole", "running", "created", "succeeded", "started", "ready", "online"):
        return "green"
    if low.startswith("stopped") or low in ("suspended", "stopped", "deallocated"):
        return "yellow"
    if any(word in low for word in ("fail", "unresponsive", "unknown", "error", "cyclingrole")):
        return "red"
    if low:
        return "cyan"
    return None


def _cols(*spec: tuple[str, str] | Column) -> tuple[Column, ...]:
    # The name column is what tells rows apart: it is squeezed last on narrow terminals.
    return tuple(c if isinstance(c, Column) else Column(c[0], c[1], keep=c[0] == "name") for c in spec)


def _status(key: str = "status", label: str = "Status") -> Column:
    return Column(key, label, style=status_style)


COLUMNS: dict[Kind, tuple[Column, ...]] = {
    Kind.SUBSCRIPTION: _cols(("name", "Name"), ("about", "What it lists")),
    Kind.SERVICES: _cols(
        ("name", "Name"), ("location", "Location"), _status(), ("label", "Label"), ("created", "Created")
    ),
    Kind.SERVICE: _cols(
        ("name", "Deployment"),
        ("slot", "Slot"),
        _status(),
        ("roles", "Roles"),
        ("instances", "Ready"),
        ("label", "Label"),
    ),
    Kind.DEPLOYMENT: _cols(
        ("name", "Role"),
        ("size", "Size"),
        _status("status", "Instance"),
        _status("power", "Power"),
        ("ip", "IP"),
        ("os", "OS"),
    ),
    Kind.ROLE: _cols(("type", "Type"), ("name", "Name"), _status("state", "State"), ("detail", "Detail")),
    Kind.IMAGES: _cols(
        # Platform image names share a 32-hex-digit publisher prefix: the label comes first and
        # the name is cut in the middle (its end tells them apart), so rows stay distinguishable.
        # Both are kept: squeezed to the narrowest width (80 columns with the tree) the name was
        # cut to "03f55…", its publisher prefix alone, on every row. The other columns give way
        # to them (beside the tree "Visual Studio Community 2015 RC…" and "… Enterprise 2015 RC…"
        # read alike when squeezed): OS, size, date and category are in the details pane.
        Column("label", "Label", keep=True),
        Column("name", "Name", keep=True, elide_middle=True),
        Column("os", "OS", optional=True),
        Column("category", "Category", optional=True),
        Column("size", "GB", numeric=True, optional=True),
        Column("published", "Published", optional=True),
    ),
    Kind.DISKS: _cols(
        ("name", "Name"),
        ("os", "OS"),
        Column("size", "GB", numeric=True),
        ("attached", "Attached to"),
        ("location", "Location"),
        ("image", "Source image"),
    ),
    Kind.STORAGE: _cols(
        ("name", "Name"), ("location", "Location"), _status(), ("type", "Type"), ("label", "Label")
    ),
    Kind.LOCATIONS: _cols(("name", "Name"), ("display", "Display name"), ("services", "Services")),
    Kind.ROLE_SIZES: _cols(
        ("name", "Name"),
        ("label", "Label"),
        Column("cores", "Cores", numeric=True),
        Column("memory", "Memory MB", numeric=True),
        Column("disks", "Max disks", numeric=True),
    ),
    Kind.VM_IMAGES: _cols(
        ("name", "Name"),
        ("os", "OS"),
        ("category", "Category"),
        Column("label", "Label", keep=True),
        Column("disks", "Data disks", numeric=True),
        ("location", "Location"),
    ),
    Kind.AFFINITY_GROUPS: _cols(
        ("name", "Name"), ("location", "Location"), ("label", "Label"), ("description", "Description")
    ),
    Kind.QUOTAS: _cols(
        ("name", "Quota"), Column("used", "Used", numeric=True), Column("limit", "Limit", numeric=True)
    ),
}
"""Columns of the table listing the children of each container kind."""


def text(value: Any) -> str:
    """A model value as a table cell (``None`` → empty, bools lower-case)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
