"""Events: every state change of a stack and its resources, in a stable order."""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Connection

from calor.store import _paging
from calor.store._statements import Match, matches
from calor.store.column_types import utc_now
from calor.store.database import Database
from calor.store.errors import EventNotFound
from calor.store.models import Event, table_of
from calor.store.records import EventRecord, NewEvent, field_names

_EVENT = table_of(Event)

#: Heat's API sort keys (and the column names) -> columns.
SORT_KEYS: Mapping[str, str] = {
    "event_time": "created_at",
    "created_at": "created_at",
    "resource_type": "resource_type",
}


#: Built once: its parameters are each event's row.
_INSERT = insert(_EVENT)


def event_rows(events: Sequence[NewEvent]) -> list[dict[str, Any]]:
    """The rows of new events, ids and times assigned (sequences come on insert)."""
    rows: list[dict[str, Any]] = []
    for new in events:
        row = {name: getattr(new, name) for name in field_names(type(new))}
        if row["resource_properties"] is not None:
            row["resource_properties"] = dict(row["resource_properties"])
        row.update(id=str(uuid.uuid4()), created_at=utc_now())
        rows.append(row)
    return rows


def insert_event_rows(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Insert event rows in this transaction (another repository's, perhaps)."""
    # One row per statement: the sequence must follow the given order,
    # which a multi-row insert does not promise on every database.
    for row in rows:
        done = conn.execute(_INSERT, row)
        (row["sequence"],) = done.inserted_primary_key or (None,)


class Events:
    """The ``event`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        *,
        stack_id: str,
        resource_name: str,
        resource_action: str,
        resource_status: str,
        **values: Any,
    ) -> EventRecord:
        """Record one event; ``values`` are the optional fields of :class:`NewEvent`."""
        (record,) = await self.create_many(
            [NewEvent(stack_id=stack_id, resource_name=resource_name,
                      resource_action=resource_action, resource_status=resource_status,
                      **values)]
        )
        return record

    async def create_many(self, events: Sequence[NewEvent]) -> list[EventRecord]:
        """Record events in one transaction, in the given order."""
        rows = event_rows(events)
        await self._db.write(lambda conn: insert_event_rows(conn, rows))
        return [EventRecord(**row) for row in rows]

    def create_many_work(self, events: Sequence[NewEvent]) -> Callable[[Connection], None]:
        """:meth:`create_many` as work for another repository's transaction."""
        rows = event_rows(events)
        return lambda conn: insert_event_rows(conn, rows)

    async def get(self, event_id: str, *, stack_id: str | None = None) -> EventRecord:
        query = select(_EVENT).where(_EVENT.c.id == event_id)
        if stack_id is not None:
            query = query.where(_EVENT.c.stack_id == stack_id)
        row = await self._db.read(lambda conn: conn.execute(query).first())
        if row is None:
            raise EventNotFound(event_id)
        return EventRecord.from_row(row)

    async def list(
        self,
        stack_id: Match,
        *,
        resource_name: Match | None = None,
        resource_status: Match | None = None,
        resource_action: Match | None = None,
        resource_type: Match | None = None,
        sort_keys: Sequence[str] = (),
        sort_dir: str | None = None,
        limit: int | None = None,
        marker: str | None = None,
        after: int | None = None,
    ) -> builtins.list[EventRecord]:
        """Events of one stack (or several, for ``--nested-depth``), as Heat lists them.

        Without sort keys the newest event comes first, as in Heat. ``marker``
        is the id of the last event of the previous page. ``after`` is a
        sequence number: only later events, oldest first unless ``sort_dir``
        says otherwise (what ``--follow`` polls with). On PostgreSQL and MariaDB
        two writers may commit their sequence numbers out of order, so a
        follower should ask from a little before its last number and skip the
        ids it has seen.
        """
        query = select(_EVENT).where(matches(_EVENT.c.stack_id, stack_id))
        exact = {"resource_name": resource_name, "resource_status": resource_status,
                 "resource_action": resource_action, "resource_type": resource_type}
        for column, value in exact.items():
            if value is not None:
                query = query.where(matches(_EVENT.c[column], value))
        if after is not None:
            query = query.where(_EVENT.c.sequence > after)
        columns = [_EVENT.c[SORT_KEYS[k]] for k in sort_keys if k in SORT_KEYS]
        default = "asc" if columns or after is not None else "desc"
        ascending = _paging.is_ascending(sort_dir, default=default)
        keys = [*(columns or [_EVENT.c.created_at]), _EVENT.c.sequence]
        limit = _paging.check_limit(limit)

        def work(conn: Connection) -> Sequence[Any]:
            paged = query
            if marker is not None:
                found = conn.execute(select(*keys).where(_EVENT.c.id == marker)).first()
                if found is not None:
                    paged = paged.where(_paging.after_marker(keys, tuple(found), ascending))
            paged = paged.order_by(*_paging.order_by(keys, ascending))
            if limit is not None:
                paged = paged.limit(limit)
            return conn.execute(paged).all()

        return [EventRecord.from_row(r) for r in await self._db.read(work)]

    async def count(self, stack_id: str) -> int:
        query = select(func.count()).select_from(_EVENT).where(_EVENT.c.stack_id == stack_id)
        counted: int | None = await self._db.read(lambda conn: conn.scalar(query))
        return counted or 0

    async def purge(self, stack_id: str, *, keep: int) -> int:
        """Delete a stack's oldest events so that ``keep`` remain (``max_events_per_stack``)."""
        newest_dropped = (
            select(_EVENT.c.sequence)
            .where(_EVENT.c.stack_id == stack_id)
            .order_by(_EVENT.c.sequence.desc())
            .offset(keep)
            .limit(1)
        )

        def work(conn: Connection) -> int:
            threshold = conn.scalar(newest_dropped)
            if threshold is None:
                return 0
            done = conn.execute(
                delete(_EVENT).where(_EVENT.c.stack_id == stack_id, _EVENT.c.sequence <= threshold)
            )
            return int(done.rowcount)

        return await self._db.write(work)
