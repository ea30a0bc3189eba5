"""What a stack holds down its nested tree: ``--nested-depth`` listings and failures.

A resource's child stack is the stack whose ``owner_id`` is the resource's
stack and whose id is the resource's physical id (Heat's nested stack
link). Listings walk those links as Heat's API does: a stack's own
resources first, then, for each resource in turn, its child's (to the depth
asked, never beyond the configured nested depth limit).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from calor.config import Limits
from calor.service.stacks import StackService
from calor.store.records import EventRecord, ResourceRecord, StackRecord


@dataclass(frozen=True)
class NestedResource:
    """A resource, and the stack (maybe a nested one) it belongs to."""

    stack: StackRecord
    resource: ResourceRecord


@dataclass(frozen=True)
class NestedEvent:
    """An event, and the stack (maybe a nested one) it belongs to."""

    stack: StackRecord
    event: EventRecord


@dataclass(frozen=True)
class Failure:
    """A failed resource and where it is: ``stack.resource[.nested resource...]``."""

    path: str
    resource: ResourceRecord


async def children(service: StackService, stack: StackRecord) -> dict[str, StackRecord]:
    """The live child stacks of ``stack``, by the physical id of the resource owning each."""
    found = await service.store.stacks.list(project_id=stack.project_id, owner_id=stack.id)
    return {child.id: child for child in found}


async def nested_resources(
    service: StackService, stack: StackRecord, nested_depth: int = 0
) -> list[NestedResource]:
    """``stack``'s resources and those of its children down to ``nested_depth`` levels."""
    depth = min(max(nested_depth, 0), Limits.from_environment().max_nested_stack_depth)
    return await _resources(service, stack, depth)


async def _resources(
    service: StackService, stack: StackRecord, depth: int
) -> list[NestedResource]:
    rows = await service.resources(stack)
    out = [NestedResource(stack, r) for r in rows]
    if depth <= 0:
        return out
    kids = await children(service, stack)
    for row in rows:
        child = kids.get(row.physical_resource_id or "")
        if child is not None:
            out.extend(await _resources(service, child, depth - 1))
    return out


async def stack_tree(
    service: StackService, stack: StackRecord, nested_depth: int
) -> list[StackRecord]:
    """``stack`` and its descendants down to ``nested_depth`` levels, parents first."""
    depth = min(max(nested_depth, 0), Limits.from_environment().max_nested_stack_depth)
    tree = [stack]
    level = [stack]
    for _ in range(depth):
        below: list[StackRecord] = []
        for parent in level:
            below.extend((await children(service, parent)).values())
        if not below:
            break
        tree.extend(below)
        level = below
    return tree


async def nested_events(
    service: StackService, stack: StackRecord, nested_depth: int = 0
) -> list[NestedEvent]:
    """The events of ``stack`` and of its children down to ``nested_depth``, oldest first."""
    tree = {s.id: s for s in await stack_tree(service, stack, nested_depth)}
    if len(tree) == 1:
        return [NestedEvent(stack, e) for e in await service.events(stack)]
    events = await service.store.events.list(list(tree), sort_keys=("event_time",),
                                             sort_dir="asc")
    ordered = sorted(events, key=lambda e: e.sequence)
    return [NestedEvent(tree[e.stack_id], e) for e in ordered]


async def failures(service: StackService, stack: StackRecord) -> list[Failure]:
    """Every failed resource down the tree, as ``openstack stack failures list`` finds them.

    Nothing when the stack itself has not failed. A failed resource with a
    child stack holding failed resources is replaced by those (its own
    reason only repeats theirs).
    """
    if stack.status != "FAILED":
        return []
    found: list[Failure] = []
    await _failed(service, stack, [stack.name], found, Limits.from_environment()
                  .max_nested_stack_depth)
    return found


async def _failed(
    service: StackService, stack: StackRecord, path: Sequence[str], found: list[Failure],
    depth: int,
) -> bool:
    rows = [r for r in await service.resources(stack) if r.status == "FAILED"]
    if not rows:
        return False
    kids = await children(service, stack) if depth > 0 else {}
    for row in rows:
        here = [*path, row.name]
        child = kids.get(row.physical_resource_id or "")
        if child is None or not await _failed(service, child, here, found, depth - 1):
            found.append(Failure(".".join(here), row))
    return True
