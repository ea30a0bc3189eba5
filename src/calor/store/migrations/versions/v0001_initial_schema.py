"""The initial schema: stacks, resources, events, sync points, work units, snapshots.

Revision ID: 0001
Revises:
Create Date: 2026-12-01

Written out in full rather than imported from the models, so later model
changes cannot rewrite history; ``tests/store/test_migrations.py`` checks
that the two agree.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from calor.store.column_types import BigAutoIncrement, Json, UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_MYSQL: dict[str, Any] = {
    "mysql_engine": "InnoDB", "mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_bin"
}


def _id(name: str, *, nullable: bool) -> sa.Column[str]:
    return sa.Column(name, sa.String(36), nullable=nullable)


def _name(name: str, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(255), nullable=nullable)


def _state(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.String(32), nullable=False)


def _time(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, UtcDateTime(), nullable=nullable)


def _json(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, Json(), nullable=nullable)


def _fk(column: str, target: str, table: str, cascade: bool = True) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [target], name=op.f(f"fk_{table}_{column}"),
        ondelete="CASCADE" if cascade else None,
    )


def _index(table: str, *columns: str) -> None:
    op.create_index(op.f(f"ix_{table}_{'_'.join(columns)}"), table, list(columns))


def upgrade() -> None:
    op.create_table(
        "raw_template",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _json("template"),
        _json("files"),
        _json("environment"),
        _time("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_raw_template")),
        **_MYSQL,
    )
    op.create_table(
        "stack",
        _id("id", nullable=False),
        _name("name"),
        sa.Column("project_id", sa.String(64), nullable=False),
        _id("owner_id", nullable=True),
        _name("parent_resource_name", nullable=True),
        sa.Column("raw_template_id", sa.Integer(), nullable=False),
        sa.Column("prev_raw_template_id", sa.Integer(), nullable=True),
        _state("action"),
        _state("status"),
        sa.Column("status_reason", sa.Text(), nullable=False),
        sa.Column("disable_rollback", sa.Boolean(), nullable=False),
        sa.Column("timeout_mins", sa.Integer(), nullable=True),
        _json("tags"),
        _json("parameters"),
        _time("created_at"),
        _time("updated_at", nullable=True),
        _time("deleted_at", nullable=True),
        sa.Column("live", sa.Boolean(), nullable=True),
        _id("current_traversal", nullable=True),
        sa.Column("nested_depth", sa.Integer(), nullable=False),
        _id("engine_id", nullable=True),
        _time("lock_heartbeat_at", nullable=True),
        sa.Column("atomic_key", sa.Integer(), nullable=False),
        _fk("raw_template_id", "raw_template.id", "stack", cascade=False),
        _fk("prev_raw_template_id", "raw_template.id", "stack", cascade=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stack")),
        sa.UniqueConstraint(
            "project_id", "name", "live", name=op.f("uq_stack_project_id_name_live")
        ),
        **_MYSQL,
    )
    _index("stack", "owner_id")
    op.create_table(
        "stack_tag",
        _id("stack_id", nullable=False),
        sa.Column("tag", sa.String(80), nullable=False),
        _fk("stack_id", "stack.id", "stack_tag"),
        sa.PrimaryKeyConstraint("stack_id", "tag", name=op.f("pk_stack_tag")),
        **_MYSQL,
    )
    _index("stack_tag", "tag")
    op.create_table(
        "resource",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        _id("uuid", nullable=False),
        _id("stack_id", nullable=False),
        _name("name"),
        _name("type"),
        _name("physical_resource_id", nullable=True),
        _state("action"),
        _state("status"),
        sa.Column("status_reason", sa.Text(), nullable=False),
        _json("properties_data", nullable=True),
        _json("attr_data", nullable=True),
        _json("rsrc_metadata", nullable=True),
        _json("requires"),
        _json("needed_by"),
        sa.Column("replaces", sa.Integer(), nullable=True),
        sa.Column("replaced_by", sa.Integer(), nullable=True),
        sa.Column("current_template_id", sa.Integer(), nullable=True),
        _id("engine_id", nullable=True),
        sa.Column("atomic_key", sa.Integer(), nullable=False),
        _time("created_at"),
        _time("updated_at", nullable=True),
        _fk("stack_id", "stack.id", "resource"),
        _fk("current_template_id", "raw_template.id", "resource", cascade=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource")),
        sa.UniqueConstraint("uuid", name=op.f("uq_resource_uuid")),
        **_MYSQL,
    )
    _index("resource", "stack_id", "name")
    _index("resource", "physical_resource_id")
    op.create_table(
        "resource_data",
        sa.Column("resource_id", sa.Integer(), nullable=False),
        _name("key"),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("redact", sa.Boolean(), nullable=False),
        _fk("resource_id", "resource.id", "resource_data"),
        sa.PrimaryKeyConstraint("resource_id", "key", name=op.f("pk_resource_data")),
        **_MYSQL,
    )
    op.create_table(
        "event",
        sa.Column("sequence", BigAutoIncrement, autoincrement=True, nullable=False),
        _id("id", nullable=False),
        _id("stack_id", nullable=False),
        _name("resource_name"),
        _name("physical_resource_id", nullable=True),
        _state("resource_action"),
        _state("resource_status"),
        sa.Column("resource_status_reason", sa.Text(), nullable=False),
        _name("resource_type", nullable=True),
        _json("resource_properties", nullable=True),
        _time("created_at"),
        _fk("stack_id", "stack.id", "event"),
        sa.PrimaryKeyConstraint("sequence", name=op.f("pk_event")),
        sa.UniqueConstraint("id", name=op.f("uq_event_id")),
        **_MYSQL,
    )
    _index("event", "stack_id", "created_at")
    op.create_table(
        "sync_point",
        _id("entity_id", nullable=False),
        _id("traversal_id", nullable=False),
        sa.Column("is_update", sa.Boolean(), nullable=False),
        _id("stack_id", nullable=False),
        sa.Column("atomic_key", sa.Integer(), nullable=False),
        _json("input_data"),
        _time("created_at"),
        _time("updated_at", nullable=True),
        _fk("stack_id", "stack.id", "sync_point"),
        sa.PrimaryKeyConstraint(
            "entity_id", "traversal_id", "is_update", name=op.f("pk_sync_point")
        ),
        **_MYSQL,
    )
    _index("sync_point", "stack_id", "traversal_id")
    op.create_table(
        "work_unit",
        _id("id", nullable=False),
        _id("stack_id", nullable=False),
        _id("traversal_id", nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("is_update", sa.Boolean(), nullable=False),
        _state("action"),
        sa.Column("state", sa.String(16), nullable=False),
        _id("worker_id", nullable=True),
        _time("heartbeat_at", nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _time("created_at"),
        _time("updated_at", nullable=True),
        _fk("stack_id", "stack.id", "work_unit"),
        _fk("resource_id", "resource.id", "work_unit"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_work_unit")),
        sa.UniqueConstraint(
            "traversal_id", "resource_id", "is_update",
            name=op.f("uq_work_unit_traversal_id_resource_id_is_update"),
        ),
        **_MYSQL,
    )
    _index("work_unit", "stack_id", "traversal_id")
    _index("work_unit", "state", "heartbeat_at")
    op.create_table(
        "snapshot",
        _id("id", nullable=False),
        _id("stack_id", nullable=False),
        _name("name", nullable=True),
        _state("action"),
        _state("status"),
        sa.Column("status_reason", sa.Text(), nullable=False),
        _json("data", nullable=True),
        _time("created_at"),
        _time("updated_at", nullable=True),
        _fk("stack_id", "stack.id", "snapshot"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_snapshot")),
        **_MYSQL,
    )
    _index("snapshot", "stack_id")
    op.create_table(
        "engine_service",
        _id("id", nullable=False),
        _name("hostname"),
        sa.Column("pid", sa.Integer(), nullable=False),
        _name("topic"),
        _time("created_at"),
        _time("last_heartbeat"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engine_service")),
        **_MYSQL,
    )


def downgrade() -> None:
    for table in (
        "engine_service", "snapshot", "work_unit", "sync_point", "event", "resource_data",
        "resource", "stack_tag", "stack", "raw_template",
    ):
        op.drop_table(table)
