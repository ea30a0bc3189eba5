"""Compute v2.1 (Nova) of the sandbox cloud, at ``/compute``, microversions 2.1 to 2.96.

Servers (created on Neutron ports, through real states, with actions),
flavors (seeded m1.tiny to m1.large), keypairs, server groups, availability
zones, limits, quota sets, server metadata and interface attachments. The
volume service joins server create and delete through :mod:`.hooks`.
"""

from __future__ import annotations

from fastapi import APIRouter

from calor.sandbox.compute import (
    flavors,
    interfaces,
    keypairs,
    quota_routes,
    server_actions,
    server_groups,
    server_metadata,
    servers,
    versions,
)
from calor.sandbox.compute.common import PREFIX, QUOTA_SERVICE
from calor.sandbox.compute.usage import DEFAULTS
from calor.sandbox.errors import nova_error
from calor.sandbox.store import Transaction
from calor.sandbox.types import CatalogEntry, SeedContext, ServicePlug

__all__ = ["SERVICE"]


def _router() -> APIRouter:
    top = APIRouter()
    versions.routes(top)
    api = APIRouter(prefix=PREFIX)
    for module in (servers, server_actions, server_metadata, interfaces, flavors, keypairs,
                   server_groups, quota_routes):
        module.routes(api)
    top.include_router(api)
    return top


def _seed(tx: Transaction, _seed_context: SeedContext) -> None:
    flavors.seed_flavors(tx)


SERVICE = ServicePlug(
    name="compute", mount="/compute",
    catalog=(CatalogEntry("compute", "nova", PREFIX),),
    errors=nova_error, router=_router, seed=_seed,
    quota_service=QUOTA_SERVICE, quotas=DEFAULTS,
)
