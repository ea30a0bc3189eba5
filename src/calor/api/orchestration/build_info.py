"""``/build_info``: the API's and the engine's revisions (both Calor's version)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from calor import __version__
from calor.api.orchestration import schemas

router = APIRouter(tags=["build info"])


@router.get("/build_info", summary="Build information", response_model=schemas.BuildInfo)
async def build_info() -> Response:
    return JSONResponse({"api": {"revision": __version__},
                         "engine": {"revision": __version__}})
