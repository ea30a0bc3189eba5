"""OS::Neutron::Router: a router between networks, with an optional external gateway."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from calor.resources.lifecycle import ResourceFailure
from calor.resources.openstack.base import with_show
from calor.resources.openstack.errors import ResourcePropertyConflict
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
    Support,
    SupportStatus,
)

_GATEWAY = {
    "network": PropertySchema(
        PropertyType.STRING, "The name or id of the external network for the gateway.",
        required=True, update_allowed=True),
    "enable_snat": PropertySchema(
        PropertyType.BOOLEAN, "Source NAT on the gateway (administrators only, by default).",
        update_allowed=True),
    "external_fixed_ips": PropertySchema(
        PropertyType.LIST, "Fixed IPs for the gateway on the external network.",
        schema=PropertySchema(PropertyType.MAP, schema={
            "ip_address": PropertySchema(PropertyType.STRING, "The address.",
                                         constraints=[CustomConstraint("ip_addr")]),
            "subnet": PropertySchema(PropertyType.STRING, "The name or id of the subnet.",
                                     constraints=[CustomConstraint("neutron.subnet")]),
        }),
        update_allowed=True, support_status=SupportStatus(version="6.0.0")),
}


class Router(NeutronResource):
    """A Neutron router: routes between the subnets plugged into it and, through its
    external gateway, to an external network (for floating IPs).
    """

    type_name = "OS::Neutron::Router"
    collection = "routers"
    body_key = "router"
    has_status = True

    properties_schema = {
        "name": PropertySchema(PropertyType.STRING, "The router's name.",
                               update_allowed=True),
        "external_gateway_info": PropertySchema(
            PropertyType.MAP, "The router's gateway to an external network.",
            schema=_GATEWAY, update_allowed=True),
        "value_specs": value_specs_schema(),
        "admin_state_up": PropertySchema(
            PropertyType.BOOLEAN, "The router's administrative state.", default=True,
            update_allowed=True),
        "l3_agent_id": PropertySchema(
            PropertyType.STRING, "The L3 agent to schedule the router on.",
            update_allowed=True,
            support_status=SupportStatus(
                Support.HIDDEN, version="6.0.0",
                previous_status=SupportStatus(
                    Support.DEPRECATED, version="2015.1", message="Use property l3_agent_ids.",
                    previous_status=SupportStatus(version="2014.1")))),
        "l3_agent_ids": PropertySchema(
            PropertyType.LIST,
            "The L3 agents to schedule the router on (more than one for an HA router; "
            "administrators only, by default).",
            schema=PropertySchema(PropertyType.STRING), update_allowed=True,
            support_status=SupportStatus(version="2015.1")),
        "distributed": PropertySchema(
            PropertyType.BOOLEAN, "Make a distributed router (administrators only, by "
            "default).", support_status=SupportStatus(version="2015.1")),
        "ha": PropertySchema(
            PropertyType.BOOLEAN, "Make a highly available router (administrators only, by "
            "default; not with distributed).", support_status=SupportStatus(version="2015.1")),
        "availability_zone_hints": PropertySchema(
            PropertyType.LIST, "Availability zones to place the router in.",
            update_allowed=True, support_status=SupportStatus(version="19.0.0")),
        "tags": tags_schema("router"),
        "tenant_id": PropertySchema(
            PropertyType.STRING, "The project that owns the router (administrators only may "
            "name another).", support_status=SupportStatus(version="24.0.0")),
    }
    attributes_schema = with_show({
        "status": AttributeSchema("The router's status.", type=AttributeType.STRING),
        "external_gateway_info": AttributeSchema("The router's gateway.",
                                                 type=AttributeType.MAP),
        "name": AttributeSchema("The router's name.", type=AttributeType.STRING),
        "admin_state_up": AttributeSchema("The router's administrative state.",
                                          type=AttributeType.STRING),
        "tenant_id": AttributeSchema("The project that owns the router.",
                                     type=AttributeType.STRING),
    })

    def check_properties(self) -> None:
        props = self.properties
        agent, agents = props.get("l3_agent_id"), props.get("l3_agent_ids")
        if agent and agents:
            raise ResourcePropertyConflict("l3_agent_id", "l3_agent_ids")
        if props.get("distributed") and (agent or agents):
            raise ResourcePropertyConflict("distributed", "l3_agent_id/l3_agent_ids")
        if props.get("ha") and props.get("distributed"):
            raise ResourcePropertyConflict("distributed", "ha")
        if not props.get("ha") and agents and len(agents) > 1:
            raise ResourceFailure("Non HA routers can only have one L3 agent.")

    async def create(self) -> None:
        self.check_properties()
        body = self.create_body()
        await self._gateway(body)
        agents = _agents(body)
        tags = body.pop("tags", None)
        await self.create_resource(body)
        if agents:
            await self._replace_agents(agents)
        if tags:
            await self.set_tags(tags)
        await self.wait_built()

    async def update(self, properties: Mapping[str, Any], changed: frozenset[str]) -> None:
        body = self.update_body(properties, changed)
        self.properties = properties
        if "external_gateway_info" in body:
            await self._gateway(body)
        if "l3_agent_ids" in body or "l3_agent_id" in body:
            await self._replace_agents(_agents(body))
        if "tags" in body:
            await self.set_tags(body.pop("tags"))
        await self.update_resource(body)
        await self.wait_built()

    async def _gateway(self, body: dict[str, Any]) -> None:
        gateway = body.get("external_gateway_info")
        if not gateway:
            if "external_gateway_info" in body:
                body["external_gateway_info"] = {}  # no gateway any more
            return
        info: dict[str, Any] = {"network_id": await self.find("network", gateway["network"])}
        if gateway.get("enable_snat") is not None:
            info["enable_snat"] = gateway["enable_snat"]
        if gateway.get("external_fixed_ips") is not None:
            fixed_ips = []
            for entry in gateway["external_fixed_ips"]:
                fixed = {k: v for k, v in entry.items() if v is not None}
                if "subnet" in fixed:
                    fixed["subnet_id"] = await self.find("subnet", fixed.pop("subnet"))
                fixed_ips.append(fixed)
            info["external_fixed_ips"] = fixed_ips
        body["external_gateway_info"] = info

    async def _replace_agents(self, agents: list[str] | None) -> None:
        path = self.resource_path()
        answer = await self.call("GET", f"{path}/l3-agents")
        for agent in (answer.body or {}).get("agents", []):
            await self.api("DELETE", f"/agents/{agent['id']}/l3-routers/"
                           f"{self.ctx.physical_resource_id}", missing_ok=True)
        for agent_id in agents or []:
            await self.call("POST", f"/agents/{agent_id}/l3-routers",
                            json={"router_id": self.ctx.physical_resource_id})


def _agents(body: dict[str, Any]) -> list[str] | None:
    one = body.pop("l3_agent_id", None)
    many = body.pop("l3_agent_ids", None)
    return many or ([one] if one else None)
