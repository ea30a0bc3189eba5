"""Neutron subnets: ``/v2.0/subnets``, with allocation pools, gateway, DNS, host routes."""

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
from calor.sandbox.network import ip_allocation as ips
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
from calor.sandbox.network.networks import get_network, target_project, visible
from calor.sandbox.network.quota_routes import ensure_quota
from calor.sandbox.runtime import SandboxDep
from calor.sandbox.states import Body
from calor.sandbox.store import Transaction

_UNSET = object()

ATTRIBUTES: dict[str, a.Attribute] = {
    "name": a.attribute(a.string(), ""),
    "description": a.attribute(a.string(), ""),
    "network_id": a.attribute(a.string(), required=True, allow_put=False),
    "cidr": a.attribute(a.cidr(), required=True, allow_put=False),
    "ip_version": a.attribute(a.one_of(4, 6), 4, allow_put=False),
    "gateway_ip": a.attribute(a.ip_address(nullable=True), _UNSET),
    "allocation_pools": a.attribute(a.list_of(a.mapping), None),
    "dns_nameservers": a.attribute(a.list_of(a.ip_address()), a.empty_list),
    "host_routes": a.attribute(a.list_of(a.mapping), a.empty_list),
    "enable_dhcp": a.attribute(a.boolean, True),
    "ipv6_ra_mode": a.attribute(a.one_of("slaac", "dhcpv6-stateful", "dhcpv6-stateless",
                                         nullable=True), None, allow_put=False),
    "ipv6_address_mode": a.attribute(a.one_of("slaac", "dhcpv6-stateful",
                                              "dhcpv6-stateless", nullable=True), None,
                                     allow_put=False),
    "subnetpool_id": a.attribute(a.string(nullable=True), None, allow_put=False),
    "use_default_subnetpool": a.attribute(a.boolean, False, allow_put=False),
    "prefixlen": a.attribute(a.integer(0, 128, nullable=True), None, allow_put=False),
    "service_types": a.attribute(a.list_of_strings, a.empty_list),
    "segment_id": a.attribute(a.string(nullable=True), None),
    "dns_publish_fixed_ip": a.attribute(a.boolean, False),
    "project_id": a.attribute(a.string(), None, allow_put=False),
    "tenant_id": a.attribute(a.string(), None, allow_put=False),
}


def subnet_missing(subnet_id: str) -> NotFound:
    return not_found("Subnet", subnet_id)


def subnet_visible(tx: Transaction, context: RequestContext, subnet: Body) -> bool:
    if owned(context, subnet):
        return True
    network = tx.get(NETWORK, subnet["network_id"])
    return network is not None and visible(context, network)


def get_subnet(tx: Transaction, subnet_id: str, context: RequestContext) -> Body:
    return get_owned(tx, SUBNET, subnet_id, context, subnet_missing,
                     lambda body: subnet_visible(tx, context, body))


def subnets_of(tx: Transaction, network_id: str) -> list[Body]:
    return [s for s in tx.list(SUBNET) if s["network_id"] == network_id]


def _bad(message: str, code: str = "HTTPBadRequest") -> BadRequest:
    return BadRequest(message, code=code)


def _host_routes(routes: list[Body]) -> list[Body]:
    checked = []
    for route in routes:
        try:
            destination = str(ipaddress.ip_network(route["destination"], strict=False))
            nexthop = str(ipaddress.ip_address(route["nexthop"]))
        except (KeyError, ValueError):
            raise _bad(f"Invalid input for host_routes. Reason: '{route}' is not a valid "
                       "host route (destination and nexthop).") from None
        checked.append({"destination": destination, "nexthop": nexthop})
    return checked


def _gateway(value: Any, cidr: ips.IPNetwork, subnet_id: str | None = None) -> str | None:
    if value is None:
        return None
    address = ipaddress.ip_address(value)
    if address.version != cidr.version or address not in cidr or (
            cidr.version == 4 and address in (cidr.network_address, cidr.broadcast_address)):
        raise _bad(f"Invalid input for operation: Gateway is not valid on subnet "
                   f"{subnet_id or cidr}.")
    return str(address)


def new_subnet(tx: Transaction, values: Body, project_id: str, network: Body) -> Body:
    """Check and store a subnet from attribute values (also used by seeding)."""
    cidr = ipaddress.ip_network(values["cidr"], strict=False)
    if cidr.version != values["ip_version"]:
        raise _bad(f"Invalid input for operation: Invalid CIDR {values['cidr']} for IP "
                   f"version {values['ip_version']}.")
    if values.pop("subnetpool_id", None) or values.pop("use_default_subnetpool", False):
        raise _bad("Subnet pools are not supported by the sandbox cloud: give a cidr.")
    values.pop("prefixlen", None)
    values["cidr"] = str(cidr)
    for other in subnets_of(tx, network["id"]):
        if ips.network_of(other).overlaps(cidr):
            raise _bad(f"Invalid input for operation: Requested subnet with cidr: {cidr} for "
                       f"network: {network['id']} overlaps with another subnet.")
    gateway = values["gateway_ip"]
    values["gateway_ip"] = ips.default_gateway(cidr) if gateway is _UNSET \
        else _gateway(gateway, cidr)
    pools = values["allocation_pools"]
    values["allocation_pools"] = ips.default_pools(cidr, values["gateway_ip"]) \
        if pools is None else ips.check_pools(pools, cidr, values["gateway_ip"])
    values["host_routes"] = _host_routes(values["host_routes"])
    subnet = standard(values, project_id, tx.now)
    tx.insert(SUBNET, subnet, project_id=project_id)
    network["subnets"] = [*network["subnets"], subnet["id"]]
    tx.save(NETWORK, touch(network, tx.now))
    return subnet


def routes(router: APIRouter) -> None:
    @router.get("/subnets")
    async def list_subnets(request: Request, context: Context,
                           sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            found = [s for s in tx.list(SUBNET) if subnet_visible(tx, context, s)]
        return listing(request, "subnets", found)

    @router.get("/subnets/{subnet_id}")
    async def show_subnet(subnet_id: str, request: Request, context: Context,
                          sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            return {"subnet": shown(request, get_subnet(tx, subnet_id, context))}

    @router.post("/subnets")
    async def create_subnet(request: Request, context: Context,
                            sandbox: SandboxDep) -> Response:
        values = a.for_create("subnet", member(await json_body(request), "subnet"),
                              ATTRIBUTES, context)
        project = target_project(values, context)
        await sandbox.faults.gate("network.subnet.create")
        with sandbox.transaction() as tx:
            network = get_network(tx, values["network_id"], context)
            if not owned(context, network):
                raise _bad("Not authorized to create a subnet on this network.")
            ensure_quota(sandbox, tx, project, "subnet")
            subnet = new_subnet(tx, values, project, network)
        return JSONResponse({"subnet": shown(request, subnet)}, status_code=201)

    @router.put("/subnets/{subnet_id}")
    async def update_subnet(subnet_id: str, request: Request, context: Context,
                            sandbox: SandboxDep) -> dict[str, Any]:
        changes = a.for_update("subnet", member(await json_body(request), "subnet"),
                               ATTRIBUTES, context)
        await sandbox.faults.gate("network.subnet.update")
        with sandbox.transaction() as tx:
            subnet = get_owned(tx, SUBNET, subnet_id, context, subnet_missing)
            cidr = ips.network_of(subnet)
            if "gateway_ip" in changes:
                changes["gateway_ip"] = _gateway(changes["gateway_ip"], cidr, subnet_id)
            gateway = changes.get("gateway_ip", subnet["gateway_ip"])
            if changes.get("allocation_pools") is not None:
                changes["allocation_pools"] = ips.check_pools(changes["allocation_pools"],
                                                              cidr, gateway)
            elif "gateway_ip" in changes:
                ips.check_pools(subnet["allocation_pools"], cidr, gateway)
            if "host_routes" in changes:
                changes["host_routes"] = _host_routes(changes["host_routes"])
            if "allocation_pools" in changes and changes["allocation_pools"] is None:
                del changes["allocation_pools"]
            subnet.update(changes)
            tx.save(SUBNET, touch(subnet, tx.now))
        return {"subnet": shown(request, subnet)}

    @router.delete("/subnets/{subnet_id}")
    async def delete_subnet(subnet_id: str, context: Context, sandbox: SandboxDep) -> Response:
        await sandbox.faults.gate("network.subnet.delete")
        with sandbox.transaction() as tx:
            subnet = get_owned(tx, SUBNET, subnet_id, context, subnet_missing)
            for port in tx.list(PORT):
                if any(ip["subnet_id"] == subnet_id for ip in port["fixed_ips"]):
                    raise Conflict(f"Unable to complete operation on subnet {subnet_id}: One "
                                   "or more ports have an IP allocation from this subnet.",
                                   code="SubnetInUse")
            tx.delete(SUBNET, subnet_id)
            network = tx.get(NETWORK, subnet["network_id"])
            if network is not None:
                network["subnets"] = [s for s in network["subnets"] if s != subnet_id]
                tx.save(NETWORK, touch(network, tx.now))
        return Response(status_code=204)
