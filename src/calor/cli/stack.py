"""``calor stack create|update|list|show|delete``, and the listings of what a stack holds."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated, Any

import typer

from calor.cli.errors import reports_errors
from calor.cli.output import Format, emit_list, emit_one
from calor.cli.progress import follow_events, latest_event
from calor.cli.stack_common import (
    STACK_COLUMNS,
    DatabaseOption,
    EnvironmentOption,
    FormatOption,
    ParameterFileOption,
    ParameterOption,
    WaitOption,
    app,
    output_app,
    run,
    stack_row,
    time_text,
)
from calor.cli.stack_data import create_preview, update_preview
from calor.cli.template_files import load_stack_inputs
from calor.config import Limits
from calor.service.stacks import StackService
from calor.store.records import StackRecord


@app.command("create")
@reports_errors
def stack_create(
    name: Annotated[str, typer.Argument(help="Name of the stack to create.")],
    template: Annotated[str, typer.Option("-t", "--template", help="Path to the template.")],
    environment: EnvironmentOption = None,
    parameter: ParameterOption = None,
    parameter_file: ParameterFileOption = None,
    timeout: Annotated[
        int | None, typer.Option("--timeout", help="Stack creation timeout in minutes.")
    ] = None,
    enable_rollback: Annotated[
        bool, typer.Option("--enable-rollback", help="Roll back if the create fails.")
    ] = False,
    tags: Annotated[str | None, typer.Option("--tags", help="Comma-separated tags.")] = None,
    wait: WaitOption = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show what would be created; create nothing.")] = False,
    database_url: DatabaseOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Create a stack; with --wait, follow its events until it completes."""
    bundle, params = load_stack_inputs(
        template, environment, parameter, parameter_file,
        max_size=Limits.from_environment().max_template_size,
    )
    if dry_run:
        create_preview(database_url, name, bundle, params, timeout=timeout,
                       enable_rollback=enable_rollback,
                       tags=[t for t in (tags or "").split(",") if t], fmt=fmt)
        return

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

    stack = run(database_url, work)
    if stack is None:
        return
    emit_one(STACK_COLUMNS, stack_row(stack), fmt)
    if (stack.action, stack.status) != ("CREATE", "COMPLETE"):  # a rollback is a failure
        raise typer.Exit(code=1)


class Rollback(StrEnum):
    enabled = "enabled"
    disabled = "disabled"
    keep = "keep"


@app.command("update")
@reports_errors
def stack_update(
    stack: Annotated[str, typer.Argument(help="Name or id of the stack to update.")],
    template: Annotated[
        str | None, typer.Option("-t", "--template", help="Path to the template.")
    ] = None,
    environment: EnvironmentOption = None,
    parameter: ParameterOption = None,
    parameter_file: ParameterFileOption = None,
    existing: Annotated[bool, typer.Option(
        "--existing", help="Re-use the stack's template, parameters and environment; "
        "what is given patches over them.")] = False,
    clear_parameter: Annotated[list[str] | None, typer.Option(
        "--clear-parameter", help="With --existing: drop this parameter's value "
        "(repeatable).")] = None,
    timeout: Annotated[
        int | None, typer.Option("--timeout", help="Stack update timeout in minutes.")
    ] = None,
    rollback: Annotated[Rollback, typer.Option(
        "--rollback", help="Roll back on failure: enabled, disabled, or keep the stack's "
        "setting.", case_sensitive=False)] = Rollback.keep,
    tags: Annotated[str | None, typer.Option(
        "--tag", "--tags", help="Comma-separated tags (replace the stack's).")] = None,
    wait: WaitOption = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show what would be added, deleted, replaced, updated or kept; "
        "change nothing.")] = False,
    show_nested: Annotated[bool, typer.Option(
        "--show-nested", help="With --dry-run: the changes of nested stacks too.")] = False,
    database_url: DatabaseOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Update a stack to a new template (in place where possible, else replace)."""
    if template is None and not existing:
        raise typer.BadParameter("a template (-t) is needed unless --existing is given",
                                 param_hint="'-t' / '--template'")
    bundle, params = load_stack_inputs(
        template, environment, parameter, parameter_file,
        max_size=Limits.from_environment().max_template_size,
    )
    if dry_run:
        if template is None:
            raise typer.BadParameter("--dry-run needs a template (-t)",
                                     param_hint="'-t' / '--template'")
        update_preview(database_url, stack, bundle, params, show_nested=show_nested, fmt=fmt)
        return

    async def work(service: StackService) -> StackRecord | None:
        last = await latest_event(service, await service.find(stack))
        updating = await service.update_stack(
            stack, bundle.data if template is not None else None,
            text=bundle.text or None, filename=bundle.filename if template else None,
            files=bundle.files, environment_files=bundle.environment_files,
            parameters=params, existing=existing, clear_parameters=clear_parameter or (),
            timeout_mins=timeout,
            disable_rollback=None if rollback is Rollback.keep
            else rollback is Rollback.disabled,
            tags=None if tags is None else [t for t in tags.split(",") if t],
        )
        if wait:
            await follow_events(service, updating, after=last)
        return await service.wait(updating.id)

    found = run(database_url, work)
    if found is None:
        return
    emit_one(STACK_COLUMNS, stack_row(found), fmt)
    if (found.action, found.status) != ("UPDATE", "COMPLETE"):
        raise typer.Exit(code=1)


@app.command("cancel")
@reports_errors
def stack_cancel(
    stacks: Annotated[list[str], typer.Argument(help="Stacks whose update to cancel.")],
    no_rollback: Annotated[bool, typer.Option(
        "--no-rollback", help="Stop without rolling back (a create can be cancelled "
        "this way too).")] = False,
    wait: WaitOption = False,
    database_url: DatabaseOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Cancel a running update (rolling it back unless --no-rollback)."""

    async def work(service: StackService) -> list[StackRecord]:
        results = []
        for name in stacks:
            last = await latest_event(service, await service.find(name))
            cancelled = await service.cancel_update(name, rollback=not no_rollback)
            if wait:
                await follow_events(service, cancelled, after=last)
            # The rollback runs in this process: it has to finish before we exit.
            results.append(await service.wait(cancelled.id) or cancelled)
        return results

    found = run(database_url, work)
    emit_list(STACK_COLUMNS, [stack_row(s) for s in found], fmt)
    if not no_rollback and any(s.status != "COMPLETE" for s in found):
        raise typer.Exit(code=1)


@app.command("list")
@reports_errors
def stack_list(
    deleted: Annotated[bool, typer.Option("--deleted", help="Include deleted stacks.")] = False,
    nested: Annotated[bool, typer.Option("--nested", help="Include nested stacks.")] = False,
    prop: Annotated[list[str] | None, typer.Option(
        "--property", help="Filter key=value: name, status, action or id (repeatable).")] = None,
    tags: Annotated[str | None, typer.Option(
        "--tags", help="Comma-separated tags to match.")] = None,
    tag_mode: Annotated[str, typer.Option(
        "--tag-mode", help="How --tags match: all, any, not, not-any.")] = "all",
    limit: Annotated[int | None, typer.Option("--limit", help="At most this many.")] = None,
    marker: Annotated[str | None, typer.Option(
        "--marker", help="Start after this stack (name or id).")] = None,
    sort: Annotated[str | None, typer.Option(
        "--sort", help="key[:asc|desc]: stack_name, stack_status, creation_time, "
        "updated_time.")] = None,
    long: Annotated[bool, typer.Option("--long", help="More columns.")] = False,
    database_url: DatabaseOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List stacks, as ``openstack stack list`` does."""
    filters: dict[str, str] = {}
    for item in prop or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise typer.BadParameter(f"{item!r} is not key=value", param_hint="'--property'")
        filters[key] = value
    sort_keys, sort_dir = [], None
    if sort:
        key, _, direction = sort.partition(":")
        sort_keys, sort_dir = [key], direction or None

    stacks = run(database_url, lambda s: s.list_stacks(
        show_deleted=deleted, show_nested=nested, filters=filters,
        tags=[t for t in (tags or "").split(",") if t], tag_mode=tag_mode, limit=limit,
        marker=marker, sort_keys=sort_keys, sort_dir=sort_dir,
    ))
    columns = list(STACK_COLUMNS)
    rows = [stack_row(s) for s in stacks]
    if nested or long:
        columns.append("Parent")
        rows = [[*row, s.owner_id] for row, s in zip(rows, stacks, strict=True)]
    if deleted:
        columns.append("Deletion Time")
        rows = [[*row, time_text(s.deleted_at)] for row, s in zip(rows, stacks, strict=True)]
    emit_list(columns, rows, fmt)


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

    body = run(database_url, work)
    emit_one(list(body), list(body.values()), fmt)


@app.command("delete")
@reports_errors
def stack_delete(
    stacks: Annotated[list[str], typer.Argument(help="Stack names or ids.")],
    yes: Annotated[bool, typer.Option("-y", "--yes", help="Do not ask for confirmation.")] = False,
    wait: WaitOption = False,
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

    failed = [r for r in run(database_url, work) if r is not None]
    for stack in failed:
        print(f"ERROR: Stack {stack.name} is {stack.action}_{stack.status}: "
              f"{stack.status_reason}", file=sys.stderr)
    if failed:
        raise typer.Exit(code=1)


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

    outputs = run(database_url, work)
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

    found = [o for o in run(database_url, work) if o["output_key"] == output]
    if not found:
        print(f"ERROR: Output {output} not found.", file=sys.stderr)
        raise typer.Exit(code=1)
    emit_one(list(found[0]), list(found[0].values()), fmt)


# The other verb groups add their commands to the groups of stack_common.
from calor.cli import (  # noqa: E402
    stack_actions,
    stack_data,
    stack_hooks,
    stack_listing,
    stack_resource,
)

__all__ = ["app", "stack_actions", "stack_data", "stack_hooks", "stack_listing",
           "stack_resource"]
