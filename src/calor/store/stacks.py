"""Stacks: create, look up, list with Heat's filters, update with compare-and-swap, lock."""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    delete,
    exists,
    func,
    insert,
    not_,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from calor.store import _paging
from calor.store._statements import UNSET, Match, Unset, check_tags, checked_changes, matches
from calor.store.column_types import utc_now
from calor.store.database import Database
from calor.store.errors import StackExists, StackNotFound
from calor.store.events import event_rows, insert_event_rows
from calor.store.models import Resource, Stack, StackTag, SyncPoint, WorkUnit, table_of
from calor.store.records import NewEvent, StackRecord

_STACK = table_of(Stack)
_TAG = table_of(StackTag)

#: Heat's API sort keys (and the column names themselves) -> columns.
SORT_KEYS: Mapping[str, str] = {
    "stack_name": "name",
    "stack_status": "status",
    "creation_time": "created_at",
    "updated_time": "updated_at",
    "name": "name",
    "status": "status",
    "created_at": "created_at",
    "updated_at": "updated_at",
}

_UPDATABLE = frozenset(
    {
        "name", "owner_id", "parent_resource_name", "raw_template_id",
        "prev_raw_template_id", "action", "status", "status_reason", "disable_rollback",
        "timeout_mins", "tags", "parameters", "updated_at", "current_traversal",
        "nested_depth", "engine_id",
    }
)


class Stacks:
    """The ``stack`` table (and its ``stack_tag`` index of tags)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        *,
        name: str,
        project_id: str,
        raw_template_id: int,
        id: str | None = None,
        owner_id: str | None = None,
        parent_resource_name: str | None = None,
        prev_raw_template_id: int | None = None,
        action: str = "INIT",
        status: str = "COMPLETE",
        status_reason: str = "",
        disable_rollback: bool = True,
        timeout_mins: int | None = None,
        tags: Sequence[str] = (),
        parameters: Mapping[str, Any] | None = None,
        nested_depth: int = 0,
        current_traversal: str | None = None,
        engine_id: str | None = None,
    ) -> StackRecord:
        """Store a new stack; :class:`StackExists` if the project has a live one so named."""
        record = StackRecord(
            id=id or str(uuid.uuid4()), name=name, project_id=project_id, owner_id=owner_id,
            parent_resource_name=parent_resource_name, raw_template_id=raw_template_id,
            prev_raw_template_id=prev_raw_template_id, action=action, status=status,
            status_reason=status_reason, disable_rollback=disable_rollback,
            timeout_mins=timeout_mins, tags=check_tags(tags), parameters=dict(parameters or {}),
            created_at=utc_now(), updated_at=None, deleted_at=None,
            current_traversal=current_traversal, nested_depth=nested_depth, engine_id=engine_id,
            lock_heartbeat_at=None, atomic_key=0,
        )
        row = {f: getattr(record, f) for f in StackRecord.__dataclass_fields__}

        def work(conn: Connection) -> None:
            conn.execute(insert(_STACK).values({**row, "live": True}))
            _write_tags(conn, record.id, record.tags)

        try:
            await self._db.write(work)
        except IntegrityError:
            if await self._live_name_taken(project_id, name):
                raise StackExists(name) from None
            raise
        return record

    async def _live_name_taken(self, project_id: str, name: str) -> bool:
        query = select(_STACK.c.id).where(
            _STACK.c.project_id == project_id, _STACK.c.name == name,
            _STACK.c.deleted_at.is_(None),
        )
        return await self._db.read(lambda conn: conn.scalar(query)) is not None

    async def get(
        self, stack_id: str, *, project_id: str | None = None, show_deleted: bool = False
    ) -> StackRecord:
        """The stack with this id (in this project, if given), or :class:`StackNotFound`."""
        query = select(_STACK).where(_STACK.c.id == stack_id)
        if project_id is not None:
            query = query.where(_STACK.c.project_id == project_id)
        if not show_deleted:
            query = query.where(_STACK.c.deleted_at.is_(None))
        row = await self._db.read(lambda conn: conn.execute(query).first())
        if row is None:
            raise StackNotFound(stack_id)
        return StackRecord.from_row(row)

    async def find(self, name_or_id: str, *, project_id: str | None) -> StackRecord:
        """A live stack by id, else by name, as ``openstack stack show NAME_OR_ID`` looks."""
        base = select(_STACK).where(_STACK.c.deleted_at.is_(None))
        if project_id is not None:
            base = base.where(_STACK.c.project_id == project_id)
        by_id = base.where(_STACK.c.id == name_or_id)
        by_name = base.where(_STACK.c.name == name_or_id).order_by(_STACK.c.created_at).limit(1)

        def work(conn: Connection) -> Any:
            return conn.execute(by_id).first() or conn.execute(by_name).first()

        row = await self._db.read(work)
        if row is None:
            raise StackNotFound(name_or_id)
        return StackRecord.from_row(row)

    async def list(
        self,
        project_id: str | None = None,
        *,
        id: Match | None = None,
        name: Match | None = None,
        status: Match | None = None,
        action: Match | None = None,
        owner_id: Match | None = None,
        engine_id: Match | None = None,
        tags: Sequence[str] = (),
        tags_any: Sequence[str] = (),
        not_tags: Sequence[str] = (),
        not_tags_any: Sequence[str] = (),
        show_deleted: bool = False,
        show_nested: bool = False,
        sort_keys: Sequence[str] = (),
        sort_dir: str | None = None,
        limit: int | None = None,
        marker: str | None = None,
    ) -> builtins.list[StackRecord]:
        """Stacks as Heat's ``stack_get_all`` lists them.

        ``project_id=None`` lists every project. Without ``show_nested`` only
        top-level stacks are listed (unless ``owner_id`` asks for children).
        Unknown sort keys are ignored, as Heat does; without any, the newest
        stack comes first. ``marker`` is the id of the last stack of the
        previous page.
        """
        query = _filtered(
            select(_STACK), project_id, id=id, name=name, status=status, action=action,
            owner_id=owner_id, engine_id=engine_id, tags=tags, tags_any=tags_any,
            not_tags=not_tags, not_tags_any=not_tags_any, show_deleted=show_deleted,
            show_nested=show_nested,
        )
        columns = [_STACK.c[SORT_KEYS[k]] for k in sort_keys if k in SORT_KEYS]
        ascending = _paging.is_ascending(sort_dir, default="asc" if columns else "desc")
        keys = [*(columns or [_STACK.c.created_at]), _STACK.c.id]
        limit = _paging.check_limit(limit)

        def work(conn: Connection) -> Sequence[Any]:
            paged = query
            if marker is not None:
                found = conn.execute(select(*keys).where(_STACK.c.id == marker)).first()
                if found is not None:
                    paged = paged.where(_paging.after_marker(keys, tuple(found), ascending))
            paged = paged.order_by(*_paging.order_by(keys, ascending))
            if limit is not None:
                paged = paged.limit(limit)
            return conn.execute(paged).all()

        return [StackRecord.from_row(r) for r in await self._db.read(work)]

    async def count(
        self,
        project_id: str | None = None,
        *,
        id: Match | None = None,
        name: Match | None = None,
        status: Match | None = None,
        action: Match | None = None,
        owner_id: Match | None = None,
        engine_id: Match | None = None,
        tags: Sequence[str] = (),
        tags_any: Sequence[str] = (),
        not_tags: Sequence[str] = (),
        not_tags_any: Sequence[str] = (),
        show_deleted: bool = False,
        show_nested: bool = False,
    ) -> int:
        """How many stacks :meth:`list` would give without paging (``with_count``)."""
        query = _filtered(
            select(func.count()).select_from(_STACK), project_id, id=id, name=name,
            status=status, action=action, owner_id=owner_id, engine_id=engine_id, tags=tags,
            tags_any=tags_any, not_tags=not_tags, not_tags_any=not_tags_any,
            show_deleted=show_deleted, show_nested=show_nested,
        )
        counted: int | None = await self._db.read(lambda conn: conn.scalar(query))
        return counted or 0

    async def update(
        self,
        stack_id: str,
        *,
        expected_atomic_key: int | None = None,
        expected_traversal: str | Unset | None = UNSET,
        events: Sequence[NewEvent] = (),
        **values: Any,
    ) -> bool:
        """Change a live stack; False when an expected key or traversal no longer holds.

        Every successful update increments ``atomic_key``. A stack that is not
        there (or soft-deleted) is :class:`StackNotFound`, as in Heat.
        ``events`` are recorded in the same transaction when the update wins,
        so a reader never sees the new status without its event.
        """
        changes = checked_changes(values, _UPDATABLE, "stack")
        conditions = [_STACK.c.id == stack_id, _STACK.c.deleted_at.is_(None)]
        if expected_atomic_key is not None:
            conditions.append(_STACK.c.atomic_key == expected_atomic_key)
        if expected_traversal is None:
            conditions.append(_STACK.c.current_traversal.is_(None))
        elif not isinstance(expected_traversal, Unset):
            conditions.append(_STACK.c.current_traversal == expected_traversal)
        if "tags" in changes:
            changes["tags"] = check_tags(changes["tags"])
        statement = (
            update(_STACK)
            .where(*conditions)
            .values({**changes, "atomic_key": _STACK.c.atomic_key + 1})
        )

        rows = event_rows(events)

        def work(conn: Connection) -> bool:
            won = conn.execute(statement).rowcount == 1
            if won and rows:
                insert_event_rows(conn, rows)
            if won and "tags" in changes:
                conn.execute(delete(_TAG).where(_TAG.c.stack_id == stack_id))
                _write_tags(conn, stack_id, changes["tags"])
            if not won and not _is_live(conn, stack_id):
                raise StackNotFound(stack_id)
            return won

        return await self._db.write(work)

    async def switch_traversal(
        self, stack_id: str, *, expected_traversal: str | None, new_traversal: str, **values: Any
    ) -> bool:
        """Start ``new_traversal`` if ``expected_traversal`` is still current (Heat's exp_trvsl)."""
        return await self.update(
            stack_id, expected_traversal=expected_traversal, current_traversal=new_traversal,
            **values,
        )

    async def soft_delete(self, stack_id: str) -> None:
        """Mark a stack deleted and drop its resources, sync points and work units.

        Its events and snapshots stay, as in Heat, so ``show_deleted`` still
        shows what happened; its name is free for a new stack at once.
        """
        statement = (
            update(_STACK)
            .where(_STACK.c.id == stack_id, _STACK.c.deleted_at.is_(None))
            .values(deleted_at=utc_now(), live=None, atomic_key=_STACK.c.atomic_key + 1)
        )

        def work(conn: Connection) -> None:
            if conn.execute(statement).rowcount != 1:
                raise StackNotFound(stack_id)
            for table in (table_of(WorkUnit), table_of(SyncPoint), table_of(Resource)):
                conn.execute(delete(table).where(table.c.stack_id == stack_id))

        await self._db.write(work)

    async def acquire_lock(
        self, stack_id: str, engine_id: str, *, stale_before: datetime | None = None
    ) -> bool:
        """Take the stack lock if it is free, already ours, or its holder went quiet.

        ``stale_before``: a lock whose heartbeat is older than this is taken
        over (its engine is presumed dead).
        """
        holders: builtins.list[ColumnElement[bool]] = [
            _STACK.c.engine_id.is_(None), _STACK.c.engine_id == engine_id
        ]
        if stale_before is not None:
            holders.append(_STACK.c.lock_heartbeat_at < stale_before)
        statement = (
            update(_STACK)
            .where(_STACK.c.id == stack_id, _STACK.c.deleted_at.is_(None), or_(*holders))
            .values(engine_id=engine_id, lock_heartbeat_at=utc_now())
        )
        return await self._db.write(lambda conn: conn.execute(statement).rowcount == 1)

    async def refresh_lock(self, stack_id: str, engine_id: str) -> bool:
        """The holder's heartbeat on its lock; False if the lock is no longer ours."""
        statement = (
            update(_STACK)
            .where(_STACK.c.id == stack_id, _STACK.c.engine_id == engine_id)
            .values(lock_heartbeat_at=utc_now())
        )
        return await self._db.write(lambda conn: conn.execute(statement).rowcount == 1)

    async def release_lock(self, stack_id: str, engine_id: str, **values: Any) -> bool:
        """Persist ``values`` and release the lock in one step, if the lock is ours."""
        changes = checked_changes(values, _UPDATABLE - {"tags"}, "stack")
        if changes:
            changes["atomic_key"] = _STACK.c.atomic_key + 1
        statement = (
            update(_STACK)
            .where(_STACK.c.id == stack_id, _STACK.c.engine_id == engine_id)
            .values({**changes, "engine_id": None, "lock_heartbeat_at": None})
        )
        return await self._db.write(lambda conn: conn.execute(statement).rowcount == 1)


def _write_tags(conn: Connection, stack_id: str, tags: Sequence[str]) -> None:
    unique = list(dict.fromkeys(tags))
    if unique:
        conn.execute(insert(_TAG), [{"stack_id": stack_id, "tag": t} for t in unique])


def _is_live(conn: Connection, stack_id: str) -> bool:
    found = conn.scalar(
        select(_STACK.c.id).where(_STACK.c.id == stack_id, _STACK.c.deleted_at.is_(None))
    )
    return found is not None


def _has_tag(*tags: str) -> ColumnElement[bool]:
    return exists().where(_TAG.c.stack_id == _STACK.c.id, _TAG.c.tag.in_(tags))


def _filtered(
    query: Select[Any],
    project_id: str | None,
    *,
    id: Match | None,
    name: Match | None,
    status: Match | None,
    action: Match | None,
    owner_id: Match | None,
    engine_id: Match | None,
    tags: Sequence[str],
    tags_any: Sequence[str],
    not_tags: Sequence[str],
    not_tags_any: Sequence[str],
    show_deleted: bool,
    show_nested: bool,
) -> Select[Any]:
    if project_id is not None:
        query = query.where(_STACK.c.project_id == project_id)
    if not show_deleted:
        query = query.where(_STACK.c.deleted_at.is_(None))
    if not show_nested and owner_id is None:
        query = query.where(_STACK.c.owner_id.is_(None))
    exact = {"id": id, "name": name, "status": status, "action": action,
             "owner_id": owner_id, "engine_id": engine_id}
    for column, value in exact.items():
        if value is not None:
            query = query.where(matches(_STACK.c[column], value))
    if tags:
        query = query.where(and_(*(_has_tag(t) for t in tags)))
    if tags_any:
        query = query.where(_has_tag(*tags_any))
    if not_tags:
        query = query.where(not_(and_(*(_has_tag(t) for t in not_tags))))
    if not_tags_any:
        query = query.where(not_(_has_tag(*not_tags_any)))
    return query
