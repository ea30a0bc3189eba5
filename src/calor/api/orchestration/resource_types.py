"""``/resource_types``: the types Calor knows (filtered), one type's schema, a template of it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse

from calor.api.auth import MemberCaller
from calor.api.errors import HeatFault
from calor.api.orchestration import schemas
from calor.api.orchestration.params import extract_bool
from calor.service.templates import (
    NotFound,
    generate_template,
    list_resource_types,
    resource_schema,
)

router = APIRouter(tags=["resource types"])


@router.get("/resource_types", summary="List resource types",
            response_model=schemas.ResourceTypes)
async def index(
    name: Annotated[str | None, Query(description="A regular expression the name matches.")]
    = None,
    version: Annotated[str | None, Query(description="Types supported since this version.")]
    = None,
    support_status: Annotated[str | None, Query(
        description="SUPPORTED, DEPRECATED, UNSUPPORTED or HIDDEN.")] = None,
    with_description: Annotated[str | None, Query()] = None,
) -> Response:
    described = extract_bool("with_description", with_description)
    try:
        types = list_resource_types(name=name, version=version, support_status=support_status,
                                    with_description=described)
    except ValueError as exc:  # an unknown support status: Heat's Invalid
        raise HeatFault(400, f"Data supplied was not valid: {exc}", error_type="Invalid") from None
    return JSONResponse({"resource_types": types})


@router.get("/resource_types/{type_name}", summary="A resource type's schema",
            response_model=dict[str, Any])
async def show(
    type_name: str, with_description: Annotated[str | None, Query()] = None,
) -> Response:
    described = extract_bool("with_description", with_description)
    try:
        return JSONResponse(resource_schema(type_name, with_description=described))
    except NotFound as exc:
        raise HeatFault(404, str(exc), error_type="EntityNotFound") from None


@router.get("/resource_types/{type_name}/template", summary="A template using the type",
            response_model=dict[str, Any])
async def template(
    type_name: str, _: MemberCaller,
    template_type: Annotated[str | None, Query(description="cfn (the default) or hot.")]
    = None,
) -> Response:
    kind = (template_type or "cfn").lower()
    if kind not in ("cfn", "hot"):
        raise HeatFault(400, f'Template type is not supported: Invalid template type '
                        f'"{template_type}", valid types are: cfn, hot.')
    try:
        return JSONResponse(generate_template(type_name, kind))
    except NotFound as exc:
        raise HeatFault(404, str(exc), error_type="EntityNotFound") from None
