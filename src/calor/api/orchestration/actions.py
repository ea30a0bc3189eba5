"""``POST .../actions``: check, suspend, resume, cancel_update, cancel_without_rollback.

The body holds exactly one key, the action (its value is ignored), as in
Heat; the answer (200, no body) comes once the action has started.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, Response
from fastapi.responses import JSONResponse

from calor.api.orchestration.params import bad_request
from calor.api.orchestration.scope import IdentifiedStack, ProjectStacks
from calor.service.stack_actions import check_stack, resume_stack, suspend_stack
from calor.service.stacks import StackService
from calor.store.records import StackRecord

router = APIRouter(tags=["stack actions"])


async def _cancel(service: StackService, stack_id: str) -> StackRecord:
    return await service.cancel_update(stack_id, rollback=True)


async def _cancel_without_rollback(service: StackService, stack_id: str) -> StackRecord:
    return await service.cancel_update(stack_id, rollback=False)


#: Heat's actions, each with what starts it.
ACTIONS: dict[str, Callable[[StackService, str], Awaitable[StackRecord]]] = {
    "suspend": suspend_stack,
    "resume": resume_stack,
    "check": check_stack,
    "cancel_update": _cancel,
    "cancel_without_rollback": _cancel_without_rollback,
}


@router.post("/stacks/{stack_name}/{stack_id}/actions", summary="Run an action on a stack",
             response_model=None)
async def action(
    service: ProjectStacks, stack: IdentifiedStack,
    body: Annotated[dict[str, Any] | None, Body(examples=[{"check": None}])] = None,
) -> Response:
    body = body or {}
    if not body:
        raise bad_request("No action specified")
    if len(body) > 1:
        raise bad_request("Multiple actions specified")
    (name,) = body
    start = ACTIONS.get(name)
    if start is None:
        raise bad_request(f"Invalid action {name} specified")
    await start(service, stack.id)
    return JSONResponse(None)
