"""A server as Nova shows it at a microversion, with ``addresses`` from its Neutron ports."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import Request

from calor.identity.context import RequestContext
from calor.sandbox.compute.common import at_least, links
from calor.sandbox.microversions import Microversion
from calor.sandbox.network.common import FLOATINGIP, NETWORK, PORT
from calor.sandbox.states import Body
from calor.sandbox.store import Transaction

_ADMIN_ONLY = ("OS-EXT-SRV-ATTR:host", "OS-EXT-SRV-ATTR:hypervisor_hostname",
               "OS-EXT-SRV-ATTR:instance_name")
_SINCE_2_3 = ("OS-EXT-SRV-ATTR:reservation_id", "OS-EXT-SRV-ATTR:launch_index",
              "OS-EXT-SRV-ATTR:kernel_id", "OS-EXT-SRV-ATTR:ramdisk_id",
              "OS-EXT-SRV-ATTR:root_device_name", "OS-EXT-SRV-ATTR:user_data")


class Addresses:
    """The ports, networks and floating IPs of a set of servers, read once."""

    def __init__(self, tx: Transaction, server_ids: Iterable[str]) -> None:
        wanted = set(server_ids)
        self._ports: dict[str, list[Body]] = {}
        for port in tx.list(PORT):
            if port["device_id"] in wanted and port["device_owner"].startswith("compute:"):
                self._ports.setdefault(port["device_id"], []).append(port)
        self._networks = {n["id"]: n["name"] for n in tx.list(NETWORK)}
        self._floating: dict[tuple[str, str], str] = {}
        for fip in tx.list(FLOATINGIP):
            if fip.get("port_id"):
                self._floating[(fip["port_id"], fip["fixed_ip_address"])] = \
                    fip["floating_ip_address"]

    def ports_of(self, server_id: str) -> list[Body]:
        return list(self._ports.get(server_id, []))

    def of(self, server_id: str) -> dict[str, list[dict[str, Any]]]:
        addresses: dict[str, list[dict[str, Any]]] = {}
        for port in self._ports.get(server_id, []):
            label = str(self._networks.get(port["network_id"]) or port["network_id"])
            entries = addresses.setdefault(label, [])
            for fixed in port["fixed_ips"]:
                address = fixed["ip_address"]
                version = 6 if ":" in address else 4
                entries.append({"version": version, "addr": address,
                                "OS-EXT-IPS:type": "fixed",
                                "OS-EXT-IPS-MAC:mac_addr": port["mac_address"]})
                floating = self._floating.get((port["id"], address))
                if floating:
                    entries.append({"version": 4, "addr": floating,
                                    "OS-EXT-IPS:type": "floating",
                                    "OS-EXT-IPS-MAC:mac_addr": port["mac_address"]})
        return addresses


def summary(server: Body, request: Request) -> Body:
    return {"id": server["id"], "name": server["name"],
            "links": links(request, "servers", server["id"])}


def detail(server: Body, addresses: Addresses, version: Microversion, request: Request,
           context: RequestContext) -> Body:
    """Every field a client or a Heat template may read, as of ``version``."""
    shown: Body = {key: value for key, value in server.items()
                   if not key.startswith("_") and not key.startswith("OS-EXT-SRV-ATTR:")}
    shown["addresses"] = addresses.of(server["id"])
    shown["links"] = links(request, "servers", server["id"])
    flavor = server["flavor"]
    if at_least(version, "2.47"):
        shown["flavor"] = {k: v for k, v in flavor.items() if k not in {"id", "links"}}
    else:
        shown["flavor"] = {"id": flavor["id"],
                           "links": links(request, "flavors", flavor["id"])[1:]}
    if server["image"]:
        shown["image"] = {"id": server["image"],
                          "links": links(request, "images", server["image"])[1:]}
    else:
        shown["image"] = ""
    volumes = server.get("os-extended-volumes:volumes_attached", [])
    shown["os-extended-volumes:volumes_attached"] = [
        v if at_least(version, "2.3") else {"id": v["id"]} for v in volumes]
    if context.is_admin:
        for key in _ADMIN_ONLY:
            shown[key] = server.get(key)
        if at_least(version, "2.3"):
            for key in _SINCE_2_3:
                shown[key] = server.get(key)
            shown["OS-EXT-SRV-ATTR:hostname"] = server.get("hostname")
    if at_least(version, "2.90") and not context.is_admin:
        shown["OS-EXT-SRV-ATTR:hostname"] = server.get("hostname")
    shown.pop("hostname", None)
    for key, since in (("locked", "2.9"), ("description", "2.19"), ("tags", "2.26"),
                       ("host_status", "2.16"), ("trusted_image_certificates", "2.63"),
                       ("server_groups", "2.71"), ("locked_reason", "2.73"),
                       ("pinned_availability_zone", "2.96")):
        if not at_least(version, since):
            shown.pop(key, None)
    if shown.get("status") != "ERROR":
        shown.pop("fault", None)
    elif not context.is_admin and isinstance(shown.get("fault"), dict):
        shown["fault"] = {k: v for k, v in shown["fault"].items() if k != "details"}
    return shown
