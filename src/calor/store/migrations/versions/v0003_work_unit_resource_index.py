"""Index work units by resource, so deleting a resource row does not scan them all.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

A work unit's foreign key to its resource cascades on delete; without an
index that starts with ``resource_id``, every resource deleted by a stack
delete made the database read the whole work_unit table.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_NAME = "ix_work_unit_resource_id"


def upgrade() -> None:
    op.create_index(op.f(_NAME), "work_unit", ["resource_id"])


def downgrade() -> None:
    op.drop_index(op.f(_NAME), table_name="work_unit")
