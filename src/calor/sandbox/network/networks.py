"""Neutron networks: ``/v2.0/networks``."""

from __future__ import annotations

import random
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from calor.identity.context import RequestContext
from calor.sandbox.auth import Context
from calor.sandbox.bodies import json_body, member
from calor.sandbox.errors import Conflict, Forbidden, NotFound
from calor.sandbox.network import attributes as a
from calor.sandbox.network.common import (
    NETWORK,
    PORT,
    SUBNET,
    get_owned,
    listing,
    not_found,
    owned,
    shown,
    standard,
    touch,
)
from calor.sandbox.network.quota_routes import ensure_quota
from calor.sandbox.network.security_groups import ensure_default_security_group
from calor.sandbox.runtime import SandboxDep
from calor.sandbox.states import Body
from calor.sandbox.store import Transaction

ATTRIBUTES: dict[str, a.Attribute] = {
    "name": a.attribute(a.string(), ""),
    "description": a.attribute(a.string(), ""),
    "admin_state_up": a.attribute(a.boolean, True),
    "shared": a.attribute(a.boolean, False, admin_only=True),
    "router:external": a.attribute(a.boolean, False, admin_only=True),
    "is_default": a.attribute(a.boolean, False, admin_only=True),
    "mtu": a.attribute(a.integer(68, 9216), 1450),
    "port_security_enabled": a.attribute(a.boolean, True),
    "availability_zone_hints": a.attribute(a.list_of_strings, a.empty_list, allow_put=False),
    "dns_domain": a.attribute(a.string(), ""),
    "qos_policy_id": a.attribute(a.uuid_text(nullable=True), None),
    "provider:network_type": a.attribute(
        a.one_of("flat", "vlan", "vxlan", "geneve", "gre", "local"), None, admin_only=True),
    "provider:physical_network": a.attribute(a.string(nullable=True), None, admin_only=True),
    "provider:segmentation_id": a.attribute(a.integer(0, 16777215, nullable=True), None,
                                            admin_only=True),
    "project_id": a.attribute(a.string(), None, allow_put=False),
    "tenant_id": a.attribute(a.string(), None, allow_put=False),
}


def network_missing(network_id: str) -> NotFound:
    return not_found("Network", network_id)


def visible(context: RequestContext, network: Body) -> bool:
    return owned(context, network) or bool(network.get("shared")) \
        or bool(network.get("router:external"))


def get_network(tx: Transaction, network_id: str, context: RequestContext) -> Body:
    return get_owned(tx, NETWORK, network_id, context, network_missing,
                     lambda body: visible(context, body))


def target_project(values: Body, context: RequestContext) -> str:
    """The project a new resource belongs to: the caller's, or (admins) the one named."""
    project = values.pop("project_id", None) or values.pop("tenant_id", None)
    values.pop("tenant_id", None)
    if project and project != context.project_id and not context.is_admin:
        raise Forbidden("(rule:create_network:tenant_id) is disallowed by policy",
                        code="PolicyNotAuthorized")
    return str(project or context.project_id)


def new_network(tx: Transaction, values: Body, project_id: str) -> Body:
    """Store a network from checked attribute values (also used by seeding)."""
    if values.get("provider:network_type") is None:
        values["provider:network_type"] = "flat" if values.get("router:external") else "vxlan"
    if values["provider:network_type"] in {"vxlan", "vlan", "geneve", "gre"} and \
            values.get("provider:segmentation_id") is None:
        values["provider:segmentation_id"] = random.randrange(1, 4094)
    network = standard(values, project_id, tx.now)
    network.update({"status": "ACTIVE", "subnets": [], "availability_zones": ["nova"],
                    "ipv4_address_scope": None, "ipv6_address_scope": None,
                    "l2_adjacency": True})
    return tx.insert(NETWORK, network, project_id=project_id)


def routes(router: APIRouter) -> None:
    @router.get("/networks")
    async def list_networks(request: Request, context: Context,
                            sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            found = [n for n in tx.list(NETWORK) if visible(context, n)]
        return listing(request, "networks", found)

    @router.get("/networks/{network_id}")
    async def show_network(network_id: str, request: Request, context: Context,
                           sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            return {"network": shown(request, get_network(tx, network_id, context))}

    @router.post("/networks")
    async def create_network(request: Request, context: Context,
                             sandbox: SandboxDep) -> Response:
        body = member(await json_body(request), "network")
        values = a.for_create("network", body, ATTRIBUTES, context)
        project = target_project(values, context)
        await sandbox.faults.gate("network.network.create")
        with sandbox.transaction() as tx:
            ensure_quota(sandbox, tx, project, "network")
            ensure_default_security_group(tx, project)
            network = new_network(tx, values, project)
        return JSONResponse({"network": shown(request, network)}, status_code=201)

    @router.put("/networks/{network_id}")
    async def update_network(network_id: str, request: Request, context: Context,
                             sandbox: SandboxDep) -> dict[str, Any]:
        changes = a.for_update("network", member(await json_body(request), "network"),
                               ATTRIBUTES, context)
        await sandbox.faults.gate("network.network.update")
        with sandbox.transaction() as tx:
            network = get_owned(tx, NETWORK, network_id, context, network_missing)
            network.update(changes)
            tx.save(NETWORK, touch(network, tx.now))
        return {"network": shown(request, network)}

    @router.delete("/networks/{network_id}")
    async def delete_network(network_id: str, context: Context,
                             sandbox: SandboxDep) -> Response:
        await sandbox.faults.gate("network.network.delete")
        with sandbox.transaction() as tx:
            get_owned(tx, NETWORK, network_id, context, network_missing)
            ports = [p for p in tx.list(PORT) if p["network_id"] == network_id]
            if any(p["device_owner"] != "network:dhcp" for p in ports):
                raise Conflict(f"Unable to complete operation on network {network_id}. There "
                               "are one or more ports still in use on the network.",
                               code="NetworkInUse")
            for port in ports:
                tx.delete(PORT, port["id"])
            for subnet in tx.list(SUBNET):
                if subnet["network_id"] == network_id:
                    tx.delete(SUBNET, subnet["id"])
            tx.delete(NETWORK, network_id)
        return Response(status_code=204)
