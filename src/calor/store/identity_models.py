"""The identity tables: domains, projects, users, roles, assignments, tokens, app credentials.

A Keystone v3 compatible subset (see :mod:`calor.identity`). Differences from
Keystone's schema, each for a reason:

- Table names carry an ``identity_`` prefix: ``user`` is a reserved word on
  PostgreSQL, and the prefix keeps these apart from the orchestration tables.
- Only users and projects with roles: no groups, no domain or system
  assignments, no inherited roles; one ``identity_role_assignment`` row is a
  user holding a role on a project.
- A token row is keyed by the SHA-256 of the token, never the token itself,
  so a copy of the database hands out no credentials. Roles are not copied
  into it: they are read when the token is validated, as Keystone does with
  fernet tokens, so removing a role takes effect at once.
- Every foreign key column leads an index or the primary key: MariaDB would
  otherwise add its own index, and the migrated schema would differ from these
  models.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from calor.store.column_types import Json, UtcDateTime
from calor.store.models import MYSQL_OPTIONS, NAME, Base

#: Keystone's ids are 32 hex digits; ``default`` is the id of the default domain.
IDENTITY_ID = String(64)


class IdentityDomain(Base):
    """A domain: the namespace of project and user names (Calor has ``default``)."""

    __tablename__ = "identity_domain"
    __table_args__ = (MYSQL_OPTIONS,)

    id: Mapped[str] = mapped_column(IDENTITY_ID, primary_key=True)
    name: Mapped[str] = mapped_column(NAME, nullable=False, unique=True)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class IdentityProject(Base):
    """A project (tenant): what stacks and role assignments belong to."""

    __tablename__ = "identity_project"
    __table_args__ = (UniqueConstraint("domain_id", "name"), MYSQL_OPTIONS)

    id: Mapped[str] = mapped_column(IDENTITY_ID, primary_key=True)
    name: Mapped[str] = mapped_column(NAME, nullable=False)
    domain_id: Mapped[str] = mapped_column(
        ForeignKey("identity_domain.id"), nullable=False
    )
    description: Mapped[str] = mapped_column(Text, nullable=False)
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False)
    tags: Mapped[Any] = mapped_column(Json, nullable=False)
    # Attributes Keystone keeps beyond its schema (``--property k=v``).
    extra: Mapped[Any] = mapped_column(Json, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class IdentityUser(Base):
    """A user with an argon2 password hash (NULL: no password, cannot log in with one)."""

    __tablename__ = "identity_user"
    __table_args__ = (UniqueConstraint("domain_id", "name"), MYSQL_OPTIONS)

    id: Mapped[str] = mapped_column(IDENTITY_ID, primary_key=True)
    name: Mapped[str] = mapped_column(NAME, nullable=False)
    domain_id: Mapped[str] = mapped_column(
        ForeignKey("identity_domain.id"), nullable=False
    )
    password_hash: Mapped[str | None] = mapped_column(String(255))
    enabled: Mapped[bool] = mapped_column(Boolean, nullable=False)
    # No foreign key: Keystone keeps the id when the project goes away.
    default_project_id: Mapped[str | None] = mapped_column(IDENTITY_ID)
    # description, email and whatever else a client sends.
    extra: Mapped[Any] = mapped_column(Json, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    password_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class IdentityRole(Base):
    """A role; ``immutable`` ones (the defaults bootstrap makes) cannot be deleted."""

    __tablename__ = "identity_role"
    __table_args__ = (MYSQL_OPTIONS,)

    id: Mapped[str] = mapped_column(IDENTITY_ID, primary_key=True)
    name: Mapped[str] = mapped_column(NAME, nullable=False, unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    immutable: Mapped[bool] = mapped_column(Boolean, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class IdentityRoleAssignment(Base):
    """A user holding a role on a project."""

    __tablename__ = "identity_role_assignment"
    __table_args__ = (Index(None, "user_id"), Index(None, "role_id"), MYSQL_OPTIONS)

    project_id: Mapped[str] = mapped_column(
        ForeignKey("identity_project.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(
        ForeignKey("identity_user.id", ondelete="CASCADE"), primary_key=True
    )
    role_id: Mapped[str] = mapped_column(
        ForeignKey("identity_role.id", ondelete="CASCADE"), primary_key=True
    )


class IdentityApplicationCredential(Base):
    """A secret a user made to let a program act in one project with some of their roles."""

    __tablename__ = "identity_application_credential"
    __table_args__ = (
        UniqueConstraint("user_id", "name"),
        Index(None, "project_id"),
        MYSQL_OPTIONS,
    )

    id: Mapped[str] = mapped_column(IDENTITY_ID, primary_key=True)
    name: Mapped[str] = mapped_column(NAME, nullable=False)
    user_id: Mapped[str] = mapped_column(
        ForeignKey("identity_user.id", ondelete="CASCADE"), nullable=False
    )
    project_id: Mapped[str] = mapped_column(
        ForeignKey("identity_project.id", ondelete="CASCADE"), nullable=False
    )
    secret_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    # The ids of the roles it grants (each only while the user still holds it).
    roles: Mapped[Any] = mapped_column(Json, nullable=False)
    unrestricted: Mapped[bool] = mapped_column(Boolean, nullable=False)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class IdentityToken(Base):
    """An issued token, by the SHA-256 of its text; deleting the row revokes it."""

    __tablename__ = "identity_token"
    __table_args__ = (
        Index(None, "user_id"),
        Index(None, "project_id"),
        Index(None, "application_credential_id"),
        Index(None, "expires_at"),
        MYSQL_OPTIONS,
    )

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(
        ForeignKey("identity_user.id", ondelete="CASCADE"), nullable=False
    )
    project_id: Mapped[str | None] = mapped_column(
        ForeignKey("identity_project.id", ondelete="CASCADE")
    )
    application_credential_id: Mapped[str | None] = mapped_column(
        ForeignKey("identity_application_credential.id", ondelete="CASCADE")
    )
    methods: Mapped[Any] = mapped_column(Json, nullable=False)
    audit_ids: Mapped[Any] = mapped_column(Json, nullable=False)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
