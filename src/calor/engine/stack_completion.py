"""How a traversal ends for its stack: COMPLETE (or a CHECK's FAILED) when the last
unit is done, FAILED (or a rollback) when a unit fails.

Each status change is written with its event in one transaction, so whoever
sees the new status (``--wait``) finds the event that says it.
"""

from __future__ import annotations

import contextlib

from calor.engine.rollback import start_rollback, wants_rollback
from calor.engine.stack_events import new_stack_event
from calor.engine.states import Action, Status
from calor.messaging.queue import WorkQueue
from calor.store import Store
from calor.store.errors import StackNotFound
from calor.store.records import StackRecord


async def complete_stack(store: Store, stack_id: str, traversal_id: str) -> None:
    """The traversal's last unit is done: end the stack's action (a delete: remove it)."""
    try:
        stack = await store.stacks.get(stack_id)
    except StackNotFound:
        return  # deleted meanwhile
    if stack.current_traversal != traversal_id or stack.status != Status.IN_PROGRESS:
        return
    action = Action(stack.action)
    status, reason = Status.COMPLETE, f"Stack {action} completed successfully"
    if action == Action.CHECK:
        failed = [r for r in await store.resources.list(stack.id)
                  if (r.action, r.status) == (Action.CHECK, Status.FAILED)]
        if failed:
            status = Status.FAILED
            reason = "Resource CHECK failed: " + "; ".join(
                f"{r.name}: {r.status_reason}" for r in failed)
    # Compare-and-swap: of two units both seeing the traversal done, one ends it.
    try:
        won = await store.stacks.update(
            stack.id, expected_traversal=traversal_id, expected_atomic_key=stack.atomic_key,
            status=str(status), status_reason=reason,
            events=[new_stack_event(stack, str(action), str(status), reason)],
        )
    except StackNotFound:
        return
    if won and action == Action.DELETE:
        await store.stacks.soft_delete(stack.id)


async def fail_stack(
    store: Store, queue: WorkQueue, stack: StackRecord, traversal_id: str, reason: str,
    *, engine_id: str,
) -> None:
    """Fail the stack's action (once, whichever unit fails first); roll back if enabled."""
    if wants_rollback(stack):
        await start_rollback(store, queue, stack, engine_id=engine_id,
                             failed=(traversal_id, reason))
        return
    with contextlib.suppress(StackNotFound):
        await store.stacks.update(
            stack.id, expected_traversal=traversal_id, status=str(Status.FAILED),
            status_reason=reason, current_traversal=None,
            events=[new_stack_event(stack, stack.action, str(Status.FAILED), reason)],
        )
