"""``.../snapshots``: take, list, show, delete a stack's snapshots, and restore one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Response
from fastapi.responses import JSONResponse

from calor.api.orchestration import schemas
from calor.api.orchestration.scope import IdentifiedStack, ProjectStacks
from calor.service.snapshots import (
    create_snapshot,
    delete_snapshot,
    list_snapshots,
    restore_snapshot,
    show_snapshot,
    snapshot_body,
)

router = APIRouter(tags=["snapshots"])

_SNAPSHOTS = "/stacks/{stack_name}/{stack_id}/snapshots"


@router.post(_SNAPSHOTS, summary="Take a snapshot (the body is the snapshot, as Heat's)",
             response_model=schemas.Snapshot)
async def snapshot(
    service: ProjectStacks, stack: IdentifiedStack,
    body: Annotated[dict[str, Any] | None, Body(examples=[{"name": "before-upgrade"}])] = None,
) -> Response:
    name = (body or {}).get("name")
    taken = await create_snapshot(service, stack.id, None if name is None else str(name))
    return JSONResponse(snapshot_body(taken))


@router.get(_SNAPSHOTS, summary="List snapshots", response_model=schemas.SnapshotList)
async def index(service: ProjectStacks, stack: IdentifiedStack) -> Response:
    found = await list_snapshots(service, stack.id)
    return JSONResponse({"snapshots": [snapshot_body(s) for s in found]})


@router.get(f"{_SNAPSHOTS}/{{snapshot_id}}", summary="Show a snapshot",
            response_model=schemas.SnapshotShow)
async def show(service: ProjectStacks, stack: IdentifiedStack, snapshot_id: str) -> Response:
    found = await show_snapshot(service, stack.id, snapshot_id)
    return JSONResponse({"snapshot": snapshot_body(found)})


@router.delete(f"{_SNAPSHOTS}/{{snapshot_id}}", status_code=204, response_class=Response,
               summary="Delete a snapshot")
async def delete(service: ProjectStacks, stack: IdentifiedStack, snapshot_id: str) -> Response:
    await delete_snapshot(service, stack.id, snapshot_id)
    return Response(status_code=204)


@router.post(f"{_SNAPSHOTS}/{{snapshot_id}}/restore", status_code=202, response_model=None,
             summary="Restore the stack to a snapshot")
async def restore(service: ProjectStacks, stack: IdentifiedStack, snapshot_id: str) -> Response:
    await restore_snapshot(service, stack.id, snapshot_id)
    return JSONResponse(None, status_code=202)
