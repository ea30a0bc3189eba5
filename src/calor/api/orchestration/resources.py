"""``.../resources``: list (nested, detailed, filtered), show, metadata, signal, mark unhealthy."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request, Response
from fastapi.responses import JSONResponse

from calor.api.orchestration import schemas
from calor.api.orchestration.params import bad_request, extract_bool, extract_int, mixed, multi
from calor.api.orchestration.scope import IdentifiedStack, ProjectStacks, ShownStack, api_base
from calor.api.orchestration.views import resource_links, resource_summary
from calor.engine.loading import load_definition
from calor.service.nested_listing import children, nested_resources
from calor.service.resource_health import mark_unhealthy
from calor.service.signals import find_resource, resource_body, resource_metadata, signal_resource
from calor.service.stacks import StackService
from calor.store.records import ResourceRecord, StackRecord

router = APIRouter(tags=["resources"])

_RESOURCES = "/stacks/{stack_name}/{stack_id}/resources"

#: The filters Heat takes on a resource listing, and the record field each matches.
_FILTERS = {"name": "name", "status": "status", "action": "action", "type": "type",
            "id": "uuid", "physical_resource_id": "physical_resource_id"}

Filter = Annotated[list[str] | None, Query()]


@router.get(_RESOURCES, summary="List a stack's resources", response_model=schemas.ResourceList)
async def index(
    request: Request, service: ProjectStacks, stack: ShownStack,
    nested_depth: Annotated[str | None, Query(description="Levels of nested stacks.")] = None,
    with_detail: Annotated[str | None, Query(description="Add attributes, description.")]
    = None,
    name: Filter = None, status: Filter = None, action: Filter = None, type: Filter = None,
    id: Filter = None, physical_resource_id: Filter = None,
) -> Response:
    invalid = set(request.query_params) - {*_FILTERS, "nested_depth", "with_detail"}
    if invalid:
        raise bad_request(f"Invalid filter parameters {sorted(invalid)}")
    depth = extract_int("nested_depth", nested_depth) or 0
    detail = extract_bool("with_detail", with_detail)
    wanted = {field: mixed(request, key) for key, field in _FILTERS.items()}
    base = api_base(request)
    listing = _Listing(service)
    out = []
    for item in await nested_resources(service, stack, depth):
        if not _matches(item.resource, wanted):
            continue
        if detail:
            body = await resource_body(service, item.stack, item.resource, base_url=base)
        else:
            body = resource_summary(base, item.stack, item.resource,
                                    required_by=await listing.required_by(item.stack,
                                                                          item.resource))
        body["links"] = resource_links(base, item.stack, item.resource.name,
                                       await listing.nested(item.stack, item.resource))
        out.append(body)
    return JSONResponse({"resources": out})


def _matches(row: ResourceRecord, wanted: dict[str, str | list[str] | None]) -> bool:
    for field, value in wanted.items():
        if value is None:
            continue
        allowed = [value] if isinstance(value, str) else value
        if str(getattr(row, field)) not in allowed:
            return False
    return True


class _Listing:
    """What a listing looks up once per stack: definitions and child stacks."""

    def __init__(self, service: StackService) -> None:
        self.service = service
        self._needed: dict[str, dict[str, list[str]]] = {}
        self._children: dict[str, dict[str, StackRecord]] = {}

    async def required_by(self, stack: StackRecord, row: ResourceRecord) -> list[str]:
        if stack.id not in self._needed:
            raw = await self.service.store.templates.get(stack.raw_template_id)
            definition = load_definition(stack, raw)
            needed: dict[str, list[str]] = {name: [] for name in definition.resources}
            for name, rdef in definition.resources.items():
                for required in rdef.required_resources():
                    needed.setdefault(required, []).append(name)
            self._needed[stack.id] = needed
        return list(self._needed[stack.id].get(row.name, []))

    async def nested(self, stack: StackRecord, row: ResourceRecord) -> StackRecord | None:
        if stack.id not in self._children:
            self._children[stack.id] = await children(self.service, stack)
        return self._children[stack.id].get(row.physical_resource_id or "")


@router.get(f"{_RESOURCES}/{{resource_name}}", summary="Show a resource",
            response_model=schemas.ResourceShow)
async def show(
    request: Request, service: ProjectStacks, stack: IdentifiedStack, resource_name: str,
    with_attr: Annotated[list[str] | None, Query(
        description="More attributes to resolve.")] = None,
) -> Response:
    found, row = await find_resource(service, stack.id, resource_name)
    base = api_base(request)
    body = await resource_body(service, found, row, with_attr=multi(request, "with_attr"),
                               base_url=base)
    body["links"] = resource_links(base, found, row.name,
                                   await _Listing(service).nested(found, row))
    return JSONResponse({"resource": body})


@router.get(f"{_RESOURCES}/{{resource_name}}/metadata", summary="A resource's metadata",
            response_model=schemas.ResourceMetadata)
async def metadata(service: ProjectStacks, stack: IdentifiedStack, resource_name: str) -> Response:
    return JSONResponse({"metadata": await resource_metadata(service, stack.id, resource_name)})


@router.post(f"{_RESOURCES}/{{resource_name}}/signal", summary="Signal a resource",
             response_model=None)
async def signal(
    service: ProjectStacks, stack: IdentifiedStack, resource_name: str,
    body: Annotated[Any, Body(examples=[{"status": "SUCCESS", "reason": "done"}])] = None,
) -> Response:
    details = body if isinstance(body, dict) or body is None else {"data": body}
    await signal_resource(service, stack.id, resource_name, details)
    return JSONResponse(None)


@router.patch(f"{_RESOURCES}/{{resource_name}}", summary="Mark a resource unhealthy (or not)",
              response_model=None)
async def mark_unhealthy_route(
    service: ProjectStacks, stack: IdentifiedStack, resource_name: str,
    body: Annotated[dict[str, Any], Body(examples=[{"mark_unhealthy": True,
                                                    "resource_status_reason": "disk died"}])],
) -> Response:
    valid = {"mark_unhealthy", "resource_status_reason"}
    invalid = set(body) - valid
    if invalid:
        raise bad_request(f"Invalid keys in resource mark unhealthy {invalid}")
    if "mark_unhealthy" not in body:
        raise bad_request("Missing mandatory (mark_unhealthy) key from mark unhealthy request")
    flag = body["mark_unhealthy"]
    unhealthy = extract_bool("mark_unhealthy", flag if isinstance(flag, bool) else str(flag))
    reason = body.get("resource_status_reason")
    await mark_unhealthy(service, stack.id, resource_name, unhealthy=unhealthy,
                         reason=None if reason is None else str(reason))
    return JSONResponse(None)
