"""``stack hook poll`` and ``stack hook clear``: resources paused on a hook, and letting them go.

As in Heat, what is paused is read from the events (heatclient's hook poll):
since the stack's action started, a resource whose "paused until Hook ..."
event has no later "Hook ... is cleared" event is still waiting. Which hook
type counts follows the stack's action (CREATE: pre-create, UPDATE:
pre-update, DELETE: pre-delete) unless ``hook clear`` is told.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass

from calor.engine.hooks import clear_hook, cleared_reason, has_hook, paused_reason
from calor.engine.states import Action, Status
from calor.service.stacks import StackService
from calor.store.errors import StackNotFound
from calor.store.records import EventRecord, ResourceRecord, StackRecord

#: The stack action each hook type belongs to.
_HOOK_ACTIONS = {"pre-create": Action.CREATE, "pre-update": Action.UPDATE,
                 "pre-delete": Action.DELETE}


class HookError(Exception):
    """A hook request that cannot be done; the message says why (Heat's words)."""


@dataclass(frozen=True)
class PausedResource:
    """One resource waiting on a hook: the event that says so, and its stack's name."""

    event: EventRecord
    stack_name: str


def hook_type_for(stack: StackRecord) -> str:
    """The hook a stack's current action can be paused on (heatclient's rule)."""
    state = f"{stack.action}_{stack.status}"
    if stack.status != Status.IN_PROGRESS:
        raise HookError(f"Stack status {state} not IN_PROGRESS")
    for hook, action in _HOOK_ACTIONS.items():
        if stack.action == action:
            return hook
    raise HookError(
        f"Unexpected stack status {state}, only create, update and delete supported"
    )


async def hook_poll(
    service: StackService, stack: StackRecord, nested_depth: int = 0
) -> list[PausedResource]:
    """The resources of ``stack`` (and its children, ``nested_depth`` deep) paused now."""
    hook = hook_type_for(stack)
    action = _HOOK_ACTIONS[hook]
    paused, cleared = paused_reason(action, hook), cleared_reason(hook)
    names = {s.id: s.name for s in await _tree(service, stack, nested_depth)}
    # Oldest first, the nested stacks' events among the stack's own.
    events = await service.store.events.list(list(names), sort_dir="asc")
    # Only what happened since the stack's current action began counts.
    started = f"Stack {action} started"
    starts = [i for i, e in enumerate(events)
              if e.stack_id == stack.id and e.resource_status_reason == started]
    if starts:
        events = events[starts[-1]:]
    waiting: dict[tuple[str, str], EventRecord] = {}
    for event in events:
        key = (event.stack_id, event.resource_name)
        if event.resource_status_reason == paused:
            waiting[key] = event
        elif event.resource_status_reason == cleared:
            waiting.pop(key, None)
    return [PausedResource(e, names[e.stack_id]) for e in waiting.values()]


async def hook_clear(
    service: StackService,
    stack: StackRecord,
    resource_names: Sequence[str],
    *,
    pre_create: bool = False,
    pre_update: bool = False,
    pre_delete: bool = False,
) -> list[str]:
    """Clear the hook on each named resource; the names (with nested paths) cleared.

    A name may be a path into nested stacks (``group/member*/web``) and each
    part a glob, as heatclient allows. A resource that matches but is not
    paused on the hook is an error (Heat refuses to unset a hook not set).
    """
    if pre_create:
        hook = "pre-create"
    elif pre_update:
        hook = "pre-update"
    elif pre_delete:
        hook = "pre-delete"
    else:
        hook = hook_type_for(stack)
    done: list[str] = []
    for name in resource_names:
        parts = [p for p in name.split("/") if p]
        if not parts:
            continue
        await _clear_matching(service, stack, parts[:-1], parts[-1], hook, (), done)
    return done


async def _clear_matching(
    service: StackService, stack: StackRecord, stack_patterns: Sequence[str],
    resource_pattern: str, hook: str, path: tuple[str, ...], done: list[str],
) -> None:
    rows = await service.store.resources.list(stack.id)
    if stack_patterns:
        for name in _names(rows):
            if fnmatch.fnmatchcase(name, stack_patterns[0]):
                child = await _child(service, stack, rows, name)
                if child is not None:
                    await _clear_matching(service, child, stack_patterns[1:],
                                          resource_pattern, hook, (*path, name), done)
        return
    for name in _names(rows):
        if not fnmatch.fnmatchcase(name, resource_pattern):
            continue
        # During an update a name can have two rows (a replacement and the
        # row it replaces): the hook is on whichever is waiting.
        same = [r for r in rows if r.name == name]
        for row in same:
            if await has_hook(service.store, row.id, hook) and await clear_hook(
                service.store, stack, row, hook
            ):
                done.append("/".join((*path, name)))
                break
        else:
            raise HookError(
                f'The "{hook}" hook is not defined on {_describe(service, stack, same[-1])}'
            )


def _names(rows: Sequence[ResourceRecord]) -> list[str]:
    return list(dict.fromkeys(r.name for r in rows))


async def _child(
    service: StackService, stack: StackRecord, rows: Sequence[ResourceRecord], name: str
) -> StackRecord | None:
    """The nested stack that resource ``name`` runs (its physical id is the stack's id)."""
    for row in reversed(rows):
        if row.name == name and row.physical_resource_id:
            try:
                child = await service.store.stacks.get(row.physical_resource_id)
            except StackNotFound:
                return None
            return child if child.owner_id == stack.id else None
    return None


async def _tree(service: StackService, stack: StackRecord, depth: int) -> list[StackRecord]:
    """``stack`` and its descendants down to ``depth`` levels."""
    found = [stack]
    level = [stack]
    for _ in range(max(depth, 0)):
        children: list[StackRecord] = []
        for parent in level:
            children.extend(await service.store.stacks.list(None, owner_id=parent.id))
        if not children:
            break
        found.extend(children)
        level = children
    return found


def _describe(service: StackService, stack: StackRecord, row: ResourceRecord) -> str:
    """A resource as Heat prints one: ``TestResource "web" [<id>] Stack "s" [<id>]``."""
    cls = service.registry.get_class(row.type)
    kind = cls.__name__ if cls is not None else "Resource"
    physical = f" [{row.physical_resource_id}]" if row.physical_resource_id else ""
    return f'{kind} "{row.name}"{physical} Stack "{stack.name}" [{stack.id}]'
