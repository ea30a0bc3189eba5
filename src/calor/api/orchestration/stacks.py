"""``/stacks``: list, create, preview, look up by name, show, update (PUT, PATCH), delete.

Create, update and delete answer once the work is planned and queued, as
Heat's do (201, 202, 204); clients follow a stack through its events. A
stack's name (or id) alone redirects (302) to its canonical URL
``/stacks/{stack_name}/{stack_id}``, keeping any sub-path and query string.
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from calor.api.auth import ProjectCaller
from calor.api.errors import HeatFault
from calor.api.orchestration import schemas
from calor.api.orchestration.descriptions import descriptions
from calor.api.orchestration.inputs import (
    StackCreateRequest,
    StackUpdateRequest,
    read_inputs,
    stack_options,
)
from calor.api.orchestration.params import (
    bad_request,
    extract_bool,
    extract_limit,
    extract_tags,
    mixed,
    multi,
)
from calor.api.orchestration.scope import (
    IdentifiedStack,
    ProjectStacks,
    api_base,
    shown_stack,
)
from calor.api.orchestration.stack_data import environment_map, patch_environment
from calor.api.orchestration.views import (
    stack_detail,
    stack_path,
    stack_summary,
)
from calor.service.abandon import adopt_stack
from calor.service.preview import preview_stack
from calor.service.stacks import StackService
from calor.store.errors import StackNotFound
from calor.store.records import StackRecord

router = APIRouter(tags=["stacks"])

#: The sub-paths a lookup by name redirects to (Heat's ``stack_lookup_subpath``).
LOOKUP_PATHS = ("resources", "events", "template", "actions", "environment", "files")
#: Those a POST may be redirected to.
LOOKUP_POST_PATHS = ("resources", "events", "template", "actions")

_UUID = re.compile(r"[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}")
#: ``arn:openstack:heat::<project>:stacks/<name>/<id>[/<path>]``
_ARN = re.compile(r"openstack:heat::(?P<project>[^:]*):stacks/(?P<name>[^/]+)/(?P<id>[^/]+)"
                  r"(?P<path>/.*)?")

_FILTERS = ("id", "status", "name", "action")


# -- list ------------------------------------------------------------------


@router.get("/stacks", summary="List stacks", response_model=schemas.StackList)
async def index(
    request: Request, service: ProjectStacks, context: ProjectCaller,
    limit: Annotated[str | None, Query(description="At most this many stacks.")] = None,
    marker: Annotated[str | None, Query(description="Start after this stack (id).")] = None,
    sort_keys: Annotated[list[str] | None, Query(
        description="stack_name, stack_status, creation_time or updated_time.")] = None,
    sort_dir: Annotated[str | None, Query(description="asc or desc.")] = None,
    show_deleted: Annotated[str | None, Query()] = None,
    show_nested: Annotated[str | None, Query()] = None,
    show_hidden: Annotated[str | None, Query()] = None,
    tags: Annotated[str | None, Query(description="Stacks with all these tags.")] = None,
    tags_any: Annotated[str | None, Query(description="Stacks with any of these tags.")] = None,
    not_tags: Annotated[str | None, Query(
        description="Stacks without all of these tags.")] = None,
    not_tags_any: Annotated[str | None, Query(
        description="Stacks without any of these tags.")] = None,
    global_tenant: Annotated[str | None, Query(
        description="Admins: every project's stacks.")] = None,
    with_count: Annotated[str | None, Query()] = None,
    id: Annotated[list[str] | None, Query()] = None,
    name: Annotated[list[str] | None, Query()] = None,
    status: Annotated[list[str] | None, Query()] = None,
    action: Annotated[list[str] | None, Query()] = None,
) -> Response:
    everywhere = extract_bool("global_tenant", global_tenant)
    if everywhere and not context.is_admin:
        raise HeatFault(403, "Access was denied to this resource.")
    extract_bool("show_hidden", show_hidden)
    tag_filter = _tag_filter(tags=tags, tags_any=tags_any, not_tags=not_tags,
                             not_tags_any=not_tags_any)
    mode, wanted = tag_filter if tag_filter else ("all", [])
    filters = {key: value for key in _FILTERS if (value := mixed(request, key)) is not None}
    deleted = extract_bool("show_deleted", show_deleted)
    nested = extract_bool("show_nested", show_nested)

    async def listed(**paging: Any) -> list[StackRecord]:
        return await service.list_stacks(
            show_deleted=deleted, show_nested=nested, filters=filters, tags=wanted,
            tag_mode=mode, all_projects=everywhere, **paging,
        )

    stacks = await listed(limit=extract_limit(limit), marker=marker,
                          sort_keys=multi(request, "sort_keys"), sort_dir=sort_dir)
    base = api_base(request)
    known = descriptions(request)
    body: dict[str, Any] = {"stacks": [
        stack_summary(base, s, description=await known.of(service.store, s),
                      include_project=everywhere)
        for s in stacks
    ]}
    links = _next_links(request, body["stacks"])
    if links:
        body["links"] = links
    if extract_bool("with_count", with_count):
        body["count"] = len(await listed())
    return JSONResponse(body)


def _tag_filter(**given: str | None) -> tuple[str, list[str]] | None:
    """Heat takes one tag filter at a time here: (mode, tags) of the one given."""
    modes = {"tags": "all", "tags_any": "any", "not_tags": "not", "not_tags_any": "not-any"}
    for key, value in given.items():
        tags = extract_tags(value)
        if tags:
            return modes[key], tags
    return None


def _next_links(request: Request, items: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Heat's ``next`` link: when a page is as long as its limit, the next one's URL."""
    try:
        limit = int(request.query_params.get("limit") or 0)
    except ValueError:
        limit = 0
    if limit <= 0 or len(items) != limit:
        return []
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "marker"]
    params.append(("marker", items[-1]["id"]))
    url = f"{str(request.url).split('?', 1)[0]}?{urlencode(params)}"
    return [{"rel": "next", "href": url}]


@router.get("/stacks/detail", summary="List stacks with their details",
            response_model=schemas.StackDetailList)
async def detail(request: Request, service: ProjectStacks) -> Response:
    base = api_base(request)
    shown = [stack_detail(base, s, await service.show(s, resolve_outputs=False))
             for s in await service.list_stacks()]
    return JSONResponse({"stacks": shown})


# -- create and preview ----------------------------------------------------------


@router.post("/stacks", status_code=201, summary="Create a stack",
             response_model=schemas.StackCreated)
async def create(request: Request, service: ProjectStacks, body: StackCreateRequest) -> Response:
    name = _stack_name(body)
    _refuse_converge(body)
    inputs = await read_inputs(body)
    options = stack_options(body)
    if body.adopt_stack_data is not None:
        stack = await adopt_stack(
            service, name, body.adopt_stack_data, files=inputs.files,
            environment_files=inputs.environment_files, parameters=inputs.parameters,
            timeout_mins=options.timeout_mins,
            disable_rollback=True if options.disable_rollback is None
            else options.disable_rollback,
            tags=options.tags or (),
        )
    else:
        assert inputs.template is not None
        stack = await service.create_stack(
            name, inputs.template, text=inputs.text, files=inputs.files,
            environment=inputs.environment, environment_files=inputs.environment_files,
            parameters=inputs.parameters, timeout_mins=options.timeout_mins,
            disable_rollback=True if options.disable_rollback is None
            else options.disable_rollback,
            tags=options.tags or (),
        )
    href = stack_path(api_base(request), stack)
    return JSONResponse({"stack": {"id": stack.id, "links": [{"href": href, "rel": "self"}]}},
                        status_code=201, headers={"Location": href})


def _stack_name(body: StackCreateRequest) -> str:
    if body.stack_name is None:
        raise bad_request("No stack name specified")
    return body.stack_name


def _refuse_converge(body: StackCreateRequest) -> None:
    if "converge" in (body.model_extra or {}):
        raise bad_request("converge flag only supported in stack update (or update preview) "
                          "request.")


@router.post("/stacks/preview", summary="Preview a stack create",
             response_model=schemas.StackPreview)
async def preview(request: Request, service: ProjectStacks, body: StackCreateRequest) -> Response:
    name = _stack_name(body)
    _refuse_converge(body)
    inputs = await read_inputs(body)
    options = stack_options(body)
    if inputs.template is None:
        raise bad_request("No template specified")
    result = await preview_stack(
        service, name, inputs.template, text=inputs.text, files=inputs.files,
        environment=inputs.environment, environment_files=inputs.environment_files,
        parameters=inputs.parameters, timeout_mins=options.timeout_mins,
        disable_rollback=True if options.disable_rollback is None else options.disable_rollback,
        tags=options.tags or (),
    )
    result.setdefault("links", [])
    return JSONResponse({"stack": result})


# -- lookup ----------------------------------------------------------------


async def identify(service: StackService, name_or_id: str) -> StackRecord:
    """Heat's ``identify_stack``: by id (a deleted stack too), else a live stack by name."""
    if _UUID.fullmatch(name_or_id):
        try:
            return await service.store.stacks.get(
                name_or_id, project_id=service.project_id, show_deleted=True
            )
        except StackNotFound:
            pass
    found = await service.store.stacks.list(service.project_id, name=name_or_id)
    if not found:
        raise StackNotFound(name_or_id)
    return found[0]


def _redirect(request: Request, location: str) -> Response:
    query = urlencode(request.query_params.multi_items())
    if query:
        location = f"{location}?{query}"
    return Response(status_code=302, headers={"Location": location})


async def _lookup(request: Request, service: StackService, stack_name: str, path: str) -> Response:
    stack = await identify(service, stack_name)
    location = stack_path(api_base(request), stack)
    return _redirect(request, f"{location}/{path}" if path else location)


async def lookup_arn(request: Request, service: ProjectStacks, arn: str) -> Response:
    match = _ARN.fullmatch(arn)
    if match is None:
        raise StackNotFound(f"arn:{arn}")
    project, name, stack_id = match["project"], match["name"], match["id"]
    location = f"{api_base(request)}/{project}/stacks/{quote(name)}/{stack_id}"
    return _redirect(request, location + (match["path"] or ""))


async def lookup(request: Request, service: ProjectStacks, stack_name: str) -> Response:
    return await _lookup(request, service, stack_name, "")


# One route per method, so that each has its own OpenAPI operation.
for _method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
    router.add_api_route(
        "/stacks/arn:{arn:path}", lookup_arn, methods=[_method], status_code=302,
        name=f"lookup_arn_{_method.lower()}", summary="Look a stack up by its ARN",
        response_class=Response,
    )
    router.add_api_route(
        "/stacks/{stack_name}", lookup, methods=[_method], status_code=302,
        name=f"lookup_{_method.lower()}", summary="Look a stack up by name or id",
        response_class=Response,
    )


@router.post("/stacks/{stack_name}/{path}", status_code=302, response_class=Response,
             summary="Look a stack up by name, for a POST to a sub-path")
async def lookup_post(
    request: Request, service: ProjectStacks, stack_name: str, path: str
) -> Response:
    if path not in LOOKUP_POST_PATHS:
        raise HeatFault(405, "The method POST is not allowed for this resource.",
                        headers={"Allow": "GET,PUT,PATCH,DELETE"})
    return await _lookup(request, service, stack_name, path)


# -- one stack -------------------------------------------------------------


@router.get("/stacks/{stack_name}/{stack_id}", summary="Show a stack",
            response_model=schemas.StackShow,
            responses={302: {"description": "A name and sub-path: redirected to the stack."}})
async def show(
    request: Request, service: ProjectStacks, stack_name: str, stack_id: str,
    resolve_outputs: Annotated[str | None, Query(
        description="Resolve the outputs (true, the default, or false).")] = None,
) -> Response:
    if stack_id in LOOKUP_PATHS:
        return await _lookup(request, service, stack_name, stack_id)
    stack = await shown_stack(service, stack_name, stack_id)
    resolve = extract_bool("resolve_outputs", resolve_outputs, default=True)
    body = await service.show(stack, resolve_outputs=resolve)
    return JSONResponse({"stack": stack_detail(api_base(request), stack, body)})


@router.put("/stacks/{stack_name}/{stack_id}", status_code=202, summary="Update a stack",
            response_class=Response)
async def update(service: ProjectStacks, stack: IdentifiedStack,
                 body: StackUpdateRequest) -> Response:
    await _update(service, stack, body, patch=False)
    return _accepted()


@router.patch("/stacks/{stack_name}/{stack_id}", status_code=202, response_class=Response,
              summary="Update a stack, keeping what the request does not change")
async def update_patch(service: ProjectStacks, stack: IdentifiedStack,
                       body: StackUpdateRequest) -> Response:
    await _update(service, stack, body, patch=True)
    return _accepted()


def _accepted() -> Response:
    return JSONResponse(None, status_code=202)


async def _update(
    service: StackService, stack: StackRecord, body: StackUpdateRequest, *, patch: bool
) -> None:
    inputs = await read_inputs(body, patch=patch)
    options = stack_options(body)
    if patch:
        await service.update_stack(
            stack.id, inputs.template, text=inputs.text, files=inputs.files,
            parameters=inputs.parameters, existing=True,
            clear_parameters=body.clear_parameters or (), timeout_mins=options.timeout_mins,
            disable_rollback=options.disable_rollback, tags=options.tags,
            patch_environment=patch_environment(inputs),
        )
        return
    if inputs.template is None:
        raise bad_request("No template specified")
    await service.update_stack(
        stack.id, inputs.template, text=inputs.text, files=inputs.files,
        environment=environment_map(inputs.environment),
        environment_files=inputs.environment_files, parameters=inputs.parameters,
        timeout_mins=options.timeout_mins, disable_rollback=options.disable_rollback,
        tags=options.tags,
    )


@router.delete("/stacks/{stack_name}/{stack_id}", status_code=204, response_class=Response,
               summary="Delete a stack")
async def delete(service: ProjectStacks, stack: IdentifiedStack) -> Response:
    await service.delete_stack(stack.id)
    return Response(status_code=204)

