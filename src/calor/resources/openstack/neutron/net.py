"""OS::Neutron::Net: a Neutron network."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from calor.resources.openstack.base import with_show
from calor.resources.openstack.errors import Conflict
from calor.resources.openstack.neutron.common import (
    NeutronResource,
    tags_schema,
    value_specs_schema,
)
from calor.template.constraints import CustomConstraint
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    PropertySchema,
    PropertyType,
    SupportStatus,
)


class Net(NeutronResource):
    """A Neutron network: an isolated layer-2 segment that subnets and ports belong to.

    A network belongs to its project unless it is shared; ports created on it
    inherit its ``port_security_enabled``.
    """

    type_name = "OS::Neutron::Net"
    collection = "networks"
    body_key = "network"
    has_status = True

    properties_schema = {
        "name": PropertySchema(
            PropertyType.STRING, "The network's name (need not be unique).",
            update_allowed=True),
        "value_specs": value_specs_schema(),
        "admin_state_up": PropertySchema(
            PropertyType.BOOLEAN, "The network's administrative state.", default=True,
            update_allowed=True),
        "tenant_id": PropertySchema(
            PropertyType.STRING,
            "The project that owns the network (administrators only may name another)."),
        "shared": PropertySchema(
            PropertyType.BOOLEAN,
            "Share the network with every project (administrators only, by default).",
            default=False, update_allowed=True),
        "dhcp_agent_ids": PropertySchema(
            PropertyType.LIST,
            "The DHCP agents to schedule the network on (administrators only, by default).",
            update_allowed=True),
        "port_security_enabled": PropertySchema(
            PropertyType.BOOLEAN,
            "Port security on the network: the default for the ports created on it.",
            update_allowed=True, support_status=SupportStatus(version="5.0.0")),
        "qos_policy": PropertySchema(
            PropertyType.STRING, "The name or id of the QoS policy for the network.",
            constraints=[CustomConstraint("neutron.qos_policy")], update_allowed=True,
            support_status=SupportStatus(version="6.0.0")),
        "dns_domain": PropertySchema(
            PropertyType.STRING, "The DNS domain of the network.",
            constraints=[CustomConstraint("dns_domain")], update_allowed=True,
            support_status=SupportStatus(version="7.0.0")),
        "availability_zone_hints": PropertySchema(
            PropertyType.LIST,
            "Availability zones to place the network in (needs the availability_zone "
            "extension).",
            support_status=SupportStatus(version="19.0.0")),
        "tags": tags_schema("network"),
    }
    attributes_schema = with_show({
        "status": AttributeSchema("The network's status.", type=AttributeType.STRING),
        "name": AttributeSchema("The network's name.", type=AttributeType.STRING),
        "subnets": AttributeSchema("The ids of the network's subnets.",
                                   type=AttributeType.LIST),
        "admin_state_up": AttributeSchema("The network's administrative state.",
                                          type=AttributeType.STRING),
        "tenant_id": AttributeSchema("The project that owns the network.",
                                     type=AttributeType.STRING),
        "port_security_enabled": AttributeSchema(
            "Whether port security is enabled on the network.", type=AttributeType.BOOLEAN,
            support_status=SupportStatus(version="5.0.0")),
        "mtu": AttributeSchema("The network's MTU, in bytes.", type=AttributeType.INTEGER,
                               support_status=SupportStatus(version="5.0.0")),
        "qos_policy_id": AttributeSchema("The id of the network's QoS policy.",
                                         type=AttributeType.STRING,
                                         support_status=SupportStatus(version="6.0.0")),
        "l2_adjacency": AttributeSchema(
            "Whether layer-2 connectivity can be expected across the whole network.",
            type=AttributeType.BOOLEAN, support_status=SupportStatus(version="9.0.0")),
        "segments": AttributeSchema("The network's segments.", type=AttributeType.LIST,
                                    support_status=SupportStatus(version="11.0.0")),
    })

    async def create(self) -> None:
        body = self.create_body()
        agents = body.pop("dhcp_agent_ids", None)
        tags = body.pop("tags", None)
        qos_policy = body.pop("qos_policy", None)
        if qos_policy:
            body["qos_policy_id"] = await self.find("qos_policy", qos_policy)
        await self.create_resource(body)
        if agents:
            await self._replace_dhcp_agents(agents)
        if tags:
            await self.set_tags(tags)
        await self.wait_built()

    async def update(self, properties: Mapping[str, Any], changed: frozenset[str]) -> None:
        body = self.update_body(properties, changed)
        self.properties = properties
        if "dhcp_agent_ids" in body:
            await self._replace_dhcp_agents(body.pop("dhcp_agent_ids") or [])
        if "qos_policy" in body:
            policy = body.pop("qos_policy")
            body["qos_policy_id"] = await self.find("qos_policy", policy) if policy else None
        if "tags" in body:
            await self.set_tags(body.pop("tags"))
        await self.update_resource(body)
        await self.wait_built()

    async def _replace_dhcp_agents(self, wanted: list[str]) -> None:
        path = self.resource_path()
        answer = await self.call("GET", f"{path}/dhcp-agents")
        current = {a["id"] for a in (answer.body or {}).get("agents", [])}
        for agent in sorted(set(wanted) - current):
            # A 409 means the agent already hosts the network.
            with contextlib.suppress(Conflict):
                await self.call("POST", f"/agents/{agent}/dhcp-networks",
                                json={"network_id": self.ctx.physical_resource_id})
        for agent in sorted(current - set(wanted)):
            await self.api("DELETE", f"/agents/{agent}/dhcp-networks/"
                           f"{self.ctx.physical_resource_id}", missing_ok=True)

    async def attribute(self, name: str, body: Mapping[str, Any]) -> Any:
        if name == "segments":
            answer = await self.api("GET", "/segments", missing_ok=True,
                                    params={"network_id": self.ctx.physical_resource_id})
            if answer is None:
                return None
            segments = list((answer.body or {}).get("segments", []))
            # Segments without a name first, as Heat sorts them.
            return sorted(segments, key=lambda s: s.get("name") is not None)
        return body.get(name)
