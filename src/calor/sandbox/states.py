"""Resources that move through their real states over time, without background threads.

An asynchronous operation (a server build, a resize, a volume create) writes
its whole future into the resource body at once: a list of *steps*, each due
at a moment, each either a set of field changes or the resource's removal.
Whoever reads the resource later (the store does, on every read) first
*settles* it: every step whose moment has passed is applied in order. So a GET
after the latency shows the new state, and nothing runs in between.

Keys of a body that start with ``_`` are the sandbox's own bookkeeping (like
``_pending`` here); services never show them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any

Body = dict[str, Any]

PENDING = "_pending"


@dataclass(frozen=True)
class Step:
    """One future change: after ``delay`` seconds (from the previous step), apply ``changes``.

    ``changes`` of ``None`` removes the resource (a delete that takes time).
    """

    delay: float
    changes: Mapping[str, Any] | None


class Settled(Enum):
    UNCHANGED = "unchanged"
    CHANGED = "changed"
    GONE = "gone"


def iso8601(moment: float, *, micro: bool = False) -> str:
    """A UTC timestamp as OpenStack writes it: ``2026-11-24T21:00:00Z``."""
    stamp = datetime.fromtimestamp(moment, UTC)
    if micro:
        return stamp.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def schedule(body: Body, now: float, steps: Sequence[Step],
             stamp: Sequence[str] = ()) -> Settled:
    """Replace ``body``'s future with ``steps``, starting now; steps already due apply.

    Each key in ``stamp`` (``updated``, ``updated_at``) is set to the moment
    its step applies, so a resource says when it last changed. ``GONE`` means
    a removal step is already due: the caller deletes the record.
    """
    pending: list[dict[str, Any]] = []
    moment = now
    for step in steps:
        moment += max(step.delay, 0.0)
        changes = None if step.changes is None else dict(step.changes)
        if changes is not None:
            for key in stamp:
                changes[key] = iso8601(moment)
        pending.append({"at": moment, "set": changes})
    body[PENDING] = pending
    return settle(body, now)


def is_settled(body: Body) -> bool:
    """True when no change is still to come (the resource is not in a transitional state)."""
    return not body.get(PENDING)


def settle(body: Body, now: float) -> Settled:
    """Apply every step that is due; say whether the body changed or is gone."""
    pending = body.get(PENDING)
    if not pending:
        return Settled.UNCHANGED
    changed = False
    while pending and pending[0]["at"] <= now:
        step = pending.pop(0)
        if step["set"] is None:
            return Settled.GONE
        body.update(step["set"])
        changed = True
    if not pending:
        body.pop(PENDING, None)
    return Settled.CHANGED if changed else Settled.UNCHANGED


def public(body: Mapping[str, Any]) -> Body:
    """The body without the sandbox's bookkeeping keys."""
    return {key: value for key, value in body.items() if not key.startswith("_")}
