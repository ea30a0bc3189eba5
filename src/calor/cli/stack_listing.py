"""``calor stack resource list``, ``event list``, ``failures list``: what a stack holds."""

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
)
from calor.service.stacks import StackService


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

    for row in run(database_url, work):
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
               "updated_time"], run(database_url, work), fmt)


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
               "event_time"], run(database_url, work), fmt)
