"""The tables of the store, in Heat's vocabulary, shaped for work units and sync points.

Differences from Heat's ``heat/db/models.py`` (each for a reason):

- ``stack.live`` is True for a live stack and NULL once it is soft-deleted;
  the unique key ``(project_id, name, live)`` then allows one live stack per
  name, on MariaDB too, which has no partial indexes.
- Tags are kept in order in ``stack.tags`` (what the user sees) and, one row
  per tag, in ``stack_tag`` (what the list filters query).
- ``event.sequence`` is an autoincrement key that orders events stably and
  serves as the ``--follow`` cursor; ``event.id`` is the uuid users see.
- ``work_unit`` persists the queue entries of a traversal (DESIGN decision 1),
  so a unit held by a dead worker is found and taken over.
- No ``user_creds``, ``resource_properties_data`` (properties live on the
  row), ``software_config``/``software_deployment`` (they come with the
  software-deployment issue) or ``resource_snapshot`` (inside ``snapshot.data``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from calor.store.column_types import BigAutoIncrement, Json, UtcDateTime

#: Deterministic constraint names, so migrations can name what they change.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s",
    "pk": "pk_%(table_name)s",
}

#: Binary collation on MariaDB/MySQL: names compare as on SQLite and PostgreSQL.
MYSQL_OPTIONS = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}

ID = String(36)
NAME = String(255)
STATE = String(32)


class Base(DeclarativeBase):
    """Declarative base of the store's tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class RawTemplate(Base):
    """A template as the user sent it, with its files and environment."""

    __tablename__ = "raw_template"
    __table_args__ = (MYSQL_OPTIONS,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    template: Mapped[Any] = mapped_column(Json, nullable=False)
    files: Mapped[Any] = mapped_column(Json, nullable=False)
    environment: Mapped[Any] = mapped_column(Json, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class Stack(Base):
    """A stack: its state, the templates it came from, its traversal and lock."""

    __tablename__ = "stack"
    __table_args__ = (
        UniqueConstraint("project_id", "name", "live"),
        Index(None, "owner_id"),
        MYSQL_OPTIONS,
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(NAME, nullable=False)
    project_id: Mapped[str] = mapped_column(String(64), nullable=False)
    owner_id: Mapped[str | None] = mapped_column(ID)
    parent_resource_name: Mapped[str | None] = mapped_column(NAME)
    raw_template_id: Mapped[int] = mapped_column(ForeignKey("raw_template.id"), nullable=False)
    prev_raw_template_id: Mapped[int | None] = mapped_column(ForeignKey("raw_template.id"))
    action: Mapped[str] = mapped_column(STATE, nullable=False)
    status: Mapped[str] = mapped_column(STATE, nullable=False)
    status_reason: Mapped[str] = mapped_column(Text, nullable=False)
    disable_rollback: Mapped[bool] = mapped_column(Boolean, nullable=False)
    timeout_mins: Mapped[int | None] = mapped_column(Integer)
    tags: Mapped[Any] = mapped_column(Json, nullable=False)
    parameters: Mapped[Any] = mapped_column(Json, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    live: Mapped[bool | None] = mapped_column(Boolean)
    current_traversal: Mapped[str | None] = mapped_column(ID)
    nested_depth: Mapped[int] = mapped_column(Integer, nullable=False)
    # The engine holding the stack-wide lock, and when it last said it is alive.
    engine_id: Mapped[str | None] = mapped_column(ID)
    lock_heartbeat_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    atomic_key: Mapped[int] = mapped_column(Integer, nullable=False)


class StackTag(Base):
    """One tag of a stack, for the tags / tags_any / not_tags list filters."""

    __tablename__ = "stack_tag"
    __table_args__ = (Index(None, "tag"), MYSQL_OPTIONS)

    stack_id: Mapped[str] = mapped_column(
        ForeignKey("stack.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(80), primary_key=True)


class Resource(Base):
    """One resource row; a replacement is a second row with ``replaces`` set."""

    __tablename__ = "resource"
    __table_args__ = (
        Index(None, "stack_id", "name"),
        Index(None, "physical_resource_id"),
        MYSQL_OPTIONS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uuid: Mapped[str] = mapped_column(ID, nullable=False, unique=True)
    stack_id: Mapped[str] = mapped_column(
        ForeignKey("stack.id", ondelete="CASCADE"), nullable=False
    )
    name: Mapped[str] = mapped_column(NAME, nullable=False)
    type: Mapped[str] = mapped_column(NAME, nullable=False)
    physical_resource_id: Mapped[str | None] = mapped_column(NAME)
    action: Mapped[str] = mapped_column(STATE, nullable=False)
    status: Mapped[str] = mapped_column(STATE, nullable=False)
    status_reason: Mapped[str] = mapped_column(Text, nullable=False)
    properties_data: Mapped[Any] = mapped_column(Json, nullable=True)
    attr_data: Mapped[Any] = mapped_column(Json, nullable=True)
    rsrc_metadata: Mapped[Any] = mapped_column(Json, nullable=True)
    requires: Mapped[Any] = mapped_column(Json, nullable=False)
    needed_by: Mapped[Any] = mapped_column(Json, nullable=False)
    replaces: Mapped[int | None] = mapped_column(Integer)
    replaced_by: Mapped[int | None] = mapped_column(Integer)
    current_template_id: Mapped[int | None] = mapped_column(ForeignKey("raw_template.id"))
    # The engine working on the resource: the resource lock of convergence.
    engine_id: Mapped[str | None] = mapped_column(ID)
    atomic_key: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ResourceData(Base):
    """A plugin's small persistent data: one key and value of one resource."""

    __tablename__ = "resource_data"
    __table_args__ = (MYSQL_OPTIONS,)

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(NAME, primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)
    redact: Mapped[bool] = mapped_column(Boolean, nullable=False)


class Event(Base):
    """A state change of a stack or one of its resources."""

    __tablename__ = "event"
    __table_args__ = (Index(None, "stack_id", "created_at"), MYSQL_OPTIONS)

    sequence: Mapped[int] = mapped_column(BigAutoIncrement, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(ID, nullable=False, unique=True)
    stack_id: Mapped[str] = mapped_column(
        ForeignKey("stack.id", ondelete="CASCADE"), nullable=False
    )
    resource_name: Mapped[str] = mapped_column(NAME, nullable=False)
    physical_resource_id: Mapped[str | None] = mapped_column(NAME)
    resource_action: Mapped[str] = mapped_column(STATE, nullable=False)
    resource_status: Mapped[str] = mapped_column(STATE, nullable=False)
    resource_status_reason: Mapped[str] = mapped_column(Text, nullable=False)
    resource_type: Mapped[str | None] = mapped_column(NAME)
    resource_properties: Mapped[Any] = mapped_column(Json, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class SyncPoint(Base):
    """Where a node of a traversal gathers what its predecessors reported."""

    __tablename__ = "sync_point"
    __table_args__ = (Index(None, "stack_id", "traversal_id"), MYSQL_OPTIONS)

    entity_id: Mapped[str] = mapped_column(ID, primary_key=True)
    traversal_id: Mapped[str] = mapped_column(ID, primary_key=True)
    is_update: Mapped[bool] = mapped_column(Boolean, primary_key=True)
    stack_id: Mapped[str] = mapped_column(
        ForeignKey("stack.id", ondelete="CASCADE"), nullable=False
    )
    atomic_key: Mapped[int] = mapped_column(Integer, nullable=False)
    input_data: Mapped[Any] = mapped_column(Json, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class WorkUnit(Base):
    """One resource, in one traversal, doing one action: a persisted queue entry."""

    __tablename__ = "work_unit"
    __table_args__ = (
        UniqueConstraint("traversal_id", "resource_id", "is_update"),
        Index(None, "stack_id", "traversal_id", "state"),
        Index(None, "resource_id"),
        Index(None, "state", "heartbeat_at"),
        MYSQL_OPTIONS,
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    stack_id: Mapped[str] = mapped_column(
        ForeignKey("stack.id", ondelete="CASCADE"), nullable=False
    )
    traversal_id: Mapped[str] = mapped_column(ID, nullable=False)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resource.id", ondelete="CASCADE"), nullable=False
    )
    is_update: Mapped[bool] = mapped_column(Boolean, nullable=False)
    action: Mapped[str] = mapped_column(STATE, nullable=False)
    state: Mapped[str] = mapped_column(String(16), nullable=False)
    worker_id: Mapped[str | None] = mapped_column(ID)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Snapshot(Base):
    """A stack snapshot: the data needed to restore the stack to it."""

    __tablename__ = "snapshot"
    __table_args__ = (Index(None, "stack_id"), MYSQL_OPTIONS)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    stack_id: Mapped[str] = mapped_column(
        ForeignKey("stack.id", ondelete="CASCADE"), nullable=False
    )
    name: Mapped[str | None] = mapped_column(NAME)
    action: Mapped[str] = mapped_column(STATE, nullable=False)
    status: Mapped[str] = mapped_column(STATE, nullable=False)
    status_reason: Mapped[str] = mapped_column(Text, nullable=False)
    data: Mapped[Any] = mapped_column(Json, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class EngineService(Base):
    """An engine or worker process and its last heartbeat."""

    __tablename__ = "engine_service"
    __table_args__ = (MYSQL_OPTIONS,)

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    hostname: Mapped[str] = mapped_column(NAME, nullable=False)
    pid: Mapped[int] = mapped_column(Integer, nullable=False)
    topic: Mapped[str] = mapped_column(NAME, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    last_heartbeat: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


def table_of(model: type[Base]) -> Table:
    """The Core table of a model: repositories build Core statements on it."""
    table = model.__table__
    assert isinstance(table, Table)
    return table
