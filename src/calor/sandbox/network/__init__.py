"""Network v2.0 (Neutron) of the sandbox cloud, at ``/networking``.

Networks, subnets with allocation pools and real IP allocation, ports with
fixed IPs and MACs, routers with gateways and interfaces, floating IPs,
security groups and rules, quotas, tags. Seeded with the external network
``public`` (subnet ``public-subnet``, 172.24.4.0/24) for floating IPs.
"""

from __future__ import annotations

from fastapi import APIRouter

from calor.sandbox.errors import neutron_error
from calor.sandbox.network import (
    extensions,
    floating_ips,
    networks,
    ports,
    quota_routes,
    routers,
    security_groups,
    subnets,
)
from calor.sandbox.network.common import NETWORK
from calor.sandbox.store import Transaction
from calor.sandbox.types import CatalogEntry, SeedContext, ServicePlug

__all__ = ["SERVICE"]

PUBLIC_CIDR = "172.24.4.0/24"


def _router() -> APIRouter:
    top = APIRouter()
    extensions.versions_routes(top)
    api = APIRouter(prefix="/networking/v2.0")
    for module in (networks, subnets, ports, routers, floating_ips, security_groups,
                   quota_routes, extensions):
        module.routes(api)
    top.include_router(api)
    return top


def _seed(tx: Transaction, seed: SeedContext) -> None:
    if tx.list(NETWORK, name="public"):
        return
    public = networks.new_network(tx, {
        "name": "public", "description": "", "admin_state_up": True, "shared": False,
        "router:external": True, "is_default": True, "mtu": 1500,
        "port_security_enabled": True, "availability_zone_hints": [], "dns_domain": "",
        "qos_policy_id": None, "provider:network_type": "flat",
        "provider:physical_network": "public", "provider:segmentation_id": None,
    }, seed.admin_project_id)
    subnets.new_subnet(tx, {
        "name": "public-subnet", "description": "", "network_id": public["id"],
        "cidr": PUBLIC_CIDR, "ip_version": 4, "gateway_ip": "172.24.4.1",
        "allocation_pools": [{"start": "172.24.4.2", "end": "172.24.4.254"}],
        "dns_nameservers": [], "host_routes": [], "enable_dhcp": False,
        "ipv6_ra_mode": None, "ipv6_address_mode": None, "service_types": [],
        "segment_id": None, "dns_publish_fixed_ip": False,
    }, seed.admin_project_id, public)


SERVICE = ServicePlug(
    name="network", mount="/networking",
    catalog=(CatalogEntry("network", "neutron", "/networking"),),
    errors=neutron_error, router=_router, seed=_seed,
    quota_service=quota_routes.SERVICE, quotas=quota_routes.DEFAULTS,
)
