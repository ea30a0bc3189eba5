"""Changing a server in place: metadata, name, tags, resize, rebuild, interfaces, consoles.

The steps run in Heat's order: metadata, tags and name at once, then the
interface changes, the resize (confirmed once Nova reaches VERIFY_RESIZE),
and the rebuilds, each waited for before the next.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from calor.resources.lifecycle import ResourceFailure, UpdateReplace
from calor.resources.openstack.errors import Error, ResourceUnknownStatus
from calor.resources.openstack.nova.common import metadata_for_nova, status_of
from calor.resources.openstack.nova.server_networks import check_network
from calor.resources.openstack.nova.user_data import build_user_data, encoded

if TYPE_CHECKING:
    from calor.resources.openstack.nova.server import Server

#: The last compute microversion with the console actions (then: remote-consoles).
_CONSOLE_ACTION_MICROVERSION = "2.5"

#: The keys that tell two ``networks`` entries apart (a tag cannot be changed).
_NETWORK_KEYS = ("uuid", "network", "fixed_ip", "port", "subnet", "port_extra_properties",
                 "floating_ip", "allocate_network")


async def update(server: Server, properties: Mapping[str, Any],
                 changed: frozenset[str]) -> None:
    old = server.properties
    path = server.resource_path()
    if "metadata" in changed:
        await _set_metadata(server, properties.get("metadata") or {})
    if "tags" in changed:
        await set_tags(server, properties.get("tags") or [])
    server.properties = properties
    if "name" in changed:
        await server.call("PUT", path, json={"server": {"name": server.server_name()}})
    if "networks" in changed:
        await _update_networks(server, old.get("networks") or [],
                               properties.get("networks") or [],
                               list(properties.get("security_groups") or []))
    if "flavor" in changed:
        await _resize(server, properties["flavor"])
    if "user_data" in changed and properties.get("user_data_update_policy") == "REBUILD":
        await _rebuild_user_data(server, properties)
    if "image" in changed and properties.get("image"):
        await _rebuild(server, properties)
    elif "admin_pass" in changed and properties.get("admin_pass"):
        await server.call("POST", f"{path}/action",
                          json={"changePassword": {"adminPass": properties["admin_pass"]}})
    server.forget()


async def set_tags(server: Server, tags: Sequence[str]) -> None:
    await server.call("PUT", f"{server.resource_path()}/tags", json={"tags": list(tags)})


async def _set_metadata(server: Server, metadata: Mapping[str, Any]) -> None:
    wanted = metadata_for_nova(metadata)
    path = f"{server.resource_path()}/metadata"
    current = (await server.call("GET", path)).body or {}
    for key in sorted(set(current.get("metadata") or {}) - set(wanted)):
        await server.api("DELETE", f"{path}/{key}", missing_ok=True)
    if wanted:
        await server.call("POST", path, json={"metadata": wanted})


# -- resize and rebuild ----------------------------------------------------------


async def _action(server: Server, body: Mapping[str, Any]) -> None:
    await server.call("POST", f"{server.resource_path()}/action", json=dict(body))


async def _status(server: Server) -> tuple[str, Mapping[str, Any]]:
    found = await server.fetch()
    return (status_of(found), found) if found is not None else ("", {})


async def _resize(server: Server, flavor: str) -> None:
    flavor_id = await server.flavor_id(flavor)
    await _action(server, {"resize": {"flavorRef": flavor_id}})

    async def resized() -> bool:
        status, _ = await _status(server)
        # Nova may not have started yet (still ACTIVE) or be resizing.
        if status in ("", "RESIZE", "ACTIVE"):
            return False
        if status == "VERIFY_RESIZE":
            return True
        raise Error(f"Resizing to '{flavor}' failed, status '{status}'")

    await server.wait_until(resized)
    await _action(server, {"confirmResize": None})

    async def confirmed() -> bool:
        status, found = await _status(server)
        if status == "ACTIVE":
            return True
        task = found.get("OS-EXT-STS:task_state") or ""
        if status in ("", "VERIFY_RESIZE") or "resize" in task:
            return False
        raise ResourceUnknownStatus(
            status, f"Confirm resize for server {server.ctx.physical_resource_id} failed")

    await server.wait_until(confirmed)


async def _wait_rebuilt(server: Server) -> None:
    async def rebuilt() -> bool:
        status, _ = await _status(server)
        if status in ("", "REBUILD"):
            return False
        if status == "ERROR":
            raise Error(f"Rebuilding server failed, status '{status}'")
        return True

    await server.wait_until(rebuilt)


async def _rebuild(server: Server, properties: Mapping[str, Any]) -> None:
    body: dict[str, Any] = {
        "imageRef": await server.image_id(properties["image"]),
        "preserve_ephemeral":
            properties.get("image_update_policy") == "REBUILD_PRESERVE_EPHEMERAL",
    }
    if properties.get("admin_pass"):
        body["adminPass"] = properties["admin_pass"]
    if properties.get("metadata") is not None:
        body["metadata"] = metadata_for_nova(properties["metadata"])
    await _action(server, {"rebuild": body})
    await _wait_rebuilt(server)


async def _rebuild_user_data(server: Server, properties: Mapping[str, Any]) -> None:
    # Nova rebuilds with new user data since microversion 2.57 (the image stays).
    current = await server.body()
    image = (current or {}).get("image") or {}
    image_id = image.get("id") if isinstance(image, Mapping) else None
    user_data = build_user_data(properties.get("user_data") or "",
                                properties.get("user_data_format") or "HEAT_CFNTOOLS",
                                await server.ctx.get_metadata())
    body: dict[str, Any] = {"user_data": encoded(user_data) if user_data else None}
    if image_id:
        body["imageRef"] = image_id
    await _action(server, {"rebuild": body})
    await _wait_rebuilt(server)


# -- interfaces ------------------------------------------------------------------


def _entry(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {key: raw.get(key) or None for key in _NETWORK_KEYS}


async def _interfaces(server: Server) -> list[dict[str, Any]]:
    answer = await server.call("GET", f"{server.resource_path()}/os-interface")
    return list((answer.body or {}).get("interfaceAttachments", []))


async def _claim(server: Server, entry: Mapping[str, Any],
                 interfaces: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The interface that stands for ``entry`` (taken out of ``interfaces``)."""
    if entry.get("port"):
        wanted = [i for i in interfaces if i.get("port_id") == entry["port"]]
    else:
        network = await server.network_id(entry)
        wanted = [i for i in interfaces if network is None or i.get("net_id") == network]
        if entry.get("fixed_ip"):
            wanted = [i for i in wanted if any(f.get("ip_address") == entry["fixed_ip"]
                                               for f in i.get("fixed_ips") or [])]
        if entry.get("subnet"):
            subnet = await server.subnet_id(entry["subnet"])
            wanted = [i for i in wanted if any(f.get("subnet_id") == subnet
                                               for f in i.get("fixed_ips") or [])]
    if not wanted:
        return None
    interfaces.remove(wanted[0])
    return wanted[0]


async def _update_networks(server: Server, old: Sequence[Mapping[str, Any]],
                           new: Sequence[Mapping[str, Any]],
                           security_groups: Sequence[str]) -> None:
    """Detach the interfaces of entries gone from ``networks``; attach the new entries'."""
    if any(e.get("allocate_network") for e in (*old, *new)):
        # "auto" and "none" are whole-server choices: a new server is simpler and safer.
        raise UpdateReplace(server.ctx.resource_name)
    before = [_entry(e) for e in old]
    after = [_entry(e) for e in new]
    kept = [e for e in after if e in before]
    gone = list(before)
    for entry in kept:
        gone.remove(entry)
    added = list(after)
    for entry in kept:
        added.remove(entry)
    interfaces = await _interfaces(server)
    for entry in kept:
        await _claim(server, entry, interfaces)
    internal = set(await server.internal_ports())
    for entry in gone:
        interface = await _claim(server, entry, interfaces)
        if interface is None:
            continue
        port_id = str(interface["port_id"])
        await server.api("DELETE", f"{server.resource_path()}/os-interface/{port_id}",
                         missing_ok=True)
        await _wait_interface(server, port_id, present=False)
        if port_id in internal:
            await server.delete_internal_ports(only=[port_id])
    for index, entry in enumerate(added, start=len(before)):
        await _attach(server, entry, index, security_groups)


async def _attach(server: Server, entry: Mapping[str, Any], index: int,
                  security_groups: Sequence[str]) -> None:
    check_network(entry, server.ctx.resource_name)
    nics = await server.nics([entry], security_groups)
    assert isinstance(nics, list)
    nic = nics[0]
    attachment: dict[str, Any] = {}
    if nic.get("port"):
        attachment["port_id"] = nic["port"]
    else:
        attachment["net_id"] = nic.get("uuid")
        if nic.get("fixed_ip"):
            attachment["fixed_ips"] = [{"ip_address": nic["fixed_ip"]}]
    if nic.get("tag"):
        attachment["tag"] = nic["tag"]
    answer = await server.call("POST", f"{server.resource_path()}/os-interface",
                               json={"interfaceAttachment": attachment})
    port_id = (answer.member("interfaceAttachment") or {}).get("port_id")
    if port_id:
        await _wait_interface(server, str(port_id), present=True)


async def _wait_interface(server: Server, port_id: str, *, present: bool) -> None:
    async def settled() -> bool:
        ports = {str(i.get("port_id")) for i in await _interfaces(server)}
        return (port_id in ports) == present

    await server.wait_until(settled)


# -- consoles --------------------------------------------------------------------


async def console_urls(server: Server) -> dict[str, str]:
    """The server's noVNC console URL (the console types Heat also lists are not asked)."""
    try:
        answer = await server.call(
            "POST", f"{server.resource_path()}/action",
            json={"os-getVNCConsole": {"type": "novnc"}},
            max_microversion=_CONSOLE_ACTION_MICROVERSION)
    except ResourceFailure as exc:
        return {"novnc": f"Cannot get console url: {exc}"}
    console = (answer.body or {}).get("console") or {}
    return {"novnc": str(console.get("url", ""))}
