"""OS::Neutron::FloatingIP: an address on an external network, optionally on a port."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from calor.resources.lifecycle import ResourceFailure
from calor.resources.openstack.base import with_show
from calor.resources.openstack.neutron.common import (
    NeutronResource,
    hidden_id,
    value_specs_schema,
)
from calor.template.constraints import CustomConstraint
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    CacheMode,
    PropertySchema,
    PropertyType,
    SupportStatus,
)


class FloatingIP(NeutronResource):
    """A floating IP: an address of an external network that can follow a port around.

    It gives an instance on a private network a public address; reassigning
    it to another port moves the address. The port needs a fixed IP on a
    subnet that a router with a gateway to the external network serves.
    """

    type_name = "OS::Neutron::FloatingIP"
    collection = "floatingips"
    body_key = "floatingip"
    replaced_properties = {"floating_network_id": "floating_network"}

    properties_schema = {
        "floating_network_id": hidden_id("floating_network", "neutron.network"),
        "floating_network": PropertySchema(
            PropertyType.STRING, "The name or id of the external network to take the "
            "address from.", required=True, constraints=[CustomConstraint("neutron.network")],
            support_status=SupportStatus(version="2014.2")),
        "floating_subnet": PropertySchema(
            PropertyType.STRING, "The name or id of the external subnet to take the address "
            "from.", constraints=[CustomConstraint("neutron.subnet")],
            support_status=SupportStatus(version="9.0.0")),
        "value_specs": value_specs_schema(update_allowed=False),
        "port_id": PropertySchema(
            PropertyType.STRING, "The id of the port to put the address on.",
            update_allowed=True, constraints=[CustomConstraint("neutron.port")]),
        "fixed_ip_address": PropertySchema(
            PropertyType.STRING, "Which of the port's fixed IPs the address maps to.",
            update_allowed=True, constraints=[CustomConstraint("ip_addr")]),
        "floating_ip_address": PropertySchema(
            PropertyType.STRING, "The address to take (administrators only, by default).",
            constraints=[CustomConstraint("ip_addr")],
            support_status=SupportStatus(version="5.0.0")),
        "dns_name": PropertySchema(
            PropertyType.STRING, "The address's DNS name.", update_allowed=True,
            constraints=[CustomConstraint("rel_dns_name")],
            support_status=SupportStatus(version="7.0.0")),
        "dns_domain": PropertySchema(
            PropertyType.STRING, "The address's DNS domain.", update_allowed=True,
            constraints=[CustomConstraint("dns_domain")],
            support_status=SupportStatus(version="7.0.0")),
    }
    attributes_schema = with_show({
        "router_id": AttributeSchema("The router the address is routed through.",
                                     type=AttributeType.STRING),
        "tenant_id": AttributeSchema("The project that owns the address.",
                                     type=AttributeType.STRING),
        "floating_network_id": AttributeSchema("The external network of the address.",
                                               type=AttributeType.STRING),
        "fixed_ip_address": AttributeSchema("The fixed IP the address maps to.",
                                            type=AttributeType.STRING,
                                            cache_mode=CacheMode.NONE),
        "floating_ip_address": AttributeSchema("The address.", type=AttributeType.STRING),
        "port_id": AttributeSchema("The port the address is on.", type=AttributeType.STRING,
                                   cache_mode=CacheMode.NONE),
    })

    async def create(self) -> None:
        if self.properties.get("port_id") is None and \
                self.properties.get("fixed_ip_address") is not None:
            raise ResourceFailure("fixed_ip_address cannot be specified without port_id.")
        body = self.create_body()
        body.pop("floating_network", None)
        body["floating_network_id"] = await self.find("network", self.prop("floating_network"))
        if body.get("floating_subnet"):
            body["subnet_id"] = await self.find("subnet", body.pop("floating_subnet"))
        await self.create_resource(body)

    async def update(self, properties: Mapping[str, Any], changed: frozenset[str]) -> None:
        port_id = properties.get("port_id") if "port_id" in changed \
            else self.properties.get("port_id")
        fixed = properties.get("fixed_ip_address") if "fixed_ip_address" in changed \
            else self.properties.get("fixed_ip_address")
        self.properties = properties
        # As Heat: an update (re)maps the address; that is what can change in place.
        await self.update_resource({"port_id": port_id, "fixed_ip_address": fixed})
