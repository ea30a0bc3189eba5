"""The sandbox's Block Storage v3 (Cinder), at ``/volume/v3/{project_id}``.

Volumes, snapshots, volume types, attachments, quotas and limits, with
microversions 3.0 to 3.70. Every route is served both below the project id
(as the catalog names it) and without it (Cinder 3.67's form).

:data:`SERVER_ATTACHMENTS` is Nova's ``os-volume_attachments``, served from
here under the compute mount; the package also joins Nova's server create
and delete through :mod:`calor.sandbox.compute.hooks`.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends

from calor.sandbox.compute import hooks
from calor.sandbox.types import CatalogEntry, ServicePlug
from calor.sandbox.volume import (
    attachment_routes,
    quota_routes,
    server_attachments,
    server_volumes,
    snapshots,
    versions,
    volume_actions,
    volume_types,
    volumes,
    zones,
)
from calor.sandbox.volume.common import (
    API_ROOT,
    MOUNT,
    VOLUME,
    cinder_error,
    get_volume,
    url_project,
)
from calor.sandbox.volume.metadata_routes import metadata_routes

__all__ = ["SERVER_ATTACHMENTS", "SERVICE"]

_CATALOG_PATH = API_ROOT + "/{project_id}"


def router() -> APIRouter:
    api = APIRouter()
    volumes.routes(api)
    volume_actions.routes(api)
    metadata_routes(api, "volumes", VOLUME, "Volume", get_volume)
    snapshots.routes(api)
    volume_types.routes(api)
    attachment_routes.routes(api)
    quota_routes.routes(api)
    zones.routes(api)
    routes = versions.router()
    # Unscoped first: its paths start with a collection name, never a project id.
    routes.include_router(api, prefix=API_ROOT)
    routes.include_router(api, prefix=_CATALOG_PATH, dependencies=[Depends(url_project)])
    return routes


SERVICE = ServicePlug(
    name="volume", mount=MOUNT,
    catalog=(CatalogEntry("block-storage", "cinder", _CATALOG_PATH),
             CatalogEntry("volumev3", "cinderv3", _CATALOG_PATH)),
    errors=cinder_error, router=router, seed=volume_types.seed,
    quota_service=quota_routes.SERVICE, quotas=quota_routes.DEFAULTS,
)

#: Nova's os-volume_attachments, a plug of its own below the compute mount.
SERVER_ATTACHMENTS = server_attachments.SERVICE

hooks.register(server_volumes.HOOK)
