"""Neutron ports: ``/v2.0/ports``, with fixed IPs from the subnets and ``fa:16:3e`` MACs.

:func:`new_port` and :func:`remove_port` are also how Nova's server create and
delete, router interfaces, gateways and floating IPs make and drop their ports.
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
from calor.sandbox.network import ip_allocation as ips
from calor.sandbox.network.common import (
    FLOATINGIP,
    PORT,
    SECURITY_GROUP,
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
from calor.sandbox.network.quota_routes import ensure_quota
from calor.sandbox.network.security_groups import ensure_default_security_group, group_missing
from calor.sandbox.network.subnets import subnets_of
from calor.sandbox.runtime import Sandbox, SandboxDep
from calor.sandbox.states import Body
from calor.sandbox.store import Transaction

ROUTER_INTERFACE = "network:router_interface"
ROUTER_GATEWAY = "network:router_gateway"
FLOATINGIP_OWNER = "network:floatingip"
#: Ports Neutron itself owns; its port API refuses to delete them.
_NETWORK_OWNED = {ROUTER_INTERFACE, ROUTER_GATEWAY, FLOATINGIP_OWNER,
                  "network:router_interface_distributed", "network:ha_router_replicated_interface"}

ATTRIBUTES: dict[str, a.Attribute] = {
    "name": a.attribute(a.string(), ""),
    "description": a.attribute(a.string(), ""),
    "network_id": a.attribute(a.string(), required=True, allow_put=False),
    "admin_state_up": a.attribute(a.boolean, True),
    "mac_address": a.attribute(a.mac_address, None, admin_only=False),
    "fixed_ips": a.attribute(a.list_of(a.mapping), None),
    "device_id": a.attribute(a.string(), ""),
    "device_owner": a.attribute(a.string(), ""),
    "security_groups": a.attribute(a.list_of(a.string()), None),
    "allowed_address_pairs": a.attribute(a.list_of(a.mapping), a.empty_list),
    "extra_dhcp_opts": a.attribute(a.list_of(a.mapping), a.empty_list),
    "port_security_enabled": a.attribute(a.boolean, None),
    "binding:vnic_type": a.attribute(
        a.one_of("normal", "direct", "macvtap", "baremetal", "direct-physical",
                 "virtio-forwarder", "smart-nic", "remote-managed", "vdpa"), "normal"),
    "binding:host_id": a.attribute(a.string(), ""),
    "binding:profile": a.attribute(a.nullable_mapping, a.empty_dict),
    "qos_policy_id": a.attribute(a.uuid_text(nullable=True), None),
    "dns_name": a.attribute(a.string(), ""),
    "dns_domain": a.attribute(a.string(), ""),
    "propagate_uplink_status": a.attribute(a.boolean, False),
    "numa_affinity_policy": a.attribute(a.string(nullable=True), None),
    "project_id": a.attribute(a.string(), None, allow_put=False),
    "tenant_id": a.attribute(a.string(), None, allow_put=False),
}


def port_missing(port_id: str) -> NotFound:
    return not_found("Port", port_id)


def _bad(message: str, code: str = "HTTPBadRequest") -> BadRequest:
    return BadRequest(message, code=code)


def allocate_fixed_ips(tx: Transaction, network: Body, requested: list[Body] | None,
                       *, port_id: str | None = None,
                       keep: list[Body] | None = None) -> list[Body]:
    """The fixed IPs of a port: as requested, or one from each IP version's first subnet."""
    subnets = subnets_of(tx, network["id"])
    by_id = {s["id"]: s for s in subnets}
    kept = list(keep or [])
    if requested is None:
        chosen: list[Body] = []
        for version in (4, 6):
            candidates = [s for s in subnets if s["ip_version"] == version]
            if not candidates:
                continue
            for candidate in candidates:
                address = ips.next_free(candidate, ips.ips_in_use(tx, candidate["id"]))
                if address is not None:
                    chosen.append({"subnet_id": candidate["id"], "ip_address": address})
                    break
            else:
                raise Conflict(f"No more IP addresses available on network {network['id']}.",
                               code="IpAddressGenerationFailure")
        return chosen
    chosen = []
    for entry in requested:
        subnet_id, address = entry.get("subnet_id"), entry.get("ip_address")
        kept_entry = next((k for k in kept if k["ip_address"] == address and
                           (subnet_id is None or k["subnet_id"] == subnet_id)), None)
        if kept_entry is not None and address is not None:
            chosen.append(kept_entry)
            continue
        if subnet_id is None and address is None:
            raise _bad("Invalid input for fixed_ips. Reason: an entry needs a subnet_id or "
                       "an ip_address.")
        subnet: Body | None
        if subnet_id is not None:
            subnet = by_id.get(str(subnet_id))
            if subnet is None:
                if tx.get(SUBNET, str(subnet_id)) is None:
                    raise not_found("Subnet", str(subnet_id))
                raise _bad(f"Invalid input for operation: Failed to create port on network "
                           f"{network['id']}, because fixed_ips included invalid subnet "
                           f"{subnet_id}.")
        else:
            subnet = next((s for s in subnets if _contains(s, str(address))), None)
            if subnet is None:
                raise _bad(f"IP address {address} is not a valid IP for any of the subnets on "
                           "the specified network.", "InvalidIpForNetwork")
        used = ips.ips_in_use(tx, subnet["id"], except_port=port_id)
        used |= {ip["ip_address"] for ip in chosen}
        if address is not None:
            picked = ips.check_requested(str(address), subnet, used)
        else:
            found = ips.next_free(subnet, used)
            if found is None:
                raise Conflict(f"No more IP addresses available on network {network['id']}.",
                               code="IpAddressGenerationFailure")
            picked = found
        chosen.append({"subnet_id": subnet["id"], "ip_address": picked})
    return chosen


def _contains(subnet: Body, address: str) -> bool:
    try:
        return ipaddress.ip_address(address) in ips.network_of(subnet)
    except ValueError:
        return False


def _dns_assignment(port: Body) -> list[Body]:
    host = port.get("dns_name") or "host-" + port["fixed_ips"][0]["ip_address"].replace(
        ".", "-").replace(":", "-") if port["fixed_ips"] else ""
    return [{"hostname": host, "ip_address": ip["ip_address"], "fqdn": f"{host}.openstacklocal."}
            for ip in port["fixed_ips"]]


def _security_groups(tx: Transaction, groups: list[str], project_id: str,
                     context: RequestContext | None) -> list[str]:
    checked = []
    for group_id in groups:
        group = tx.get(SECURITY_GROUP, group_id)
        if group is None or (context is not None and not owned(context, group)
                             and group["project_id"] != project_id):
            raise group_missing(group_id)
        checked.append(group_id)
    return checked


def new_port(tx: Transaction, values: Body, project_id: str, network: Body,
             context: RequestContext | None = None) -> Body:
    """Check and store a port from attribute values (see :data:`ATTRIBUTES`)."""
    values.pop("project_id", None)
    values.pop("tenant_id", None)
    owner = values.get("device_owner") or ""
    security = values.get("port_security_enabled")
    if security is None:
        security = bool(network.get("port_security_enabled", True))
    values["port_security_enabled"] = security
    groups = values.get("security_groups")
    if groups is None:
        groups = [] if not security or owner.startswith("network:") else \
            [ensure_default_security_group(tx, project_id)["id"]]
    elif groups and not security:
        raise _bad("Port security must be enabled and port must have an IP address in order "
                   "to use security groups.", "PortSecurityAndIPRequiredForSecurityGroups")
    values["security_groups"] = _security_groups(tx, groups, project_id, context)
    macs = [p["mac_address"] for p in tx.list(PORT) if p["network_id"] == network["id"]]
    if values.get("mac_address") is None:
        values["mac_address"] = ips.new_mac(macs)
    elif values["mac_address"] in macs:
        raise Conflict(f"Unable to complete operation for network {network['id']}. The mac "
                       f"address {values['mac_address']} is in use.", code="MacAddressInUse")
    values["fixed_ips"] = allocate_fixed_ips(tx, network, values.get("fixed_ips"))
    port = standard(values, project_id, tx.now)
    port.update({
        "status": "ACTIVE" if port.get("device_id") else "DOWN",
        "binding:vif_type": "ovs" if port.get("binding:host_id") else "unbound",
        "binding:vif_details": {}, "ip_allocation": "immediate",
        "qos_network_policy_id": network.get("qos_policy_id"), "resource_request": None,
    })
    port["dns_assignment"] = _dns_assignment(port)
    return tx.insert(PORT, port, project_id=project_id)


def bind(tx: Transaction, port: Body, *, device_id: str, device_owner: str,
         host: str = "") -> Body:
    """Attach a port to a device (a server, a router) or, with empty ids, detach it."""
    port["device_id"] = device_id
    port["device_owner"] = device_owner
    port["binding:host_id"] = host
    port["binding:vif_type"] = "ovs" if host else "unbound"
    port["status"] = "ACTIVE" if device_id else "DOWN"
    return tx.save(PORT, touch(port, tx.now))


def remove_port(tx: Transaction, port: Body) -> None:
    """Drop a port; a floating IP on it lets go (as Neutron disassociates it)."""
    for fip in tx.list(FLOATINGIP):
        if fip.get("port_id") == port["id"]:
            fip.update({"port_id": None, "fixed_ip_address": None, "router_id": None,
                        "status": "DOWN"})
            tx.save(FLOATINGIP, touch(fip, tx.now))
    tx.delete(PORT, port["id"])


def create_port_checked(sandbox: Sandbox, tx: Transaction, body: Body,
                        context: RequestContext) -> Body:
    """A port from a request body (as ``POST /ports`` takes it), quota included."""
    values = a.for_create("port", body, ATTRIBUTES, context)
    project = target_project(values, context)
    network = get_network(tx, values["network_id"], context)
    ensure_quota(sandbox, tx, project, "port")
    return new_port(tx, values, project, network, context)


def routes(router: APIRouter) -> None:
    @router.get("/ports")
    async def list_ports(request: Request, context: Context,
                         sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            found = [p for p in tx.list(PORT) if owned(context, p)]
        return listing(request, "ports", found)

    @router.get("/ports/{port_id}")
    async def show_port(port_id: str, request: Request, context: Context,
                        sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            return {"port": shown(request, get_owned(tx, PORT, port_id, context,
                                                     port_missing))}

    @router.post("/ports")
    async def create_port(request: Request, context: Context,
                          sandbox: SandboxDep) -> Response:
        body = member(await json_body(request), "port")
        a.for_create("port", body, ATTRIBUTES, context)  # refuse bad input before faults
        await sandbox.faults.gate("network.port.create")
        with sandbox.transaction() as tx:
            port = create_port_checked(sandbox, tx, body, context)
        return JSONResponse({"port": shown(request, port)}, status_code=201)

    @router.put("/ports/{port_id}")
    async def update_port(port_id: str, request: Request, context: Context,
                          sandbox: SandboxDep) -> dict[str, Any]:
        changes = a.for_update("port", member(await json_body(request), "port"),
                               ATTRIBUTES, context)
        await sandbox.faults.gate("network.port.update")
        with sandbox.transaction() as tx:
            port = get_owned(tx, PORT, port_id, context, port_missing)
            network = get_network(tx, port["network_id"], context)
            if "fixed_ips" in changes:
                changes["fixed_ips"] = allocate_fixed_ips(
                    tx, network, changes["fixed_ips"], port_id=port_id,
                    keep=port["fixed_ips"])
            security = changes.get("port_security_enabled", port["port_security_enabled"])
            groups = changes.get("security_groups", port["security_groups"])
            if groups is None:
                groups = changes["security_groups"] = []
            if groups and not security:
                raise _bad("Port has security group associated. Cannot disable port security "
                           "or ip address until security group is removed",
                           "PortSecurityPortHasSecurityGroup")
            if "security_groups" in changes:
                changes["security_groups"] = _security_groups(tx, groups,
                                                              port["project_id"], context)
            if changes.get("mac_address") not in (None, port["mac_address"]) and \
                    port["device_id"]:
                raise Conflict(f"Port {port_id} is bound; its MAC address cannot change.",
                               code="PortBound")
            if "mac_address" in changes and changes["mac_address"] is None:
                del changes["mac_address"]
            port.update(changes)
            if "device_id" in changes:
                port["status"] = "ACTIVE" if port["device_id"] else "DOWN"
            port["dns_assignment"] = _dns_assignment(port)
            tx.save(PORT, touch(port, tx.now))
        return {"port": shown(request, port)}

    @router.delete("/ports/{port_id}")
    async def delete_port(port_id: str, context: Context, sandbox: SandboxDep) -> Response:
        await sandbox.faults.gate("network.port.delete")
        with sandbox.transaction() as tx:
            port = get_owned(tx, PORT, port_id, context, port_missing)
            if port["device_owner"] in _NETWORK_OWNED:
                raise Conflict(f"Port {port_id} cannot be deleted directly via the port API: "
                               f"has device owner {port['device_owner']}.", code="L3PortInUse")
            remove_port(tx, port)
        return Response(status_code=204)
