"""Raw templates: what the user sent, kept so any engine can rebuild the stack."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, insert, select, update

from calor.store.column_types import utc_now
from calor.store.database import Database
from calor.store.errors import RawTemplateNotFound
from calor.store.models import RawTemplate, table_of
from calor.store.records import RawTemplateRecord

_TEMPLATE = table_of(RawTemplate)


class RawTemplates:
    """The ``raw_template`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(
        self,
        template: Mapping[str, Any],
        *,
        files: Mapping[str, str] | None = None,
        environment: Mapping[str, Any] | None = None,
    ) -> RawTemplateRecord:
        values: dict[str, Any] = {
            "template": dict(template),
            "files": dict(files or {}),
            "environment": dict(environment or {}),
            "created_at": utc_now(),
        }
        statement = insert(_TEMPLATE).values(values)
        key = await self._db.write(lambda conn: conn.execute(statement).inserted_primary_key)
        (new_id,) = key or (None,)
        assert new_id is not None
        return RawTemplateRecord(id=int(new_id), **values)

    async def get(self, template_id: int) -> RawTemplateRecord:
        query = select(_TEMPLATE).where(_TEMPLATE.c.id == template_id)
        row = await self._db.read(lambda conn: conn.execute(query).first())
        if row is None:
            raise RawTemplateNotFound(template_id)
        return RawTemplateRecord.from_row(row)

    async def update(
        self,
        template_id: int,
        *,
        template: Mapping[str, Any] | None = None,
        files: Mapping[str, str] | None = None,
        environment: Mapping[str, Any] | None = None,
    ) -> None:
        """Replace the parts given; :class:`RawTemplateNotFound` when there is no such row."""
        changes: dict[str, Any] = {}
        if template is not None:
            changes["template"] = dict(template)
        if files is not None:
            changes["files"] = dict(files)
        if environment is not None:
            changes["environment"] = dict(environment)
        if not changes:
            await self.get(template_id)
            return
        statement = update(_TEMPLATE).where(_TEMPLATE.c.id == template_id).values(changes)
        if await self._db.write(lambda conn: conn.execute(statement).rowcount) != 1:
            raise RawTemplateNotFound(template_id)

    async def delete(self, template_id: int) -> bool:
        """Remove a template no stack or resource refers to any more."""
        statement = delete(_TEMPLATE).where(_TEMPLATE.c.id == template_id)
        return await self._db.write(lambda conn: conn.execute(statement).rowcount == 1)
