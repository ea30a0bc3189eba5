"""``/validate``, ``/template_versions`` and their ``functions``: the template language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from calor.api.errors import HeatFault
from calor.api.orchestration import schemas
from calor.api.orchestration.inputs import TemplateRequest, read_inputs
from calor.api.orchestration.params import extract_bool
from calor.api.orchestration.stack_data import environment_map
from calor.service.templates import (
    TemplateValidationFailed,
    api_error_type,
    list_template_functions,
    list_template_versions,
    validate_template,
)

router = APIRouter(tags=["templates"])


@router.post("/validate", summary="Validate a template", response_model=dict)
async def validate(
    body: TemplateRequest,
    show_nested: Annotated[str | None, Query(
        description="Also give the parameters of nested templates.")] = None,
    ignore_errors: Annotated[str | None, Query(
        description="Accepted for Heat's clients; Calor reports every error.")] = None,
) -> Response:
    inputs = await read_inputs(body)
    nested = extract_bool("show_nested", show_nested)
    assert inputs.template is not None
    try:
        result = validate_template(
            inputs.template, text=inputs.text, files=inputs.files,
            environment=environment_map(inputs.environment),
            environment_files=inputs.environment_files, parameters=inputs.parameters,
            show_nested=nested,
        )
    except TemplateValidationFailed as exc:
        # Heat's validate answers a plain 400 for most problems (see api_error_type).
        first = exc.errors[0] if exc.errors else None
        if first is None:
            raise HeatFault(400, str(exc)) from None
        raise HeatFault(400, str(first), error_type=api_error_type(first)) from None
    return JSONResponse(result)


@router.get("/template_versions", summary="The template versions Calor accepts",
            response_model=schemas.TemplateVersions)
async def versions() -> Response:
    return JSONResponse({"template_versions": list_template_versions()})


@router.get("/template_versions/{template_version}/functions",
            summary="The functions of a template version",
            response_model=schemas.TemplateFunctions)
async def functions(
    template_version: str,
    with_condition_func: Annotated[str | None, Query(
        description="Also list the condition functions.")] = None,
) -> Response:
    with_conditions = extract_bool("with_condition_func", with_condition_func)
    return JSONResponse({"template_functions": list_template_functions(
        template_version, with_conditions)})
