"""Work units: the persisted queue entries of a traversal (DESIGN decisions 1 and 3).

A unit is planned ``pending``, becomes ``queued`` when its dependencies are
met and it is put on the queue, ``running`` when a worker claims it, and
``done`` or ``failed`` when the worker records the outcome. Every step is a
compare-and-swap on the unit's state, so a message delivered twice is run
once, and a unit whose worker stopped sending heartbeats is taken over by
exactly one rescuer.
"""

from __future__ import annotations

import builtins
import dataclasses
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from calor.store._statements import chunks
from calor.store.column_types import utc_now
from calor.store.database import Database
from calor.store.errors import WorkUnitNotFound
from calor.store.models import Resource, Stack, SyncPoint, WorkUnit, table_of
from calor.store.records import (
    NewWorkUnit,
    ResourceRecord,
    StackRecord,
    SyncPointRecord,
    WorkUnitRecord,
    WorkUnitState,
)
from calor.store.sync_points import LOCKED_POINT as _LOCKED_POINT
from calor.store.sync_points import SET_INPUT as _SET_INPUT

_UNIT = table_of(WorkUnit)
_STACK = table_of(Stack)
_RESOURCE = table_of(Resource)
_SYNC = table_of(SyncPoint)
_RUNNING = WorkUnitState.RUNNING.value


_CLAIM = (
    update(_UNIT)
    .where(_UNIT.c.id == bindparam("b_unit_id"), _UNIT.c.state == WorkUnitState.QUEUED.value)
    .values(state=_RUNNING, worker_id=bindparam("b_worker_id"), heartbeat_at=bindparam("b_now"),
            attempts=_UNIT.c.attempts + 1, updated_at=bindparam("b_now"))
)
_UNIT_BY_ID = select(_UNIT).where(_UNIT.c.id == bindparam("b_unit_id"))
_STACK_BY_ID = select(_STACK).where(_STACK.c.id == bindparam("b_stack_id"))
_RESOURCE_BY_ID = select(_RESOURCE).where(_RESOURCE.c.id == bindparam("b_resource_id"))


_LOCK_STACK = select(_STACK.c.id).where(_STACK.c.id == bindparam("b_stack_id")).with_for_update()
_DELETE_RESOURCE = delete(_RESOURCE).where(_RESOURCE.c.id == bindparam("b_resource_id"))
_FINISH_AS = (
    update(_UNIT)
    .where(_UNIT.c.id == bindparam("b_unit_id"), _UNIT.c.state == _RUNNING,
           _UNIT.c.worker_id == bindparam("b_worker_id"))
    .values(state=bindparam("b_state"), updated_at=bindparam("b_now"))
)
_ANY_LEFT = select(_UNIT.c.id).where(
    _UNIT.c.stack_id == bindparam("b_stack_id"),
    _UNIT.c.traversal_id == bindparam("b_traversal_id"),
    _UNIT.c.state.in_([WorkUnitState.PENDING.value, WorkUnitState.QUEUED.value, _RUNNING]),
).limit(1)


_NODE = (
    _UNIT.c.traversal_id == bindparam("b_traversal_id"),
    _UNIT.c.resource_id == bindparam("b_resource_id"),
    _UNIT.c.is_update == bindparam("b_is_update"),
)
_QUEUE_NODE = (
    update(_UNIT)
    .where(*_NODE, _UNIT.c.state == WorkUnitState.PENDING.value)
    .values(state=WorkUnitState.QUEUED.value, updated_at=bindparam("b_now"))
)
_NODE_UNIT = select(_UNIT.c.id).where(*_NODE)


@dataclass(frozen=True, slots=True)
class Successor:
    """A node a finished unit hands its data to: its sync point and its unit."""

    entity_id: str
    is_update: bool
    resource_id: int


_CLAIM_NODE = (
    update(_UNIT)
    .where(*_NODE, _UNIT.c.state == WorkUnitState.PENDING.value)
    .values(state=_RUNNING, worker_id=bindparam("b_worker_id"), heartbeat_at=bindparam("b_now"),
            attempts=_UNIT.c.attempts + 1, updated_at=bindparam("b_now"))
)
_UNIT_OF_NODE = select(_UNIT).where(*_NODE)


@dataclass(frozen=True, slots=True)
class Completed:
    """What finishing a unit found: whether it was the traversal's last, what it queued.

    ``continued`` is a successor that became ready and was claimed for the
    same worker in the same transaction (with ``continue_for``), to run next.
    """

    last: bool
    queued: list[str]
    continued: ClaimedUnit | None = None


@dataclass(frozen=True, slots=True)
class ClaimedUnit:
    """A unit just claimed, with its stack, its resource row and its sync point."""

    unit: WorkUnitRecord
    stack: StackRecord | None
    resource: ResourceRecord | None
    sync_point: SyncPointRecord | None


class WorkUnits:
    """The ``work_unit`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def create_many(
        self, *, stack_id: str, traversal_id: str, units: Sequence[NewWorkUnit]
    ) -> list[WorkUnitRecord]:
        """Plan a traversal's units in one transaction; records in the given order."""
        now = utc_now()
        records = [
            WorkUnitRecord(
                id=str(uuid.uuid4()), stack_id=stack_id, traversal_id=traversal_id,
                resource_id=u.resource_id, is_update=u.is_update, action=u.action,
                state=u.state, worker_id=None, heartbeat_at=None, attempts=0,
                created_at=now, updated_at=None,
            )
            for u in units
        ]
        rows = [_row(r) for r in records]

        def work(conn: Connection) -> None:
            for part in chunks(rows):
                conn.execute(insert(_UNIT), list(part))

        await self._db.write(work)
        return records

    async def get(self, unit_id: str) -> WorkUnitRecord:
        return await self._db.read(lambda conn: _get(conn, unit_id))

    async def list(
        self,
        *,
        stack_id: str | None = None,
        traversal_id: str | None = None,
        state: WorkUnitState | Sequence[WorkUnitState] | None = None,
        worker_id: str | None = None,
    ) -> builtins.list[WorkUnitRecord]:
        query = select(_UNIT)
        if stack_id is not None:
            query = query.where(_UNIT.c.stack_id == stack_id)
        if traversal_id is not None:
            query = query.where(_UNIT.c.traversal_id == traversal_id)
        if isinstance(state, WorkUnitState):
            query = query.where(_UNIT.c.state == state.value)
        elif state is not None:
            query = query.where(_UNIT.c.state.in_([s.value for s in state]))
        if worker_id is not None:
            query = query.where(_UNIT.c.worker_id == worker_id)
        ordered = query.order_by(_UNIT.c.created_at, _UNIT.c.resource_id, _UNIT.c.is_update)
        rows = await self._db.read(lambda conn: conn.execute(ordered).all())
        return [WorkUnitRecord.from_row(r) for r in rows]

    async def count_unfinished(self, stack_id: str, traversal_id: str) -> int:
        """How many units of a traversal are not done (nor failed) yet."""
        query = select(func.count()).select_from(_UNIT).where(
            *_unfinished(stack_id, traversal_id)
        )
        return int(await self._db.read(lambda conn: conn.execute(query).scalar_one()))

    async def any_unfinished(self, stack_id: str, traversal_id: str) -> bool:
        """Whether some unit of a traversal is not done yet (one index lookup)."""
        params = {"b_stack_id": stack_id, "b_traversal_id": traversal_id}
        return await self._db.read(
            lambda conn: conn.execute(_ANY_LEFT, params).first() is not None
        )

    async def queue(self, unit_id: str) -> bool:
        """pending -> queued; False if someone else queued it (or it moved on)."""
        return await self._move(unit_id, [_UNIT.c.state == WorkUnitState.PENDING.value],
                                {"state": WorkUnitState.QUEUED.value})

    async def queue_many(self, unit_ids: Sequence[str]) -> int:
        """pending -> queued for several units; how many moved."""

        def work(conn: Connection) -> int:
            moved = 0
            for part in chunks(list(unit_ids)):
                done = conn.execute(
                    update(_UNIT)
                    .where(_UNIT.c.id.in_(part), _UNIT.c.state == WorkUnitState.PENDING.value)
                    .values(state=WorkUnitState.QUEUED.value, updated_at=utc_now())
                )
                moved += int(done.rowcount)
            return moved

        return await self._db.write(work)

    async def claim(self, unit_id: str, worker_id: str) -> WorkUnitRecord | None:
        """queued -> running for ``worker_id``; None if another worker got it first."""
        params = {"b_unit_id": unit_id, "b_worker_id": worker_id, "b_now": utc_now()}

        def work(conn: Connection) -> WorkUnitRecord | None:
            won = conn.execute(_CLAIM, params).rowcount == 1
            current = _get(conn, unit_id)  # WorkUnitNotFound when it is not there at all
            return current if won else None

        return await self._db.write(work)

    async def claim_many_with_inputs(
        self, unit_ids: Sequence[str], worker_id: str,
        entity_id_of: Callable[[WorkUnitRecord], str],
    ) -> dict[str, ClaimedUnit | None]:
        """:meth:`claim` for many units, and in the same transaction what each needs to start.

        That is its stack (and so its current traversal), its resource row and
        its sync point (named by ``entity_id_of(unit)``): a few statements in all.

        Units another worker claimed first (or that already ran) map to None;
        units that do not exist are left out of the answer.
        """
        now = utc_now()
        ids = list(dict.fromkeys(unit_ids))

        def work(conn: Connection) -> dict[str, ClaimedUnit | None]:
            answer: dict[str, ClaimedUnit | None] = {}
            won: list[WorkUnitRecord] = []
            for part in chunks(ids):
                # Locked as read, so that a concurrent claimer on a server
                # database waits and then finds them running, not queued.
                rows = conn.execute(
                    select(_UNIT).where(_UNIT.c.id.in_(part)).with_for_update()
                ).all()
                queued = []
                for found in rows:
                    record = WorkUnitRecord.from_row(found)
                    if record.state == WorkUnitState.QUEUED:
                        queued.append(record)
                    else:
                        answer[record.id] = None
                if queued:
                    conn.execute(
                        update(_UNIT).where(_UNIT.c.id.in_([u.id for u in queued]))
                        .values(state=_RUNNING, worker_id=worker_id, heartbeat_at=now,
                                attempts=_UNIT.c.attempts + 1, updated_at=now)
                    )
                    won.extend(dataclasses.replace(
                        u, state=WorkUnitState.RUNNING, worker_id=worker_id, heartbeat_at=now,
                        attempts=u.attempts + 1, updated_at=now) for u in queued)
            if not won:
                return answer
            stacks = {
                row.id: StackRecord.from_row(row) for row in conn.execute(
                    select(_STACK).where(_STACK.c.id.in_({u.stack_id for u in won}))
                )
            }
            resources: dict[int, ResourceRecord] = {}
            for part in chunks(sorted({u.resource_id for u in won})):
                for row in conn.execute(select(_RESOURCE).where(_RESOURCE.c.id.in_(part))):
                    resources[row.id] = ResourceRecord.from_row(row)
            keys = {u.id: (entity_id_of(u), u.traversal_id, u.is_update) for u in won}
            points: dict[tuple[str, str, bool], SyncPointRecord] = {}
            traversals = sorted({u.traversal_id for u in won})
            for part in chunks(sorted({k[0] for k in keys.values()})):
                for row in conn.execute(select(_SYNC).where(
                    _SYNC.c.entity_id.in_(part), _SYNC.c.traversal_id.in_(traversals),
                )):
                    point = SyncPointRecord.from_row(row)
                    points[(point.entity_id, point.traversal_id, point.is_update)] = point
            for u in won:
                answer[u.id] = ClaimedUnit(
                    unit=u, stack=stacks.get(u.stack_id), resource=resources.get(u.resource_id),
                    sync_point=points.get(keys[u.id]),
                )
            return answer

        return await self._db.write(work)

    async def heartbeat(self, worker_id: str) -> int:
        """A worker's heartbeat on every unit it runs; how many it still holds."""
        statement = (
            update(_UNIT)
            .where(_UNIT.c.worker_id == worker_id, _UNIT.c.state == _RUNNING)
            .values(heartbeat_at=utc_now())
        )
        return await self._db.write(lambda conn: int(conn.execute(statement).rowcount))

    async def finish(self, unit_id: str, worker_id: str, *, failed: bool = False) -> bool:
        """running -> done (or failed); False if the unit is no longer this worker's."""
        state = WorkUnitState.FAILED if failed else WorkUnitState.DONE
        params = {"b_unit_id": unit_id, "b_worker_id": worker_id, "b_now": utc_now(),
                  "b_state": state.value}

        def work(conn: Connection) -> bool:
            if conn.execute(_FINISH_AS, params).rowcount == 1:
                return True
            _get(conn, unit_id)  # WorkUnitNotFound when it is not there at all
            return False

        return await self._db.write(work)

    async def complete(
        self, unit: WorkUnitRecord, worker_id: str, *,
        delete_resource: bool = False,
        check_last: bool = False,
        successors: Sequence[Successor] = (),
        data: Mapping[str, Any] | None = None,
        ready: Callable[[Mapping[str, Any]], bool] = lambda inputs: True,
        before: Sequence[Callable[[Connection], Any]] = (),
        continue_for: str | None = None,
    ) -> Completed:
        """Finish ``unit`` and hand its data on, in one transaction.

        The unit is marked done (or, with ``delete_resource``, its resource
        row is deleted and the unit with it). ``data`` is merged into each
        successor's sync point (locked for the merge); each successor whose
        merged inputs are ``ready`` is moved pending -> queued. With
        ``check_last`` (the unit reports to the stack) the stack's row is
        locked and ``last`` says whether no unit of the traversal is left.
        ``before`` are other repositories' writes (the resource's final state
        and event) that commit in the same transaction, before the unit's.
        With ``continue_for`` (a worker id), the first successor that becomes
        ready is claimed for that worker instead of queued, and returned with
        what it needs to start: a chain runs on without a trip through the queue.
        """
        now = utc_now()
        params = {"b_unit_id": unit.id, "b_worker_id": worker_id, "b_now": now,
                  "b_stack_id": unit.stack_id, "b_traversal_id": unit.traversal_id,
                  "b_resource_id": unit.resource_id}
        merged_data = dict(data or {})

        def work(conn: Connection) -> Completed:
            if check_last:
                conn.execute(_LOCK_STACK, params)
            for earlier in before:
                earlier(conn)
            if delete_resource:
                conn.execute(_DELETE_RESOURCE, params)
            else:
                conn.execute(_FINISH_AS, {**params, "b_state": WorkUnitState.DONE.value})
            queued: list[str] = []
            continued: ClaimedUnit | None = None
            for successor in successors:
                key = {"b_entity_id": successor.entity_id, "b_traversal_id": unit.traversal_id,
                       "b_is_update": successor.is_update}
                row = conn.execute(_LOCKED_POINT, key).first()
                if row is None:
                    continue  # a superseded traversal's sync points are gone
                inputs = {**SyncPointRecord.from_row(row).input_data, **merged_data}
                conn.execute(_SET_INPUT, {**key, "b_input_data": inputs, "b_now": params["b_now"]})
                if not ready(inputs):
                    continue
                if continue_for is not None and continued is None:
                    continued = _claim_node(conn, unit, successor, continue_for, now,
                                            SyncPointRecord.from_row(row), inputs)
                    if continued is not None:
                        continue
                moved = conn.execute(_QUEUE_NODE, {
                    "b_traversal_id": unit.traversal_id, "b_resource_id": successor.resource_id,
                    "b_is_update": successor.is_update, "b_now": params["b_now"],
                })
                if moved.rowcount == 1:
                    queued.append(str(conn.execute(_NODE_UNIT, {
                        "b_traversal_id": unit.traversal_id,
                        "b_resource_id": successor.resource_id,
                        "b_is_update": successor.is_update,
                    }).scalar_one()))
            last = check_last and conn.execute(_ANY_LEFT, params).first() is None
            return Completed(last=last, queued=queued, continued=continued)

        return await self._db.write(work)

    async def release(self, unit_id: str, worker_id: str) -> bool:
        """running -> queued: a worker that stops gives its unit back to be claimed again."""
        return await self._move(
            unit_id, [_UNIT.c.state == _RUNNING, _UNIT.c.worker_id == worker_id],
            {"state": WorkUnitState.QUEUED.value, "worker_id": None, "heartbeat_at": None},
        )

    async def take_over_stale(self, stale_before: datetime) -> builtins.list[WorkUnitRecord]:
        """Put back on the queue the running units whose heartbeat is older than ``stale_before``.

        Each unit is moved by a compare-and-swap, so when two rescuers race
        every unit goes to exactly one of them; the units returned are this
        caller's to enqueue again.
        """
        stale = (_UNIT.c.state == _RUNNING, _UNIT.c.heartbeat_at < stale_before)
        query = select(_UNIT.c.id).where(*stale)
        found = await self._db.read(lambda conn: conn.execute(query).scalars().all())

        def taking(unit_id: str) -> Callable[[Connection], WorkUnitRecord | None]:
            def take(conn: Connection) -> WorkUnitRecord | None:
                done = conn.execute(
                    update(_UNIT)
                    .where(_UNIT.c.id == unit_id, *stale)
                    .values(state=WorkUnitState.QUEUED.value, worker_id=None,
                            heartbeat_at=None, updated_at=utc_now())
                )
                return _get(conn, unit_id) if done.rowcount == 1 else None

            return take

        taken: builtins.list[WorkUnitRecord] = []
        for unit_id in found:
            # One transaction per unit: a rescuer never holds many row locks at once.
            unit = await self._db.write(taking(unit_id))
            if unit is not None:
                taken.append(unit)
        return taken

    async def abandon(self, stack_id: str, traversal_id: str) -> int:
        """Fail every unfinished unit of a traversal whose engine went down; how many.

        A unit still running in an engine that was only presumed dead then
        finishes nothing (``finish`` expects ``running``) and queues no successor.
        """
        unfinished = [WorkUnitState.PENDING.value, WorkUnitState.QUEUED.value, _RUNNING]
        statement = (
            update(_UNIT)
            .where(_UNIT.c.stack_id == stack_id, _UNIT.c.traversal_id == traversal_id,
                   _UNIT.c.state.in_(unfinished))
            .values(state=WorkUnitState.FAILED.value, updated_at=utc_now())
        )
        return await self._db.write(lambda conn: int(conn.execute(statement).rowcount))

    async def delete_traversal(self, stack_id: str, traversal_id: str) -> int:
        statement = delete(_UNIT).where(
            _UNIT.c.stack_id == stack_id, _UNIT.c.traversal_id == traversal_id
        )
        return await self._db.write(lambda conn: int(conn.execute(statement).rowcount))

    async def _move(
        self, unit_id: str, conditions: builtins.list[Any], changes: dict[str, Any]
    ) -> bool:
        statement = (
            update(_UNIT)
            .where(_UNIT.c.id == unit_id, *conditions)
            .values({**changes, "updated_at": utc_now()})
        )

        def work(conn: Connection) -> bool:
            if conn.execute(statement).rowcount == 1:
                return True
            _get(conn, unit_id)  # WorkUnitNotFound when it is not there at all
            return False

        return await self._db.write(work)


def _claim_node(
    conn: Connection, unit: WorkUnitRecord, successor: Successor, worker_id: str, now: datetime,
    point: SyncPointRecord, inputs: Mapping[str, Any],
) -> ClaimedUnit | None:
    """pending -> running for ``worker_id`` of the successor's unit, with what it needs."""
    node = {"b_traversal_id": unit.traversal_id, "b_resource_id": successor.resource_id,
            "b_is_update": successor.is_update}
    if conn.execute(_CLAIM_NODE, {**node, "b_worker_id": worker_id, "b_now": now}).rowcount != 1:
        return None
    claimed = WorkUnitRecord.from_row(conn.execute(_UNIT_OF_NODE, node).one())
    stack = conn.execute(_STACK_BY_ID, {"b_stack_id": claimed.stack_id}).first()
    resource = conn.execute(_RESOURCE_BY_ID, {"b_resource_id": claimed.resource_id}).first()
    return ClaimedUnit(
        unit=claimed, stack=None if stack is None else StackRecord.from_row(stack),
        resource=None if resource is None else ResourceRecord.from_row(resource),
        sync_point=dataclasses.replace(point, input_data=dict(inputs)),
    )


def _unfinished(stack_id: str, traversal_id: str) -> list[ColumnElement[bool]]:
    states = [WorkUnitState.PENDING.value, WorkUnitState.QUEUED.value, _RUNNING]
    return [_UNIT.c.stack_id == stack_id, _UNIT.c.traversal_id == traversal_id,
            _UNIT.c.state.in_(states)]


def _get(conn: Connection, unit_id: str) -> WorkUnitRecord:
    row = conn.execute(_UNIT_BY_ID, {"b_unit_id": unit_id}).first()
    if row is None:
        raise WorkUnitNotFound(unit_id)
    return WorkUnitRecord.from_row(row)


def _row(record: WorkUnitRecord) -> dict[str, Any]:
    return {
        "id": record.id, "stack_id": record.stack_id, "traversal_id": record.traversal_id,
        "resource_id": record.resource_id, "is_update": record.is_update,
        "action": record.action, "state": record.state.value, "worker_id": None,
        "heartbeat_at": None, "attempts": 0, "created_at": record.created_at,
        "updated_at": None,
    }
