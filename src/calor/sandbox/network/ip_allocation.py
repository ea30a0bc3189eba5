"""Addresses from a subnet's allocation pools, and MAC addresses for ports.

An address is in use when some port holds it in its ``fixed_ips`` (router
interfaces, floating IPs and gateways are ports too, as in Neutron). The
lowest free address of the pools is handed out first.
"""

from __future__ import annotations

import ipaddress
import itertools
import random
from collections.abc import Iterable
from typing import Any

from calor.sandbox.errors import BadRequest, Conflict
from calor.sandbox.network.common import PORT
from calor.sandbox.states import Body
from calor.sandbox.store import Transaction

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def network_of(subnet: Body) -> IPNetwork:
    return ipaddress.ip_network(subnet["cidr"], strict=False)


def default_gateway(cidr: IPNetwork) -> str | None:
    if cidr.num_addresses < 2:
        return None
    return str(cidr.network_address + 1)


def default_pools(cidr: IPNetwork, gateway: str | None) -> list[dict[str, str]]:
    """The whole subnet but its network, broadcast and gateway addresses."""
    first = int(cidr.network_address) + 1
    last = int(cidr.broadcast_address) - (1 if cidr.version == 4 else 0)
    if cidr.num_addresses <= 2:
        first, last = int(cidr.network_address), int(cidr.broadcast_address)
    ranges: list[tuple[int, int]] = [(first, last)]
    if gateway is not None:
        gw = int(ipaddress.ip_address(gateway))
        ranges = [piece for start, end in ranges
                  for piece in ((start, gw - 1), (gw + 1, end)) if piece[0] <= piece[1]] \
            if first <= gw <= last else ranges
    make = ipaddress.ip_address
    return [{"start": str(make(start)), "end": str(make(end))} for start, end in ranges]


def check_pools(pools: list[Any], cidr: IPNetwork, gateway: str | None) -> list[dict[str, str]]:
    """Neutron's checks of given pools: inside the subnet, apart, clear of the gateway."""
    checked: list[tuple[int, int, dict[str, str]]] = []
    for pool in pools:
        if not isinstance(pool, dict) or "start" not in pool or "end" not in pool:
            raise BadRequest("Invalid input for allocation_pools. Reason: each pool needs "
                             "a start and an end.", code="HTTPBadRequest")
        try:
            start, end = ipaddress.ip_address(pool["start"]), ipaddress.ip_address(pool["end"])
        except ValueError:
            raise BadRequest(f"Invalid input for allocation_pools. Reason: '{pool}' is not "
                             "a valid IP address range.", code="HTTPBadRequest") from None
        text = f"{start}-{end}"
        if start.version != cidr.version or start not in cidr or end not in cidr:
            raise BadRequest(f"The allocation pool {text} spans beyond the subnet cidr "
                             f"{cidr}.", code="OutOfBoundsAllocationPool")
        if int(start) > int(end):
            raise BadRequest(f"The allocation pool {text} is not valid.",
                             code="InvalidAllocationPool")
        if gateway is not None and int(start) <= int(ipaddress.ip_address(gateway)) <= int(end):
            raise Conflict(f"Gateway ip {gateway} conflicts with allocation pool {text}",
                           code="GatewayConflictWithAllocationPools")
        checked.append((int(start), int(end), {"start": str(start), "end": str(end)}))
    checked.sort(key=lambda item: item[0])
    for (_s1, e1, p1), (s2, _e2, p2) in itertools.pairwise(checked):
        if s2 <= e1:
            raise BadRequest(f"Found overlapping allocation pools: {p1['start']}-{p1['end']} "
                             f"and {p2['start']}-{p2['end']} for subnet {cidr}.",
                             code="OverlappingAllocationPools")
    return [pool for _s, _e, pool in checked]


def ips_in_use(tx: Transaction, subnet_id: str, *, except_port: str | None = None) -> set[str]:
    used: set[str] = set()
    for port in tx.list(PORT):
        if port["id"] == except_port:
            continue
        for fixed in port.get("fixed_ips", []):
            if fixed["subnet_id"] == subnet_id:
                used.add(fixed["ip_address"])
    return used


def in_pools(address: str, subnet: Body) -> bool:
    value = int(ipaddress.ip_address(address))
    return any(int(ipaddress.ip_address(p["start"])) <= value
               <= int(ipaddress.ip_address(p["end"])) for p in subnet["allocation_pools"])


def next_free(subnet: Body, used: set[str]) -> str | None:
    """The lowest free address in the subnet's pools, or ``None`` when they are full."""
    for pool in subnet["allocation_pools"]:
        start = int(ipaddress.ip_address(pool["start"]))
        end = int(ipaddress.ip_address(pool["end"]))
        candidate = start
        while candidate <= end:
            text = str(ipaddress.ip_address(candidate))
            if text not in used:
                return text
            candidate += 1
    return None


def check_requested(address: str, subnet: Body, used: set[str]) -> str:
    """A requested address: on the subnet and free (it may lie outside the pools)."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        raise BadRequest(f"Invalid input for fixed_ips. Reason: '{address}' is not a valid "
                         "IP address.", code="HTTPBadRequest") from None
    cidr = network_of(subnet)
    if parsed.version != cidr.version or parsed not in cidr or (parsed in (
            cidr.network_address, cidr.broadcast_address) and cidr.version == 4):
        raise BadRequest(f"IP address {address} is not a valid IP for the specified subnet.",
                         code="InvalidIpForSubnet")
    text = str(parsed)
    if text in used:
        raise Conflict(f"IP address {text} already allocated in subnet {subnet['id']}",
                       code="IpAddressAlreadyAllocated")
    return text


def new_mac(taken: Iterable[str]) -> str:
    """A random MAC with OpenStack's ``fa:16:3e`` prefix, unused on the network."""
    known = set(taken)
    while True:
        tail = ":".join(f"{random.randrange(256):02x}" for _ in range(3))
        mac = f"fa:16:3e:{tail}"
        if mac not in known:
            return mac
