"""What a stack keeps and gives away: its template, environment and files; abandon, export;
and the previews of an update (PUT and PATCH ``.../preview``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from calor.api.auth import MemberCaller
from calor.api.orchestration import schemas
from calor.api.orchestration.inputs import StackInputs, StackUpdateRequest, read_inputs
from calor.api.orchestration.params import bad_request, extract_bool
from calor.api.orchestration.scope import IdentifiedStack, ProjectStacks, ShownStack
from calor.service.abandon import abandon_stack, environment_of, export_stack, template_of
from calor.service.preview import preview_update_stack
from calor.service.stacks import StackService
from calor.store.records import StackRecord
from calor.template.environment import PARAMETERS, Environment, merge_environments
from calor.template.loader import parse_yaml_or_json

router = APIRouter(tags=["stacks"])

_STACK = "/stacks/{stack_name}/{stack_id}"


@router.get(f"{_STACK}/template", summary="The stack's template",
            response_model=dict[str, Any])
async def template(service: ProjectStacks, stack: ShownStack) -> Response:
    return JSONResponse(await template_of(service, stack))


@router.get(f"{_STACK}/environment", summary="The stack's environment (hidden values masked)",
            response_model=dict[str, Any])
async def environment(service: ProjectStacks, stack: ShownStack) -> Response:
    return JSONResponse(await environment_of(service, stack))


@router.get(f"{_STACK}/files", summary="The files the stack's template uses",
            response_model=dict[str, str])
async def files(service: ProjectStacks, stack: ShownStack) -> Response:
    raw = await service.store.templates.get(stack.raw_template_id)
    return JSONResponse(dict(raw.files))


@router.delete(f"{_STACK}/abandon", summary="Forget the stack, keep its resources; its data",
               response_model=dict[str, Any])
async def abandon(service: ProjectStacks, stack: IdentifiedStack) -> Response:
    return JSONResponse(await abandon_stack(service, stack.id))


@router.get(f"{_STACK}/export", summary="The stack's abandon data, the stack left as it is",
            response_model=dict[str, Any])
async def export(service: ProjectStacks, stack: IdentifiedStack, _: MemberCaller) -> Response:
    return JSONResponse(await export_stack(service, stack.id))


ShowNested = Annotated[str | None, Query(description="Also list nested stacks' changes.")]


@router.put(f"{_STACK}/preview", summary="Preview an update",
            response_model=schemas.ResourceChanges)
async def preview_update(
    service: ProjectStacks, stack: IdentifiedStack, body: StackUpdateRequest,
    show_nested: ShowNested = None,
) -> Response:
    inputs = await read_inputs(body)
    if inputs.template is None:
        raise bad_request("No template specified")
    changes = await preview_update_stack(
        service, stack.id, inputs.template, text=inputs.text, files=inputs.files,
        environment=environment_map(inputs.environment),
        environment_files=inputs.environment_files, parameters=inputs.parameters,
        show_nested=extract_bool("show_nested", show_nested),
    )
    return JSONResponse(changes)


@router.patch(f"{_STACK}/preview", summary="Preview a PATCH update",
              response_model=schemas.ResourceChanges)
async def preview_update_patch(
    service: ProjectStacks, stack: IdentifiedStack, body: StackUpdateRequest,
    show_nested: ShowNested = None,
) -> Response:
    inputs = await read_inputs(body, patch=True)
    template, files, env = await _patched(service, stack, inputs, body.clear_parameters or ())
    changes = await preview_update_stack(
        service, stack.id, template, text=inputs.text if inputs.template else None,
        files=files, environment=env, parameters=inputs.parameters,
        show_nested=extract_bool("show_nested", show_nested),
    )
    return JSONResponse(changes)


async def _patched(
    service: StackService, stack: StackRecord, inputs: StackInputs, clear: list[str] | tuple[()]
) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    """A PATCH's template, files and environment: the stored ones with the request's on top."""
    raw = await service.store.templates.get(stack.raw_template_id)
    template = inputs.template if inputs.template is not None else dict(raw.template)
    env = dict(raw.environment)
    env[PARAMETERS] = {k: v for k, v in dict(env.get(PARAMETERS) or {}).items()
                       if k not in set(clear)}
    patch = patch_environment(inputs)
    if patch:
        env = merge_environments([("environment", patch)], Environment.parse(env)).to_dict(
            include_encrypted_param_names=True)
    return template, {**raw.files, **inputs.files}, env


def environment_map(environment: dict[str, Any] | str | None) -> dict[str, Any] | None:
    """The request's environment as a map (text is read as YAML)."""
    if environment is None or isinstance(environment, dict):
        return environment
    parsed = parse_yaml_or_json(environment, what="environment")
    if not isinstance(parsed, dict):
        raise bad_request("Environment not in valid format: it is not a map")
    return parsed


def patch_environment(inputs: StackInputs) -> dict[str, Any] | None:
    """A PATCH's own environment: the body's, or its environment files merged in order.

    It is loaded on top of the stored environment.
    """
    if inputs.environment_files:
        sources: list[tuple[str, Any]] = []
        for name in inputs.environment_files:
            if name not in inputs.files:
                raise bad_request(f'environment file "{name}" is not in files')
            sources.append((name, inputs.files[name]))
        return merge_environments(sources).to_dict()
    return environment_map(inputs.environment)
