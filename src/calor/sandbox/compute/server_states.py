"""A server's states (status, vm_state, power_state) and the moves between them.

Every asynchronous server operation goes through :func:`move`: the server
shows its transitional state (``BUILD``, or the old status with a
``task_state`` such as ``powering-off``) for the operation's latency, then
its new state, or ``ERROR`` with a ``fault`` when fault injection says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from calor.sandbox.runtime import Sandbox
from calor.sandbox.states import Body, Settled, Step, is_settled, iso8601, schedule
from calor.sandbox.store import Transaction

#: status -> (vm_state, power_state); power states as Nova numbers them.
STATES: dict[str, tuple[str, int]] = {
    "BUILD": ("building", 0),
    "ACTIVE": ("active", 1),
    "PAUSED": ("paused", 3),
    "SHUTOFF": ("stopped", 4),
    "SUSPENDED": ("suspended", 7),
    "REBOOT": ("active", 1),
    "HARD_REBOOT": ("active", 1),
    "REBUILD": ("active", 0),
    "RESIZE": ("active", 1),
    "VERIFY_RESIZE": ("resized", 1),
    "REVERT_RESIZE": ("resized", 1),
    "ERROR": ("error", 0),
}

STAMPS = ("updated",)


def state(status: str, task_state: str | None = None) -> dict[str, Any]:
    """The status fields of a server in ``status`` (doing ``task_state``)."""
    vm_state, power_state = STATES[status]
    return {"status": status, "OS-EXT-STS:vm_state": vm_state,
            "OS-EXT-STS:task_state": task_state, "OS-EXT-STS:power_state": power_state}


def busy_with(server: Body) -> str | None:
    """The task the server is in the middle of, if any."""
    if is_settled(server):
        return None
    return str(server.get("OS-EXT-STS:task_state") or server["status"].lower())


def move(sandbox: Sandbox, tx: Transaction, server: Body, operation: str,
         during: Mapping[str, Any], after: Mapping[str, Any],
         failed: Mapping[str, Any] | None = None, *, quick: bool = False) -> None:
    """Show ``during`` now and ``after`` once ``operation``'s latency has passed.

    A failing operation (fault injection) ends in ``ERROR`` with a fault
    instead, plus ``failed`` (what a failed attempt leaves behind). A
    ``quick`` operation (Nova finishes it at once) takes no latency unless a
    fault rule gives it one.
    """
    decision = sandbox.faults.decide(operation, asynchronous=not quick)
    server.update(during)
    server["updated"] = iso8601(tx.now)
    if decision.fails:
        final = {**state("ERROR"), **(failed or {}), "fault": {
            "code": 500, "message": decision.message,
            "created": iso8601(tx.now + decision.latency),
            "details": f"The sandbox injected a fault into {operation}."}}
    else:
        final = dict(after)
    schedule(server, tx.now, [Step(decision.latency, final)], stamp=STAMPS)
    tx.save("server", server)


def remove_later(sandbox: Sandbox, tx: Transaction, server: Body) -> None:
    """Delete: the server shows ``task_state: deleting`` for the latency, then is gone."""
    decision = sandbox.faults.decide("compute.server.delete", asynchronous=True)
    server["OS-EXT-STS:task_state"] = "deleting"
    server["updated"] = iso8601(tx.now)
    if decision.fails:
        final: dict[str, Any] | None = {**state("ERROR"), "fault": {
            "code": 500, "message": decision.message,
            "created": iso8601(tx.now + decision.latency),
            "details": "The sandbox injected a fault into compute.server.delete."}}
    else:
        final = None
    if schedule(server, tx.now, [Step(decision.latency, final)], stamp=STAMPS) is Settled.GONE:
        tx.delete("server", server["id"])
    else:
        tx.save("server", server)
