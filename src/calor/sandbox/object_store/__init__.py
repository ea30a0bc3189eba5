"""The sandbox's Object Storage v1 (Swift), at ``/object-store/v1/AUTH_{project_id}``.

Accounts, containers and objects (bytes kept in the sandbox's store),
listings in JSON, XML or text, metadata, copies, ranges, large objects,
expiring objects, public read ACLs and temporary URLs.
"""

from __future__ import annotations

from fastapi import APIRouter

from calor.sandbox.object_store import accounts, containers, info, objects
from calor.sandbox.object_store.common import API_ROOT, MOUNT, object_store_error
from calor.sandbox.types import CatalogEntry, ServicePlug

__all__ = ["SERVICE"]


def _router() -> APIRouter:
    routes = info.router()
    accounts.routes(routes)
    containers.routes(routes)
    objects.routes(routes)
    return routes


SERVICE = ServicePlug(
    name="object-store", mount=MOUNT,
    catalog=(CatalogEntry("object-store", "swift", API_ROOT + "/AUTH_{project_id}"),),
    errors=object_store_error, router=_router,
)
