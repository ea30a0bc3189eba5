"""``calor stack ...``: stacks in the embedded engine, in ``openstack stack``'s shapes."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import typer

from calor.cli.errors import reports_errors
from calor.cli.output import Format, emit_list, emit_one
from calor.cli.progress import follow_events, latest_event
from calor.cli.template_files import load_stack_inputs
from calor.config import Limits
from calor.service.embedded import Embedded
from calor.service.stacks import StackService
from calor.store.records import StackRecord

app = typer.Typer(help="Stacks: create, list, show, delete, and what they hold.",
                  no_args_is_help=True)
resource_app = typer.Typer(help="Resources of a stack.", no_args_is_help=True)
event_app = typer.Typer(help="Events of a stack.", no_args_is_help=True)
output_app = typer.Typer(help="Outputs of a stack.", no_args_is_help=True)
app.add_typer(resource_app, name="resource")
app.add_typer(event_app, name="event")
app.add_typer(output_app, name="output")

T = TypeVar("T")

FormatOption = Annotated[
    Format, typer.Option("-f", "--format", help="Output format.", case_sensitive=False)
]
DatabaseOption = Annotated[
    str | None,
    typer.Option("--database-url", envvar="CALOR_DATABASE_URL",
                 help="Database URL (default: SQLite in CALOR_HOME)."),
]


def _run(database_url: str | None, work: Callable[[StackService], Awaitable[T]]) -> T:
    async def main() -> T:
        async with Embedded(database_url) as service:
            return await work(service)

    return asyncio.run(main())


def _stack_row(stack: StackRecord) -> list[Any]:
    return [stack.id, stack.name, f"{stack.action}_{stack.status}",
            stack.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            stack.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ") if stack.updated_at else None]


STACK_COLUMNS = ["ID", "Stack Name", "Stack Status", "Creation Time", "Updated Time"]


@app.command("create")
@reports_errors
def stack_create(
    name: Annotated[str, typer.Argument(help="Name of the stack to create.")],
    template: Annotated[str, typer.Option("-t", "--template", help="Path to the template.")],
    environment: Annotated[
        list[str] | None, typer.Option("-e", "--environment", help="Environment file.")
    ] = None,
    parameter: Annotated[
        list[str] | None, typer.Option("--parameter", help="key=value (repeatable).")
    ] = None,
    parameter_file: Annotated[
        list[str] | None, typer.Option("--parameter-file", help="key=path.")
    ] = None,
    timeout: Annotated[
        int | None, typer.Option("--timeout", help="Stack creation timeout in minutes.")
    ] = None,
    enable_rollback: Annotated[
        bool, typer.Option("--enable-rollback", help="Roll back if the create fails.")
    ] = False,
    tags: Annotated[str | None, typer.Option("--tags", help="Comma-separated tags.")] = None,
    wait: Annotated[bool, typer.Option("--wait", help="Wait, showing events.")] = False,
    database_url: DatabaseOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Create a stack; with --wait, follow its events until it completes."""
    bundle, params = load_stack_inputs(
        template, environment, parameter, parameter_file,
        max_size=Limits.from_environment().max_template_size,
    )

    async def work(service: StackService) -> StackRecord | None:
        stack = await service.create_stack(
            name, bundle.data, text=bundle.text, filename=bundle.filename, files=bundle.files,
            environment_files=bundle.environment_files, parameters=params,
            timeout_mins=timeout, disable_rollback=not enable_rollback,
            tags=[t for t in (tags or "").split(",") if t],
        )
        if wait:
            await follow_events(service, stack)
        # Embedded mode runs the work here either way: wait for it to end.
        return await service.wait(stack.id)

    stack = _run(database_url, work)
    if stack is None:
        return
    emit_one(STACK_COLUMNS, _stack_row(stack), fmt)
    if stack.status != "COMPLETE":
        raise typer.Exit(code=1)


@app.command("update")
@reports_errors
def stack_update(
    stack: Annotated[str, typer.Argument(help="Name or id of the stack to update.")],
    template: Annotated[str, typer.Option("-t", "--template", help="Path to the template.")],
    environment: Annotated[
        list[str] | None, typer.Option("-e", "--environment", help="Environment file.")
    ] = None,
    parameter: Annotated[
        list[str] | None, typer.Option("--parameter", help="key=value (repeatable).")
    ] = None,
    parameter_file: Annotated[
        list[str] | None, typer.Option("--parameter-file", help="key=path.")
    ] = None,
    wait: Annotated[bool, typer.Option("--wait", help="Wait, showing events.")] = False,
    database_url: DatabaseOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Update a stack to a new template (in place where possible, else replace)."""
    bundle, params = load_stack_inputs(
        template, environment, parameter, parameter_file,
        max_size=Limits.from_environment().max_template_size,
    )

    async def work(service: StackService) -> StackRecord | None:
        last = await latest_event(service, await service.find(stack))
        updating = await service.update_stack(
            stack, bundle.data, text=bundle.text, filename=bundle.filename, files=bundle.files,
            environment_files=bundle.environment_files, parameters=params,
        )
        if wait:
            await follow_events(service, updating, after=last)
        return await service.wait(updating.id)

    found = _run(database_url, work)
    if found is None:
        return
    emit_one(STACK_COLUMNS, _stack_row(found), fmt)
    if found.status != "COMPLETE":
        raise typer.Exit(code=1)


@app.command("list")
@reports_errors
def stack_list(database_url: DatabaseOption = None, fmt: FormatOption = Format.table) -> None:
    """List stacks."""
    stacks = _run(database_url, lambda s: s.list_stacks())
    emit_list(STACK_COLUMNS, [_stack_row(s) for s in stacks], fmt)


@app.command("show")
@reports_errors
def stack_show(
    stack: Annotated[str, typer.Argument(help="Stack name or id.")],
    database_url: DatabaseOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Show a stack, with its parameters and outputs, as Heat's API does."""

    async def work(service: StackService) -> dict[str, Any]:
        return await service.show(await service.find(stack))

    body = _run(database_url, work)
    emit_one(list(body), list(body.values()), fmt)


@app.command("delete")
@reports_errors
def stack_delete(
    stacks: Annotated[list[str], typer.Argument(help="Stack names or ids.")],
    yes: Annotated[bool, typer.Option("-y", "--yes", help="Do not ask for confirmation.")] = False,
    wait: Annotated[bool, typer.Option("--wait", help="Wait, showing events.")] = False,
    database_url: DatabaseOption = None,
) -> None:
    """Delete stacks (every resource, in reverse dependency order)."""
    if not yes and sys.stdin.isatty():
        answer = input(f"Are you sure you want to delete this stack(s) {', '.join(stacks)} [y/N]? ")
        if answer.strip().lower() not in ("y", "yes"):
            raise typer.Exit(code=1)

    async def work(service: StackService) -> list[StackRecord | None]:
        results = []
        for name in stacks:
            last = await latest_event(service, await service.find(name))
            stack = await service.delete_stack(name)
            if wait:
                await follow_events(service, stack, after=last)
            results.append(await service.wait(stack.id))
        return results

    failed = [r for r in _run(database_url, work) if r is not None]
    for stack in failed:
        print(f"ERROR: Stack {stack.name} is {stack.action}_{stack.status}: "
              f"{stack.status_reason}", file=sys.stderr)
    if failed:
        raise typer.Exit(code=1)


failures_app = typer.Typer(help="Failed resources of a stack.", no_args_is_help=True)
app.add_typer(failures_app, name="failures")


@failures_app.command("list")
@reports_errors
def failures_list(
    stack: Annotated[str, typer.Argument(help="Stack name or id.")],
    long: Annotated[bool, typer.Option("--long", help="Show the full reasons.")] = False,
    database_url: DatabaseOption = None,
) -> None:
    """Show every failed resource of a stack with its reason."""

    async def work(service: StackService) -> list[Any]:
        found = await service.find(stack)
        return [r for r in await service.resources(found) if r.status == "FAILED"]

    for row in _run(database_url, work):
        reason = row.status_reason if long else row.status_reason.splitlines()[0][:200]
        print(f"{stack}.{row.name}:\n  resource_type: {row.type}\n"
              f"  physical_resource_id: {row.physical_resource_id}\n"
              f"  status: {row.action}_{row.status}\n  status_reason: |\n    {reason}")


@resource_app.command("list")
@reports_errors
def resource_list(
    stack: Annotated[str, typer.Argument(help="Stack name or id.")],
    database_url: DatabaseOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List a stack's resources."""

    async def work(service: StackService) -> list[list[Any]]:
        found = await service.find(stack)
        return [
            [r.name, r.physical_resource_id, r.type, f"{r.action}_{r.status}",
             (r.updated_at or r.created_at).strftime("%Y-%m-%dT%H:%M:%SZ")]
            for r in await service.resources(found)
        ]

    emit_list(["resource_name", "physical_resource_id", "resource_type", "resource_status",
               "updated_time"], _run(database_url, work), fmt)


@event_app.command("list")
@reports_errors
def event_list(
    stack: Annotated[str, typer.Argument(help="Stack name or id.")],
    database_url: DatabaseOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List a stack's events, oldest first."""

    async def work(service: StackService) -> list[list[Any]]:
        found = await service.find(stack)
        return [
            [e.id, e.resource_name, f"{e.resource_action}_{e.resource_status}",
             e.resource_status_reason, e.created_at.strftime("%Y-%m-%dT%H:%M:%SZ")]
            for e in await service.events(found)
        ]

    emit_list(["id", "resource_name", "resource_status", "resource_status_reason",
               "event_time"], _run(database_url, work), fmt)


@output_app.command("list")
@reports_errors
def output_list(
    stack: Annotated[str, typer.Argument(help="Stack name or id.")],
    database_url: DatabaseOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List a stack's outputs."""

    async def work(service: StackService) -> list[dict[str, Any]]:
        return await service.outputs(await service.find(stack))

    outputs = _run(database_url, work)
    emit_list(["output_key", "description"],
              [[o["output_key"], o["description"]] for o in outputs], fmt)


@output_app.command("show")
@reports_errors
def output_show(
    stack: Annotated[str, typer.Argument(help="Stack name or id.")],
    output: Annotated[str, typer.Argument(help="Output key.")],
    database_url: DatabaseOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Show one output's value (or its error)."""

    async def work(service: StackService) -> list[dict[str, Any]]:
        return await service.outputs(await service.find(stack))

    found = [o for o in _run(database_url, work) if o["output_key"] == output]
    if not found:
        print(f"ERROR: Output {output} not found.", file=sys.stderr)
        raise typer.Exit(code=1)
    emit_one(list(found[0]), list(found[0].values()), fmt)
