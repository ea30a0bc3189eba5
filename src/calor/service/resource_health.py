"""Marking a resource unhealthy (or healthy again): Heat's ``resource_mark_unhealthy``.

An unhealthy resource is ``CHECK_FAILED`` with the caller's reason; like
any failed resource, the next update of its stack replaces it. Marking it
healthy again only changes a resource that is ``CHECK_FAILED`` (to
``CHECK_COMPLETE``). Each change is recorded as an event. A resource that an
action is working on (its lock is held) cannot be marked: the caller hears
that the stack has an action in progress, as in Heat.
"""

from __future__ import annotations

from calor.engine.states import Action, Status
from calor.service.signals import find_resource
from calor.service.stacks import StackActionInProgress, StackService
from calor.store.column_types import utc_now
from calor.store.records import NewEvent, ResourceRecord

#: Heat's reason when the caller gives none.
DEFAULT_REASON = "state changed by resource_mark_unhealthy api"


async def mark_unhealthy(
    service: StackService, stack_name_or_id: str, resource_name: str,
    *, unhealthy: bool = True, reason: str | None = None,
) -> ResourceRecord:
    """Mark the resource CHECK_FAILED (``unhealthy``) or, if it is, CHECK_COMPLETE again."""
    stack, row = await find_resource(service, stack_name_or_id, resource_name)
    reason = reason or DEFAULT_REASON
    if unhealthy:
        if row.action == Action.DELETE:
            return row  # on its way out: nothing to mark (as Heat)
        status = Status.FAILED
    elif (row.action, row.status) == (Action.CHECK, Status.FAILED):
        status = Status.COMPLETE
    else:
        return row
    event = NewEvent(
        stack_id=stack.id, resource_name=row.name, resource_action=str(Action.CHECK),
        resource_status=str(status), resource_status_reason=reason,
        physical_resource_id=row.physical_resource_id, resource_type=row.type,
        resource_properties=dict(row.properties_data or {}),
    )
    # Only a resource no action holds: the change and its event are one step.
    won = await service.store.resources.lock_and_update(
        row.id, f"mark-unhealthy-{row.uuid}", event=event, action=str(Action.CHECK),
        status=str(status), status_reason=reason, updated_at=utc_now(),
    )
    if not won:
        raise StackActionInProgress(stack.name, stack.action)
    await service.store.resources.release_lock(row.id, f"mark-unhealthy-{row.uuid}")
    return await service.store.resources.get(row.id)
