"""Cinder's version documents: ``GET /volume`` (300) and ``GET /volume/v3/`` (200), no token.

keystoneauth strips the project id from the catalog URL and asks
``/volume/v3/`` which microversions the service speaks.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from calor.sandbox.volume.common import API_ROOT, MOUNT, VERSIONS

_UPDATED = "2023-08-31T00:00:00Z"
_MEDIA = [{"base": "application/json",
           "type": "application/vnd.openstack.volume+json;version=3"}]


def version_entry(request: Request) -> dict[str, Any]:
    base = str(request.base_url).rstrip("/")
    return {"id": "v3.0", "status": "CURRENT", "version": str(VERSIONS.maximum),
            "min_version": str(VERSIONS.minimum), "updated": _UPDATED, "media-types": _MEDIA,
            "links": [{"rel": "describedby", "type": "text/html",
                       "href": "https://docs.openstack.org/"},
                      {"rel": "self", "href": f"{base}{API_ROOT}/"}]}


def router() -> APIRouter:
    routes = APIRouter()

    @routes.get(MOUNT)
    @routes.get(MOUNT + "/")
    async def versions(request: Request) -> Response:
        return JSONResponse({"versions": [version_entry(request)]}, status_code=300)

    @routes.get(API_ROOT)
    @routes.get(API_ROOT + "/")
    async def version(request: Request) -> Response:
        return JSONResponse({"versions": [version_entry(request)]})

    return routes
