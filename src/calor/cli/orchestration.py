"""``calor orchestration ...``: templates and resource types, as in ``openstack orchestration``."""

from __future__ import annotations

from typing import Annotated

import typer

from calor.cli.arguments import ArgumentError, format_filters
from calor.cli.errors import reports_errors
from calor.cli.output import Format, emit_list, emit_one
from calor.cli.template_files import load_stack_inputs
from calor.config import Limits
from calor.service import templates as service

app = typer.Typer(help="Templates and resource types.", no_args_is_help=True)
template_app = typer.Typer(help="Validate templates; list versions and functions.",
                           no_args_is_help=True)
version_app = typer.Typer(help="Template versions.", no_args_is_help=True)
function_app = typer.Typer(help="Template functions.", no_args_is_help=True)
resource_app = typer.Typer(help="Resource types.", no_args_is_help=True)
type_app = typer.Typer(help="Resource types.", no_args_is_help=True)

app.add_typer(template_app, name="template")
template_app.add_typer(version_app, name="version")
template_app.add_typer(function_app, name="function")
app.add_typer(resource_app, name="resource")
resource_app.add_typer(type_app, name="type")

FormatOption = Annotated[
    Format, typer.Option("-f", "--format", help="Output format.", case_sensitive=False)
]


@template_app.command("validate")
@reports_errors
def template_validate(
    template: Annotated[str, typer.Option("-t", "--template", help="Path to the template.")],
    environment: Annotated[
        list[str] | None,
        typer.Option("-e", "--environment", help="Path to an environment (repeatable)."),
    ] = None,
    parameter: Annotated[
        list[str] | None,
        typer.Option("--parameter", help="Parameter value, key=value (repeatable)."),
    ] = None,
    parameter_file: Annotated[
        list[str] | None,
        typer.Option("--parameter-file", help="Parameter value from a file, key=path."),
    ] = None,
    show_nested: Annotated[
        bool, typer.Option("--show-nested", help="Include parameters of nested templates.")
    ] = False,
    fmt: FormatOption = Format.yaml,
) -> None:
    """Validate a template; print Heat's validate answer."""
    bundle, params = load_stack_inputs(
        template, environment, parameter, parameter_file,
        max_size=Limits.from_environment().max_template_size,
    )
    body = service.validate_template(
        bundle.data,
        text=bundle.text,
        filename=bundle.filename,
        files=bundle.files,
        environment_files=bundle.environment_files,
        parameters=params,
        show_nested=show_nested,
    )
    emit_one(list(body), list(body.values()), fmt)


@version_app.command("list")
@reports_errors
def template_version_list(fmt: FormatOption = Format.table) -> None:
    """List the template versions Calor accepts."""
    rows = [
        [v["version"], v["type"], ",".join(v["aliases"])] for v in service.list_template_versions()
    ]
    if fmt in (Format.json, Format.yaml):
        emit_list(["Version", "Type", "Aliases"],
                  [[v["version"], v["type"], v["aliases"]]
                   for v in service.list_template_versions()], fmt)
        return
    emit_list(["Version", "Type", "Aliases"], rows, fmt)


@function_app.command("list")
@reports_errors
def template_function_list(
    template_version: Annotated[str, typer.Argument(help="Template version, e.g. "
                                                    "heat_template_version.2016-10-14.")],
    with_conditions: Annotated[
        bool,
        typer.Option("--with-conditions", "--with_conditions", "--with-condition-functions",
                     help="Also list the condition functions."),
    ] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """List the functions a template version offers."""
    functions = service.list_template_functions(template_version, with_conditions)
    emit_list(["Functions", "Description"],
              [[f["functions"], f["description"]] for f in functions], fmt)


@type_app.command("list")
@reports_errors
def resource_type_list(
    filter_: Annotated[
        list[str] | None,
        typer.Option("--filter", help="name=<regex>, version=<v>, support_status=<s>."),
    ] = None,
    long: Annotated[bool, typer.Option("--long", help="Show descriptions too.")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """List the resource types Calor knows."""
    filters = format_filters(filter_)
    unknown = set(filters) - {"name", "version", "support_status"}
    if unknown:
        raise ArgumentError(f"Unknown filter(s): {', '.join(sorted(unknown))}")

    def last(key: str) -> str | None:
        values = filters.get(key)
        return values[-1] if values else None

    types = service.list_resource_types(
        name=last("name"),
        version=last("version"),
        support_status=last("support_status"),
        with_description=long,
    )
    if long:
        emit_list(["Resource Type", "Description"],
                  [[t["resource_type"], t["description"]] for t in types], fmt)
    else:
        emit_list(["Resource Type"], [[t] for t in types], fmt)


@type_app.command("show")
@reports_errors
def resource_type_show(
    resource_type: Annotated[str, typer.Argument(help="Resource type, e.g. OS::Heat::Value.")],
    template_type: Annotated[
        str | None,
        typer.Option("--template-type", help="Show a template using the type: hot or cfn."),
    ] = None,
    long: Annotated[bool, typer.Option("--long", help="Show descriptions too.")] = False,
    fmt: FormatOption = Format.yaml,
) -> None:
    """Show a resource type's schema, or a template that uses it."""
    if template_type is not None:
        kind = template_type.lower()
        if kind not in ("hot", "cfn"):
            raise ArgumentError(f"Template type is not supported: {template_type}")
        body = service.generate_template(resource_type, kind)
    else:
        body = service.resource_schema(resource_type, with_description=long)
    emit_one(list(body), list(body.values()), fmt)
