"""``stack check``, ``stack suspend`` and ``stack resume``: one action over every resource.

Each starts a traversal whose units run the action on their resource (see
:mod:`calor.engine.state_actions`); the worker marks the stack
``<ACTION>_COMPLETE`` ("Stack <ACTION> completed successfully") when the last
one is done, or ``<ACTION>_FAILED`` with the failing resource's reason. As
Heat does, suspending a stack that is already SUSPEND_COMPLETE (or resuming
one that is RESUME_COMPLETE) does nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from calor.engine.converge import start_traversal
from calor.engine.loading import load_definition
from calor.engine.passes import GraphPass
from calor.engine.passes.state import FORWARD, REVERSE
from calor.engine.stack_events import stack_event
from calor.engine.states import Action, Status
from calor.service.stacks import StackActionInProgress, StackService
from calor.store.column_types import utc_now
from calor.store.records import StackRecord


async def check_stack(service: StackService, name_or_id: str) -> StackRecord:
    """Check every resource, in dependency order."""
    return await _start(service, name_or_id, Action.CHECK, FORWARD)


async def suspend_stack(service: StackService, name_or_id: str) -> StackRecord:
    """Suspend every resource, in reverse dependency order."""
    return await _start(service, name_or_id, Action.SUSPEND, REVERSE)


async def resume_stack(service: StackService, name_or_id: str) -> StackRecord:
    """Resume every resource, in dependency order."""
    return await _start(service, name_or_id, Action.RESUME, FORWARD)


async def _start(
    service: StackService, name_or_id: str, action: Action, passes: Sequence[GraphPass]
) -> StackRecord:
    stack = await service.find(name_or_id)
    if stack.status == Status.IN_PROGRESS:
        raise StackActionInProgress(stack.name, stack.action)
    if action != Action.CHECK and (stack.action, stack.status) == (action, Status.COMPLETE):
        return stack  # Heat: "already suspended" / "already resumed", nothing to do
    reason = f"Stack {action} started"
    # The atomic key makes the check above and this change one step: of two
    # actions started at once, one wins and the other is refused.
    won = await service.store.stacks.update(
        stack.id, expected_atomic_key=stack.atomic_key, action=str(action),
        status=str(Status.IN_PROGRESS), status_reason=reason, updated_at=utc_now(),
    )
    if not won:
        current = await service.store.stacks.get(stack.id)
        raise StackActionInProgress(current.name, current.action)
    stack = await service.store.stacks.get(stack.id)
    await stack_event(service.store, stack, action, Status.IN_PROGRESS, reason)
    raw = await service.store.templates.get(stack.raw_template_id)
    await start_traversal(service.store, service.queue, stack, load_definition(stack, raw),
                          action, passes=passes, engine_id=service.engine_id)
    return await service.store.stacks.get(stack.id)
