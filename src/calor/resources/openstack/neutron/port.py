"""OS::Neutron::Port: a port on a network, with its fixed IPs and MAC address."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from calor.resources.openstack.base import with_show
from calor.resources.openstack.errors import ResourcePropertyConflict
from calor.resources.openstack.finders import security_group_ids
from calor.resources.openstack.neutron.common import (
    NeutronResource,
    hidden_id,
    tags_schema,
    value_specs_schema,
)
from calor.template.constraints import AllowedValues, CustomConstraint
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    PropertySchema,
    PropertyType,
    Support,
    SupportStatus,
)

VNIC_TYPES = ("normal", "direct", "macvtap", "direct-physical", "baremetal",
              "virtio-forwarder", "smart-nic")

#: The port properties a server's ``networks[].port_extra_properties`` may set too.
EXTRA_PROPERTIES: dict[str, PropertySchema] = {
    "value_specs": value_specs_schema(),
    "admin_state_up": PropertySchema(
        PropertyType.BOOLEAN, "The port's administrative state.", default=True,
        update_allowed=True),
    "mac_address": PropertySchema(
        PropertyType.STRING, "The MAC address to give the port (administrators only, by "
        "default).", constraints=[CustomConstraint("mac_addr")]),
    "allowed_address_pairs": PropertySchema(
        PropertyType.LIST,
        "More MAC/IP address pairs the port lets through (for a virtual IP, say).",
        schema=PropertySchema(PropertyType.MAP, schema={
            "mac_address": PropertySchema(
                PropertyType.STRING, "The MAC address to let through (the port's own if "
                "unset).", constraints=[CustomConstraint("mac_addr")]),
            "ip_address": PropertySchema(
                PropertyType.STRING, "The IP address or CIDR to let through.", required=True,
                constraints=[CustomConstraint("ip_or_cidr")]),
        }),
        update_allowed=True),
    "binding:vnic_type": PropertySchema(
        PropertyType.STRING,
        "How the port is realised: a normal virtual NIC, direct (PCI passthrough, for "
        "SR-IOV), macvtap, ... (needs the bindings extension).",
        default="normal", constraints=[AllowedValues(VNIC_TYPES)], update_allowed=True,
        support_status=SupportStatus(version="2015.1")),
    "port_security_enabled": PropertySchema(
        PropertyType.BOOLEAN,
        "Port security: with it off, no security groups or address pairs filter the "
        "port's traffic.",
        update_allowed=True, support_status=SupportStatus(version="5.0.0")),
    "qos_policy": PropertySchema(
        PropertyType.STRING, "The name or id of the QoS policy for the port.",
        constraints=[CustomConstraint("neutron.qos_policy")], update_allowed=True,
        support_status=SupportStatus(version="6.0.0")),
    "propagate_uplink_status": PropertySchema(
        PropertyType.BOOLEAN, "Propagate the uplink status to the port.",
        update_allowed=True, support_status=SupportStatus(version="15.0.0")),
    "no_fixed_ips": PropertySchema(
        PropertyType.BOOLEAN, "Give the port no fixed IP at all.", default=False,
        update_allowed=True, support_status=SupportStatus(version="16.0.0")),
}


def _attr(description: str, kind: AttributeType, version: str | None = None) -> AttributeSchema:
    return AttributeSchema(description, type=kind,
                           support_status=SupportStatus(version=version))


class Port(NeutronResource):
    """A Neutron port: an interface on a network, with its fixed IPs and MAC address.

    A server's network interface plugs into a port. Fixed IPs may name a
    subnet, an address, or both; security groups are names or ids (none
    given: the project's ``default`` group).
    """

    type_name = "OS::Neutron::Port"
    collection = "ports"
    body_key = "port"
    has_status = True
    replaced_properties = {"network_id": "network"}

    properties_schema = {
        "name": PropertySchema(PropertyType.STRING, "The port's name.", update_allowed=True),
        "network_id": hidden_id("network", "neutron.network"),
        "network": PropertySchema(
            PropertyType.STRING,
            "The name or id of the port's network. To give the port a floating IP, name "
            "a subnet in fixed_ips too. Changing it replaces the port.",
            required=True, constraints=[CustomConstraint("neutron.network")],
            support_status=SupportStatus(version="2014.2")),
        "device_id": PropertySchema(PropertyType.STRING, "The id of the device using the "
                                    "port.", default="", update_allowed=True),
        "device_owner": PropertySchema(
            PropertyType.STRING, "What owns the port (network:router_interface, "
            "network:dhcp, ...).", default="", update_allowed=True),
        "fixed_ips": PropertySchema(
            PropertyType.LIST, "The port's fixed IPs.",
            schema=PropertySchema(PropertyType.MAP, schema={
                "subnet_id": hidden_id("subnet", "neutron.subnet"),
                "subnet": PropertySchema(
                    PropertyType.STRING, "The name or id of the subnet to take an address "
                    "from.", constraints=[CustomConstraint("neutron.subnet")],
                    support_status=SupportStatus(version="2014.2")),
                "ip_address": PropertySchema(
                    PropertyType.STRING, "The address to take.",
                    constraints=[CustomConstraint("ip_addr")]),
            }),
            update_allowed=True),
        "security_groups": PropertySchema(
            PropertyType.LIST, "Names or ids of the port's security groups (an empty list: "
            "none at all).", update_allowed=True),
        "replacement_policy": PropertySchema(
            PropertyType.STRING,
            "REPLACE_ALWAYS replaces the port on every update; AUTO updates it in place "
            "where the changes allow.",
            default="AUTO", constraints=[AllowedValues(["REPLACE_ALWAYS", "AUTO"])],
            update_allowed=True,
            support_status=SupportStatus(
                Support.HIDDEN, version="9.0.0",
                previous_status=SupportStatus(
                    Support.DEPRECATED, version="6.0.0",
                    message="A workaround for a Nova/Neutron problem fixed since Liberty.",
                    previous_status=SupportStatus(version="2014.2")))),
        "dns_name": PropertySchema(
            PropertyType.STRING, "The port's DNS name.", update_allowed=True,
            constraints=[CustomConstraint("dns_name")],
            support_status=SupportStatus(version="7.0.0")),
        "tags": tags_schema("port"),
        **EXTRA_PROPERTIES,
    }
    attributes_schema = with_show({
        "admin_state_up": _attr("The port's administrative state.", AttributeType.STRING),
        "device_id": _attr("The device using the port.", AttributeType.STRING),
        "device_owner": _attr("What owns the port.", AttributeType.STRING),
        "fixed_ips": _attr("The port's fixed IPs.", AttributeType.LIST),
        "mac_address": _attr("The port's MAC address.", AttributeType.STRING),
        "name": _attr("The port's name.", AttributeType.STRING),
        "network_id": _attr("The port's network.", AttributeType.STRING),
        "security_groups": _attr("The port's security groups.", AttributeType.LIST),
        "status": _attr("The port's status.", AttributeType.STRING),
        "tenant_id": _attr("The project that owns the port.", AttributeType.STRING),
        "allowed_address_pairs": _attr("The MAC/IP pairs the port lets through.",
                                       AttributeType.LIST),
        "subnets": _attr("The subnets of the port's fixed IPs, as the cloud shows them.",
                         AttributeType.LIST),
        "port_security_enabled": _attr("Whether port security is on.",
                                       AttributeType.BOOLEAN, "5.0.0"),
        "qos_policy_id": _attr("The port's QoS policy.", AttributeType.STRING, "6.0.0"),
        "dns_assignment": _attr("The DNS names assigned to the port.", AttributeType.MAP,
                                "7.0.0"),
        "network": _attr("The port's network, as the cloud shows it (e.g. "
                         "``{get_attr: [<port>, network, mtu]}``).", AttributeType.MAP,
                         "11.0.0"),
        "propagate_uplink_status": _attr("Whether the uplink status is propagated.",
                                         AttributeType.BOOLEAN, "15.0.0"),
    })

    def needs_replace(self, properties: Mapping[str, Any], changed: frozenset[str]) -> bool:
        return properties.get("replacement_policy") == "REPLACE_ALWAYS"

    async def create(self) -> None:
        props = self.properties
        if props.get("fixed_ips") and props.get("no_fixed_ips"):
            raise ResourcePropertyConflict("fixed_ips", "no_fixed_ips")
        body = self.create_body()
        body.pop("network", None)
        body["network_id"] = await self.find("network", self.prop("network"))
        await self._port_body(body, for_update=False)
        tags = body.pop("tags", None)
        await self.create_resource(body)
        if tags:
            await self.set_tags(tags)
        await self.wait_built()

    async def update(self, properties: Mapping[str, Any], changed: frozenset[str]) -> None:
        body = self.update_body(properties, changed)
        self.properties = properties
        if "tags" in body:
            await self.set_tags(body.pop("tags"))
        await self._port_body(body, for_update=True)
        await self.update_resource(body)
        await self.wait_built()

    async def _port_body(self, body: dict[str, Any], *, for_update: bool) -> None:
        """Heat's ``_prepare_port_properties``: the body as Neutron takes it."""
        if body.pop("no_fixed_ips", False):
            body["fixed_ips"] = []
        elif "fixed_ips" in body:
            if body["fixed_ips"]:
                body["fixed_ips"] = [await self._fixed_ip(f) for f in body["fixed_ips"]]
            else:
                # Neutron would drop every address; Heat keeps (or lets Neutron pick) them.
                del body["fixed_ips"]
        if "allowed_address_pairs" in body:
            pairs = body["allowed_address_pairs"] or []
            body["allowed_address_pairs"] = [
                {k: v for k, v in pair.items() if v is not None} for pair in pairs
            ]
        if "security_groups" in body:
            groups = body["security_groups"]
            if groups is not None:
                body["security_groups"] = await self.lookup(security_group_ids, list(groups))
            elif for_update:
                body["security_groups"] = await self.lookup(security_group_ids, ["default"])
            else:
                del body["security_groups"]
        body.pop("replacement_policy", None)
        if "qos_policy" in body:
            policy = body.pop("qos_policy")
            body["qos_policy_id"] = await self.find("qos_policy", policy) if policy else None

    async def _fixed_ip(self, entry: Mapping[str, Any]) -> dict[str, Any]:
        fixed = {k: v for k, v in entry.items() if v is not None}
        subnet = fixed.pop("subnet", None) or fixed.pop("subnet_id", None)
        fixed.pop("subnet_id", None)
        if subnet:
            fixed["subnet_id"] = await self.find("subnet", subnet)
        return fixed

    async def attribute(self, name: str, body: Mapping[str, Any]) -> Any:
        if name == "subnets":
            subnets = []
            for fixed in body.get("fixed_ips") or []:
                if fixed.get("subnet_id"):
                    found = await self.call("GET", f"/subnets/{fixed['subnet_id']}")
                    subnets.append(found.member("subnet"))
            return subnets
        if name == "network":
            if not body.get("network_id"):
                return None
            return (await self.call("GET", f"/networks/{body['network_id']}")).member("network")
        return body.get(name)
