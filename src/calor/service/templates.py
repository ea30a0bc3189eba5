"""Template operations of the orchestration service: validate, versions, functions, types.

These mirror Heat's engine RPC calls of the same names, so the CLI (in
process) and the REST API (later) answer with the same bodies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from calor.config import Limits
from calor.resources import default_registry
from calor.resources.registry import ResourceTypeRegistry
from calor.template import _gc
from calor.template.constraints import CustomConstraintChecker, LocalConstraints
from calor.template.environment import Environment, stack_environment
from calor.template.errors import TemplateError
from calor.template.stack_definition import StackDefinition
from calor.template.template import Template
from calor.template.validation import Validation, validate, validate_body
from calor.template.versions import ALL_VERSIONS, by_name


class TemplateValidationFailed(Exception):
    """Every problem found in a template; ``errors[0]`` is the one Heat would report."""

    def __init__(self, errors: Sequence[TemplateError]) -> None:
        self.errors = list(errors)
        super().__init__(str(self.errors[0]) if self.errors else "validation failed")

    @property
    def error_type(self) -> str:
        return self.errors[0].error_type if self.errors else "StackValidationFailed"


def api_error_type(error: TemplateError) -> str:
    """The error type Heat's validate API reports for ``error``.

    Heat's validate call turns every StackValidationFailed, and any problem
    with the template's top-level sections, into a plain HTTPBadRequest;
    other errors keep their own names.
    """
    if error.error_type in ("StackValidationFailed", "InvalidTemplateSection"):
        return "HTTPBadRequest"
    return error.error_type


class NotFound(Exception):
    """A named version or resource type does not exist."""


def build_environment(
    environment: Mapping[str, Any] | str | None,
    environment_files: Sequence[str] | None,
    files: Mapping[str, str],
    parameters: Mapping[str, Any] | None,
    param_types: Mapping[str, str] | None = None,
) -> Environment:
    """The environment a stack gets, assembled in Heat's order.

    Body ``parameters`` go on top of the body ``environment`` (which is
    ignored when ``environment_files`` are given); the environment files are
    merged last, in order, so (as in Heat) a value in an environment file wins
    over one given as a parameter.
    """
    return stack_environment(
        environment,
        parameters,
        environment_files=list(environment_files or ()),
        files=files,
        param_types=param_types,
    )


def _param_types(template: Template) -> dict[str, str]:
    types = {}
    for name, body in template.parameters.items():
        if isinstance(body, Mapping):
            declared = body.get("type", body.get("Type"))
            if isinstance(declared, str):
                types[str(name)] = declared.lower()
    return types


def check_template(
    template: Mapping[str, Any],
    *,
    text: str | None = None,
    filename: str | None = None,
    files: Mapping[str, str] | None = None,
    environment: Mapping[str, Any] | str | None = None,
    environment_files: Sequence[str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    registry: ResourceTypeRegistry | None = None,
    strict: bool = False,
    max_resources: int | None = None,
    max_depth: int | None = None,
    checker: CustomConstraintChecker | None = None,
) -> Validation:
    """Validate a template with its files and environment; raise on any problem.

    The limits default to the configured ones (:mod:`calor.config`).
    ``checker`` performs custom constraints (default: the local ones only).
    """
    limits = Limits.from_environment()
    files = dict(files or {})
    registry = registry or default_registry()
    try:
        with _gc.paused():
            tmpl = Template(template, files=files, filename=filename, text=text)
            env = build_environment(
                environment, environment_files, files, parameters, _param_types(tmpl)
            )
            checker = checker if checker is not None else LocalConstraints()
            definition = StackDefinition(tmpl, env, checker=checker)
            result = validate(
                definition, registry, strict=strict, checker=checker,
                max_resources=limits.max_resources_per_stack
                if max_resources is None else max_resources,
                max_depth=limits.max_nested_stack_depth if max_depth is None else max_depth,
            )
    except TemplateError as exc:
        raise TemplateValidationFailed(getattr(exc, "errors", None) or [exc]) from None
    if result.errors:
        raise TemplateValidationFailed(result.errors)
    return result


def validate_template(
    template: Mapping[str, Any],
    *,
    show_nested: bool = False,
    **kwargs: Any,
) -> dict[str, Any]:
    """Heat's ``validate_template``: the validate body, or TemplateValidationFailed."""
    result = check_template(template, **kwargs)
    return validate_body(result, show_nested=show_nested)


def list_template_versions() -> list[dict[str, Any]]:
    """Heat's ``GET /template_versions`` items: version, type and aliases."""
    ordered = sorted(ALL_VERSIONS, key=lambda v: v.name)
    return [
        {
            "version": v.name,
            "type": v.format,
            "aliases": [f"{v.key}.{alias}" for alias in v.aliases],
        }
        for v in ordered
    ]


def list_template_functions(
    version: str, with_condition_func: bool = False
) -> list[dict[str, str]]:
    """Heat's ``GET /template_versions/{v}/functions`` items."""
    try:
        found = by_name(version)
    except TemplateError:
        raise NotFound(f"Template with version {version} not found") from None
    table = dict(found.live_functions())
    if with_condition_func:
        # Listed, never merged into the version's own table (Heat's quirk).
        table.update(found.condition_functions)
    return [
        {"functions": name, "description": _first_line(cls)} for name, cls in table.items()
    ]


def _first_line(cls: type) -> str:
    doc = (cls.__doc__ or "").strip()
    return doc.splitlines()[0].strip() if doc else ""


def list_resource_types(
    *,
    name: str | None = None,
    version: str | None = None,
    support_status: str | None = None,
    with_description: bool = False,
    registry: ResourceTypeRegistry | None = None,
) -> list[Any]:
    """Heat's ``GET /resource_types``: names, or ``{resource_type, description}`` maps."""
    registry = registry or default_registry()
    names = registry.list_types(name_filter=name, version=version, support_status=support_status)
    if not with_description:
        return names
    out = []
    for type_name in names:
        schema = registry.get(type_name)
        out.append(
            {"resource_type": type_name, "description": schema.description if schema else ""}
        )
    return out


def resource_schema(
    type_name: str, *, with_description: bool = False, registry: ResourceTypeRegistry | None = None
) -> dict[str, Any]:
    """Heat's ``GET /resource_types/{type}``."""
    registry = registry or default_registry()
    schema = registry.get(type_name)
    if schema is None:
        raise NotFound(f"The Resource Type ({type_name}) could not be found.")
    body = schema.to_dict()
    if not with_description:
        body.pop("description", None)
    return body


def generate_template(
    type_name: str, template_type: str = "cfn", *, registry: ResourceTypeRegistry | None = None
) -> dict[str, Any]:
    """Heat's ``GET /resource_types/{type}/template``."""
    registry = registry or default_registry()
    schema = registry.get(type_name)
    if schema is None:
        raise NotFound(f"The Resource Type ({type_name}) could not be found.")
    return schema.generate_template(template_type)
