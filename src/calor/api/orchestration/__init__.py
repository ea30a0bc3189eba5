"""Heat's orchestration REST API v1: every route under ``/v1/{project_id}``.

One router module per area; :func:`orchestration_router` puts them together
in the order their paths must be tried (fixed paths before ``{stack_name}``).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends

from calor.api.auth import project_caller
from calor.api.orchestration import (
    actions,
    build_info,
    events,
    outputs,
    resource_types,
    resources,
    schemas,
    services,
    snapshots,
    software,
    stack_data,
    stacks,
    templates,
)


def orchestration_router() -> APIRouter:
    """Every v1 route, relative to ``/v1/{project_id}``; each asks who is calling."""
    router = APIRouter(responses=schemas.FAULTS, dependencies=[Depends(project_caller)])
    # Longer fixed paths first: /stacks/{stack_name}/{path} must not catch them.
    for area in (templates, resource_types, build_info, services, software, events,
                 resources, outputs, snapshots, actions, stack_data, stacks):
        router.include_router(area.router)
    return router


__all__ = ["orchestration_router"]
