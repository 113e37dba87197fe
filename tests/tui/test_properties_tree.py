"""The Properties pane: a tree named as the service names things, values a person reads, zoom, y."""

from __future__ import annotations

from typing import Any

from smtui.tui.nodes import Kind
from smtui.tui.widgets.details_pane import DetailsPane
from smtui.tui.widgets.property_tree import PropertyTree
from tests.tui.helpers import at_rest, connection_for, drill, loaded, screen_lines, wait_for


def paths(app: Any) -> dict[str, str]:
    """Every node of the properties tree as ``A › B › C`` → its value, as the tree holds it."""
    tree = app.browse.query_one(PropertyTree)
    found: dict[str, str] = {}

    def walk(node: Any, prefix: str) -> None:
        for child in node.children:
            name = child.data.name or child.data.value  # an item of a list of strings is its value
            path = f"{prefix} › {name}" if prefix else name
            found[path] = child.data.value
            walk(child, path)

    walk(tree.root, "")
    return found


async def shown(pilot: Any, app: Any, title: str) -> dict[str, str]:
    details = app.browse.query_one(DetailsPane)
    await wait_for(pilot, lambda: details.title == title, what=f"the details of {title}")
    return paths(app)  # the tree is filled in the same call that sets the title


async def focus_properties(pilot: Any, app: Any) -> PropertyTree:
    tree = app.browse.query_one(PropertyTree)
    for _ in range(6):
        if app.focused is tree:
            break
        await pilot.press("tab")
    assert app.focused is tree
    return tree


async def move_to(pilot: Any, tree: PropertyTree, name: str) -> None:
    for _ in range(80):
        node = tree.cursor_node
        if node is not None and node.data is not None and node.data.name == name:
            return
        await pilot.press("down")
    raise AssertionError(f"no property {name}")


async def test_hosted_service_and_deployment_are_named_as_the_service_names_them(
    demo_emulator: Any, make_app: Any
) -> None:
    app = make_app(demo_emulator, frozen=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        props = await shown(pilot, app, "service: contoso-web")
        assert props["ServiceName"] == "contoso-web" and props["Location"] == "West US"
        assert props["Description"] == "Contoso public web farm"
        assert props["Url"].startswith("https://management.core.windows.net/")  # whole, not cut
        assert props["Url"].endswith("/services/hostedservices/contoso-web")
        assert props["DateCreated"].endswith(" ago)")  # local time with its age
        assert props["ExtendedProperties › ResourceLocation"] == "West US"  # a pair reads as one line
        assert "ComputeCapabilities › VirtualMachinesRoleSizes" in props
        assert not any("_" in path.split(" › ")[0] for path in props)  # no Python attribute names

        await pilot.press("enter")
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICE))
        props = await shown(pilot, app, "deployment: contoso-web-prod")
        assert props["Name"] == "contoso-web-prod" and props["DeploymentSlot"] == "Production"
        assert props["RoleInstanceList › web01 › InstanceStatus"] == "ReadyRole"
        http = "RoleInstanceList › web01 › InstanceEndpoints › http (tcp 80 → 80)"
        assert props[f"{http} › PublicPort"] == "80" and props[f"{http} › IdleTimeoutInMinutes"] == "4 min"
        assert props["RoleList › web01 › RoleSize"] == "Medium"


async def test_role_with_endpoints_and_disks(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator, frozen=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await drill(pilot, app, Kind.SERVICE, Kind.DEPLOYMENT)
        props = await shown(pilot, app, "role: web01")
        assert props["RoleName"] == "web01" and props["RoleSize"] == "Medium"
        endpoint = "ConfigurationSets › NetworkConfiguration › InputEndpoints › http (tcp 80 → 80)"
        assert props[f"{endpoint} › LocalPort"] == "80" and props[f"{endpoint} › Protocol"] == "tcp"
        assert props[f"{endpoint} › EnableDirectServerReturn"] == "no"
        assert endpoint.replace("http (tcp 80 → 80)", "RemoteDesktop (tcp 3389 → 3389)") in props
        disk = "DataVirtualHardDisks › LUN 0 (128 GB, ReadOnly)"
        assert props[f"{disk} › LogicalDiskSizeInGB"] == "128 GB"
        assert props[f"{disk} › MediaLink"].startswith("https://")
        assert props["OSVirtualHardDisk › OS"] == "Windows"
        # On screen the nesting shows as guides under each group.
        lines = screen_lines(app)
        nested = [line for line in lines if "http (tcp 80 → 80)" in line]
        assert nested and ("├─" in nested[0] or "└─" in nested[0])


async def test_os_image_and_storage_account(demo_emulator: Any, make_app: Any) -> None:
    app = make_app(demo_emulator, frozen=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await pilot.press("2")
        await wait_for(pilot, lambda: loaded(app, Kind.IMAGES))
        await wait_for(pilot, lambda: app.browse.query_one(DetailsPane).title.startswith("image: "))
        props = paths(app)
        assert props["OS"] in ("Linux", "Windows") and props["LogicalSizeInGB"].endswith(" GB")
        assert props["Category"] and "Label" in props and "Name" in props

        await pilot.press("4")
        await wait_for(pilot, lambda: loaded(app, Kind.STORAGE))
        props = await shown(pilot, app, "storage-account: contosoportalvhds")
        assert props["ServiceName"] == "contosoportalvhds" and props["AccountType"] == "Standard_GRS"
        assert "Endpoints › https://contosoportalvhds.blob.core.windows.net/" in props
        assert props["StatusOfPrimary"] == "Available" and props["CreationTime"].endswith(" ago)")
        assert props["ExtendedProperties › ResourceGroup"] == "Default-Storage-WestUS"


async def test_zoom_shows_a_300_character_value_whole(demo_emulator: Any, make_app: Any) -> None:
    words = [f"word{i:03d}" for i in range(38)]
    description = " ".join(words)[:300]
    assert len(description) == 300
    client = connection_for(demo_emulator).create_client()
    try:
        r = await client.create_hosted_service(
            "zoom-long-text", {"Location": "West US", "Description": description}
        )
        assert r.is_successful, r.error
    finally:
        await client.aclose()
    app = make_app(demo_emulator, frozen=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await pilot.press("slash", *"zoom-long", "enter")
        await wait_for(pilot, lambda: app.browse.table.row_count == 1, what="the filtered list")
        await shown(pilot, app, "service: zoom-long-text")
        tree = await focus_properties(pilot, app)
        await move_to(pilot, tree, "Description")
        assert "…" in "".join(screen_lines(app)) or description not in "".join(screen_lines(app))
        await pilot.press("enter")  # Enter on a value zooms
        details = app.browse.query_one(DetailsPane)
        await wait_for(pilot, lambda: app.browse.maximized is details, what="the zoomed details")
        await at_rest(pilot, app)
        text = " ".join(line.strip(" │├└─") for line in screen_lines(app))
        on_screen = [w for w in text.split() if w.startswith("word")]
        assert on_screen == description.split(), on_screen
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.browse.maximized is None, what="zoom to end")


async def test_y_copies_the_value_and_a_refresh_keeps_folds_and_cursor(
    demo_emulator: Any, make_app: Any
) -> None:
    app = make_app(demo_emulator, frozen=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: loaded(app, Kind.SERVICES))
        await drill(pilot, app, Kind.SERVICE, Kind.DEPLOYMENT)
        await shown(pilot, app, "role: web01")
        tree = await focus_properties(pilot, app)
        await move_to(pilot, tree, "ConfigurationSets")
        await pilot.press("enter")  # fold the group
        assert tree.cursor_node is not None and not tree.cursor_node.is_expanded
        await move_to(pilot, tree, "DataVirtualHardDisks")
        await pilot.press("down", "down", "down")  # LUN 0 › HostCaching › DiskLabel
        assert tree.cursor_node is not None and tree.cursor_node.data is not None
        label = tree.cursor_node.data
        assert label.name == "DiskLabel"
        await pilot.press("y")
        assert app.clipboard == label.value == "web01-data0"
        line = tree.cursor_line
        app.browse.refresh_current()  # what auto-refresh does
        await wait_for(pilot, lambda: tree.cursor_node is not None and tree.cursor_node.data is not label,
                       what="the tree rebuilt")
        # The cursor is put back after the next refresh.
        await wait_for(pilot, lambda: tree.cursor_node is not None and tree.cursor_node.data is not None
                       and tree.cursor_node.data.name == "DiskLabel", what="the cursor put back")  # fmt: skip
        folded = next(n for n in tree.root.children if n.data and n.data.name == "ConfigurationSets")
        assert not folded.is_expanded
        assert tree.cursor_node.data is not None and tree.cursor_node.data.name == "DiskLabel"
        assert tree.cursor_line == line
