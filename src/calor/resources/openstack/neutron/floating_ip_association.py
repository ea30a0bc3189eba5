"""OS::Neutron::FloatingIPAssociation: puts an existing floating IP on a port."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from calor.resources.openstack.base import present, with_show
from calor.resources.openstack.neutron.common import NeutronResource
from calor.template.constraints import CustomConstraint
from calor.template.schema import PropertySchema, PropertyType


class FloatingIPAssociation(NeutronResource):
    """Associates a floating IP with a port that has at least one fixed IP.

    Deleting it takes the address off the port again; the floating IP stays.
    """

    type_name = "OS::Neutron::FloatingIPAssociation"
    collection = "floatingips"
    body_key = "floatingip"

    properties_schema = {
        "floatingip_id": PropertySchema(
            PropertyType.STRING, "The id of the floating IP.", required=True,
            update_allowed=True),
        "port_id": PropertySchema(
            PropertyType.STRING, "The id of the port to put the address on.", required=True,
            update_allowed=True, constraints=[CustomConstraint("neutron.port")]),
        "fixed_ip_address": PropertySchema(
            PropertyType.STRING, "Which of the port's fixed IPs the address maps to.",
            update_allowed=True, constraints=[CustomConstraint("ip_addr")]),
    }
    attributes_schema = with_show({})

    supports_check = False

    async def create(self) -> None:
        body = present({"port_id": self.properties["port_id"],
                        "fixed_ip_address": self.properties.get("fixed_ip_address")})
        await self.call("PUT", f"/floatingips/{self.properties['floatingip_id']}",
                        json={"floatingip": body})
        # The association has no id of its own in Neutron.
        await self.ctx.set_physical_resource_id(self.ctx.physical_resource_name)

    async def update(self, properties: Mapping[str, Any], changed: frozenset[str]) -> None:
        old_fip = self.properties["floatingip_id"]
        if "floatingip_id" in changed:
            await self._disassociate(old_fip)
        fip = properties.get("floatingip_id") or old_fip
        port_id = properties.get("port_id") or self.properties["port_id"]
        fixed = properties.get("fixed_ip_address") or self.properties.get("fixed_ip_address")
        self.properties = properties
        await self.call("PUT", f"/floatingips/{fip}",
                        json={"floatingip": {"port_id": port_id, "fixed_ip_address": fixed}})

    async def delete(self) -> None:
        if not self.ctx.physical_resource_id:
            return
        await self._disassociate(self.properties["floatingip_id"])

    async def _disassociate(self, fip: str) -> None:
        # A floating IP that is gone is off its port already.
        await self.api("PUT", f"/floatingips/{fip}", json={"floatingip": {"port_id": None}},
                       missing_ok=True)

    async def resolve_attribute(self, name: str) -> Any:
        return None
