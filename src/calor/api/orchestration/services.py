"""``/services``: the engines (admins only), each ``up`` while its heartbeat is fresh."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from calor.api.auth import ProjectCaller
from calor.api.errors import HeatFault
from calor.api.orchestration import schemas
from calor.api.orchestration.scope import ProjectStacks
from calor.api.orchestration.views import time_text
from calor.config import EngineLiveness
from calor.store.column_types import utc_now

router = APIRouter(tags=["services"])


@router.get("/services", summary="The engine services", response_model=schemas.Services)
async def index(service: ProjectStacks, context: ProjectCaller) -> Response:
    if not context.is_admin:
        raise HeatFault(403, "Access was denied to this resource.")
    liveness = EngineLiveness.from_environment()
    fresh = utc_now() - timedelta(seconds=liveness.stale_after)
    engines = await service.store.engine_services.list()
    return JSONResponse({"services": [
        {
            "id": e.id,
            "host": e.hostname,
            "hostname": e.hostname,
            "binary": "calor-engine",
            "topic": e.topic,
            "engine_id": e.id,
            "report_interval": int(liveness.heartbeat_interval),
            "created_at": time_text(e.created_at),
            "updated_at": time_text(e.last_heartbeat),
            "deleted_at": None,
            "status": "up" if e.last_heartbeat >= fresh else "down",
        }
        for e in engines
    ]})
