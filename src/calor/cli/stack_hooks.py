"""``calor stack hook poll|clear``: resources paused on an environment hook, and letting them go.

The shapes are heatclient's: ``hook poll`` lists the events that paused
the resources still waiting (with a ``Stack Name`` column under
``--nested-depth``); ``hook clear`` prints nothing. The stack being created
or updated may run in another ``calor`` process: the hook lives in the store.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from calor.cli.errors import fail, reports_errors
from calor.cli.output import Format, emit_list
from calor.cli.stack_common import DatabaseOption, FormatOption, hook_app, run, time_text
from calor.service.hooks import HookError, PausedResource, hook_clear, hook_poll
from calor.service.stacks import StackService


@hook_app.command("poll")
@reports_errors
def stack_hook_poll(
    stack: Annotated[str, typer.Argument(help="Stack name or id.")],
    nested_depth: Annotated[
        int | None,
        typer.Option("--nested-depth", help="Depth of nested stacks from which to show hooks."),
    ] = None,
    database_url: DatabaseOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List the resources of a stack that wait on a hook."""

    async def work(service: StackService) -> list[PausedResource]:
        return await hook_poll(service, await service.find(stack), nested_depth or 0)

    try:
        paused = run(database_url, work)
    except HookError as exc:
        raise fail(f"ERROR: {exc}") from None
    columns = ["ID", "Resource Status Reason", "Resource Status", "Event Time"]
    if nested_depth:
        columns.append("Stack Name")
    if paused:
        # heatclient names the resource column only when there is a row.
        columns.insert(0, "Resource Name")
    rows: list[list[Any]] = []
    for item in paused:
        event = item.event
        row: list[Any] = [event.resource_name, event.id, event.resource_status_reason,
                          f"{event.resource_action}_{event.resource_status}",
                          time_text(event.created_at)]
        if nested_depth:
            row.append(item.stack_name)
        rows.append(row)
    emit_list(columns, rows, fmt)


@hook_app.command("clear")
@reports_errors
def stack_hook_clear(
    stack: Annotated[str, typer.Argument(help="Stack name or id.")],
    resources: Annotated[
        list[str],
        typer.Argument(help="Resources whose hooks to clear; nested/paths and globs work."),
    ],
    pre_create: Annotated[
        bool, typer.Option("--pre-create", help="Clear the pre-create hooks.")
    ] = False,
    pre_update: Annotated[
        bool, typer.Option("--pre-update", help="Clear the pre-update hooks.")
    ] = False,
    pre_delete: Annotated[
        bool, typer.Option("--pre-delete", help="Clear the pre-delete hooks.")
    ] = False,
    database_url: DatabaseOption = None,
) -> None:
    """Clear hooks on resources of a stack (the hook of the stack's action by default)."""

    async def work(service: StackService) -> list[str]:
        return await hook_clear(service, await service.find(stack), resources,
                                pre_create=pre_create, pre_update=pre_update,
                                pre_delete=pre_delete)

    try:
        run(database_url, work)
    except HookError as exc:
        raise fail(f"ERROR: {exc}") from None
