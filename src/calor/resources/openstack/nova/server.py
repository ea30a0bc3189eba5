"""OS::Nova::Server: a virtual machine."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from calor.resources.lifecycle import ResourceFailure, UpdateReplace
from calor.resources.openstack.base import present
from calor.resources.openstack.errors import ResourceInError, ResourceUnknownStatus
from calor.resources.openstack.nova import server_updates
from calor.resources.openstack.nova.block_devices import (
    block_device_mapping,
    block_device_mapping_v2,
    check_block_devices,
)
from calor.resources.openstack.nova.common import (
    DEFERRED_STATUSES,
    fault_reason,
    metadata_for_nova,
    status_of,
)
from calor.resources.openstack.nova.server_networks import ServerNetworks, check_networks
from calor.resources.openstack.nova.server_schema import ATTRIBUTES, PROPERTIES
from calor.resources.openstack.nova.user_data import build_user_data, encoded

#: The last compute microversion that takes personality files.
_PERSONALITY_MICROVERSION = "2.56"


class Server(ServerNetworks):
    """A Nova server, with its interfaces, block devices, key and user data.

    An update renames it and sets its metadata and tags in place, resizes it
    to a new flavor (``flavor_update_policy: RESIZE``, confirming the
    resize), rebuilds it with a new image, and attaches or detaches
    interfaces for a changed ``networks``; the ``*_update_policy``
    properties choose replacement instead.
    """

    type_name = "OS::Nova::Server"
    path = "/servers/{id}"
    body_key = "server"

    properties_schema = PROPERTIES
    attributes_schema = ATTRIBUTES

    def server_name(self) -> str:
        return self.properties.get("name") or self.ctx.physical_resource_name

    def needs_replace(self, properties: Mapping[str, Any], changed: frozenset[str]) -> bool:
        def policy(name: str) -> Any:
            return properties.get(name) or self.properties.get(name)

        return (("flavor" in changed and policy("flavor_update_policy") == "REPLACE")
                or ("image" in changed and policy("image_update_policy") == "REPLACE")
                or ("user_data" in changed and policy("user_data_update_policy") == "REPLACE"))

    # -- create ----------------------------------------------------------------

    async def create(self) -> None:
        props = self.properties
        networks = list(props.get("networks") or [])
        security_groups = list(props.get("security_groups") or [])
        check_networks(networks, security_groups, self.ctx.resource_name)
        check_block_devices(props, self.ctx.resource_name)
        body: dict[str, Any] = {
            "name": self.server_name(),
            "flavorRef": await self.flavor_id(props["flavor"]),
        }
        if props.get("image"):
            body["imageRef"] = await self.image_id(props["image"])
        user_data = await self._user_data(props)
        if user_data:
            body["user_data"] = encoded(user_data)
        nics = await self.nics(networks, security_groups)
        body["networks"] = "auto" if nics is None else nics
        if security_groups and not (isinstance(nics, list) and nics
                                    and all("port" in nic for nic in nics)):
            body["security_groups"] = [{"name": group} for group in security_groups]
        body.update(present({
            "key_name": props.get("key_name"),
            "availability_zone": props.get("availability_zone"),
            "config_drive": props.get("config_drive"),
            "OS-DCF:diskConfig": props.get("diskConfig"),
            "adminPass": props.get("admin_pass") or None,
        }))
        if props.get("metadata"):
            body["metadata"] = metadata_for_nova(props["metadata"])
        devices = await block_device_mapping_v2(self, props.get("block_device_mapping_v2"))
        if devices:
            body["block_device_mapping_v2"] = devices
        legacy = block_device_mapping(props.get("block_device_mapping"))
        if legacy:
            body["block_device_mapping"] = legacy
        request: dict[str, Any] = {"server": body}
        if props.get("scheduler_hints"):
            request["os:scheduler_hints"] = dict(props["scheduler_hints"])
        version = None
        if props.get("personality"):
            body["personality"] = [{"path": path, "contents": encoded(contents or "")}
                                   for path, contents in props["personality"].items()]
            version = _PERSONALITY_MICROVERSION
        # Stored before anything else: a crash while it builds leaves no orphan.
        await self.create_call("POST", "/servers", json=request, max_microversion=version,
                               id_of=lambda a: str(self.body_of(a)["id"]))
        await self.wait_active()
        if props.get("tags"):
            await server_updates.set_tags(self, props["tags"])

    async def _user_data(self, props: Mapping[str, Any]) -> str:
        content = props.get("user_data") or ""
        user_data_format = props.get("user_data_format") or "HEAT_CFNTOOLS"
        if user_data_format in ("RAW", "SOFTWARE_CONFIG") and content:
            content = await self._config_text(content)
        metadata = await self.ctx.get_metadata()
        return build_user_data(content, user_data_format, metadata)

    async def _config_text(self, content: str) -> str:
        """A software config named by id stands for its config text (as in Heat)."""
        found = await self.ctx.find_resource(content)
        if found is not None and found.name != content and isinstance(
                found.properties.get("config"), str):
            return str(found.properties["config"])
        return content

    # -- waiting ---------------------------------------------------------------

    async def wait_active(self, what: str = "Server") -> None:
        """Wait until ACTIVE; ERROR fails with the server's fault (Heat's ``_check_active``)."""
        async def active() -> bool:
            server = await self.fetch()
            if server is None:
                return False
            status = status_of(server)
            if status == "ACTIVE":
                return True
            if status in DEFERRED_STATUSES:
                return False
            if status == "ERROR":
                raise ResourceInError(status, fault_reason(server))
            raise ResourceUnknownStatus(server.get("status", ""), f"{what} is not active")

        await self.wait_until(active)

    # -- update ----------------------------------------------------------------

    async def update(self, properties: Mapping[str, Any], changed: frozenset[str]) -> None:
        if self.needs_replace(properties, changed):
            raise UpdateReplace(self.ctx.resource_name)
        await server_updates.update(self, properties, changed)

    # -- delete ----------------------------------------------------------------

    async def delete(self) -> None:
        if self.ctx.physical_resource_id is None:
            await self.delete_internal_ports()
            return
        if await self.api("DELETE", self.resource_path(), missing_ok=True) is not None:
            await self._wait_deleted()
        await self.delete_internal_ports()

    async def _wait_deleted(self) -> None:
        async def deleted() -> bool:
            server = await self.fetch()
            if server is None:
                return True
            if server.get("OS-EXT-STS:task_state") == "deleting":
                return False
            status = status_of(server)
            if status == "DELETED":
                return True
            if status == "SOFT_DELETED":
                await self.api("POST", f"{self.resource_path()}/action",
                               json={"forceDelete": None}, missing_ok=True)
            elif status == "ERROR":
                fault = server.get("fault") or {}
                raise ResourceInError(status, f"Server {server.get('name')} delete failed: "
                                      f"({fault.get('code')}) "
                                      f"{fault.get('message', 'Unknown')}")
            return False

        await self.wait_until(deleted)

    # -- other actions -----------------------------------------------------------

    async def check(self) -> None:
        server = await self.fetch()
        status = status_of(server) if server else "DELETED"
        if status != "ACTIVE":
            raise ResourceFailure(f"'status': expected ['ACTIVE'], got '{status}'")

    async def suspend(self) -> None:
        if self.ctx.physical_resource_id is None:
            raise ResourceFailure(f"Cannot suspend {self.ctx.resource_name}, "
                                  "resource_id not set")
        server = await self.fetch()
        if server is None:
            raise ResourceFailure(f"Failed to find server {self.ctx.physical_resource_id}")
        if status_of(server) != "SUSPENDED":
            await self.call("POST", f"{self.resource_path()}/action", json={"suspend": None})

        async def suspended() -> bool:
            found = await self.fetch()
            status = status_of(found) if found else ""
            if status in DEFERRED_STATUSES | {"ACTIVE"}:
                return status == "SUSPENDED"
            raise ResourceUnknownStatus(status, f"Suspend of server {self.server_name()} "
                                        "failed")

        await self.wait_until(suspended)

    async def resume(self) -> None:
        if self.ctx.physical_resource_id is None:
            raise ResourceFailure(f"Cannot resume {self.ctx.resource_name}, "
                                  "resource_id not set")
        server = await self.fetch()
        if server is None:
            raise ResourceFailure(f"Failed to find server {self.ctx.physical_resource_id}")
        if status_of(server) != "ACTIVE":
            await self.call("POST", f"{self.resource_path()}/action", json={"resume": None})
        await self.wait_active()

    # -- attributes ------------------------------------------------------------------

    async def resolve_attribute(self, name: str) -> Any:
        if name == "name":
            return self.server_name()  # what Heat answers, with no call
        if name == "os_collect_config":
            return dict((await self.ctx.get_metadata()).get("os-collect-config") or {})
        return await super().resolve_attribute(name)

    async def attribute(self, name: str, body: Mapping[str, Any]) -> Any:
        server_id = str(body.get("id") or self.ctx.physical_resource_id)
        if name == "addresses":
            return await self.addresses(server_id)
        if name == "networks":
            return await self.by_id_too(_ips_by_network(body))
        if name == "first_address":
            return _first_address(body)
        if name == "instance_name":
            return body.get("OS-EXT-SRV-ATTR:instance_name")
        if name == "console_urls":
            return await server_updates.console_urls(self)
        return body.get(name)


def _ips_by_network(server: Mapping[str, Any]) -> dict[str, list[Any]]:
    """novaclient's ``server.networks``: each network's addresses, by network name."""
    return {label: [a.get("addr") for a in addresses]
            for label, addresses in (server.get("addresses") or {}).items()}


def _first_address(server: Mapping[str, Any]) -> str:
    networks = _ips_by_network(server)
    for label in sorted(networks, reverse=True):
        if networks[label]:
            return str(networks[label][0])
    return ""
