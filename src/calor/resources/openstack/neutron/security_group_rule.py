"""OS::Neutron::SecurityGroupRule: one rule of a security group."""

from __future__ import annotations

from calor.resources.lifecycle import ResourceFailure
from calor.resources.openstack.base import with_show
from calor.resources.openstack.errors import ResourcePropertyConflict
from calor.resources.openstack.neutron.common import (
    DIRECTION,
    ETHERTYPE,
    PROTOCOL_HELP,
    PROTOCOLS,
    NeutronResource,
)
from calor.template.constraints import AllowedValues, CustomConstraint, Range
from calor.template.schema import PropertySchema, PropertyType, SupportStatus


class SecurityGroupRule(NeutronResource):
    """One rule of a security group, made apart from the group (any change replaces it)."""

    type_name = "OS::Neutron::SecurityGroupRule"
    collection = "security-group-rules"
    body_key = "security_group_rule"
    support_status = SupportStatus(version="7.0.0")

    properties_schema = {
        "security_group": PropertySchema(
            PropertyType.STRING, "The name or id of the group to add the rule to.",
            required=True, constraints=[CustomConstraint("neutron.security_group")]),
        "description": PropertySchema(PropertyType.STRING, "The rule's description."),
        "direction": DIRECTION,
        "ethertype": ETHERTYPE,
        "port_range_min": PropertySchema(
            PropertyType.INTEGER, "The lowest port the rule matches (for ICMP: the type).",
            constraints=[Range(0, 65535)]),
        "port_range_max": PropertySchema(
            PropertyType.INTEGER, "The highest port the rule matches (for ICMP: the code).",
            constraints=[Range(0, 65535)]),
        "protocol": PropertySchema(PropertyType.STRING, PROTOCOL_HELP, default="tcp",
                                   constraints=[AllowedValues(PROTOCOLS)]),
        "remote_group": PropertySchema(
            PropertyType.STRING, "The name or id of the remote group the rule matches.",
            constraints=[CustomConstraint("neutron.security_group")]),
        "remote_ip_prefix": PropertySchema(
            PropertyType.STRING, "The remote CIDR the rule matches.",
            constraints=[CustomConstraint("net_cidr")]),
    }
    attributes_schema = with_show({})

    def check_properties(self) -> None:
        props = self.properties
        if props.get("remote_group") is not None and props.get("remote_ip_prefix") is not None:
            raise ResourcePropertyConflict("remote_group", "remote_ip_prefix")
        low, high = props.get("port_range_min"), props.get("port_range_max")
        if low is not None and high is not None and high < low and \
                props.get("protocol") not in ("icmp", "icmpv6", "ipv6-icmp"):
            raise ResourceFailure("The minimum port number must be less than or equal to "
                                  "the maximum port number.")

    async def create(self) -> None:
        self.check_properties()
        body = self.create_body()
        body["security_group_id"] = await self.find("security_group",
                                                    body.pop("security_group"))
        if body.get("remote_group"):
            body["remote_group_id"] = await self.find("security_group",
                                                      body.pop("remote_group"))
        await self.create_resource(body)
