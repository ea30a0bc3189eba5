"""``.../outputs``: a stack's outputs (keys and descriptions), and one output's value."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from calor.api.errors import HeatFault
from calor.api.orchestration import schemas
from calor.api.orchestration.scope import IdentifiedStack, ProjectStacks

router = APIRouter(tags=["outputs"])


@router.get("/stacks/{stack_name}/{stack_id}/outputs", summary="List a stack's outputs",
            response_model=schemas.OutputList)
async def index(service: ProjectStacks, stack: IdentifiedStack) -> Response:
    outputs = await service.outputs(stack)
    return JSONResponse({"outputs": [
        {"output_key": o["output_key"], "description": o.get("description")} for o in outputs
    ]})


@router.get("/stacks/{stack_name}/{stack_id}/outputs/{output_key}",
            summary="Show one output: its value, or the error resolving it",
            response_model=schemas.OutputShow)
async def show(service: ProjectStacks, stack: IdentifiedStack, output_key: str) -> Response:
    for output in await service.outputs(stack):
        if output["output_key"] == output_key:
            return JSONResponse({"output": output})
    raise HeatFault(404, f"Specified output key {output_key} not found.", error_type="NotFound")
