"""A stack action's time limit: its own ``timeout_mins``, else Heat's default."""

from __future__ import annotations

from datetime import timedelta

from calor.engine.states import Status
from calor.store.column_types import utc_now
from calor.store.records import StackRecord

#: Heat's ``stack_action_timeout``: a stack with no timeout of its own gets this.
DEFAULT_STACK_TIMEOUT_SECS = 3600


def time_remaining(stack: StackRecord) -> float:
    """Seconds left of the stack's action timeout (from when the action started)."""
    limit = (stack.timeout_mins * 60 if stack.timeout_mins else DEFAULT_STACK_TIMEOUT_SECS)
    started = stack.updated_at or stack.created_at
    return limit - (utc_now() - started) / timedelta(seconds=1)


def timed_out(stack: StackRecord) -> bool:
    return stack.status == Status.IN_PROGRESS and time_remaining(stack) <= 0
