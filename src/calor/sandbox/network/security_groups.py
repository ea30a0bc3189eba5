"""Neutron security groups and their rules: ``/v2.0/security-groups``, ``/security-group-rules``.

URLs use hyphens, JSON keys underscores (``security_groups``), as in Neutron.
Each project gets its ``default`` group the first time it needs one.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from calor.identity.context import RequestContext
from calor.sandbox.auth import Context
from calor.sandbox.bodies import json_body, member
from calor.sandbox.errors import BadRequest, Conflict, NotFound
from calor.sandbox.network import attributes as a
from calor.sandbox.network.common import (
    PORT,
    SECURITY_GROUP,
    SECURITY_GROUP_RULE,
    get_owned,
    listing,
    not_found,
    owned,
    shown,
    standard,
    touch,
)
from calor.sandbox.network.quota_routes import ensure_quota
from calor.sandbox.runtime import SandboxDep
from calor.sandbox.states import Body, public
from calor.sandbox.store import Transaction

GROUP_ATTRIBUTES: dict[str, a.Attribute] = {
    "name": a.attribute(a.string(), ""),
    "description": a.attribute(a.string(), ""),
    "stateful": a.attribute(a.boolean, True),
    "project_id": a.attribute(a.string(), None, allow_put=False),
    "tenant_id": a.attribute(a.string(), None, allow_put=False),
}

RULE_ATTRIBUTES: dict[str, a.Attribute] = {
    "security_group_id": a.attribute(a.string(), required=True, allow_put=False),
    "direction": a.attribute(a.one_of("ingress", "egress"), required=True, allow_put=False),
    "ethertype": a.attribute(a.one_of("IPv4", "IPv6"), "IPv4", allow_put=False),
    "protocol": a.attribute(a.anything, None, allow_put=False),
    "port_range_min": a.attribute(a.integer(0, 65535, nullable=True), None, allow_put=False),
    "port_range_max": a.attribute(a.integer(0, 65535, nullable=True), None, allow_put=False),
    "remote_ip_prefix": a.attribute(a.cidr(nullable=True), None, allow_put=False),
    "remote_group_id": a.attribute(a.string(nullable=True), None, allow_put=False),
    "remote_address_group_id": a.attribute(a.string(nullable=True), None, allow_put=False),
    "description": a.attribute(a.string(), ""),
    "project_id": a.attribute(a.string(), None, allow_put=False),
    "tenant_id": a.attribute(a.string(), None, allow_put=False),
}

_PROTOCOLS = {"ah": 51, "dccp": 33, "egp": 8, "esp": 50, "gre": 47, "hopopt": 0,
              "icmp": 1, "icmpv6": 58, "igmp": 2, "ipip": 4, "ipv6-encap": 41,
              "ipv6-frag": 44, "ipv6-icmp": 58, "ipv6-nonxt": 59, "ipv6-opts": 60,
              "ipv6-route": 43, "ospf": 89, "pgm": 113, "rsvp": 46, "sctp": 132, "tcp": 6,
              "udp": 17, "udplite": 136, "vrrp": 112}
_PORTED = {"tcp", "udp", "sctp", "dccp", "udplite", "6", "17", "132", "33", "136"}
_ICMP = {"icmp", "icmpv6", "ipv6-icmp", "1", "58"}


def group_missing(group_id: str) -> NotFound:
    return not_found("Security group", group_id, code="SecurityGroupNotFound",
                     suffix="does not exist")


def rule_missing(rule_id: str) -> NotFound:
    return not_found("Security group rule", rule_id, code="SecurityGroupRuleNotFound",
                     suffix="does not exist")


def _rule(tx: Transaction, project_id: str, values: Body) -> Body:
    rule = standard({"description": "", "protocol": None, "port_range_min": None,
                     "port_range_max": None, "remote_ip_prefix": None,
                     "remote_group_id": None, "remote_address_group_id": None,
                     "normalized_cidr": None, **values}, project_id, tx.now)
    rule.pop("name", None)
    rule.pop("tags", None)
    return tx.insert(SECURITY_GROUP_RULE, rule, project_id=project_id)


def _group(tx: Transaction, project_id: str, name: str, description: str,
           stateful: bool = True) -> Body:
    group = standard({"name": name, "description": description, "stateful": stateful,
                      "shared": False}, project_id, tx.now)
    tx.insert(SECURITY_GROUP, group, project_id=project_id)
    for ethertype in ("IPv4", "IPv6"):
        _rule(tx, project_id, {"security_group_id": group["id"], "direction": "egress",
                               "ethertype": ethertype})
    return group


def ensure_default_security_group(tx: Transaction, project_id: str) -> Body:
    """The project's ``default`` group, made (as Neutron does) on first need."""
    for group in tx.list(SECURITY_GROUP, project_id=project_id, name="default"):
        return group
    group = _group(tx, project_id, "default", "Default security group")
    for ethertype in ("IPv4", "IPv6"):
        _rule(tx, project_id, {"security_group_id": group["id"], "direction": "ingress",
                               "ethertype": ethertype, "remote_group_id": group["id"]})
    return group


def with_rules(group: Body, rules: list[Body]) -> Body:
    return {**group, "security_group_rules": [
        public(rule) for rule in rules if rule["security_group_id"] == group["id"]]}


def _check_protocol(value: Any) -> str | None:
    if value is None or value == "" or value == "any":
        return None
    text = str(value).lower()
    if text in _PROTOCOLS or (text.isdigit() and 0 <= int(text) <= 255):
        return text
    raise BadRequest(f"Security group rule protocol {value} not supported. Only protocol "
                     f"values {sorted(_PROTOCOLS)} and integer representations [0 to 255] are "
                     "supported.", code="SecurityGroupRuleInvalidProtocol")


def _check_rule(values: Body) -> None:
    protocol = values["protocol"] = _check_protocol(values.get("protocol"))
    low, high = values["port_range_min"], values["port_range_max"]
    if (low is not None or high is not None) and protocol is None:
        raise BadRequest("Must also specify protocol if port range is given.",
                         code="SecurityGroupProtocolRequiredWithPorts")
    if protocol in _PORTED and low is not None and high is not None and low > high:
        raise BadRequest("For TCP/UDP protocols, port_range_min must be <= port_range_max",
                         code="SecurityGroupInvalidPortRange")
    if protocol in _PORTED and low == 0:
        raise BadRequest("Invalid value for port 0", code="SecurityGroupInvalidPortValue")
    if protocol in _ICMP and high is not None and low is None:
        raise BadRequest(f"ICMP code (port-range-max) {high} is provided but ICMP type "
                         "(port-range-min) is missing.", code="SecurityGroupMissingIcmpType")
    prefix = values.get("remote_ip_prefix")
    if prefix is not None and values.get("remote_group_id") is not None:
        raise BadRequest("Only remote_ip_prefix or remote_group_id may be provided.",
                         code="SecurityGroupRemoteGroupAndRemoteIpPrefix")
    if prefix is not None:
        network = ipaddress.ip_network(prefix, strict=False)
        if f"IPv{network.version}" != values["ethertype"]:
            raise BadRequest(f"Conflicting value ethertype {values['ethertype']} for CIDR "
                             f"{prefix}", code="SecurityGroupRuleParameterConflict")
        values["normalized_cidr"] = str(network)


_SAME_RULE = ("security_group_id", "direction", "ethertype", "protocol", "port_range_min",
              "port_range_max", "normalized_cidr", "remote_group_id",
              "remote_address_group_id")


def routes(router: APIRouter) -> None:
    def visible_groups(tx: Transaction, context: RequestContext) -> list[Body]:
        ensure_default_security_group(tx, context.project_id)
        return [g for g in tx.list(SECURITY_GROUP) if owned(context, g)]

    @router.get("/security-groups")
    async def list_groups(request: Request, context: Context,
                          sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            groups = visible_groups(tx, context)
            rules = tx.list(SECURITY_GROUP_RULE)
        return listing(request, "security_groups", [with_rules(g, rules) for g in groups])

    @router.get("/security-groups/{group_id}")
    async def show_group(group_id: str, request: Request, context: Context,
                         sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            ensure_default_security_group(tx, context.project_id)
            group = get_owned(tx, SECURITY_GROUP, group_id, context, group_missing)
            rules = tx.list(SECURITY_GROUP_RULE)
        return {"security_group": shown(request, with_rules(group, rules))}

    @router.post("/security-groups")
    async def create_group(request: Request, context: Context,
                           sandbox: SandboxDep) -> Response:
        values = a.for_create("security_group",
                              member(await json_body(request), "security_group"),
                              GROUP_ATTRIBUTES, context)
        project = str(values.get("project_id") or values.get("tenant_id")
                      or context.project_id)
        if project != context.project_id and not context.is_admin:
            project = context.project_id
        await sandbox.faults.gate("network.security_group.create")
        with sandbox.transaction() as tx:
            ensure_default_security_group(tx, project)
            if values["name"] == "default":
                raise Conflict("Default security group already exists.",
                               code="SecurityGroupDefaultAlreadyExists")
            ensure_quota(sandbox, tx, project, "security_group")
            ensure_quota(sandbox, tx, project, "security_group_rule", 2)
            group = _group(tx, project, values["name"], values["description"],
                           values["stateful"])
            rules = tx.list(SECURITY_GROUP_RULE)
        return JSONResponse({"security_group": shown(request, with_rules(group, rules))},
                            status_code=201)

    @router.put("/security-groups/{group_id}")
    async def update_group(group_id: str, request: Request, context: Context,
                           sandbox: SandboxDep) -> dict[str, Any]:
        changes = a.for_update("security_group",
                               member(await json_body(request), "security_group"),
                               GROUP_ATTRIBUTES, context)
        await sandbox.faults.gate("network.security_group.update")
        with sandbox.transaction() as tx:
            group = get_owned(tx, SECURITY_GROUP, group_id, context, group_missing)
            if group["name"] == "default" and changes.get("name", "default") != "default":
                raise Conflict("Insufficient rights for removing default security group.",
                               code="SecurityGroupCannotUpdateDefault")
            group.update(changes)
            tx.save(SECURITY_GROUP, touch(group, tx.now))
            rules = tx.list(SECURITY_GROUP_RULE)
        return {"security_group": shown(request, with_rules(group, rules))}

    @router.delete("/security-groups/{group_id}")
    async def delete_group(group_id: str, context: Context, sandbox: SandboxDep) -> Response:
        await sandbox.faults.gate("network.security_group.delete")
        with sandbox.transaction() as tx:
            group = get_owned(tx, SECURITY_GROUP, group_id, context, group_missing)
            if group["name"] == "default" and not context.is_admin:
                raise Conflict("Insufficient rights for removing default security group.",
                               code="SecurityGroupCannotRemoveDefault")
            if any(group_id in p.get("security_groups", []) for p in tx.list(PORT)):
                raise Conflict(f"Security Group {group_id} in use.", code="SecurityGroupInUse")
            for rule in tx.list(SECURITY_GROUP_RULE):
                if group_id in (rule["security_group_id"], rule.get("remote_group_id")):
                    tx.delete(SECURITY_GROUP_RULE, rule["id"])
            tx.delete(SECURITY_GROUP, group_id)
        return Response(status_code=204)

    @router.get("/security-group-rules")
    async def list_rules(request: Request, context: Context,
                         sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            ensure_default_security_group(tx, context.project_id)
            rules = [r for r in tx.list(SECURITY_GROUP_RULE) if owned(context, r)]
        return listing(request, "security_group_rules", rules)

    @router.get("/security-group-rules/{rule_id}")
    async def show_rule(rule_id: str, request: Request, context: Context,
                        sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            rule = get_owned(tx, SECURITY_GROUP_RULE, rule_id, context, rule_missing)
        return {"security_group_rule": shown(request, rule)}

    @router.post("/security-group-rules")
    async def create_rule(request: Request, context: Context,
                          sandbox: SandboxDep) -> Response:
        values = a.for_create("security_group_rule",
                              member(await json_body(request), "security_group_rule"),
                              RULE_ATTRIBUTES, context)
        values.pop("project_id", None)
        values.pop("tenant_id", None)
        _check_rule(values)
        await sandbox.faults.gate("network.security_group_rule.create")
        with sandbox.transaction() as tx:
            group = get_owned(tx, SECURITY_GROUP, values["security_group_id"], context,
                              group_missing)
            if values.get("remote_group_id"):
                get_owned(tx, SECURITY_GROUP, values["remote_group_id"], context,
                          group_missing)
            for existing in tx.list(SECURITY_GROUP_RULE):
                if all(existing.get(k) == values.get(k) for k in _SAME_RULE):
                    raise Conflict("Security group rule already exists. Rule id is "
                                   f"{existing['id']}.", code="SecurityGroupRuleExists")
            project = str(group["project_id"])
            ensure_quota(sandbox, tx, project, "security_group_rule")
            rule = _rule(tx, project, values)
            tx.save(SECURITY_GROUP, touch(group, tx.now))
        return JSONResponse({"security_group_rule": shown(request, rule)}, status_code=201)

    @router.delete("/security-group-rules/{rule_id}")
    async def delete_rule(rule_id: str, context: Context, sandbox: SandboxDep) -> Response:
        await sandbox.faults.gate("network.security_group_rule.delete")
        with sandbox.transaction() as tx:
            get_owned(tx, SECURITY_GROUP_RULE, rule_id, context, rule_missing)
            tx.delete(SECURITY_GROUP_RULE, rule_id)
        return Response(status_code=204)
