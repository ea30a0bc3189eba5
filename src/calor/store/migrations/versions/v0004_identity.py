"""Identity: domains, projects, users, roles, role assignments, application credentials, tokens.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

Written out in full, like 0001, so later model changes cannot rewrite it.
No rows are inserted: ``calor admin bootstrap`` creates the default domain,
the default roles and the first admin.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from calor.store.column_types import Json, UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_MYSQL: dict[str, Any] = {
    "mysql_engine": "InnoDB", "mysql_charset": "utf8mb4", "mysql_collate": "utf8mb4_bin"
}


def _id(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(64), nullable=nullable)


def _name(name: str = "name") -> sa.Column[str]:
    return sa.Column(name, sa.String(255), nullable=False)


def _flag(name: str) -> sa.Column[bool]:
    return sa.Column(name, sa.Boolean(), nullable=False)


def _time(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, UtcDateTime(), nullable=nullable)


def _json(name: str) -> sa.Column[object]:
    return sa.Column(name, Json(), nullable=False)


def _fk(column: str, target: str, table: str, cascade: bool = True) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [target], name=op.f(f"fk_{table}_{column}"),
        ondelete="CASCADE" if cascade else None,
    )


def _pk(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(*columns, name=op.f(f"pk_{table}"))


def _unique(table: str, *columns: str) -> sa.UniqueConstraint:
    return sa.UniqueConstraint(*columns, name=op.f(f"uq_{table}_{'_'.join(columns)}"))


def _index(table: str, *columns: str) -> None:
    op.create_index(op.f(f"ix_{table}_{'_'.join(columns)}"), table, list(columns))


def upgrade() -> None:
    op.create_table(
        "identity_domain",
        _id("id"),
        _name(),
        sa.Column("description", sa.Text(), nullable=False),
        _flag("enabled"),
        _time("created_at"),
        _pk("identity_domain", "id"),
        _unique("identity_domain", "name"),
        **_MYSQL,
    )
    op.create_table(
        "identity_project",
        _id("id"),
        _name(),
        _id("domain_id"),
        sa.Column("description", sa.Text(), nullable=False),
        _flag("enabled"),
        _json("tags"),
        _json("extra"),
        _time("created_at"),
        _fk("domain_id", "identity_domain.id", "identity_project", cascade=False),
        _pk("identity_project", "id"),
        _unique("identity_project", "domain_id", "name"),
        **_MYSQL,
    )
    op.create_table(
        "identity_user",
        _id("id"),
        _name(),
        _id("domain_id"),
        sa.Column("password_hash", sa.String(255), nullable=True),
        _flag("enabled"),
        _id("default_project_id", nullable=True),
        _json("extra"),
        _time("created_at"),
        _time("password_changed_at", nullable=True),
        _fk("domain_id", "identity_domain.id", "identity_user", cascade=False),
        _pk("identity_user", "id"),
        _unique("identity_user", "domain_id", "name"),
        **_MYSQL,
    )
    op.create_table(
        "identity_role",
        _id("id"),
        _name(),
        sa.Column("description", sa.Text(), nullable=True),
        _flag("immutable"),
        _time("created_at"),
        _pk("identity_role", "id"),
        _unique("identity_role", "name"),
        **_MYSQL,
    )
    op.create_table(
        "identity_role_assignment",
        _id("project_id"),
        _id("user_id"),
        _id("role_id"),
        _fk("project_id", "identity_project.id", "identity_role_assignment"),
        _fk("user_id", "identity_user.id", "identity_role_assignment"),
        _fk("role_id", "identity_role.id", "identity_role_assignment"),
        _pk("identity_role_assignment", "project_id", "user_id", "role_id"),
        **_MYSQL,
    )
    _index("identity_role_assignment", "user_id")
    _index("identity_role_assignment", "role_id")
    op.create_table(
        "identity_application_credential",
        _id("id"),
        _name(),
        _id("user_id"),
        _id("project_id"),
        sa.Column("secret_hash", sa.String(255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        _json("roles"),
        _flag("unrestricted"),
        _time("expires_at", nullable=True),
        _time("created_at"),
        _fk("user_id", "identity_user.id", "identity_application_credential"),
        _fk("project_id", "identity_project.id", "identity_application_credential"),
        _pk("identity_application_credential", "id"),
        _unique("identity_application_credential", "user_id", "name"),
        **_MYSQL,
    )
    _index("identity_application_credential", "project_id")
    op.create_table(
        "identity_token",
        sa.Column("id_hash", sa.String(64), nullable=False),
        _id("user_id"),
        _id("project_id", nullable=True),
        _id("application_credential_id", nullable=True),
        _json("methods"),
        _json("audit_ids"),
        _time("issued_at"),
        _time("expires_at"),
        _fk("user_id", "identity_user.id", "identity_token"),
        _fk("project_id", "identity_project.id", "identity_token"),
        _fk(
            "application_credential_id", "identity_application_credential.id",
            "identity_token",
        ),
        _pk("identity_token", "id_hash"),
        **_MYSQL,
    )
    for column in ("user_id", "project_id", "application_credential_id", "expires_at"):
        _index("identity_token", column)


def downgrade() -> None:
    for table in (
        "identity_token", "identity_application_credential", "identity_role_assignment",
        "identity_role", "identity_user", "identity_project", "identity_domain",
    ):
        op.drop_table(table)
