"""OS::Neutron::Subnet: a block of IP addresses on a network."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from calor.resources.lifecycle import ResourceFailure
from calor.resources.openstack.base import with_show
from calor.resources.openstack.errors import (
    PropertyUnspecifiedError,
    ResourceActionNotSupported,
    ResourcePropertyConflict,
)
from calor.resources.openstack.neutron.common import (
    NeutronResource,
    hidden_id,
    tags_schema,
    value_specs_schema,
)
from calor.template.constraints import AllowedValues, CustomConstraint, Range
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    PropertySchema,
    PropertyType,
    SupportStatus,
)

IPV6_MODES = ("dhcpv6-stateful", "dhcpv6-stateless", "slaac")


def _address(description: str) -> PropertySchema:
    return PropertySchema(PropertyType.STRING, description, required=True,
                          constraints=[CustomConstraint("ip_addr")])


class Subnet(NeutronResource):
    """A Neutron subnet: the addresses ports on its network get, from a CIDR or a pool.

    Addresses are handed out from the whole CIDR or from the allocation pools
    given; the gateway is the first free address unless set (``gateway_ip``
    null or empty: no gateway).
    """

    type_name = "OS::Neutron::Subnet"
    collection = "subnets"
    body_key = "subnet"
    replaced_properties = {"network_id": "network"}

    properties_schema = {
        "network_id": hidden_id("network", "neutron.network"),
        "network": PropertySchema(
            PropertyType.STRING, "The name or id of the network the subnet belongs to.",
            required=True, constraints=[CustomConstraint("neutron.network")],
            support_status=SupportStatus(version="2014.2")),
        "subnetpool": PropertySchema(
            PropertyType.STRING, "The name or id of the subnet pool to take the CIDR from.",
            constraints=[CustomConstraint("neutron.subnetpool")],
            support_status=SupportStatus(version="6.0.0")),
        "prefixlen": PropertySchema(
            PropertyType.INTEGER, "The prefix length of a CIDR taken from a subnet pool.",
            constraints=[Range(min=0)], support_status=SupportStatus(version="6.0.0")),
        "cidr": PropertySchema(PropertyType.STRING, "The subnet's CIDR.",
                               constraints=[CustomConstraint("net_cidr")]),
        "value_specs": value_specs_schema(),
        "name": PropertySchema(PropertyType.STRING, "The subnet's name.",
                               update_allowed=True),
        "ip_version": PropertySchema(PropertyType.INTEGER, "4 or 6.", default=4,
                                     constraints=[AllowedValues([4, 6])]),
        "dns_nameservers": PropertySchema(
            PropertyType.LIST, "The DNS servers instances on the subnet use.", default=[],
            update_allowed=True),
        "gateway_ip": PropertySchema(
            PropertyType.STRING,
            "The gateway's address. Null, ~ or an empty string: no gateway; left out at "
            "create: the first free address; removed on update: the gateway is detached.",
            update_allowed=True),
        "enable_dhcp": PropertySchema(PropertyType.BOOLEAN, "Serve DHCP on the subnet.",
                                      default=True, update_allowed=True),
        "allocation_pools": PropertySchema(
            PropertyType.LIST, "Ranges of addresses to allocate from.",
            schema=PropertySchema(PropertyType.MAP, schema={
                "start": _address("The first address of the range."),
                "end": _address("The last address of the range."),
            }),
            update_allowed=True),
        "tenant_id": PropertySchema(
            PropertyType.STRING,
            "The project that owns the subnet (administrators only may name another)."),
        "host_routes": PropertySchema(
            PropertyType.LIST, "Static routes handed to instances on the subnet.",
            schema=PropertySchema(PropertyType.MAP, schema={
                "destination": PropertySchema(
                    PropertyType.STRING, "The route's destination CIDR.", required=True,
                    constraints=[CustomConstraint("net_cidr")]),
                "nexthop": _address("The route's next hop."),
            }),
            update_allowed=True),
        "ipv6_ra_mode": PropertySchema(
            PropertyType.STRING, "The IPv6 router advertisement mode.",
            constraints=[AllowedValues(IPV6_MODES)],
            support_status=SupportStatus(version="2015.1")),
        "ipv6_address_mode": PropertySchema(
            PropertyType.STRING, "The IPv6 address mode.",
            constraints=[AllowedValues(IPV6_MODES)],
            support_status=SupportStatus(version="2015.1")),
        "segment": PropertySchema(
            PropertyType.STRING, "The name or id of the network segment of the subnet.",
            constraints=[CustomConstraint("neutron.segment")], update_allowed=True,
            support_status=SupportStatus(
                version="11.0.0", message="Update allowed since version 11.0.0.",
                previous_status=SupportStatus(version="9.0.0"))),
        "tags": tags_schema("subnet"),
    }
    attributes_schema = with_show({
        "name": AttributeSchema("The subnet's name.", type=AttributeType.STRING),
        "network_id": AttributeSchema("The network the subnet belongs to.",
                                      type=AttributeType.STRING),
        "tenant_id": AttributeSchema("The project that owns the subnet.",
                                     type=AttributeType.STRING),
        "allocation_pools": AttributeSchema("The ranges addresses are allocated from.",
                                            type=AttributeType.LIST),
        "gateway_ip": AttributeSchema("The gateway's address.", type=AttributeType.STRING),
        "host_routes": AttributeSchema("The subnet's static routes.",
                                       type=AttributeType.LIST),
        "ip_version": AttributeSchema("The IP version.", type=AttributeType.STRING),
        "cidr": AttributeSchema("The subnet's CIDR.", type=AttributeType.STRING),
        "dns_nameservers": AttributeSchema("The subnet's DNS servers.",
                                           type=AttributeType.LIST),
        "enable_dhcp": AttributeSchema("Whether DHCP is served on the subnet.",
                                       type=AttributeType.STRING),
    })

    def check_properties(self) -> None:
        """Heat's extra validation of the subnet's properties."""
        props = self.properties
        if props.get("subnetpool") is not None and props.get("cidr"):
            raise ResourcePropertyConflict("subnetpool", "cidr")
        if props.get("subnetpool") is None and not props.get("cidr"):
            raise PropertyUnspecifiedError("subnetpool", "cidr")
        if props.get("prefixlen") and props.get("cidr"):
            raise ResourcePropertyConflict("prefixlen", "cidr")
        ra_mode, address_mode = props.get("ipv6_ra_mode"), props.get("ipv6_address_mode")
        if props.get("ip_version") == 4 and (ra_mode or address_mode):
            raise ResourceFailure("ipv6_ra_mode and ipv6_address_mode are not supported "
                                  "for ipv4.")
        if ra_mode and address_mode and ra_mode != address_mode:
            raise ResourceFailure("When both ipv6_ra_mode and ipv6_address_mode are set, "
                                  "they must be equal.")
        gateway = props.get("gateway_ip")
        if gateway and gateway not in ("~", "", "auto"):
            try:
                ipaddress.ip_address(gateway)
            except ValueError:
                raise ResourceFailure(
                    f'Gateway IP address "{gateway}" is in invalid format.') from None

    async def create(self) -> None:
        self.check_properties()
        body = self.create_body()
        body.pop("network", None)
        body["network_id"] = await self.find("network", self.prop("network"))
        if body.get("segment"):
            body["segment_id"] = body.pop("segment")
        if body.get("subnetpool"):
            body["subnetpool_id"] = await self.find("subnetpool", body.pop("subnetpool"))
        tags = body.pop("tags", None)
        _normalize_gateway(body)
        await self.create_resource(body)
        if tags:
            await self.set_tags(tags)

    async def update(self, properties: Mapping[str, Any], changed: frozenset[str]) -> None:
        body = self.update_body(properties, changed)
        if "allocation_pools" in body and body["allocation_pools"] is None:
            body["allocation_pools"] = []
        if body.get("segment"):
            if self.properties.get("segment") is not None:
                raise ResourceActionNotSupported(
                    "Updating the subnet segment association only allowed when the current "
                    "segment_id is None. The subnet is currently associated with segment. "
                    "In this state update")
            body["segment_id"] = body.pop("segment")
        if body.get("gateway_ip") == "auto":
            raise ResourceActionNotSupported(
                'The value "auto" for gateway_ip cannot be used to update an existing '
                "subnet. It is only supported during subnet creation.")
        _normalize_gateway(body)
        self.properties = properties
        if "tags" in body:
            await self.set_tags(body.pop("tags"))
        await self.update_resource(body)


def _normalize_gateway(body: dict[str, Any]) -> None:
    # An empty gateway (null in the template) means "no gateway", which the
    # API spells null; "auto" means "pick one", which it spells by omission.
    if "gateway_ip" not in body:
        return
    if body["gateway_ip"] in ("", "~"):
        body["gateway_ip"] = None
    elif body["gateway_ip"] == "auto":
        body.pop("gateway_ip")
