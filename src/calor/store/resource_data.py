"""Resource data: a plugin's small key/value store (passwords, hook flags, handles)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects import mysql, postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from calor.store.database import Database
from calor.store.errors import ResourceNotFound
from calor.store.events import event_rows, insert_event_rows
from calor.store.models import ResourceData as ResourceDataModel
from calor.store.models import table_of
from calor.store.records import NewEvent, ResourceDataRecord
from calor.store.url import Backend

_DATA = table_of(ResourceDataModel)


class ResourceData:
    """The ``resource_data`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def set(self, resource_id: int, key: str, value: str, *, redact: bool = False) -> None:
        """Store ``key``, replacing what it held; :class:`ResourceNotFound` without the resource."""
        statement = _upsert(
            self._db.backend,
            {"resource_id": resource_id, "key": key, "value": value, "redact": redact},
        )
        try:
            await self._db.write(lambda conn: conn.execute(statement))
        except IntegrityError:
            raise ResourceNotFound(resource_id) from None

    async def get(self, resource_id: int, key: str) -> ResourceDataRecord | None:
        query = select(_DATA).where(_DATA.c.resource_id == resource_id, _DATA.c.key == key)
        row = await self._db.read(lambda conn: conn.execute(query).first())
        return None if row is None else ResourceDataRecord.from_row(row)

    async def get_all(self, resource_id: int) -> dict[str, ResourceDataRecord]:
        """Every key of a resource."""
        query = select(_DATA).where(_DATA.c.resource_id == resource_id).order_by(_DATA.c.key)
        rows = await self._db.read(lambda conn: conn.execute(query).all())
        return {r.key: ResourceDataRecord.from_row(r) for r in rows}

    async def delete(self, resource_id: int, key: str, *, event: NewEvent | None = None) -> bool:
        """Delete one key; ``event``, if given, is recorded with it (if the key was there)."""
        statement = delete(_DATA).where(_DATA.c.resource_id == resource_id, _DATA.c.key == key)
        rows = event_rows([event]) if event is not None else []

        def work(conn: Connection) -> bool:
            deleted = bool(conn.execute(statement).rowcount == 1)
            if deleted and rows:
                insert_event_rows(conn, rows)
            return deleted

        return await self._db.write(work)


def _upsert(backend: Backend, values: dict[str, Any]) -> Any:
    replaced = ("value", "redact")
    if backend is Backend.MYSQL:
        on_mysql = mysql.insert(_DATA).values(values)
        return on_mysql.on_duplicate_key_update({c: on_mysql.inserted[c] for c in replaced})
    if backend is Backend.POSTGRESQL:
        on_pg = postgresql.insert(_DATA).values(values)
        return on_pg.on_conflict_do_update(
            index_elements=["resource_id", "key"], set_={c: on_pg.excluded[c] for c in replaced}
        )
    on_sqlite = sqlite.insert(_DATA).values(values)
    return on_sqlite.on_conflict_do_update(
        index_elements=["resource_id", "key"], set_={c: on_sqlite.excluded[c] for c in replaced}
    )
