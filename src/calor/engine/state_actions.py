"""CHECK, SUSPEND and RESUME of one resource: the plugin's check/suspend/resume, with events.

Heat's rules for each (Resource.check/suspend/resume):

- CHECK: a type without a check is marked CHECK_COMPLETE with the reason
  "CHECK not supported for <type>" (left alone while never created); a type
  with one fails when the resource was never created, else runs it.
- SUSPEND: refused for a resource being deleted, or whose last action did
  not complete (unless that was a suspend: a failed suspend may be retried).
- RESUME: only from SUSPEND_COMPLETE, RESUME_FAILED or RESUME_COMPLETE.

A refusal changes nothing on the resource; it fails the stack's action.
"""

from __future__ import annotations

from typing import Any

from calor.engine.node_data import NodeData
from calor.engine.plugin_classes import resolve_type
from calor.engine.states import Action, Status
from calor.engine.unit_outcomes import ResourceLocked, lock_token
from calor.resources.base import Resource
from calor.resources.lifecycle import ResourceFailure
from calor.store.records import ResourceRecord, StackRecord

#: The actions a unit runs through :func:`run_state_action` instead of converging.
STATE_ACTIONS = frozenset({Action.CHECK, Action.SUSPEND, Action.RESUME})

#: The states a resource can be resumed from.
_RESUMABLE = frozenset({
    (Action.SUSPEND, Status.COMPLETE), (Action.RESUME, Status.FAILED),
    (Action.RESUME, Status.COMPLETE),
})


async def run_state_action(
    worker: Any, stack: StackRecord, row: ResourceRecord, action: Action
) -> NodeData:
    """Run ``action`` on ``row``'s resource; raise ResourceFailure when it fails."""
    definition = await worker._definition(stack)
    resolved = resolve_type(worker.registry, definition, row.type)
    if resolved is None:
        raise ResourceFailure(f"The Resource Type ({row.type}) cannot be found.")
    cls = resolved[0]
    state = (row.action, row.status)
    if action == Action.CHECK:
        if not cls.supports_check:
            if state != (Action.INIT, Status.COMPLETE):
                # Heat leaves a never-created resource as it is: "checked" would mislead.
                await _set_state(worker, stack, row, state, action, Status.COMPLETE,
                                 f"CHECK not supported for {row.type}")
            return await _node_data(worker, stack, row)
        if state == (Action.INIT, Status.COMPLETE):
            await _set_state(worker, stack, row, state, action, Status.FAILED,
                             f"Can not check {row.name}, resource not created yet.")
            raise ResourceFailure(
                f"Exception: resources.{row.name}: Resource {row.name} not created yet."
            )
    elif action == Action.SUSPEND:
        if row.action == Action.DELETE or (
            row.action != Action.SUSPEND and row.status != Status.COMPLETE
        ):
            raise _invalid_state(row, "suspend")
    elif action == Action.RESUME:
        if state not in _RESUMABLE:
            raise _invalid_state(row, "resume")
    else:  # pragma: no cover - the worker sends only STATE_ACTIONS here
        raise ValueError(f"not a state action: {action}")
    await _run(worker, stack, row, cls, action)
    return await _node_data(worker, stack, row)


async def _run(
    worker: Any, stack: StackRecord, row: ResourceRecord, cls: type[Resource], action: Action
) -> None:
    """IN_PROGRESS, the plugin's method, then COMPLETE or FAILED (Heat's _do_action).

    As the worker's own actions: the row is locked while the plugin runs
    (an action of an older traversal still running makes the unit retry),
    and the plugin runs in an action slot within the stack's timeout.
    """
    # The lock token is the running unit's, so the worker's failure path
    # releases this lock.
    plugin = cls(worker._context(stack, row), dict(row.properties_data or {}))
    if not await worker.store.resources.lock_and_update(
        row.id, lock_token(),
        action=str(action), status=str(Status.IN_PROGRESS), status_reason="",
    ):
        raise ResourceLocked(row.name)
    await worker._event(stack, row, action, Status.IN_PROGRESS, "state changed")

    async def act() -> None:
        if action == Action.CHECK:
            await plugin.check()
        elif action == Action.SUSPEND:
            await plugin.suspend()
        else:
            await plugin.resume()

    # A failure is recorded there (FAILED, its event, the lock released).
    await worker._perform(stack, row, cls, action, act)
    await worker.store.resources.release_lock(
        row.id, lock_token(), action=str(action), status=str(Status.COMPLETE),
        status_reason="state changed",
    )
    await worker._event(stack, row, action, Status.COMPLETE, "state changed")


async def _set_state(
    worker: Any, stack: StackRecord, row: ResourceRecord, previous: tuple[str, str],
    action: Action, status: Status, reason: str,
) -> None:
    """Store the new state; as Heat's state_set, an event only when the state changes.

    ``previous`` is the state the row is in now (the caller knows it).
    """
    await worker.store.resources.update(
        row.id, action=str(action), status=str(status), status_reason=reason
    )
    if previous != (action, status):
        await worker._event(stack, row, action, status, reason)


def _invalid_state(row: ResourceRecord, verb: str) -> ResourceFailure:
    # Heat prints the state as a Python tuple.
    return ResourceFailure(
        f"Error: resources.{row.name}: State ('{row.action}', '{row.status}') "
        f"invalid for {verb}"
    )


async def _node_data(worker: Any, stack: StackRecord, row: ResourceRecord) -> NodeData:
    fresh = await worker.store.resources.get(row.id)
    data: NodeData = await worker._node_data(stack, fresh, Action(fresh.action))
    return data
