"""``calor stack check|suspend|resume`` (and, later, ``cancel``).

As ``openstack stack check|suspend|resume``: one or more stacks, a table of
them once the action has run (embedded mode runs it here, so the command
always waits for it; ``--wait`` also streams the events). The exit code is
1 unless every stack reached ``<ACTION>_COMPLETE``.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from typing import Annotated

import typer

from calor.cli.errors import reports_errors
from calor.cli.output import Format, emit_list
from calor.cli.progress import follow_events, latest_event
from calor.cli.stack_common import (
    STACK_COLUMNS,
    DatabaseOption,
    FormatOption,
    WaitOption,
    app,
    run,
    stack_row,
)
from calor.service.stack_actions import check_stack, resume_stack, suspend_stack
from calor.service.stacks import StackService
from calor.store.records import StackRecord

Start = Callable[[StackService, str], Awaitable[StackRecord]]


def _run_action(
    start: Start, action: str, stacks: list[str], wait: bool, database_url: str | None,
    fmt: Format,
) -> None:
    async def work(service: StackService) -> list[StackRecord]:
        results = []
        for name in stacks:
            last = await latest_event(service, await service.find(name)) if wait else None
            stack = await start(service, name)
            if wait:
                await follow_events(service, stack, after=last)
            done = await service.wait(stack.id)
            results.append(done if done is not None else stack)
        return results

    results = run(database_url, work)
    emit_list(STACK_COLUMNS, [stack_row(s) for s in results], fmt)
    failed = [s for s in results if (s.action, s.status) != (action, "COMPLETE")]
    for stack in failed:
        print(f"ERROR: Stack {stack.name} is {stack.action}_{stack.status}: "
              f"{stack.status_reason}", file=sys.stderr)
    if failed:
        raise typer.Exit(code=1)


StacksArgument = Annotated[list[str], typer.Argument(help="Stack names or ids.")]


@app.command("check")
@reports_errors
def stack_check(
    stacks: StacksArgument,
    wait: WaitOption = False,
    database_url: DatabaseOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Check that every resource of the stacks still exists as it should."""
    _run_action(check_stack, "CHECK", stacks, wait, database_url, fmt)


@app.command("suspend")
@reports_errors
def stack_suspend(
    stacks: StacksArgument,
    wait: WaitOption = False,
    database_url: DatabaseOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Suspend the stacks' resources, in reverse dependency order."""
    _run_action(suspend_stack, "SUSPEND", stacks, wait, database_url, fmt)


@app.command("resume")
@reports_errors
def stack_resume(
    stacks: StacksArgument,
    wait: WaitOption = False,
    database_url: DatabaseOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Resume the stacks' suspended resources, in dependency order."""
    _run_action(resume_stack, "RESUME", stacks, wait, database_url, fmt)
