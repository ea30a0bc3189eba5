"""Neutron routers: ``/v2.0/routers``, gateways on external networks, subnet interfaces."""

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
    FLOATINGIP,
    NETWORK,
    PORT,
    ROUTER,
    SUBNET,
    get_owned,
    listing,
    not_found,
    owned,
    shown,
    standard,
    touch,
)
from calor.sandbox.network.networks import get_network, target_project
from calor.sandbox.network.ports import (
    ROUTER_GATEWAY,
    ROUTER_INTERFACE,
    bind,
    new_port,
    port_missing,
    remove_port,
)
from calor.sandbox.network.quota_routes import ensure_quota
from calor.sandbox.network.subnets import get_subnet
from calor.sandbox.runtime import SandboxDep
from calor.sandbox.states import Body
from calor.sandbox.store import Transaction

ATTRIBUTES: dict[str, a.Attribute] = {
    "name": a.attribute(a.string(), ""),
    "description": a.attribute(a.string(), ""),
    "admin_state_up": a.attribute(a.boolean, True),
    "external_gateway_info": a.attribute(a.nullable_mapping, None),
    "routes": a.attribute(a.list_of(a.mapping), a.empty_list, allow_post=False),
    "distributed": a.attribute(a.boolean, False, admin_only=True),
    "ha": a.attribute(a.boolean, False, admin_only=True),
    "availability_zone_hints": a.attribute(a.list_of_strings, a.empty_list, allow_put=False),
    "flavor_id": a.attribute(a.string(nullable=True), None, allow_put=False),
    "enable_ndp_proxy": a.attribute(a.boolean, False),
    "project_id": a.attribute(a.string(), None, allow_put=False),
    "tenant_id": a.attribute(a.string(), None, allow_put=False),
}


def router_missing(router_id: str) -> NotFound:
    return not_found("Router", router_id)


def _bad(message: str, code: str = "HTTPBadRequest") -> BadRequest:
    return BadRequest(message, code=code)


def interfaces_of(tx: Transaction, router_id: str) -> list[Body]:
    return [p for p in tx.list(PORT)
            if p["device_id"] == router_id and p["device_owner"] == ROUTER_INTERFACE]


def gateway_port(tx: Transaction, router_id: str) -> Body | None:
    for port in tx.list(PORT):
        if port["device_id"] == router_id and port["device_owner"] == ROUTER_GATEWAY:
            return port
    return None


def _set_gateway(tx: Transaction, router: Body, info: Body | None,
                 context: RequestContext) -> None:
    old = gateway_port(tx, router["id"])
    wanted = info.get("network_id") if info else None
    if old is not None and (wanted is None or wanted != old["network_id"]):
        if any(f.get("router_id") == router["id"] for f in tx.list(FLOATINGIP)):
            raise Conflict(f"Gateway cannot be updated for router {router['id']}, since a "
                           "gateway to external network "
                           f"{old['network_id']} is required by one or more floating IPs.",
                           code="RouterExternalGatewayInUseByFloatingIp")
        remove_port(tx, old)
        old = None
    if not info or wanted is None:
        router["external_gateway_info"] = None
        return
    network = get_network(tx, str(wanted), context)
    if not network.get("router:external"):
        raise _bad(f"Bad router request: Network {wanted} is not a valid external network.",
                   "BadRequest")
    port = old or new_port(tx, {"network_id": network["id"],
                                "fixed_ips": info.get("external_fixed_ips"),
                                "device_id": router["id"], "device_owner": ROUTER_GATEWAY,
                                "admin_state_up": True, "name": "",
                                "security_groups": []}, "", network)
    bind(tx, port, device_id=router["id"], device_owner=ROUTER_GATEWAY, host="sandbox")
    router["external_gateway_info"] = {
        "network_id": network["id"],
        "enable_snat": bool(info.get("enable_snat", True)),
        "external_fixed_ips": [dict(ip) for ip in port["fixed_ips"]],
    }


def _check_routes(tx: Transaction, router_id: str, routes: list[Body]) -> list[Body]:
    connected = []
    for port in interfaces_of(tx, router_id):
        for ip in port["fixed_ips"]:
            subnet = tx.get(SUBNET, ip["subnet_id"])
            if subnet is not None:
                connected.append(ipaddress.ip_network(subnet["cidr"]))
    checked = []
    for route in routes:
        try:
            destination = str(ipaddress.ip_network(route["destination"], strict=False))
            nexthop = ipaddress.ip_address(route["nexthop"])
        except (KeyError, ValueError):
            raise _bad(f"Invalid format for routes: {route}") from None
        if not any(nexthop in cidr for cidr in connected):
            raise _bad(f"Invalid format for routes: {routes}, the nexthop is not connected "
                       "with router", "InvalidRoutes")
        checked.append({"destination": destination, "nexthop": str(nexthop)})
    return checked


def _interface_answer(router: Body, port: Body) -> dict[str, Any]:
    subnet_ids = [ip["subnet_id"] for ip in port["fixed_ips"]]
    return {"id": router["id"], "tenant_id": router["project_id"],
            "project_id": router["project_id"], "port_id": port["id"],
            "subnet_id": subnet_ids[0] if subnet_ids else None, "subnet_ids": subnet_ids,
            "network_id": port["network_id"]}


def subnet_reaches(tx: Transaction, subnet_id: str, external_network_id: str) -> Body | None:
    """A router joining ``subnet_id`` to ``external_network_id``, if there is one."""
    for port in tx.list(PORT):
        if port["device_owner"] != ROUTER_INTERFACE:
            continue
        if not any(ip["subnet_id"] == subnet_id for ip in port["fixed_ips"]):
            continue
        router = tx.get(ROUTER, port["device_id"])
        gateway = router and router.get("external_gateway_info")
        if router is not None and gateway and gateway["network_id"] == external_network_id:
            return router
    return None


def routes(router: APIRouter) -> None:
    @router.get("/routers")
    async def list_routers(request: Request, context: Context,
                           sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            found = [r for r in tx.list(ROUTER) if owned(context, r)]
        return listing(request, "routers", found)

    @router.get("/routers/{router_id}")
    async def show_router(router_id: str, request: Request, context: Context,
                          sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            return {"router": shown(request, get_owned(tx, ROUTER, router_id, context,
                                                       router_missing))}

    @router.post("/routers")
    async def create_router(request: Request, context: Context,
                            sandbox: SandboxDep) -> Response:
        values = a.for_create("router", member(await json_body(request), "router"),
                              ATTRIBUTES, context)
        project = target_project(values, context)
        await sandbox.faults.gate("network.router.create")
        with sandbox.transaction() as tx:
            ensure_quota(sandbox, tx, project, "router")
            gateway = values.pop("external_gateway_info")
            body = standard({**values, "status": "ACTIVE", "routes": [],
                             "external_gateway_info": None, "availability_zones": ["nova"]},
                            project, tx.now)
            tx.insert(ROUTER, body, project_id=project)
            _set_gateway(tx, body, gateway, context)
            tx.save(ROUTER, body)
        return JSONResponse({"router": shown(request, body)}, status_code=201)

    @router.put("/routers/{router_id}")
    async def update_router(router_id: str, request: Request, context: Context,
                            sandbox: SandboxDep) -> dict[str, Any]:
        changes = a.for_update("router", member(await json_body(request), "router"),
                               ATTRIBUTES, context)
        await sandbox.faults.gate("network.router.update")
        with sandbox.transaction() as tx:
            body = get_owned(tx, ROUTER, router_id, context, router_missing)
            if "external_gateway_info" in changes:
                _set_gateway(tx, body, changes.pop("external_gateway_info"), context)
            if "routes" in changes:
                changes["routes"] = _check_routes(tx, router_id, changes["routes"])
            body.update(changes)
            tx.save(ROUTER, touch(body, tx.now))
        return {"router": shown(request, body)}

    @router.delete("/routers/{router_id}")
    async def delete_router(router_id: str, context: Context, sandbox: SandboxDep) -> Response:
        await sandbox.faults.gate("network.router.delete")
        with sandbox.transaction() as tx:
            body = get_owned(tx, ROUTER, router_id, context, router_missing)
            if interfaces_of(tx, router_id):
                raise Conflict(f"Router {router_id} still has ports", code="RouterInUse")
            _set_gateway(tx, body, None, context)
            tx.delete(ROUTER, router_id)
        return Response(status_code=204)

    @router.put("/routers/{router_id}/add_router_interface")
    async def add_interface(router_id: str, request: Request, context: Context,
                            sandbox: SandboxDep) -> dict[str, Any]:
        body = await json_body(request)
        if not isinstance(body, dict) or not (body.get("subnet_id") or body.get("port_id")):
            raise _bad("Bad router request: Either subnet_id or port_id must be specified.")
        if body.get("subnet_id") and body.get("port_id"):
            raise _bad("Bad router request: Cannot specify both subnet-id and port-id.")
        await sandbox.faults.gate("network.router.add_interface")
        with sandbox.transaction() as tx:
            router_body = get_owned(tx, ROUTER, router_id, context, router_missing)
            if body.get("port_id"):
                port = get_owned(tx, PORT, str(body["port_id"]), context, port_missing)
                if port["device_id"]:
                    raise Conflict(f"Unable to complete operation on port {port['id']} for "
                                   f"network {port['network_id']}. Port already has an "
                                   f"attached device {port['device_id']}.", code="PortInUse")
                if not port["fixed_ips"]:
                    raise _bad("Bad router request: Router port must have at least one "
                               "fixed IP.")
                subnet_ids = [ip["subnet_id"] for ip in port["fixed_ips"]]
            else:
                subnet = get_subnet(tx, str(body["subnet_id"]), context)
                if not subnet.get("gateway_ip"):
                    raise _bad("Bad router request: Subnet for router interface must have a "
                               "gateway IP.")
                subnet_ids = [subnet["id"]]
            for existing in interfaces_of(tx, router_id):
                for ip in existing["fixed_ips"]:
                    if ip["subnet_id"] in subnet_ids:
                        raise _bad(f"Bad router request: Router already has a port on subnet "
                                   f"{ip['subnet_id']}.")
            if body.get("port_id"):
                bind(tx, port, device_id=router_id, device_owner=ROUTER_INTERFACE,
                     host="sandbox")
            else:
                network = tx.get(NETWORK, subnet["network_id"])
                assert network is not None
                port = new_port(tx, {
                    "network_id": network["id"], "name": "", "admin_state_up": True,
                    "fixed_ips": [{"subnet_id": subnet["id"],
                                   "ip_address": subnet["gateway_ip"]}],
                    "device_id": router_id, "device_owner": ROUTER_INTERFACE,
                    "binding:host_id": "sandbox", "security_groups": [],
                }, router_body["project_id"], network)
            tx.save(ROUTER, touch(router_body, tx.now))
            return _interface_answer(router_body, port)

    @router.put("/routers/{router_id}/remove_router_interface")
    async def remove_interface(router_id: str, request: Request, context: Context,
                               sandbox: SandboxDep) -> dict[str, Any]:
        body = await json_body(request)
        if not isinstance(body, dict) or not (body.get("subnet_id") or body.get("port_id")):
            raise _bad("Bad router request: Either subnet_id or port_id must be specified.")
        await sandbox.faults.gate("network.router.remove_interface")
        with sandbox.transaction() as tx:
            router_body = get_owned(tx, ROUTER, router_id, context, router_missing)
            interfaces = interfaces_of(tx, router_id)
            if body.get("port_id"):
                port = next((p for p in interfaces if p["id"] == body["port_id"]), None)
                if port is None:
                    raise NotFound(f"Router {router_id} does not have an interface with id "
                                   f"{body['port_id']}", code="RouterInterfaceNotFound")
            else:
                port = next((p for p in interfaces if any(
                    ip["subnet_id"] == body["subnet_id"] for ip in p["fixed_ips"])), None)
                if port is None:
                    raise NotFound(f"Router {router_id} has no interface on subnet "
                                   f"{body['subnet_id']}",
                                   code="RouterInterfaceNotFoundForSubnet")
            for fip in tx.list(FLOATINGIP):
                if fip.get("router_id") == router_id and fip.get("port_id"):
                    fixed = tx.get(PORT, fip["port_id"])
                    subnets = {ip["subnet_id"] for ip in (fixed or {}).get("fixed_ips", [])}
                    if subnets & {ip["subnet_id"] for ip in port["fixed_ips"]}:
                        raise Conflict(f"Router interface for subnet on router {router_id} "
                                       "cannot be deleted, as it is required by one or more "
                                       "floating IPs.", code="RouterInterfaceInUseByFloatingIP")
            answer = _interface_answer(router_body, port)
            remove_port(tx, port)
            tx.save(ROUTER, touch(router_body, tx.now))
            return answer
