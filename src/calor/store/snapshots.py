"""Snapshots of stacks: what ``stack snapshot create`` saved and restore reads back."""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, insert, select, update

from calor.store._statements import checked_changes
from calor.store.column_types import utc_now
from calor.store.database import Database
from calor.store.errors import SnapshotNotFound
from calor.store.models import Snapshot, table_of
from calor.store.records import SnapshotRecord

_SNAPSHOT = table_of(Snapshot)

_UPDATABLE = frozenset({"name", "action", "status", "status_reason", "data"})


class Snapshots:
    """The ``snapshot`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        *,
        stack_id: str,
        name: str | None = None,
        action: str = "CREATE",
        status: str = "IN_PROGRESS",
        status_reason: str = "",
        data: Mapping[str, Any] | None = None,
        id: str | None = None,
    ) -> SnapshotRecord:
        record = SnapshotRecord(
            id=id or str(uuid.uuid4()), stack_id=stack_id, name=name, action=action,
            status=status, status_reason=status_reason,
            data=None if data is None else dict(data), created_at=utc_now(), updated_at=None,
        )
        row = {f: getattr(record, f) for f in SnapshotRecord.__dataclass_fields__}
        statement = insert(_SNAPSHOT).values(row)
        await self._db.write(lambda conn: conn.execute(statement))
        return record

    async def get(self, snapshot_id: str, *, stack_id: str | None = None) -> SnapshotRecord:
        """A snapshot (of this stack, if given), or :class:`SnapshotNotFound`."""
        query = select(_SNAPSHOT).where(_SNAPSHOT.c.id == snapshot_id)
        if stack_id is not None:
            query = query.where(_SNAPSHOT.c.stack_id == stack_id)
        row = await self._db.read(lambda conn: conn.execute(query).first())
        if row is None:
            raise SnapshotNotFound(snapshot_id)
        return SnapshotRecord.from_row(row)

    async def list(self, stack_id: str) -> builtins.list[SnapshotRecord]:
        """A stack's snapshots, oldest first."""
        query = (
            select(_SNAPSHOT)
            .where(_SNAPSHOT.c.stack_id == stack_id)
            .order_by(_SNAPSHOT.c.created_at, _SNAPSHOT.c.id)
        )
        rows = await self._db.read(lambda conn: conn.execute(query).all())
        return [SnapshotRecord.from_row(r) for r in rows]

    async def update(self, snapshot_id: str, **values: Any) -> None:
        changes = checked_changes(values, _UPDATABLE, "snapshot")
        if "data" in changes and changes["data"] is not None:
            changes["data"] = dict(changes["data"])
        statement = (
            update(_SNAPSHOT)
            .where(_SNAPSHOT.c.id == snapshot_id)
            .values({**changes, "updated_at": utc_now()})
        )
        if await self._db.write(lambda conn: conn.execute(statement).rowcount) != 1:
            raise SnapshotNotFound(snapshot_id)

    async def delete(self, snapshot_id: str) -> None:
        statement = delete(_SNAPSHOT).where(_SNAPSHOT.c.id == snapshot_id)
        if await self._db.write(lambda conn: conn.execute(statement).rowcount) != 1:
            raise SnapshotNotFound(snapshot_id)
