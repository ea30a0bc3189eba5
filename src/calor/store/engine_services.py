"""Engine services: each engine or worker process, and when it last said it is alive.

A stack or resource lock, or a running work unit, held by an engine whose
heartbeat is stale may be taken over (DESIGN decision 3).
"""

from __future__ import annotations

import builtins
import uuid
from datetime import datetime

from sqlalchemy import delete, insert, select, update

from calor.store.column_types import utc_now
from calor.store.database import Database
from calor.store.models import EngineService, table_of
from calor.store.records import EngineServiceRecord

_SERVICE = table_of(EngineService)


class EngineServices:
    """The ``engine_service`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def register(
        self, *, hostname: str, pid: int, topic: str, id: str | None = None
    ) -> EngineServiceRecord:
        now = utc_now()
        record = EngineServiceRecord(
            id=id or str(uuid.uuid4()), hostname=hostname, pid=pid, topic=topic,
            created_at=now, last_heartbeat=now,
        )
        row = {f: getattr(record, f) for f in EngineServiceRecord.__dataclass_fields__}
        statement = insert(_SERVICE).values(row)
        await self._db.write(lambda conn: conn.execute(statement))
        return record

    async def heartbeat(self, service_id: str) -> bool:
        """Record that the service is alive; False if it was removed meanwhile."""
        statement = (
            update(_SERVICE).where(_SERVICE.c.id == service_id).values(last_heartbeat=utc_now())
        )
        return await self._db.write(lambda conn: conn.execute(statement).rowcount == 1)

    async def list(
        self, *, topic: str | None = None, alive_since: datetime | None = None
    ) -> builtins.list[EngineServiceRecord]:
        """Services (of a topic), only those heard from since ``alive_since`` if given."""
        query = select(_SERVICE)
        if topic is not None:
            query = query.where(_SERVICE.c.topic == topic)
        if alive_since is not None:
            query = query.where(_SERVICE.c.last_heartbeat >= alive_since)
        ordered = query.order_by(_SERVICE.c.created_at)
        rows = await self._db.read(lambda conn: conn.execute(ordered).all())
        return [EngineServiceRecord.from_row(r) for r in rows]

    async def stale(self, before: datetime) -> builtins.list[EngineServiceRecord]:
        """Services not heard from since ``before``: presumed dead."""
        query = (
            select(_SERVICE)
            .where(_SERVICE.c.last_heartbeat < before)
            .order_by(_SERVICE.c.created_at)
        )
        rows = await self._db.read(lambda conn: conn.execute(query).all())
        return [EngineServiceRecord.from_row(r) for r in rows]

    async def delete(self, service_id: str) -> bool:
        statement = delete(_SERVICE).where(_SERVICE.c.id == service_id)
        return await self._db.write(lambda conn: conn.execute(statement).rowcount == 1)

    async def delete_stale(self, before: datetime) -> int:
        """Forget the services not heard from since ``before``; how many went."""
        statement = delete(_SERVICE).where(_SERVICE.c.last_heartbeat < before)
        return await self._db.write(lambda conn: int(conn.execute(statement).rowcount))
