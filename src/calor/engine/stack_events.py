"""Events of a stack itself: Heat's events whose resource is the stack (its name and id)."""

from __future__ import annotations

from calor.store import Store
from calor.store.records import NewEvent, StackRecord


def new_stack_event(stack: StackRecord, action: str, status: str, reason: str) -> NewEvent:
    """The event, to record on its own or with the stack update that makes it true."""
    return NewEvent(
        stack_id=stack.id, resource_name=stack.name, resource_action=str(action),
        resource_status=str(status), resource_status_reason=reason,
        physical_resource_id=stack.id, resource_type="OS::Heat::Stack",
    )


async def stack_event(
    store: Store, stack: StackRecord, action: str, status: str, reason: str
) -> None:
    """Record one event of ``stack`` now."""
    await store.events.create_many([new_stack_event(stack, action, status, reason)])
