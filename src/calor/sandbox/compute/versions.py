"""Nova's version documents at ``/compute`` and ``/compute/v2.1`` (no token needed)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from calor.sandbox.compute.common import VERSIONS, base_url

_MEDIA = [{"base": "application/json",
           "type": "application/vnd.openstack.compute+json;version=2.1"}]


def _v21(request: Request) -> dict[str, Any]:
    return {"id": "v2.1", "status": "CURRENT", "version": str(VERSIONS.maximum),
            "min_version": str(VERSIONS.minimum), "updated": "2013-07-23T11:33:21Z",
            "media-types": _MEDIA,
            "links": [{"rel": "self", "href": f"{base_url(request)}/compute/v2.1/"},
                      {"rel": "describedby", "type": "text/html",
                       "href": "http://docs.openstack.org/"}]}


def routes(router: APIRouter) -> None:
    @router.get("/compute")
    @router.get("/compute/")
    async def versions(request: Request) -> dict[str, Any]:
        return {"versions": [_v21(request)]}

    @router.get("/compute/v2.1")
    @router.get("/compute/v2.1/")
    async def version(request: Request) -> dict[str, Any]:
        return {"version": _v21(request)}
