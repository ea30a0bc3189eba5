"""A server's network side: its interfaces at create, the ports made for it, its addresses.

An entry of ``networks`` naming a ``subnet`` or ``port_extra_properties``
gets a port made for the server (an *internal* port, named
``<resource>-port-<n>``); its id is kept in the resource data the moment
Neutron returns it, and it is deleted with the server.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
from collections.abc import Mapping, Sequence
from typing import Any

from calor.resources.lifecycle import ResourceFailure
from calor.resources.openstack.errors import ResourcePropertyConflict
from calor.resources.openstack.finders import find_neutron_id, security_group_ids
from calor.resources.openstack.nova.common import NovaResource

#: The resource data key of the ports made for the server (as in Heat).
INTERNAL_PORTS = "internal_ports"


def check_network(entry: Mapping[str, Any], server: str) -> None:
    """Heat's checks of one ``networks`` entry, with its messages."""
    network = entry.get("network") or entry.get("uuid")
    port, subnet = entry.get("port"), entry.get("subnet")
    fixed_ip, allocate = entry.get("fixed_ip"), entry.get("allocate_network")
    if network is None and port is None and subnet is None and not allocate:
        raise ResourceFailure(
            'One of the properties "network", "port", "allocate_network" or "subnet" should '
            f'be set for the specified network of server "{server}".')
    if allocate and len([v for v in entry.values() if v is not None]) != 1:
        raise ResourceFailure('Can not specify "allocate_network" with other keys of '
                              "networks at the same time.")
    if fixed_ip and port is not None:
        raise ResourcePropertyConflict("networks/fixed_ip", "networks/port")
    if entry.get("floating_ip") is not None and network is not None and port is None \
            and subnet is None and not entry.get("port_extra_properties"):
        raise ResourceFailure('Property "floating_ip" is not supported if only "network" '
                              "is specified, because the corresponding port can not be "
                              "retrieved.")


def check_networks(networks: Sequence[Mapping[str, Any]], security_groups: Sequence[str],
                   server: str) -> None:
    for entry in networks:
        check_network(entry, server)
    if any(e.get("allocate_network") for e in networks) and len(networks) != 1:
        raise ResourceFailure('Property "allocate_network" can not be specified if multiple '
                              "network interfaces set for server.")
    if security_groups and any(e.get("port") is not None for e in networks):
        raise ResourcePropertyConflict("security_groups", "networks/port")


def _port_extras(extra: Mapping[str, Any] | None) -> dict[str, Any]:
    """The Neutron attributes ``port_extra_properties`` stands for."""
    if not extra:
        return {}
    body: dict[str, Any] = dict(extra.get("value_specs") or {})
    for key, value in extra.items():
        if key in ("value_specs", "no_fixed_ips", "allowed_address_pairs") or value is None:
            continue
        body[key] = value
    pairs = extra.get("allowed_address_pairs")
    if pairs is not None:
        body["allowed_address_pairs"] = [{k: v for k, v in p.items() if v is not None}
                                         for p in pairs]
    return body


class ServerNetworks(NovaResource):
    """The part of OS::Nova::Server that deals with Neutron."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: Network bodies and subnet bodies met while reading attributes.
        self._networks: dict[str, dict[str, Any]] = {}
        self._subnets: dict[str, dict[str, Any]] = {}

    # -- ids -----------------------------------------------------------------

    async def network_id(self, entry: Mapping[str, Any]) -> str | None:
        """The network of an entry: as named, else the one of its subnet."""
        named = entry.get("network") or entry.get("uuid")
        if named:
            return await self.lookup(find_neutron_id, "network", named, verify=False)
        if entry.get("subnet"):
            subnet = await self.subnet(await self.subnet_id(entry["subnet"]))
            return str(subnet["network_id"])
        return None

    async def subnet_id(self, name_or_id: str) -> str:
        return await self.lookup(find_neutron_id, "subnet", name_or_id, verify=False)

    async def subnet(self, subnet_id: str) -> dict[str, Any]:
        if subnet_id not in self._subnets:
            answer = await self.call("GET", f"/subnets/{subnet_id}", service="network")
            self._subnets[subnet_id] = answer.member("subnet")
        return self._subnets[subnet_id]

    async def network(self, network_id: str) -> dict[str, Any]:
        if network_id not in self._networks:
            answer = await self.call("GET", f"/networks/{network_id}", service="network")
            self._networks[network_id] = answer.member("network")
        return self._networks[network_id]

    # -- interfaces at create ------------------------------------------------

    async def nics(self, networks: Sequence[Mapping[str, Any]] | None,
                   security_groups: Sequence[str]) -> list[dict[str, Any]] | str | None:
        """The ``networks`` of the create request (making the internal ports first)."""
        if not networks:
            return None
        allocate = [e["allocate_network"] for e in networks if e.get("allocate_network")]
        if allocate:
            return str(allocate[0])
        nics: list[dict[str, Any]] = []
        for index, entry in enumerate(networks):
            net_id = await self.network_id(entry)
            await self._check_subnet_of(entry, net_id)
            nic: dict[str, Any] = {}
            port_id = entry.get("port")
            if port_id:
                nic["port"] = port_id
            elif entry.get("subnet") or entry.get("port_extra_properties"):
                port_id = await self._internal_port(entry, net_id, index, security_groups)
                nic["port"] = port_id
            else:
                if net_id:
                    nic["uuid"] = net_id
                if entry.get("fixed_ip"):
                    nic["fixed_ip"] = entry["fixed_ip"]
            if entry.get("floating_ip") and port_id:
                fip: dict[str, Any] = {"port_id": port_id}
                if entry.get("fixed_ip"):
                    fip["fixed_ip_address"] = entry["fixed_ip"]
                await self.call("PUT", f"/floatingips/{entry['floating_ip']}",
                                service="network", json={"floatingip": fip})
            if entry.get("tag"):
                nic["tag"] = entry["tag"]
            nics.append(nic)
        return nics

    async def _check_subnet_of(self, entry: Mapping[str, Any], net_id: str | None) -> None:
        if entry.get("port") is not None or not entry.get("subnet") or net_id is None:
            return
        subnet = await self.subnet(await self.subnet_id(entry["subnet"]))
        if subnet.get("network_id") != net_id:
            raise ResourceFailure(f"Specified subnet {entry['subnet']} does not belongs to "
                                  f"network {net_id}.")

    async def _internal_port(self, entry: Mapping[str, Any], net_id: str | None, index: int,
                             security_groups: Sequence[str]) -> str:
        body: dict[str, Any] = {"network_id": net_id,
                                "name": f"{self.ctx.resource_name}-port-{index}"}
        fixed: dict[str, Any] = {}
        if entry.get("fixed_ip"):
            fixed["ip_address"] = entry["fixed_ip"]
        if entry.get("subnet"):
            fixed["subnet_id"] = await self.subnet_id(entry["subnet"])
        if fixed:
            body["fixed_ips"] = [fixed]
        extra = entry.get("port_extra_properties") or {}
        if extra.get("no_fixed_ips"):
            body["fixed_ips"] = []
        if security_groups:
            body["security_groups"] = await self.lookup(security_group_ids,
                                                        list(security_groups))
        body.update(_port_extras(extra))
        answer = await self.call("POST", "/ports", service="network", json={"port": body})
        port_id = str(answer.member("port")["id"])
        # Kept before anything else happens: a crash must not orphan the port.
        await self._add_internal_port(port_id)
        return port_id

    async def internal_ports(self) -> list[str]:
        raw = (await self.ctx.get_data()).get(INTERNAL_PORTS)
        return [str(p["id"]) for p in json.loads(raw)] if raw else []

    async def _add_internal_port(self, port_id: str) -> None:
        ports = [*await self.internal_ports(), port_id]
        await self.ctx.set_data(INTERNAL_PORTS, json.dumps([{"id": p} for p in ports]))

    async def delete_internal_ports(self, only: Sequence[str] | None = None) -> None:
        """Delete the ports made for the server (all, or ``only`` these); gone is fine."""
        ports = await self.internal_ports()
        doomed = [p for p in ports if only is None or p in only]
        for port_id in doomed:
            await self.api("DELETE", f"/ports/{port_id}", service="network", missing_ok=True)
        kept = [p for p in ports if p not in doomed]
        await self.ctx.set_data(INTERNAL_PORTS, json.dumps([{"id": p} for p in kept]))

    # -- attributes ------------------------------------------------------------

    async def addresses(self, server_id: str) -> dict[str, list[dict[str, Any]]]:
        """Heat's ``addresses``: each address with its port, subnets and network."""
        answer = await self.call("GET", "/ports", service="network",
                                 params={"device_id": server_id})
        ports = list((answer.body or {}).get("ports", []))
        floating: list[dict[str, Any]] = []
        if ports:
            fips = await self.call("GET", "/floatingips", service="network",
                                   params={"port_id": [p["id"] for p in ports]})
            floating = list((fips.body or {}).get("floatingips", []))
        by_label: dict[str, list[dict[str, Any]]] = {}
        for port in ports:
            network = await self.network(str(port["network_id"]))
            entries = by_label.setdefault(str(network.get("name")), [])
            subnets = [await self.subnet(str(f["subnet_id"]))
                       for f in port.get("fixed_ips") or [] if f.get("subnet_id")]
            for fixed in port.get("fixed_ips") or []:
                address = fixed.get("ip_address")
                version = _version(address)
                for fip in floating:
                    if fip.get("port_id") == port["id"] and \
                            fip.get("fixed_ip_address") == address:
                        entries.append({"addr": fip.get("floating_ip_address"),
                                        "version": version,
                                        "OS-EXT-IPS-MAC:mac_addr": port.get("mac_address"),
                                        "OS-EXT-IPS:type": "floating", "port": None})
                entries.append({"addr": address, "version": version,
                                "OS-EXT-IPS-MAC:mac_addr": port.get("mac_address"),
                                "OS-EXT-IPS:type": "fixed", "port": port["id"],
                                "subnets": subnets, "network": network})
        return await self.by_id_too(by_label)

    async def by_id_too(self, by_label: Mapping[str, Any]) -> dict[str, Any]:
        """Each network's entry under its name and, when the name is unique, its id."""
        extended = dict(by_label)
        for label in by_label:
            same = [n for n in self._networks.values() if n.get("name") == label]
            if len(same) == 1:
                extended[str(same[0]["id"])] = by_label[label]
            elif not same:
                # Not found, or not unique: by name only, as Heat.
                with contextlib.suppress(ResourceFailure):
                    extended[await self.lookup(find_neutron_id, "network", label)] = \
                        by_label[label]
        return extended


def _version(address: Any) -> int | None:
    try:
        return ipaddress.ip_address(address).version
    except ValueError:
        return None
