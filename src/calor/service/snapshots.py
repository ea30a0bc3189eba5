"""Stack snapshots: create, list, show, delete, and restore a stack to one.

A snapshot keeps the stack's abandon data (:func:`.abandon.prepare_abandon`):
template, files, environment with its parameters, and every resource's
physical id and resource data. No resource type here keeps backend data
of its own for a snapshot (Heat's ``handle_snapshot``), so taking one is a
read of the store: the stack goes SNAPSHOT_IN_PROGRESS, the data is saved,
and the stack is SNAPSHOT_COMPLETE, with Heat's events, before the call
returns. Restore is an update to the snapshot's template, environment and
parameters under Heat's RESTORE action.
"""

from __future__ import annotations

from typing import Any

from calor.engine.stack_events import stack_event
from calor.engine.states import Action, Status
from calor.service.abandon import prepare_abandon, resource_data_text
from calor.service.errors import ServiceError
from calor.service.stacks import NotSupported, StackActionInProgress, StackService
from calor.store.column_types import utc_now
from calor.store.records import SnapshotRecord, StackRecord


class ActionNotComplete(ServiceError):
    """The stack's last action did not complete (Heat's ActionNotComplete)."""

    error_type = "ActionNotComplete"

    def __init__(self, name: str, action: str) -> None:
        super().__init__(
            f"Stack {name} has an action ({action}) in progress or failed state."
        )


def snapshot_body(snapshot: SnapshotRecord) -> dict[str, Any]:
    """Heat's ``format_snapshot``: what the API and ``snapshot show`` give."""
    return {
        "id": snapshot.id,
        "name": snapshot.name,
        "action": snapshot.action,
        "status": snapshot.status,
        "status_reason": snapshot.status_reason,
        "data": None if snapshot.data is None else dict(snapshot.data),
        "creation_time": snapshot.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


async def create_snapshot(
    service: StackService, name_or_id: str, name: str | None = None
) -> SnapshotRecord:
    """Heat's ``stack_snapshot``; the snapshot is COMPLETE when this returns."""
    stack = await service.find(name_or_id)
    _check_settled(stack)
    store = service.store
    reason = "Stack SNAPSHOT started"
    # Compare-and-swap: an action that started since we looked wins.
    if not await store.stacks.update(
        stack.id, expected_atomic_key=stack.atomic_key, action=str(Action.SNAPSHOT),
        status=str(Status.IN_PROGRESS), status_reason=reason, updated_at=utc_now(),
    ):
        current = await store.stacks.get(stack.id)
        raise StackActionInProgress(current.name, current.action)
    stack = await store.stacks.get(stack.id)
    await stack_event(service.store, stack, Action.SNAPSHOT, Status.IN_PROGRESS, reason)
    snapshot = await store.snapshots.create(stack_id=stack.id, name=name)
    try:
        data = await prepare_abandon(service, stack)
    except Exception as exc:
        failed = f"Stack SNAPSHOT failed: {exc}"
        await store.snapshots.update(snapshot.id, status=str(Status.FAILED),
                                     status_reason=failed)
        await _settle(service, stack, Status.FAILED, failed)
        raise
    done = "Stack SNAPSHOT completed successfully"
    # As in Heat, the data's status is the snapshot's.
    data["status"] = str(Status.COMPLETE)
    await store.snapshots.update(snapshot.id, status=str(Status.COMPLETE),
                                 status_reason=done, data=data)
    await _settle(service, stack, Status.COMPLETE, done)
    return await store.snapshots.get(snapshot.id)


async def list_snapshots(service: StackService, name_or_id: str) -> list[SnapshotRecord]:
    """Heat's ``stack_list_snapshots``, oldest first."""
    stack = await service.find(name_or_id)
    return await service.store.snapshots.list(stack.id)


async def show_snapshot(
    service: StackService, name_or_id: str, snapshot_id: str
) -> SnapshotRecord:
    """Heat's ``show_snapshot``; SnapshotNotFound unless it is one of this stack's."""
    stack = await service.find(name_or_id)
    return await service.store.snapshots.get(snapshot_id, stack_id=stack.id)


async def delete_snapshot(service: StackService, name_or_id: str, snapshot_id: str) -> None:
    """Heat's ``delete_snapshot``; one still being taken cannot go."""
    snapshot = await show_snapshot(service, name_or_id, snapshot_id)
    if (snapshot.action, snapshot.status) == (Action.CREATE, Status.IN_PROGRESS):
        raise NotSupported("Deleting in-progress snapshot")
    await service.store.snapshots.delete(snapshot.id)


async def restore_snapshot(
    service: StackService, name_or_id: str, snapshot_id: str
) -> StackRecord:
    """Heat's ``stack_restore``: converge the stack back to what the snapshot saved.

    Each resource that is still the object the snapshot saw (same physical
    id) gets its saved resource data back first; then a RESTORE traversal
    updates what changed since, recreates what went and deletes what came.
    Resources whose properties match keep their physical ids.
    """
    stack = await service.find(name_or_id)
    snapshot = await service.store.snapshots.get(snapshot_id, stack_id=stack.id)
    if snapshot.status != Status.COMPLETE or snapshot.data is None:
        raise NotSupported("Restoring incomplete snapshot")
    if stack.status == Status.IN_PROGRESS:
        raise StackActionInProgress(stack.name, stack.action)
    data = snapshot.data
    saved = data.get("resources") or {}
    for row in await service.store.resources.list(stack.id):
        entry = saved.get(row.name)
        if entry is None or row.replaced_by is not None or row.physical_resource_id is None:
            continue
        if entry.get("resource_id") != row.physical_resource_id:
            continue  # another object now: the old one's data would describe the wrong thing
        for key, value in (entry.get("resource_data") or {}).items():
            await service.store.resource_data.set(row.id, key, resource_data_text(value))
    return await service.update_stack(
        stack.id, data["template"], files=data.get("files") or {},
        environment=data.get("environment") or {}, action=Action.RESTORE,
    )


def _check_settled(stack: StackRecord) -> None:
    if stack.status == Status.IN_PROGRESS:
        raise StackActionInProgress(stack.name, stack.action)
    if stack.status != Status.COMPLETE:
        # Heat would snapshot a failed stack's half-made resources; Calor asks
        # for a stack whose last action completed, so restore gives a whole one.
        raise ActionNotComplete(stack.name, stack.action)


async def _settle(service: StackService, stack: StackRecord, status: Status, reason: str) -> None:
    await service.store.stacks.update(stack.id, status=str(status), status_reason=reason)
    await stack_event(service.store, stack, Action.SNAPSHOT, status, reason)
