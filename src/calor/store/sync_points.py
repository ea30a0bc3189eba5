"""Sync points: where a traversal node collects what its predecessors reported.

A node's sync point is keyed by (entity_id, traversal_id, is_update): the
resource (or stack) id, the traversal, and whether it is the update or the
cleanup node. Predecessors merge their data into ``input_data`` with a
compare-and-swap on ``atomic_key``, so concurrent workers never lose a report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection

from calor.store._statements import chunks
from calor.store.column_types import utc_now
from calor.store.database import Database
from calor.store.models import SyncPoint, table_of
from calor.store.records import SyncPointRecord

_SYNC = table_of(SyncPoint)

class SyncPoints:
    """The ``sync_point`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        *,
        stack_id: str,
        traversal_id: str,
        entity_id: str,
        is_update: bool,
        input_data: Mapping[str, Any] | None = None,
    ) -> SyncPointRecord:
        record = SyncPointRecord(
            entity_id=entity_id, traversal_id=traversal_id, is_update=is_update,
            stack_id=stack_id, atomic_key=0, input_data=dict(input_data or {}),
            created_at=utc_now(), updated_at=None,
        )
        statement = insert(_SYNC).values(_row(record))
        await self._db.write(lambda conn: conn.execute(statement))
        return record

    async def create_many(
        self, *, stack_id: str, traversal_id: str, entities: Sequence[tuple[str, bool]]
    ) -> None:
        """One empty sync point per (entity_id, is_update), in one transaction."""
        now = utc_now()
        rows: list[dict[str, Any]] = [
            {"entity_id": e, "traversal_id": traversal_id, "is_update": u,
             "stack_id": stack_id, "atomic_key": 0, "input_data": {}, "created_at": now,
             "updated_at": None}
            for e, u in entities
        ]

        def work(conn: Connection) -> None:
            for part in chunks(rows):
                conn.execute(insert(_SYNC), list(part))

        await self._db.write(work)

    async def create_with_data(
        self,
        *,
        stack_id: str,
        traversal_id: str,
        points: Sequence[tuple[str, bool, Mapping[str, Any]]],
    ) -> None:
        """Many sync points, each with its initial ``input_data``, in one transaction."""
        now = utc_now()
        rows: list[dict[str, Any]] = [
            {"entity_id": e, "traversal_id": traversal_id, "is_update": u,
             "stack_id": stack_id, "atomic_key": 0, "input_data": dict(data),
             "created_at": now, "updated_at": None}
            for e, u, data in points
        ]

        def work(conn: Connection) -> None:
            for part in chunks(rows):
                conn.execute(insert(_SYNC), list(part))

        await self._db.write(work)

    async def get(
        self, entity_id: str, traversal_id: str, is_update: bool
    ) -> SyncPointRecord | None:
        query = select(_SYNC).where(*_key(entity_id, traversal_id, is_update))
        row = await self._db.read(lambda conn: conn.execute(query).first())
        return None if row is None else SyncPointRecord.from_row(row)

    async def update_input_data(
        self,
        entity_id: str,
        traversal_id: str,
        is_update: bool,
        *,
        input_data: Mapping[str, Any],
        expected_atomic_key: int,
    ) -> bool:
        """Replace ``input_data`` if nobody changed the sync point since it was read."""
        statement = (
            update(_SYNC)
            .where(*_key(entity_id, traversal_id, is_update),
                   _SYNC.c.atomic_key == expected_atomic_key)
            .values(input_data=dict(input_data), atomic_key=_SYNC.c.atomic_key + 1,
                    updated_at=utc_now())
        )
        return await self._db.write(lambda conn: conn.execute(statement).rowcount == 1)

    async def merge(
        self, entity_id: str, traversal_id: str, is_update: bool, data: Mapping[str, Any]
    ) -> SyncPointRecord | None:
        """Add ``data``'s keys to ``input_data`` in one transaction; the merged sync point.

        The row is read locked (``FOR UPDATE``; SQLite's single writer does the
        same), so merges from several predecessors at once all land, none lost
        and none retried. None when the sync point does not exist (its
        traversal was superseded and its sync points deleted).
        """
        key = {"b_entity_id": entity_id, "b_traversal_id": traversal_id,
               "b_is_update": is_update}
        now = utc_now()

        def work(conn: Connection) -> SyncPointRecord | None:
            row = conn.execute(LOCKED_POINT, key).first()
            if row is None:
                return None
            current = SyncPointRecord.from_row(row)
            merged = {**current.input_data, **data}
            conn.execute(SET_INPUT, {**key, "b_input_data": merged, "b_now": now})
            return replace(current, input_data=merged, atomic_key=current.atomic_key + 1,
                           updated_at=now)

        return await self._db.write(work)

    async def delete_traversal(self, stack_id: str, traversal_id: str) -> int:
        """Drop the sync points of one traversal of a stack."""
        statement = delete(_SYNC).where(
            _SYNC.c.stack_id == stack_id, _SYNC.c.traversal_id == traversal_id
        )
        return await self._db.write(lambda conn: int(conn.execute(statement).rowcount))

    async def delete_superseded(self, stack_id: str, current_traversal: str) -> int:
        """Drop the sync points of every traversal of a stack but the current one."""
        statement = delete(_SYNC).where(
            _SYNC.c.stack_id == stack_id, _SYNC.c.traversal_id != current_traversal
        )
        return await self._db.write(lambda conn: int(conn.execute(statement).rowcount))


_POINT_KEY = (
    _SYNC.c.entity_id == bindparam("b_entity_id"),
    _SYNC.c.traversal_id == bindparam("b_traversal_id"),
    _SYNC.c.is_update == bindparam("b_is_update"),
)
LOCKED_POINT = select(_SYNC).where(*_POINT_KEY).with_for_update()
SET_INPUT = (
    update(_SYNC)
    .where(*_POINT_KEY)
    .values(input_data=bindparam("b_input_data", type_=_SYNC.c.input_data.type),
            atomic_key=_SYNC.c.atomic_key + 1, updated_at=bindparam("b_now"))
)


def _key(entity_id: str, traversal_id: str, is_update: bool) -> list[Any]:
    return [
        _SYNC.c.entity_id == entity_id,
        _SYNC.c.traversal_id == traversal_id,
        _SYNC.c.is_update == is_update,
    ]


def _row(record: SyncPointRecord) -> dict[str, Any]:
    return {
        "entity_id": record.entity_id, "traversal_id": record.traversal_id,
        "is_update": record.is_update, "stack_id": record.stack_id,
        "atomic_key": record.atomic_key, "input_data": dict(record.input_data),
        "created_at": record.created_at, "updated_at": record.updated_at,
    }
