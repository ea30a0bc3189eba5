"""Following a stack's events as they happen, like ``openstack stack event list --follow``.

Each event prints as osc's log formatter prints it. On a terminal a Rich
progress bar also counts the resources that have finished their action.
"""

from __future__ import annotations

import asyncio
import sys

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn

from calor.service.stacks import StackService
from calor.store.errors import StackNotFound
from calor.store.records import EventRecord, StackRecord

_POLL = 0.05


def event_line(event: EventRecord) -> str:
    """``<time> [<resource>]: <ACTION_STATUS>  <reason>``."""
    when = event.created_at.strftime("%Y-%m-%d %H:%M:%SZ")
    return (f"{when} [{event.resource_name}]: {event.resource_action}_{event.resource_status}"
            f"  {event.resource_status_reason}")


async def latest_event(service: StackService, stack: StackRecord) -> int | None:
    """The sequence number of the stack's newest event (to follow from there)."""
    events = await service.events(stack)
    return events[-1].sequence if events else None


async def follow_events(
    service: StackService, stack: StackRecord, *, after: int | None = None
) -> None:
    """Print the stack's events after ``after`` until its action ends."""
    total = len(await service.resources(stack))
    terminal = sys.stdout.isatty()
    # Off a terminal nothing wraps: the lines are for logs and scripts.
    console = Console(file=sys.stdout, highlight=False, width=None if terminal else 10_000,
                      soft_wrap=not terminal)
    progress = Progress(
        TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
        console=console, transient=True, disable=not sys.stdout.isatty(),
    )
    seen = after
    done: set[str] = set()
    with progress:
        task = progress.add_task(f"{stack.action} {stack.name}", total=max(total, 1))
        while True:
            events = await service.events(stack, after=seen)
            for event in events:
                seen = event.sequence
                progress.console.print(event_line(event), markup=False)
                if event.resource_name != stack.name and event.resource_status != "IN_PROGRESS":
                    done.add(event.resource_name)
                    progress.update(task, completed=len(done))
            try:
                current = await service.store.stacks.get(stack.id)
            except StackNotFound:
                current = None
            if current is None or current.status != "IN_PROGRESS":
                # One last look, so the final events are all shown.
                for event in await service.events(stack, after=seen):
                    seen = event.sequence
                    progress.console.print(event_line(event), markup=False)
                return
            await asyncio.sleep(_POLL)
