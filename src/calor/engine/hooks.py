"""Environment hooks: breakpoints before (or after) a resource's create, update or delete.

An environment sets them per resource (``resource_registry: {resources: {web:
{hooks: pre-create}}}``). When one holds, the resource marks itself paused in
its resource data (Heat's key: the hook's name, value ``"True"``), writes the
event ``CREATE paused until Hook pre-create is cleared`` and waits. Clearing
it (``calor stack hook clear``, another process perhaps) deletes the key and
writes ``Hook pre-create is cleared``; the waiting engine sees the key gone
and goes on. The store is the only thing the two sides share.
"""

from __future__ import annotations

import contextlib

from calor.engine.states import Action
from calor.resources.lifecycle import ResourceContext, ResourceFailure
from calor.store import Store
from calor.store.errors import StackNotFound, StoreError
from calor.store.records import NewEvent, ResourceRecord, StackRecord
from calor.template.stack_definition import StackDefinition

#: Seconds between two looks at whether a hook was cleared.
POLL_INTERVAL = 0.1

#: What a hook's resource data key holds while the resource waits (as in Heat).
_SET = "True"

#: The hook types ``stack hook clear`` knows (``post-*`` only pause, as in Heat's client).
PRE_HOOKS = ("pre-create", "pre-update", "pre-delete")


def paused_reason(action: Action | str, hook: str) -> str:
    """The status reason of the event a paused resource writes."""
    return f"{action} paused until Hook {hook} is cleared"


def cleared_reason(hook: str) -> str:
    """The status reason of the event that clearing a hook writes."""
    return f"Hook {hook} is cleared"


#: Written when the wait ends without the hook being cleared (Heat's words).
ABANDONED_REASON = "Failure occurred while waiting."


def hook_for(stack: StackRecord, row: ResourceRecord, action: Action, *, post: bool) -> str | None:
    """Which hook, if any, applies to ``row``'s ``action`` in ``stack``'s current action.

    ``row`` is the row as it was before the action. As in Heat: a
    replacement is held by ``pre-update`` (Heat checks it before deciding to
    replace); a resource being created (a row never created, whatever the
    traversal's action) by ``pre-create`` only while the stack itself is
    being created, so a resource added by an update is not held; an existing
    resource being updated by ``pre-update``; ``pre-delete`` only while the
    stack is being deleted (not the cleanup after an update).
    """
    prefix = "post" if post else "pre"
    if action == Action.DELETE:
        return f"{prefix}-delete" if stack.action == Action.DELETE else None
    never_created = row.action == Action.INIT
    if row.replaces is not None and never_created:
        return None if post else "pre-update"
    if never_created or action == Action.CREATE:
        return f"{prefix}-create" if stack.action == Action.CREATE else None
    if action == Action.UPDATE:
        return f"{prefix}-update"
    return None


async def wait_for_hooks(
    store: Store, stack: StackRecord, row: ResourceRecord,
    definition: StackDefinition | None, action: Action, ctx: ResourceContext,
    *, post: bool = False,
) -> None:
    """Return once no hook of the environment holds ``row``'s ``action``.

    ``post`` asks for the hook after the action (``post-create``...). The
    wait also ends, with :class:`ResourceFailure`, when the stack's traversal
    is no longer the one this unit belongs to (a delete or another update
    took over, or the stack failed): nobody would clear the hook then.
    """
    if definition is None:
        return
    hook = hook_for(stack, row, action, post=post)
    if hook is None or hook not in definition.environment.resource_registry.hooks_for(row.name):
        return
    await ctx.set_data(hook, _SET)
    # Heat names the hook's own action (a replacement waits on UPDATE's hook).
    await _event(store, stack, row, paused_reason(hook.split("-", 1)[1].upper(), hook))
    try:
        while True:
            # Looked at first: deleting the stack also drops the hook's key.
            if not await _still_current(store, stack):
                raise ResourceFailure(f"{action} of {row.name} abandoned while paused on {hook}")
            if not await has_hook(store, row.id, hook):
                return
            await ctx.sleep(POLL_INTERVAL)
    except BaseException:
        # Heat forgets the hook and says so; a cancelled wait leaves no
        # resource marked as paused.
        with contextlib.suppress(StoreError):
            await store.resource_data.delete(
                row.id, hook, event=await _new_event(store, stack, row, ABANDONED_REASON))
        raise


async def has_hook(store: Store, resource_id: int, hook: str) -> bool:
    """Whether the resource is waiting on ``hook`` now."""
    found = await store.resource_data.get(resource_id, hook)
    return found is not None and found.value == _SET


async def clear_hook(store: Store, stack: StackRecord, row: ResourceRecord, hook: str) -> bool:
    """Let a resource waiting on ``hook`` go on; False when it was not waiting on it.

    Deleting the key is the one step that decides: of two clearers only
    one writes the "cleared" event.
    """
    if not await has_hook(store, row.id, hook):
        return False
    # The key goes and the event comes in one transaction: the engine that
    # sees the key gone writes its next event after this one.
    event = await _new_event(store, stack, row, cleared_reason(hook))
    return await store.resource_data.delete(row.id, hook, event=event)


async def _still_current(store: Store, stack: StackRecord) -> bool:
    try:
        now = await store.stacks.get(stack.id)
    except StackNotFound:
        return False
    return now.current_traversal == stack.current_traversal


async def _event(store: Store, stack: StackRecord, row: ResourceRecord, reason: str) -> None:
    await store.events.create_many([await _new_event(store, stack, row, reason)])


async def _new_event(
    store: Store, stack: StackRecord, row: ResourceRecord, reason: str
) -> NewEvent:
    # Heat writes hook events with the resource's state as it stands (a new
    # resource: INIT_COMPLETE; a replacement: the state of the row it replaces).
    shown = row
    with contextlib.suppress(StoreError):
        shown = await store.resources.get(row.replaces if row.replaces is not None else row.id)
    return NewEvent(
        stack_id=stack.id, resource_name=row.name, resource_action=shown.action,
        resource_status=shown.status, resource_status_reason=reason,
        physical_resource_id=shown.physical_resource_id, resource_type=row.type,
        resource_properties=dict(shown.properties_data or {}),
    )

