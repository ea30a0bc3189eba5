"""``.../events``: a stack's events (or one resource's), filtered, sorted and paged; one event.

What ``openstack stack create --wait`` relies on: paging with ``marker``
gives only the events after the marker, and the stack's own events carry
the stack's name as ``resource_name`` and its id as
``physical_resource_id`` (and a ``stack`` link ending in that id).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from calor.api.errors import HeatFault
from calor.api.orchestration import schemas
from calor.api.orchestration.params import extract_int, extract_limit, mixed, multi
from calor.api.orchestration.scope import ProjectStacks, ShownStack, api_base
from calor.api.orchestration.views import event_view
from calor.service.nested_listing import stack_tree
from calor.service.stacks import StackService
from calor.store.errors import EventNotFound
from calor.store.records import StackRecord

router = APIRouter(tags=["events"])

_FILTERS = ("resource_status", "resource_action", "resource_name", "resource_type")

Limit = Annotated[str | None, Query(description="At most this many events.")]
Marker = Annotated[str | None, Query(description="Start after this event (id).")]
SortKeys = Annotated[list[str] | None, Query(description="event_time or resource_type.")]
SortDir = Annotated[str | None, Query(description="asc or desc (default: newest first).")]
NestedDepth = Annotated[str | None, Query(description="Include nested stacks' events.")]
Filter = Annotated[list[str] | None, Query()]


async def _events(
    request: Request, service: StackService, stack: StackRecord, *,
    resource_name: str | None = None,
) -> list[dict[str, Any]]:
    query = request.query_params
    limit = extract_limit(query.get("limit"))
    depth = extract_int("nested_depth", query.get("nested_depth")) or 0
    filters: dict[str, Any] = {
        key: value for key in _FILTERS if (value := mixed(request, key)) is not None
    }
    if resource_name is not None:
        filters["resource_name"] = resource_name
    tree = {s.id: s for s in await stack_tree(service, stack, depth)} if depth else {
        stack.id: stack}
    found = await service.store.events.list(
        list(tree) if len(tree) > 1 else stack.id, **filters,
        sort_keys=multi(request, "sort_keys"), sort_dir=query.get("sort_dir"),
        limit=limit, marker=query.get("marker"),
    )
    base = api_base(request)
    root = stack if depth else None
    return [event_view(base, tree[e.stack_id], e, detail=False, root=root) for e in found]


@router.get("/stacks/{stack_name}/{stack_id}/events", summary="List a stack's events",
            response_model=schemas.EventList)
async def index(
    request: Request, service: ProjectStacks, stack: ShownStack,
    limit: Limit = None, marker: Marker = None, sort_keys: SortKeys = None,
    sort_dir: SortDir = None, nested_depth: NestedDepth = None,
    resource_status: Filter = None, resource_action: Filter = None,
    resource_name: Filter = None, resource_type: Filter = None,
) -> Response:
    return JSONResponse({"events": await _events(request, service, stack)})


@router.get("/stacks/{stack_name}/{stack_id}/resources/{resource_name}/events",
            summary="List a resource's events", response_model=schemas.EventList)
async def resource_index(
    request: Request, service: ProjectStacks, stack: ShownStack, resource_name: str,
    limit: Limit = None, marker: Marker = None, sort_keys: SortKeys = None,
    sort_dir: SortDir = None, nested_depth: NestedDepth = None,
    resource_status: Filter = None, resource_action: Filter = None,
    resource_type: Filter = None,
) -> Response:
    events = await _events(request, service, stack, resource_name=resource_name)
    if not events:
        raise HeatFault(404, f"No events found for resource {resource_name}")
    return JSONResponse({"events": events})


@router.get("/stacks/{stack_name}/{stack_id}/resources/{resource_name}/events/{event_id}",
            summary="Show an event", response_model=schemas.EventShow)
async def show(
    request: Request, service: ProjectStacks, stack: ShownStack, resource_name: str,
    event_id: str,
) -> Response:
    try:
        event = await service.store.events.get(event_id, stack_id=stack.id)
    except EventNotFound:
        event = None
    if event is None or event.resource_name != resource_name:
        raise HeatFault(404, f"No event {event_id} found")
    return JSONResponse({"event": event_view(api_base(request), stack, event)})
