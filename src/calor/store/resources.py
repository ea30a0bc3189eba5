"""Resources: rows of a stack's resources, their compare-and-swap updates and locks.

The resource lock is convergence's: ``engine_id`` is set and cleared by
conditional updates that also check ``atomic_key``, which every write
increments. Whoever's update matched the row won; the other gets False.
"""

from __future__ import annotations

import builtins
import functools
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, insert, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.sql.dml import Update
from sqlalchemy.sql.elements import ColumnElement

from calor.store._statements import UNSET, Match, Unset, checked_changes, chunks, matches
from calor.store.column_types import utc_now
from calor.store.database import Database
from calor.store.errors import ResourceNotFound
from calor.store.events import event_rows, insert_event_rows
from calor.store.models import Resource, table_of
from calor.store.records import NewEvent, NewResource, ResourceRecord, field_names

_RESOURCE = table_of(Resource)

_UPDATABLE = frozenset(
    {
        "name", "type", "physical_resource_id", "action", "status", "status_reason",
        "properties_data", "attr_data", "rsrc_metadata", "requires", "needed_by",
        "replaces", "replaced_by", "current_template_id", "updated_at", "stack_id",
    }
)


class Resources:
    """The ``resource`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, *, stack_id: str, name: str, type: str, **values: Any) -> ResourceRecord:
        """Store one resource; ``values`` are the optional fields of :class:`NewResource`."""
        (record,) = await self.create_many(
            [NewResource(stack_id=stack_id, name=name, type=type, **values)]
        )
        return record

    async def create_many(self, resources: Sequence[NewResource]) -> list[ResourceRecord]:
        """Store many resources in one transaction; records come back in the same order."""
        now = utc_now()
        rows = [_row(r, now) for r in resources]

        def work(conn: Connection) -> dict[str, int]:
            for part in chunks(rows):
                conn.execute(insert(_RESOURCE), list(part))
            ids: dict[str, int] = {}
            for part in chunks([r["uuid"] for r in rows]):
                found = conn.execute(
                    select(_RESOURCE.c.uuid, _RESOURCE.c.id).where(_RESOURCE.c.uuid.in_(part))
                )
                ids.update({row[0]: row[1] for row in found})
            return ids

        ids = await self._db.write(work)
        return [ResourceRecord(id=ids[r["uuid"]], **r) for r in rows]

    async def get(self, resource_id: int) -> ResourceRecord:
        query = select(_RESOURCE).where(_RESOURCE.c.id == resource_id)
        row = await self._db.read(lambda conn: conn.execute(query).first())
        if row is None:
            raise ResourceNotFound(resource_id)
        return ResourceRecord.from_row(row)

    async def get_by_uuid(self, resource_uuid: str) -> ResourceRecord:
        query = select(_RESOURCE).where(_RESOURCE.c.uuid == resource_uuid)
        row = await self._db.read(lambda conn: conn.execute(query).first())
        if row is None:
            raise ResourceNotFound(resource_uuid)
        return ResourceRecord.from_row(row)

    async def get_by_name(self, stack_id: str, name: str) -> ResourceRecord:
        """The newest row of that name in the stack: a replacement over what it replaces."""
        query = (
            select(_RESOURCE)
            .where(_RESOURCE.c.stack_id == stack_id, _RESOURCE.c.name == name)
            .order_by(_RESOURCE.c.id.desc())
            .limit(1)
        )
        row = await self._db.read(lambda conn: conn.execute(query).first())
        if row is None:
            raise ResourceNotFound(name)
        return ResourceRecord.from_row(row)

    async def list(
        self,
        stack_id: Match,
        *,
        id: Sequence[int] | None = None,
        name: Match | None = None,
        type: Match | None = None,
        action: Match | None = None,
        status: Match | None = None,
        physical_resource_id: Match | None = None,
    ) -> builtins.list[ResourceRecord]:
        """Resources of one stack (or several), oldest row first, with exact filters."""
        query = select(_RESOURCE).where(matches(_RESOURCE.c.stack_id, stack_id))
        if id is not None:
            query = query.where(_RESOURCE.c.id.in_(list(id)))
        exact = {"name": name, "type": type, "action": action, "status": status,
                 "physical_resource_id": physical_resource_id}
        for column, value in exact.items():
            if value is not None:
                query = query.where(matches(_RESOURCE.c[column], value))
        ordered = query.order_by(_RESOURCE.c.id)
        rows = await self._db.read(lambda conn: conn.execute(ordered).all())
        return [ResourceRecord.from_row(r) for r in rows]

    async def update(
        self,
        resource_id: int,
        *,
        expected_atomic_key: int | None = None,
        expected_engine_id: str | Unset | None = UNSET,
        **values: Any,
    ) -> bool:
        """Change a resource; False when the expected key or lock holder no longer holds.

        A resource that is not there is :class:`ResourceNotFound`.
        """
        changes = checked_changes(values, _UPDATABLE, "resource")
        guard: dict[str, Any] = {}
        if expected_atomic_key is not None:
            guard["atomic_key"] = expected_atomic_key
        if expected_engine_id is None:
            guard["engine_free"] = None
        elif not isinstance(expected_engine_id, Unset):
            guard["engine_is"] = expected_engine_id
        return await self._swap(resource_id, guard, changes)

    async def acquire_lock(
        self, resource_id: int, engine_id: str, *, expected_atomic_key: int | None = None
    ) -> bool:
        """Take the resource lock if nobody holds it (and the row is as last read)."""
        guard: dict[str, Any] = {"engine_free": None}
        if expected_atomic_key is not None:
            guard["atomic_key"] = expected_atomic_key
        return await self._swap(resource_id, guard, {"engine_id": engine_id})

    async def lock_and_update(
        self, resource_id: int, engine_id: str, *, event: NewEvent | None = None,
        **values: Any,
    ) -> bool:
        """Take the lock (free, or already ``engine_id``'s) and persist ``values`` in one step.

        ``event``, if given, is recorded in the same transaction when the lock is won.
        """
        changes = checked_changes(values, _UPDATABLE, "resource")
        return await self._swap(
            resource_id, {"engine_free_or": engine_id}, {**changes, "engine_id": engine_id},
            event=event,
        )

    async def release_lock(
        self, resource_id: int, engine_id: str, *, event: NewEvent | None = None,
        **values: Any,
    ) -> bool:
        """Persist ``values`` and release the lock in one step, if the lock is ours.

        ``event``, if given, is recorded in the same transaction.
        """
        changes = checked_changes(values, _UPDATABLE, "resource")
        return await self._swap(
            resource_id, {"engine_is": engine_id}, {**changes, "engine_id": None}, event=event,
        )

    def release_lock_work(
        self, resource_id: int, engine_id: str, *, event: NewEvent | None = None,
        **values: Any,
    ) -> Callable[[Connection], bool]:
        """:meth:`release_lock` as work for another repository's transaction.

        The worker hands it to :meth:`WorkUnits.complete`, so that a resource's
        final state, its event and the unit's completion commit together.
        """
        changes = checked_changes(values, _UPDATABLE, "resource")
        return _swap_work(
            resource_id, {"engine_is": engine_id}, {**changes, "engine_id": None}, event=event,
        )

    async def steal_lock(self, resource_id: int, old_engine_id: str, new_engine_id: str) -> bool:
        """Take the lock from an engine known to be dead."""
        return await self._swap(
            resource_id, {"engine_is": old_engine_id}, {"engine_id": new_engine_id},
        )

    async def delete(self, resource_id: int) -> bool:
        """Remove a resource row (its resource_data goes with it)."""
        statement = delete(_RESOURCE).where(_RESOURCE.c.id == resource_id)
        return await self._db.write(lambda conn: conn.execute(statement).rowcount == 1)

    async def _swap(
        self, resource_id: int, guard: Mapping[str, Any], changes: Mapping[str, Any],
        *, event: NewEvent | None = None,
    ) -> bool:
        """Apply ``changes`` if the row still matches ``guard``; bump its atomic key.

        ``guard`` keys: ``atomic_key`` (equal), ``engine_free`` (no lock holder),
        ``engine_is`` (this holder), ``engine_free_or`` (no holder or this one).
        """
        return await self._db.write(_swap_work(resource_id, guard, changes, event=event))


_ID_OF = select(_RESOURCE.c.id).where(_RESOURCE.c.id == bindparam("g_id"))


def _swap_work(
    resource_id: int, guard: Mapping[str, Any], changes: Mapping[str, Any],
    *, event: NewEvent | None = None,
) -> Callable[[Connection], bool]:
    statement = _update_statement(tuple(sorted(changes)), tuple(sorted(guard)))
    params = {f"v_{k}": v for k, v in changes.items()}
    params.update({f"g_{k}": v for k, v in guard.items() if v is not None})
    params["g_id"] = resource_id
    events = event_rows([event]) if event is not None else []

    def work(conn: Connection) -> bool:
        won = conn.execute(statement, params).rowcount == 1
        if not won:
            there = conn.execute(_ID_OF, {"g_id": resource_id}).scalar()
            if there is None:
                raise ResourceNotFound(resource_id)
        elif events:
            insert_event_rows(conn, events)
        return won

    return work


@functools.lru_cache(maxsize=128)
def _update_statement(columns: tuple[str, ...], guards: tuple[str, ...]) -> Update:
    """One compiled-once UPDATE per shape (which columns, which guards): the worker
    runs the same few shapes for every resource, and building one costs more than
    running it."""
    engine = _RESOURCE.c.engine_id
    conditions: builtins.list[ColumnElement[bool]] = [_RESOURCE.c.id == bindparam("g_id")]
    for kind in guards:
        if kind == "atomic_key":
            conditions.append(_RESOURCE.c.atomic_key == bindparam("g_atomic_key"))
        elif kind == "engine_free":
            conditions.append(engine.is_(None))
        elif kind == "engine_is":
            conditions.append(engine == bindparam("g_engine_is"))
        elif kind == "engine_free_or":
            conditions.append(or_(engine.is_(None), engine == bindparam("g_engine_free_or")))
        else:
            raise ValueError(f"unknown guard {kind}")
    values: dict[str, Any] = {c: bindparam(f"v_{c}") for c in columns}
    values["atomic_key"] = _RESOURCE.c.atomic_key + 1
    return update(_RESOURCE).where(*conditions).values(values)


def _row(resource: NewResource, now: datetime) -> dict[str, Any]:
    row = {name: getattr(resource, name) for name in field_names(type(resource))}
    row["uuid"] = resource.uuid or str(uuid.uuid4())
    row["requires"] = list(resource.requires)
    row["needed_by"] = list(resource.needed_by)
    for key in ("properties_data", "attr_data", "rsrc_metadata"):
        if row[key] is not None:
            row[key] = dict(row[key])
    row.update(replaced_by=None, engine_id=None, atomic_key=0, created_at=now, updated_at=None)
    return row
