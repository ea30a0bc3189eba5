"""The store: Calor's persistent state in SQLite, PostgreSQL or MariaDB/MySQL.

SQLAlchemy 2 (asyncio) models and repositories, and Alembic migrations. It
imports nothing of Calor but :mod:`calor.config`. Open it with
``await Store.open(url)`` or ``async with Store.open(url) as store``; the
repositories hand out frozen records, never ORM objects.
"""

from __future__ import annotations

from calor.store.errors import (
    DatabaseUnavailable,
    DatabaseUrlError,
    EntityNotFound,
    EventNotFound,
    InvalidParameter,
    RawTemplateNotFound,
    ResourceNotFound,
    SnapshotNotFound,
    StackExists,
    StackNotFound,
    StoreError,
    WorkUnitNotFound,
)
from calor.store.migrate import current_revision, head_revision, upgrade
from calor.store.records import (
    EngineServiceRecord,
    EventRecord,
    NewEvent,
    NewResource,
    NewWorkUnit,
    RawTemplateRecord,
    ResourceDataRecord,
    ResourceRecord,
    SnapshotRecord,
    StackRecord,
    SyncPointRecord,
    WorkUnitRecord,
    WorkUnitState,
)
from calor.store.store import Store
from calor.store.url import Backend, parse_database_url

__all__ = [
    "Backend",
    "DatabaseUnavailable",
    "DatabaseUrlError",
    "EngineServiceRecord",
    "EntityNotFound",
    "EventNotFound",
    "EventRecord",
    "InvalidParameter",
    "NewEvent",
    "NewResource",
    "NewWorkUnit",
    "RawTemplateNotFound",
    "RawTemplateRecord",
    "ResourceDataRecord",
    "ResourceNotFound",
    "ResourceRecord",
    "SnapshotNotFound",
    "SnapshotRecord",
    "StackExists",
    "StackNotFound",
    "StackRecord",
    "Store",
    "StoreError",
    "SyncPointRecord",
    "WorkUnitNotFound",
    "WorkUnitRecord",
    "WorkUnitState",
    "current_revision",
    "head_revision",
    "parse_database_url",
    "upgrade",
]
