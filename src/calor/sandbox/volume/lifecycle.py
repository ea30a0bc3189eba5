"""How volumes and snapshots move through their states over time (see :mod:`~calor.sandbox.states`).

A create, extend or delete takes the operation's latency (the fault rule's,
or the sandbox's default) in its transitional state (``creating``,
``extending``, ``deleting``) and ends in its resting state, or in Cinder's
error state for it when fault injection says the operation fails.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from calor.sandbox.faults import Decision
from calor.sandbox.states import Body, Step, schedule
from calor.sandbox.store import Transaction
from calor.sandbox.volume.common import cinder_time


def settle_later(body: Body, now: float, decision: Decision, done: Mapping[str, Any],
                 failed: Mapping[str, Any]) -> None:
    """After the latency, apply ``done`` (or ``failed`` on an injected fault)."""
    changes = dict(failed if decision.fails else done)
    changes["updated_at"] = cinder_time(now + decision.latency)
    if decision.latency <= 0:
        body.update(changes)
        return
    schedule(body, now, [Step(decision.latency, changes)])


def remove_later(tx: Transaction, kind: str, body: Body, decision: Decision) -> None:
    """Delete: ``deleting`` for the latency, then gone (``error_deleting`` on a fault)."""
    body["status"] = "deleting"
    body["updated_at"] = cinder_time(tx.now)
    if decision.fails:
        settle_later(body, tx.now, decision, {}, {"status": "error_deleting"})
        tx.save(kind, body)
    elif decision.latency <= 0:
        tx.delete(kind, body["id"])
    else:
        schedule(body, tx.now, [Step(decision.latency, None)])
        tx.save(kind, body)
