"""Image v2 (Glance) of the sandbox cloud, at ``/image``; seeded with ``cirros``."""

from __future__ import annotations

from fastapi import APIRouter

from calor.sandbox.errors import glance_error
from calor.sandbox.image import imports, members, records, routes
from calor.sandbox.store import Transaction
from calor.sandbox.types import CatalogEntry, SeedContext, ServicePlug

__all__ = ["SERVICE"]


def _router() -> APIRouter:
    router = APIRouter()
    for module in (routes, imports, members):
        module.routes(router)
    return router


def _seed(tx: Transaction, seed: SeedContext) -> None:
    if tx.list(records.KIND, name="cirros"):
        return
    image = records.new_image(tx, seed.admin_project_id, {
        "name": "cirros", "visibility": "public", "disk_format": "qcow2",
        "container_format": "bare", "hw_rng_model": "virtio", "os_distro": "cirros",
    })
    records.store_data(tx, image, records.cirros_bytes())


SERVICE = ServicePlug(
    name="image", mount="/image",
    catalog=(CatalogEntry("image", "glance", "/image"),),
    errors=glance_error, router=_router, seed=_seed,
)
