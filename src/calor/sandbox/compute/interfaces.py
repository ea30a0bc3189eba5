"""``/servers/{id}/os-interface``: a server's network interfaces (its Neutron ports)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from calor.sandbox.auth import Context
from calor.sandbox.bodies import json_body, member
from calor.sandbox.compute import server_ports
from calor.sandbox.compute.common import SERVER, Version, at_least
from calor.sandbox.compute.server_states import busy_with
from calor.sandbox.compute.servers import check_unlocked, get_server
from calor.sandbox.errors import BadRequest, Conflict, NotFound
from calor.sandbox.microversions import Microversion
from calor.sandbox.network import ports as neutron_ports
from calor.sandbox.network.common import PORT
from calor.sandbox.runtime import SandboxDep
from calor.sandbox.states import Body

_ATTACHABLE = {"active", "paused", "stopped", "suspended"}


def view(port: Body, version: Microversion, tag: str | None = None) -> Body:
    shown = {"port_state": port["status"], "port_id": port["id"], "net_id": port["network_id"],
             "mac_addr": port["mac_address"],
             "fixed_ips": [{"subnet_id": ip["subnet_id"], "ip_address": ip["ip_address"]}
                           for ip in port["fixed_ips"]]}
    if at_least(version, "2.70"):
        shown["tag"] = tag
    return shown


def routes(router: APIRouter) -> None:
    def attached(tx: Any, server: Body) -> list[Body]:
        return [p for p in tx.list(PORT) if p["device_id"] == server["id"]]

    @router.get("/servers/{server_id}/os-interface")
    async def list_interfaces(server_id: str, context: Context, version: Version,
                              sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            server = get_server(tx, server_id, context)
            return {"interfaceAttachments": [view(p, version)
                                             for p in attached(tx, server)]}

    @router.get("/servers/{server_id}/os-interface/{port_id}")
    async def show_interface(server_id: str, port_id: str, context: Context,
                             version: Version, sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            server = get_server(tx, server_id, context)
            for port in attached(tx, server):
                if port["id"] == port_id:
                    return {"interfaceAttachment": view(port, version)}
        raise NotFound(f"Port {port_id} is not attached")

    @router.post("/servers/{server_id}/os-interface")
    async def attach_interface(server_id: str, request: Request, context: Context,
                               version: Version, sandbox: SandboxDep) -> dict[str, Any]:
        body = member(await json_body(request), "interfaceAttachment")
        port_id, net_id = body.get("port_id"), body.get("net_id")
        fixed_ips = body.get("fixed_ips") or []
        if port_id and net_id:
            raise BadRequest("Must not input both network_id and port_id")
        if not isinstance(fixed_ips, list) or len(fixed_ips) > 1 or not all(
                isinstance(ip, dict) and "ip_address" in ip for ip in fixed_ips):
            raise BadRequest("Invalid input for field/attribute fixed_ips.")
        if fixed_ips and not net_id:
            raise BadRequest("Must input network_id when request IP address")
        await sandbox.faults.gate("compute.server.attach_interface")
        with sandbox.transaction() as tx:
            server = get_server(tx, server_id, context)
            check_unlocked(server, context)
            if server["OS-EXT-STS:vm_state"] not in _ATTACHABLE or busy_with(server):
                raise Conflict(f"Cannot 'attach_interface' instance {server_id} while it is "
                               f"in vm_state {server['OS-EXT-STS:vm_state']}")
            if port_id or net_id:
                wanted: list[Any] | str = [{"port": port_id} if port_id else {
                    "uuid": net_id,
                    **({"fixed_ip": fixed_ips[0]["ip_address"]} if fixed_ips else {})}]
            else:
                wanted = "auto"
            planned = server_ports.plan(tx, wanted, context, 1)
            if not planned:
                raise BadRequest("No network is available to attach an interface to.")
            groups = server_ports.security_group_ids(
                tx, [g["name"] for g in server["security_groups"]], context)
            try:
                made = server_ports.attach(sandbox, tx, server, planned, groups, context)
            except server_ports.NoAddressLeft as error:
                raise BadRequest(str(error)) from None
            server["_created_ports"] = [*server.get("_created_ports", []), *made]
            tx.save(SERVER, server)
            port = tx.get(PORT, made[0] if made else str(planned[0].port_id))
            assert port is not None
            return {"interfaceAttachment": view(port, version, body.get("tag"))}

    @router.delete("/servers/{server_id}/os-interface/{port_id}")
    async def detach_interface(server_id: str, port_id: str, context: Context,
                               sandbox: SandboxDep) -> Response:
        await sandbox.faults.gate("compute.server.detach_interface")
        with sandbox.transaction() as tx:
            server = get_server(tx, server_id, context)
            check_unlocked(server, context)
            port = next((p for p in attached(tx, server) if p["id"] == port_id), None)
            if port is None:
                raise NotFound(f"Port {port_id} is not attached")
            if port_id in server.get("_created_ports", []):
                neutron_ports.remove_port(tx, port)
                server["_created_ports"] = [p for p in server["_created_ports"]
                                            if p != port_id]
                tx.save(SERVER, server)
            else:
                neutron_ports.bind(tx, port, device_id="", device_owner="")
        return Response(status_code=202)

