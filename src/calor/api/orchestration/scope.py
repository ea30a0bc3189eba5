"""What a request to ``/v1/{project_id}/...`` works on: its project's service and its stack.

A stack's canonical URL is ``/stacks/{stack_name}/{stack_id}``: the id
finds it (in the URL's project), and the name must be its name, as in Heat.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request

from calor.api.auth import ProjectCaller
from calor.api.errors import HeatFault
from calor.service.stacks import StackService
from calor.store.errors import StackNotFound
from calor.store.records import StackRecord


def stack_service(request: Request) -> StackService:
    """The server's stack service (for the local project); the app's lifespan sets it."""
    found = getattr(request.app.state, "stacks", None)
    if not isinstance(found, StackService):
        raise HeatFault(503, "The server is starting or stopping.")
    return found


async def project_stacks(request: Request, context: ProjectCaller) -> StackService:
    """The stack service acting for the URL's project (the caller may use it)."""
    return stack_service(request).for_project(context.project_id)


ProjectStacks = Annotated[StackService, Depends(project_stacks)]


def api_base(request: Request) -> str:
    """``http://host:port/v1``: what the links and redirects Heat gives start with."""
    return f"{str(request.base_url).rstrip('/')}/v1"


def stack_url(request: Request, stack: StackRecord) -> str:
    return f"{api_base(request)}/{stack.project_id}/stacks/{quote(stack.name)}/{stack.id}"


async def _identified(
    service: StackService, stack_name: str, stack_id: str, *, show_deleted: bool
) -> StackRecord:
    try:
        stack = await service.store.stacks.get(
            stack_id, project_id=service.project_id, show_deleted=show_deleted
        )
    except StackNotFound:
        raise StackNotFound(stack_name) from None
    if stack.name != stack_name:
        raise StackNotFound(stack_name)
    return stack


async def identified_stack(
    service: ProjectStacks, stack_name: str, stack_id: str
) -> StackRecord:
    """The live stack ``/stacks/{stack_name}/{stack_id}`` names."""
    return await _identified(service, stack_name, stack_id, show_deleted=False)


async def shown_stack(service: ProjectStacks, stack_name: str, stack_id: str) -> StackRecord:
    """The stack to show: a deleted one too (Heat shows it DELETE_COMPLETE)."""
    return await _identified(service, stack_name, stack_id, show_deleted=True)


IdentifiedStack = Annotated[StackRecord, Depends(identified_stack)]
ShownStack = Annotated[StackRecord, Depends(shown_stack)]
