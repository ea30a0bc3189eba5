"""The version document Heat serves at ``/`` (and Calor at ``/v1`` too), without a token.

openstacksdk, given an orchestration endpoint override, discovers the API
by asking ``.../v1/{project_id}`` and then ``.../v1``: one must answer with
this document, so ``/v1`` does.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from calor.api.orchestration import schemas

router = APIRouter(tags=["versions"])


def versions_document(request: Request) -> dict[str, Any]:
    href = f"{str(request.base_url).rstrip('/')}/v1/"
    return {"versions": [{"id": "v1.0", "status": "CURRENT",
                          "links": [{"rel": "self", "href": href}]}]}


@router.get("/", status_code=300, response_model=schemas.Versions,
            summary="The API versions (Heat answers 300 Multiple Choices)")
async def versions(request: Request) -> Response:
    return JSONResponse(versions_document(request), status_code=300)


@router.get("/v1", status_code=300, response_model=schemas.Versions, include_in_schema=False)
@router.get("/v1/", status_code=300, response_model=schemas.Versions, include_in_schema=False)
async def v1_versions(request: Request) -> Response:
    return JSONResponse(versions_document(request), status_code=300)
