"""Index a traversal's work units by state, so "is any unit unfinished?" is one lookup.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

The worker asks that question each time a last unit of a traversal finishes;
with the state in the index it no longer walks every unit already done.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_OLD = "ix_work_unit_stack_id_traversal_id"
_NEW = "ix_work_unit_stack_id_traversal_id_state"


def upgrade() -> None:
    # The new index is created first: MariaDB needs one on stack_id for its foreign key.
    op.create_index(op.f(_NEW), "work_unit", ["stack_id", "traversal_id", "state"])
    op.drop_index(op.f(_OLD), table_name="work_unit")


def downgrade() -> None:
    op.create_index(op.f(_OLD), "work_unit", ["stack_id", "traversal_id"])
    op.drop_index(op.f(_NEW), table_name="work_unit")
