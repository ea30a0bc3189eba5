"""Neutron floating IPs: ``/v2.0/floatingips``, from an external network, onto a port."""

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
    PORT,
    get_owned,
    listing,
    not_found,
    owned,
    shown,
    standard,
    touch,
)
from calor.sandbox.network.networks import get_network, target_project
from calor.sandbox.network.ports import FLOATINGIP_OWNER, new_port, port_missing
from calor.sandbox.network.quota_routes import ensure_quota
from calor.sandbox.network.routers import subnet_reaches
from calor.sandbox.runtime import SandboxDep
from calor.sandbox.states import Body, public
from calor.sandbox.store import Transaction

ATTRIBUTES: dict[str, a.Attribute] = {
    "floating_network_id": a.attribute(a.string(), required=True, allow_put=False),
    "floating_ip_address": a.attribute(a.ip_address(nullable=True), None, allow_put=False),
    "subnet_id": a.attribute(a.string(nullable=True), None, allow_put=False),
    "port_id": a.attribute(a.string(nullable=True), None),
    "fixed_ip_address": a.attribute(a.ip_address(nullable=True), None),
    "description": a.attribute(a.string(), ""),
    "dns_name": a.attribute(a.string(), "", allow_put=False),
    "dns_domain": a.attribute(a.string(), "", allow_put=False),
    "qos_policy_id": a.attribute(a.uuid_text(nullable=True), None),
    "distributed": a.attribute(a.boolean, None, allow_put=False, admin_only=True),
    "project_id": a.attribute(a.string(), None, allow_put=False),
    "tenant_id": a.attribute(a.string(), None, allow_put=False),
}


def floatingip_missing(fip_id: str) -> NotFound:
    return not_found("Floating IP", fip_id, code="FloatingIPNotFound")


def _associate(tx: Transaction, fip: Body, port_id: str | None, fixed_ip: str | None,
               context: RequestContext) -> None:
    if port_id is None:
        fip.update({"port_id": None, "fixed_ip_address": None, "router_id": None,
                    "status": "DOWN"})
        return
    port = get_owned(tx, PORT, port_id, context, port_missing)
    v4 = [ip for ip in port["fixed_ips"] if ipaddress.ip_address(ip["ip_address"]).version == 4]
    if fixed_ip is not None:
        chosen = next((ip for ip in v4 if ip["ip_address"] == fixed_ip), None)
        if chosen is None:
            raise BadRequest(f"Bad floatingip request: Port {port_id} does not have fixed ip "
                             f"{fixed_ip}.", code="BadRequest")
    elif len(v4) == 1:
        chosen = v4[0]
    elif not v4:
        raise BadRequest(f"Bad floatingip request: Port {port_id} does not have any IPv4 "
                         "address.", code="BadRequest")
    else:
        raise BadRequest(f"Port {port_id} has multiple fixed IPv4 addresses. Must provide a "
                         "specific IPv4 address when assigning a floating IP",
                         code="BadRequest")
    for other in tx.list(FLOATINGIP):
        if other["id"] != fip["id"] and other.get("port_id") == port_id and \
                other.get("fixed_ip_address") == chosen["ip_address"]:
            raise Conflict(f"Cannot associate floating IP {fip['floating_ip_address']} "
                           f"({fip['id']}) with port {port_id} using fixed IP "
                           f"{chosen['ip_address']}, as that fixed IP already has a floating "
                           f"IP on external network {other['floating_network_id']}.",
                           code="FloatingIPPortAlreadyAssociated")
    router = subnet_reaches(tx, chosen["subnet_id"], fip["floating_network_id"])
    if router is None:
        raise NotFound(f"External network {fip['floating_network_id']} is not reachable from "
                       f"subnet {chosen['subnet_id']}.  Therefore, cannot associate Port "
                       f"{port_id} with a Floating IP.",
                       code="ExternalGatewayForFloatingIPNotFound")
    fip.update({"port_id": port_id, "fixed_ip_address": chosen["ip_address"],
                "router_id": router["id"], "status": "ACTIVE"})


def with_port_details(tx: Transaction, fip: Body) -> Body:
    details = None
    if fip.get("port_id"):
        port = tx.get(PORT, fip["port_id"])
        if port is not None:
            details = {key: port[key] for key in ("name", "network_id", "mac_address",
                                                  "admin_state_up", "status", "device_id",
                                                  "device_owner")}
    return {**public(fip), "port_details": details}


def routes(router: APIRouter) -> None:
    @router.get("/floatingips")
    async def list_floatingips(request: Request, context: Context,
                               sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            found = [with_port_details(tx, f) for f in tx.list(FLOATINGIP)
                     if owned(context, f)]
        return listing(request, "floatingips", found)

    @router.get("/floatingips/{fip_id}")
    async def show_floatingip(fip_id: str, request: Request, context: Context,
                              sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            fip = get_owned(tx, FLOATINGIP, fip_id, context, floatingip_missing)
            return {"floatingip": shown(request, with_port_details(tx, fip))}

    @router.post("/floatingips")
    async def create_floatingip(request: Request, context: Context,
                                sandbox: SandboxDep) -> Response:
        values = a.for_create("floatingip", member(await json_body(request), "floatingip"),
                              ATTRIBUTES, context)
        project = target_project(values, context)
        await sandbox.faults.gate("network.floatingip.create")
        with sandbox.transaction() as tx:
            network = get_network(tx, values["floating_network_id"], context)
            if not network.get("router:external"):
                raise BadRequest(f"Bad floatingip request: Network {network['id']} is not a "
                                 "valid external network.", code="BadRequest")
            ensure_quota(sandbox, tx, project, "floatingip")
            fip = standard({"floating_network_id": network["id"], "router_id": None,
                            "port_id": None, "fixed_ip_address": None, "status": "DOWN",
                            "description": values["description"],
                            "dns_name": values["dns_name"],
                            "dns_domain": values["dns_domain"],
                            "qos_policy_id": values["qos_policy_id"],
                            "port_forwardings": []}, project, tx.now)
            requested: list[Body] | None = None
            if values["floating_ip_address"] or values["subnet_id"]:
                entry: Body = {}
                if values["subnet_id"]:
                    entry["subnet_id"] = values["subnet_id"]
                if values["floating_ip_address"]:
                    entry["ip_address"] = values["floating_ip_address"]
                requested = [entry]
            port = new_port(tx, {"network_id": network["id"], "name": "",
                                 "admin_state_up": True, "fixed_ips": requested,
                                 "device_id": fip["id"], "device_owner": FLOATINGIP_OWNER,
                                 "security_groups": []}, "", network)
            v4 = [ip for ip in port["fixed_ips"]
                  if ipaddress.ip_address(ip["ip_address"]).version == 4]
            if not v4:
                raise BadRequest(f"Bad floatingip request: Network {network['id']} has no "
                                 "IPv4 subnet.", code="BadRequest")
            fip["floating_ip_address"] = v4[0]["ip_address"]
            fip["_port_id"] = port["id"]
            tx.insert(FLOATINGIP, fip, project_id=project)
            if values["port_id"]:
                _associate(tx, fip, values["port_id"], values["fixed_ip_address"], context)
                tx.save(FLOATINGIP, fip)
            return JSONResponse({"floatingip": shown(request, with_port_details(tx, fip))},
                                status_code=201)

    @router.put("/floatingips/{fip_id}")
    async def update_floatingip(fip_id: str, request: Request, context: Context,
                                sandbox: SandboxDep) -> dict[str, Any]:
        changes = a.for_update("floatingip", member(await json_body(request), "floatingip"),
                               ATTRIBUTES, context)
        await sandbox.faults.gate("network.floatingip.update")
        with sandbox.transaction() as tx:
            fip = get_owned(tx, FLOATINGIP, fip_id, context, floatingip_missing)
            if "port_id" in changes or "fixed_ip_address" in changes:
                _associate(tx, fip, changes.pop("port_id", fip.get("port_id")),
                           changes.pop("fixed_ip_address", None), context)
            fip.update(changes)
            tx.save(FLOATINGIP, touch(fip, tx.now))
            return {"floatingip": shown(request, with_port_details(tx, fip))}

    @router.delete("/floatingips/{fip_id}")
    async def delete_floatingip(fip_id: str, context: Context,
                                sandbox: SandboxDep) -> Response:
        await sandbox.faults.gate("network.floatingip.delete")
        with sandbox.transaction() as tx:
            fip = get_owned(tx, FLOATINGIP, fip_id, context, floatingip_missing)
            if fip.get("_port_id"):
                tx.delete(PORT, fip["_port_id"])
            tx.delete(FLOATINGIP, fip_id)
        return Response(status_code=204)
