"""CHECK, SUSPEND and RESUME of one resource: the plugin's check/suspend/resume, with events."""

from __future__ import annotations

from typing import Any

from calor.engine.node_data import NodeData
from calor.engine.states import Action
from calor.store.records import ResourceRecord, StackRecord

#: The actions a unit runs through :func:`run_state_action` instead of converging.
STATE_ACTIONS = frozenset({Action.CHECK, Action.SUSPEND, Action.RESUME})


async def run_state_action(
    worker: Any, stack: StackRecord, row: ResourceRecord, action: Action
) -> NodeData:
    """Run ``action`` on ``row``'s resource; raise ResourceFailure when it fails."""
    raise NotImplementedError(action)
