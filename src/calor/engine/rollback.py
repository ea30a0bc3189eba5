"""Rolling a failed (or cancelled) action back, and stopping a traversal.

Heat's convergence rollback is one more traversal: the stack converges to
the template it had before the action (after an update), or to an empty one
(after a create), under the ROLLBACK action. A cancel without rollback only
switches the stack to a traversal with no work, so nothing more starts;
actions already running finish on their own.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from calor.engine.converge import start_traversal
from calor.engine.loading import load_definition
from calor.engine.stack_events import new_stack_event
from calor.engine.states import Action, Status
from calor.messaging.queue import WorkQueue
from calor.store import Store
from calor.store.column_types import utc_now
from calor.store.errors import StackNotFound
from calor.store.records import StackRecord

#: The actions Heat rolls back when rollback is enabled.
ROLLS_BACK = frozenset({Action.CREATE, Action.UPDATE, Action.ADOPT, Action.RESTORE})


def wants_rollback(stack: StackRecord) -> bool:
    return not stack.disable_rollback and stack.action in ROLLS_BACK


async def start_rollback(
    store: Store, queue: WorkQueue, stack: StackRecord, *, engine_id: str | None,
    failed: tuple[str, str] | None = None,
) -> bool:
    """Converge ``stack`` back to its previous template under ROLLBACK; False if it moved on.

    ``failed`` is (traversal, reason) when a unit of that traversal failed:
    the first failure wins the switch, and the failure is recorded as the
    action's FAILED event, so no reader ever sees the stack FAILED while a
    rollback is on its way.
    """
    if stack.prev_raw_template_id is not None:
        target = await store.templates.get(stack.prev_raw_template_id)
    else:
        # A failed create rolls back to nothing: an empty template of the same version.
        current = await store.templates.get(stack.raw_template_id)
        target = await store.templates.create(
            _empty(current.template), files={}, environment=current.environment,
        )
    reason = "Stack ROLLBACK started"
    expected: dict[str, Any] = (
        {"expected_traversal": failed[0]} if failed else {"expected_atomic_key": stack.atomic_key}
    )
    events = [new_stack_event(stack, stack.action, str(Status.FAILED), failed[1])] if failed else []
    events.append(new_stack_event(stack, str(Action.ROLLBACK), str(Status.IN_PROGRESS), reason))
    try:
        moved = await store.stacks.update(
            stack.id, **expected, current_traversal=None, events=events,
            action=str(Action.ROLLBACK), status=str(Status.IN_PROGRESS), status_reason=reason,
            raw_template_id=target.id, prev_raw_template_id=None, updated_at=utc_now(),
            parameters=dict(target.environment.get("parameters", {})),
        )
    except StackNotFound:
        return False
    if not moved:
        return False
    try:
        stack = await store.stacks.get(stack.id)
    except StackNotFound:
        return False
    await start_traversal(store, queue, stack, load_definition(stack, target), Action.ROLLBACK,
                          engine_id=engine_id)
    return True


async def stop_traversal(store: Store, stack: StackRecord, reason: str) -> bool:
    """Fail ``stack``'s action with ``reason`` and start no more of its units.

    Its children that are still working stop too (Heat stops the whole tree).
    """
    old = stack.current_traversal
    try:
        stopped = await store.stacks.update(
            stack.id, expected_traversal=old, current_traversal=str(uuid.uuid4()),
            status=str(Status.FAILED), status_reason=reason,
            events=[new_stack_event(stack, stack.action, str(Status.FAILED), reason)],
        )
    except StackNotFound:
        return False
    if not stopped:
        return False
    if old is not None:
        await store.sync_points.delete_traversal(stack.id, old)
    for child in await store.stacks.list(None, owner_id=stack.id, show_nested=True):
        if child.status == Status.IN_PROGRESS:
            await stop_traversal(store, child, f"Stack {child.action} cancelled")
    return True


def _empty(template: Mapping[str, Any]) -> dict[str, Any]:
    for key in ("heat_template_version", "HeatTemplateFormatVersion",
                "AWSTemplateFormatVersion"):
        if key in template:
            return {key: template[key]}
    return {"heat_template_version": "2013-05-23"}
