"""Heat's actions and statuses, for stacks and resources."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    """What a stack or resource is doing (or last did)."""

    INIT = "INIT"
    CREATE = "CREATE"
    DELETE = "DELETE"
    UPDATE = "UPDATE"
    ROLLBACK = "ROLLBACK"
    SUSPEND = "SUSPEND"
    RESUME = "RESUME"
    ADOPT = "ADOPT"
    SNAPSHOT = "SNAPSHOT"
    CHECK = "CHECK"
    RESTORE = "RESTORE"


class Status(StrEnum):
    """How that action is going."""

    IN_PROGRESS = "IN_PROGRESS"
    FAILED = "FAILED"
    COMPLETE = "COMPLETE"


def joined(action: Action | str, status: Status | str) -> str:
    """The single ``ACTION_STATUS`` string Heat's API shows (``CREATE_COMPLETE``)."""
    return f"{action}_{status}"


def split(state: str) -> tuple[Action, Status]:
    """``CREATE_COMPLETE`` back to its action and status."""
    for status in Status:
        suffix = f"_{status}"
        if state.endswith(suffix):
            return Action(state[: -len(suffix)]), status
    raise ValueError(f"not a Heat state: {state!r}")
