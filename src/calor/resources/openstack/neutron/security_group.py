"""OS::Neutron::SecurityGroup: a set of packet filter rules for ports."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from calor.resources.lifecycle import NotSupported, ResourceFailure
from calor.resources.openstack.base import present, with_show
from calor.resources.openstack.neutron.common import (
    DIRECTION,
    ETHERTYPE,
    PROTOCOL_HELP,
    PROTOCOLS,
    NeutronResource,
)
from calor.template.constraints import AllowedValues, CustomConstraint, Range
from calor.template.schema import PropertySchema, PropertyType, SupportStatus

_RULE = {
    "direction": DIRECTION,
    "ethertype": ETHERTYPE,
    "port_range_min": PropertySchema(
        PropertyType.INTEGER, "The lowest port the rule matches (for ICMP: the type).",
        constraints=[Range(0, 65535)]),
    "port_range_max": PropertySchema(
        PropertyType.INTEGER, "The highest port the rule matches (for ICMP: the code).",
        constraints=[Range(0, 65535)]),
    "protocol": PropertySchema(
        PropertyType.STRING, PROTOCOL_HELP + " Unset: every protocol.",
        constraints=[AllowedValues(PROTOCOLS)]),
    "remote_mode": PropertySchema(
        PropertyType.STRING, "Whether the rule matches a remote group or a remote prefix.",
        default="remote_ip_prefix",
        constraints=[AllowedValues(["remote_ip_prefix", "remote_group_id"])]),
    "remote_group_id": PropertySchema(
        PropertyType.STRING, "The remote group the rule matches (remote_mode "
        "remote_group_id; unset: this group itself).",
        constraints=[CustomConstraint("neutron.security_group")]),
    "remote_ip_prefix": PropertySchema(
        PropertyType.STRING, "The remote CIDR the rule matches.",
        constraints=[CustomConstraint("net_cidr")]),
    "description": PropertySchema(PropertyType.STRING, "The rule's description.",
                                  support_status=SupportStatus(version="27.0.0")),
}

#: What makes two rules the same rule (as Neutron compares them).
_RULE_KEYS = ("direction", "ethertype", "protocol", "port_range_min", "port_range_max",
              "remote_group_id", "remote_ip_prefix", "security_group_id")

#: The rules Neutron gives a new group, which an update must keep unless told otherwise.
DEFAULT_EGRESS = ({"direction": "egress", "ethertype": "IPv4"},
                  {"direction": "egress", "ethertype": "IPv6"})


def _rule_key(rule: Mapping[str, Any]) -> tuple[str | None, ...]:
    return tuple(None if rule.get(k) is None else str(rule.get(k)) for k in _RULE_KEYS)


class SecurityGroup(NeutronResource):
    """A Neutron security group: rules filtering the traffic of the ports it is on.

    Every project also has a ``default`` group, which ports get when they
    name none. A group made here starts with Neutron's two egress rules,
    replaced by the template's own when it gives egress rules.
    """

    type_name = "OS::Neutron::SecurityGroup"
    collection = "security-groups"
    body_key = "security_group"
    support_status = SupportStatus(version="2014.1")

    properties_schema = {
        "name": PropertySchema(PropertyType.STRING, "The group's name (not \"default\").",
                               update_allowed=True),
        "description": PropertySchema(PropertyType.STRING, "The group's description.",
                                      update_allowed=True),
        "rules": PropertySchema(
            PropertyType.LIST, "The group's rules.", default=[],
            schema=PropertySchema(PropertyType.MAP, schema=_RULE), update_allowed=True),
        "stateful": PropertySchema(
            PropertyType.BOOLEAN, "Whether the group is stateful (false needs the "
            "stateful-security-group extension).", update_allowed=True,
            support_status=SupportStatus(version="27.0.0")),
    }
    attributes_schema = with_show({})

    async def _stateless_supported(self) -> bool:
        found = await self.api("GET", "/extensions/stateful-security-group", missing_ok=True)
        return found is not None

    async def create(self) -> None:
        if self.properties.get("name") == "default":
            raise ResourceFailure('Security groups cannot be assigned the name "default".')
        body = self.create_body()
        rules = body.pop("rules", None) or []
        if body.get("stateful") is not None and not await self._stateless_supported():
            if body["stateful"] is False:
                raise ResourceFailure("Neutron does not support stateless security groups; "
                                      'remove the "stateful" property or set it to true.')
            body.pop("stateful")
        group = await self.create_resource(body)
        if not rules:
            return
        if any(rule["direction"] == "egress" for rule in rules):
            # The template's egress rules replace Neutron's default ones.
            for rule in group.get("security_group_rules") or []:
                if rule.get("direction") == "egress":
                    await self.api("DELETE", f"/security-group-rules/{rule['id']}",
                                   missing_ok=True)
        for rule in rules:
            await self._create_rule(self._format(rule))
        self.forget()

    async def update(self, properties: Mapping[str, Any], changed: frozenset[str]) -> None:
        body = self.update_body(properties, changed)
        rules = body.pop("rules", None) if "rules" in body else None
        rules_changed = "rules" in changed
        if "stateful" in body and body["stateful"] != self.properties.get("stateful"):
            await self._check_stateful_change()
        self.properties = properties
        await self.update_resource(body)
        if rules_changed:
            await self._reconcile_rules(rules or [])
        self.forget()

    async def _check_stateful_change(self) -> None:
        answer = await self.call("GET", "/ports",
                                 params={"security_groups": self.ctx.physical_resource_id})
        if (answer.body or {}).get("ports"):
            raise NotSupported(
                f'Updating the "stateful" property while security group '
                f'"{self.ctx.physical_resource_id}" is attached to ports. Detach all ports '
                "from the security group and retry. is not supported.")

    async def _reconcile_rules(self, rules: list[Mapping[str, Any]]) -> None:
        wanted = list(rules)
        if not any(rule.get("direction") == "egress" for rule in wanted):
            wanted.extend(DEFAULT_EGRESS)
        desired = {_rule_key(r): r for r in (self._format(rule) for rule in wanted)}
        group = (await self.call("GET", self.resource_path())).member("security_group")
        current = {_rule_key(r): r for r in group.get("security_group_rules") or []}
        for key, rule in current.items():
            if key not in desired:
                await self.api("DELETE", f"/security-group-rules/{rule['id']}",
                               missing_ok=True)
        for key, rule in desired.items():
            if key not in current:
                await self._create_rule(rule)

    def _format(self, rule: Mapping[str, Any]) -> dict[str, Any]:
        formatted = dict(rule)
        formatted["security_group_id"] = self.ctx.physical_resource_id
        mode = formatted.pop("remote_mode", None)
        if mode == "remote_group_id":
            formatted["remote_ip_prefix"] = None
            # No group named: the rule refers to this group itself.
            formatted["remote_group_id"] = formatted.get("remote_group_id") or \
                self.ctx.physical_resource_id
        elif mode is not None:
            formatted["remote_group_id"] = None
        if formatted.get("description") is None:
            formatted.pop("description", None)
        return formatted

    async def _create_rule(self, rule: Mapping[str, Any]) -> None:
        await self.call("POST", "/security-group-rules",
                        json={"security_group_rule": present(rule)})
