"""OS::Neutron::RouterInterface: a subnet (or port) plugged into a router."""

from __future__ import annotations

from typing import Any

from calor.resources.openstack.base import with_show
from calor.resources.openstack.errors import PropertyUnspecifiedError, ResourcePropertyConflict
from calor.resources.openstack.neutron.common import NeutronResource, hidden_id
from calor.template.constraints import CustomConstraint
from calor.template.schema import PropertySchema, PropertyType, SupportStatus


class RouterInterface(NeutronResource):
    """Plugs a subnet, or an existing port, into a router.

    Its physical id is ``<router id>:subnet_id=<subnet id>`` (or ``port_id=``),
    which is all deleting it needs. Any change replaces it.
    """

    type_name = "OS::Neutron::RouterInterface"
    collection = "routers"
    replaced_properties = {"router_id": "router", "subnet_id": "subnet", "port_id": "port"}

    properties_schema = {
        "router": PropertySchema(
            PropertyType.STRING, "The name or id of the router.", required=True,
            constraints=[CustomConstraint("neutron.router")]),
        "router_id": hidden_id("router", "neutron.router", version="6.0.0",
                               deprecated="2015.1"),
        "subnet_id": hidden_id("subnet", "neutron.subnet"),
        "subnet": PropertySchema(
            PropertyType.STRING, "The name or id of the subnet to plug in (or give port).",
            constraints=[CustomConstraint("neutron.subnet")]),
        "port_id": hidden_id("port", "neutron.port", version="6.0.0", deprecated="2015.1"),
        "port": PropertySchema(
            PropertyType.STRING, "The name or id of the port to plug in (or give subnet).",
            constraints=[CustomConstraint("neutron.port")],
            support_status=SupportStatus(version="2015.1")),
    }
    attributes_schema = with_show({})

    supports_check = False

    async def create(self) -> None:
        subnet, port = self.prop("subnet"), self.prop("port")
        if subnet is not None and port is not None:
            raise ResourcePropertyConflict("subnet", "port")
        if subnet is None and port is None:
            raise PropertyUnspecifiedError("subnet", "port")
        router_id = await self.find("router", self.prop("router"))
        if subnet is not None:
            key, value = "subnet_id", await self.find("subnet", subnet)
        else:
            key, value = "port_id", await self.find("port", port)
        await self.call("PUT", f"/routers/{router_id}/add_router_interface",
                        json={key: value})
        await self.ctx.set_physical_resource_id(f"{router_id}:{key}={value}")

    async def delete(self) -> None:
        if not self.ctx.physical_resource_id:
            return
        parts = self.ctx.physical_resource_id.replace("=", ":").split(":")
        if len(parts) == 2:  # an old-style id: <router>:<subnet>
            parts.insert(1, "subnet_id")
        router_id, key, value = parts
        # Already removed (or the router is gone): nothing left to do.
        await self.api("PUT", f"/routers/{router_id}/remove_router_interface",
                       json={key: value}, missing_ok=True)

    async def resolve_attribute(self, name: str) -> Any:
        # An interface is not a Neutron resource of its own: nothing to show.
        return None
