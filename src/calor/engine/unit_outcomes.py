"""What a running work unit carries, and how its action can end besides success.

The worker sets :data:`UNIT` for each unit it runs (the unit's id is the
lock it holds on its resource row) and collects in :data:`DEFERRED` the
writes that commit with the unit's completion. The state actions (check,
suspend, resume) take the same lock, and raise the same exceptions.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import Any

from calor.engine.states import Action
from calor.resources.lifecycle import ResourceFailure

#: The unit this task runs: its id is the lock it holds on its resource row.
UNIT: contextvars.ContextVar[str] = contextvars.ContextVar("calor_work_unit")

#: Writes of this unit that wait to commit with its completion (the
#: resource's final state and event): one transaction per finished unit.
DEFERRED: contextvars.ContextVar[list[Callable[[Any], Any]]] = contextvars.ContextVar(
    "calor_deferred_writes"
)


def lock_token() -> str:
    """The lock this task holds on its resource row: its unit's id."""
    return UNIT.get()


class ResourceLocked(Exception):
    """Another action (of an older traversal) still runs on the resource."""


class ActionTimedOut(ResourceFailure):
    """The stack's timeout passed while the resource's action ran."""

    def __init__(self, reason: str, action: Action) -> None:
        super().__init__(reason)
        self.action = action


class ActionFailed(ResourceFailure):
    """A resource action failed; ``action`` is the one that did (DELETE in an UPDATE)."""

    def __init__(self, reason: str, action: Action) -> None:
        super().__init__(reason)
        self.action = action
