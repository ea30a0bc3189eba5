"""``calor stack resource list``, ``event list``, ``failures list``: what a stack holds.

With ``--nested-depth N`` the lists reach into nested stacks and gain a
``stack_name`` column, as osc's do; ``failures list`` always walks the
whole nested tree and names each failure by its path (``stack.group.0``).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from calor.cli.errors import reports_errors
from calor.cli.output import Format, emit_list
from calor.cli.stack_common import (
    DatabaseOption,
    FormatOption,
    event_app,
    failures_app,
    resource_app,
    run,
    time_text,
)
from calor.service.nested_listing import Failure, failures, nested_events, nested_resources
from calor.service.stacks import StackService

NestedDepthOption = Annotated[
    int | None,
    typer.Option("-n", "--nested-depth", help="Depth of nested stacks to show as well."),
]

#: osc keeps this many last lines of a reason unless ``--long`` is given.
_REASON_LINES = 10


@failures_app.command("list")
@reports_errors
def failures_list(
    stack: Annotated[str, typer.Argument(help="Stack name or id.")],
    long: Annotated[bool, typer.Option("--long", help="Show the full reasons.")] = False,
    database_url: DatabaseOption = None,
) -> None:
    """Show every failed resource of a stack, down its nested stacks, with its reason."""

    async def work(service: StackService) -> list[Failure]:
        return await failures(service, await service.find(stack))

    for failure in run(database_url, work):
        row = failure.resource
        print(f"{failure.path}:\n  resource_type: {row.type}\n"
              f"  physical_resource_id: {row.physical_resource_id}\n"
              f"  status: {row.action}_{row.status}\n"
              f"  status_reason: |\n{_indented(row.status_reason, truncate=not long)}")


def _indented(reason: str, *, truncate: bool) -> str:
    """The reason indented by four spaces; only its last lines unless told otherwise."""
    lines = reason.splitlines()
    if truncate and len(lines) > _REASON_LINES:
        # osc's prefix carries its own newline, so a blank line follows it.
        lines = ["...\n", *lines[-_REASON_LINES:]]
    return "\n".join(f"    {line}" for line in lines)


@resource_app.command("list")
@reports_errors
def resource_list(
    stack: Annotated[str, typer.Argument(help="Stack name or id.")],
    nested_depth: NestedDepthOption = None,
    long: Annotated[bool, typer.Option("--long", help="Show the stack of each resource.")]
    = False,
    database_url: DatabaseOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List a stack's resources (and, with --nested-depth, those of its nested stacks)."""
    with_stack = bool(nested_depth) or long

    async def work(service: StackService) -> list[list[Any]]:
        found = await service.find(stack)
        rows = []
        for item in await nested_resources(service, found, nested_depth or 0):
            r = item.resource
            row = [r.name, r.physical_resource_id, r.type, f"{r.action}_{r.status}",
                   time_text(r.updated_at or r.created_at)]
            rows.append([*row, item.stack.name] if with_stack else row)
        return rows

    columns = ["resource_name", "physical_resource_id", "resource_type", "resource_status",
               "updated_time"]
    emit_list([*columns, "stack_name"] if with_stack else columns, run(database_url, work), fmt)


@event_app.command("list")
@reports_errors
def event_list(
    stack: Annotated[str, typer.Argument(help="Stack name or id.")],
    nested_depth: NestedDepthOption = None,
    database_url: DatabaseOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """List a stack's events, oldest first (with --nested-depth, its nested stacks' too)."""
    with_stack = bool(nested_depth)

    async def work(service: StackService) -> list[list[Any]]:
        found = await service.find(stack)
        rows = []
        for item in await nested_events(service, found, nested_depth or 0):
            e = item.event
            row = [e.resource_name, e.id, f"{e.resource_action}_{e.resource_status}",
                   e.resource_status_reason, time_text(e.created_at), e.physical_resource_id]
            rows.append([*row, item.stack.name, e.resource_name] if with_stack
                        else [*row, e.resource_name])
        return rows

    # osc's columns, in osc's order (logical_resource_id repeats the name).
    columns = ["resource_name", "id", "resource_status", "resource_status_reason",
               "event_time", "physical_resource_id"]
    columns += ["stack_name", "logical_resource_id"] if with_stack else ["logical_resource_id"]
    emit_list(columns, run(database_url, work), fmt)
