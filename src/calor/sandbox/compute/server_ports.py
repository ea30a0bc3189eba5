"""A server's Neutron ports: made from ``networks`` entries, bound, dropped on delete.

Nova answers in its own words when Neutron refuses, so Neutron's errors are
re-raised as Nova's here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from calor.identity.context import RequestContext
from calor.sandbox.compute.common import invalid
from calor.sandbox.errors import ApiError, BadRequest, Conflict, Forbidden
from calor.sandbox.network import ports as neutron_ports
from calor.sandbox.network.common import NETWORK, PORT, SECURITY_GROUP, owned
from calor.sandbox.network.networks import visible
from calor.sandbox.network.quota_routes import ensure_quota
from calor.sandbox.network.security_groups import ensure_default_security_group
from calor.sandbox.runtime import Sandbox
from calor.sandbox.states import Body
from calor.sandbox.store import Transaction

DEVICE_OWNER = "compute:nova"
HOST = "sandbox"


@dataclass(frozen=True)
class NetworkRequest:
    """One checked entry of a server's ``networks``: an existing port, or a network."""

    network_id: str | None = None
    port_id: str | None = None
    fixed_ip: str | None = None
    tag: str | None = None


class NoAddressLeft(Exception):
    """A network with no free address: the build fails (the server goes to ERROR)."""


@contextmanager
def as_nova_errors() -> Iterator[None]:
    """Neutron's refusals, in Nova's words and codes."""
    try:
        yield
    except ApiError as error:
        if error.code == "OverQuota":
            raise Forbidden("Maximum number of ports exceeded") from None
        if error.code == "IpAddressGenerationFailure":
            raise NoAddressLeft(error.message) from None
        if error.code == "IpAddressAlreadyAllocated":
            raise BadRequest(error.message.replace("IP address", "Fixed IP address", 1)
                             + " (already in use)") from None
        raise BadRequest(error.message) from None


def parse_networks(value: Any) -> list[Any] | str:
    if value in ("auto", "none"):
        return str(value)
    if not isinstance(value, list):
        raise invalid("networks", value, f"{value!r} is not valid under any of the given "
                      "schemas")
    return value


def plan(tx: Transaction, requested: list[Any] | str | None, context: RequestContext,
         count: int) -> list[NetworkRequest]:
    """Check each ``networks`` entry against Neutron before anything is made."""
    if requested == "none":
        return []
    if requested is None or requested == "auto":
        candidates = [n for n in tx.list(NETWORK) if not n.get("router:external")
                      and (owned(context, n) or n.get("shared")) and n["subnets"]]
        mine = [n for n in candidates if n["project_id"] == context.project_id]
        chosen = mine or candidates
        if len(chosen) > 1:
            raise Conflict("Multiple possible networks found, use a Network ID to be more "
                           "specific.")
        return [NetworkRequest(network_id=chosen[0]["id"])] if chosen else []
    planned = []
    for entry in requested:
        if not isinstance(entry, dict):
            raise BadRequest("Bad networks format")
        port_id, network_id = entry.get("port"), entry.get("uuid")
        fixed_ip, tag = entry.get("fixed_ip"), entry.get("tag")
        if port_id:
            port = tx.get(PORT, str(port_id))
            if port is None or not owned(context, port):
                raise BadRequest(f"Port id {port_id} could not be found.")
            if port["device_id"]:
                raise Conflict(f"Port {port_id} is still in use.")
            if count > 1:
                raise BadRequest("Unable to launch multiple instances with a single "
                                 "configured port ID. Please launch your instance one by one "
                                 "with different ports.")
            planned.append(NetworkRequest(port_id=port["id"], tag=tag))
            continue
        if not network_id:
            raise BadRequest("Bad network format: missing 'uuid'")
        try:
            uuid.UUID(str(network_id))
        except ValueError:
            raise BadRequest(f"Bad networks format: network uuid is not in proper format "
                             f"({network_id})") from None
        network = tx.get(NETWORK, str(network_id))
        if network is None or not visible(context, network):
            raise BadRequest(f"Network {network_id} could not be found.")
        if network.get("router:external") and not network.get("shared") \
                and not context.is_admin:
            raise Forbidden(f"It is not allowed to create an interface on external network "
                            f"{network_id}")
        if fixed_ip is not None and count > 1:
            raise BadRequest("max_count cannot be greater than 1 if an fixed_ip is "
                             "specified.")
        planned.append(NetworkRequest(network_id=network["id"], fixed_ip=fixed_ip, tag=tag))
    return planned


def security_group_ids(tx: Transaction, names: list[str], context: RequestContext) -> list[Body]:
    """Neutron groups for the names or ids a server asks for (default: ``default``)."""
    if not names:
        return [ensure_default_security_group(tx, context.project_id)]
    ensure_default_security_group(tx, context.project_id)
    groups = [g for g in tx.list(SECURITY_GROUP) if owned(context, g)]
    found = []
    for name in names:
        matches = [g for g in groups if g["id"] == name] or \
            [g for g in groups if g["name"] == name and g["project_id"] == context.project_id]
        if not matches:
            raise BadRequest(f"Security group {name} not found for project "
                             f"{context.project_id}.")
        found.append(matches[0])
    return found


def attach(sandbox: Sandbox, tx: Transaction, server: Body, planned: list[NetworkRequest],
           groups: list[Body], context: RequestContext) -> list[str]:
    """Make or bind the server's ports; returns the ids of the ports made for it."""
    made: list[str] = []
    for request in planned:
        with as_nova_errors():
            if request.port_id:
                port = tx.get(PORT, request.port_id)
                assert port is not None
                neutron_ports.bind(tx, port, device_id=server["id"],
                                   device_owner=DEVICE_OWNER, host=HOST)
                continue
            network = tx.get(NETWORK, str(request.network_id))
            assert network is not None
            ensure_quota(sandbox, tx, context.project_id, "port")
            values: Body = {
                "network_id": network["id"], "name": "", "admin_state_up": True,
                "fixed_ips": [{"ip_address": request.fixed_ip}] if request.fixed_ip else None,
                "device_id": server["id"], "device_owner": DEVICE_OWNER,
                "binding:host_id": HOST, "security_groups": [g["id"] for g in groups]
                if network.get("port_security_enabled", True) else [],
            }
            port = neutron_ports.new_port(tx, values, context.project_id, network, context)
            made.append(port["id"])
    return made


def detach_all(tx: Transaction, server: Body) -> None:
    """On delete: drop the ports made for the server, unbind the ones it was given."""
    created = set(server.get("_created_ports", []))
    for port in tx.list(PORT):
        if port["device_id"] != server["id"]:
            continue
        if port["id"] in created:
            neutron_ports.remove_port(tx, port)
        else:
            neutron_ports.bind(tx, port, device_id="", device_owner="")
