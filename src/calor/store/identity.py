"""The identity tables' repositories: frozen records in, frozen records out.

``store.identity`` holds one repository per table (``domains``, ``projects``,
``users``, ``roles``, ``assignments``, ``application_credentials``,
``tokens``) and :meth:`IdentityTables.scope` / :meth:`IdentityTables.token_scope`,
which read everything a token needs in one transaction. What the rows mean
(passwords, policy, implied roles) is :mod:`calor.identity`'s business.
"""

from __future__ import annotations

import builtins
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, ClassVar, Generic, TypeVar

from sqlalchemy import ColumnElement, Table, delete, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from calor.store._statements import checked_changes
from calor.store.column_types import utc_now
from calor.store.database import Database
from calor.store.errors import StoreError
from calor.store.identity_models import (
    IdentityApplicationCredential,
    IdentityDomain,
    IdentityProject,
    IdentityRole,
    IdentityRoleAssignment,
    IdentityToken,
    IdentityUser,
)
from calor.store.models import table_of
from calor.store.records import _Record

_DOMAIN = table_of(IdentityDomain)
_PROJECT = table_of(IdentityProject)
_USER = table_of(IdentityUser)
_ROLE = table_of(IdentityRole)
_ASSIGNMENT = table_of(IdentityRoleAssignment)
_APP_CRED = table_of(IdentityApplicationCredential)
_TOKEN = table_of(IdentityToken)


class IdentityConflict(StoreError):
    """A name another row of the same kind (in the same domain or of the same user) has."""

    error_type = "Conflict"


@dataclass(frozen=True, slots=True)
class DomainRecord(_Record):
    id: str
    name: str
    description: str
    enabled: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ProjectRecord(_Record):
    id: str
    name: str
    domain_id: str
    description: str
    enabled: bool
    tags: Sequence[str]
    extra: Mapping[str, Any]
    created_at: datetime


@dataclass(frozen=True, slots=True)
class UserRecord(_Record):
    id: str
    name: str
    domain_id: str
    password_hash: str | None = field(repr=False)
    enabled: bool
    default_project_id: str | None
    extra: Mapping[str, Any]
    created_at: datetime
    password_changed_at: datetime | None


@dataclass(frozen=True, slots=True)
class RoleRecord(_Record):
    id: str
    name: str
    description: str | None
    immutable: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class RoleAssignmentRecord(_Record):
    project_id: str
    user_id: str
    role_id: str


@dataclass(frozen=True, slots=True)
class ApplicationCredentialRecord(_Record):
    id: str
    name: str
    user_id: str
    project_id: str
    secret_hash: str = field(repr=False)
    description: str | None
    roles: Sequence[str]
    unrestricted: bool
    expires_at: datetime | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class TokenRecord(_Record):
    id_hash: str = field(repr=False)
    user_id: str
    project_id: str | None
    application_credential_id: str | None
    methods: Sequence[str]
    audit_ids: Sequence[str]
    issued_at: datetime
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class ScopeView:
    """A user and (maybe) a project, read together: what a token stands for right now."""

    user: UserRecord
    user_domain: DomainRecord
    project: ProjectRecord | None
    project_domain: DomainRecord | None
    #: The roles the user holds on the project directly (none without a project).
    assigned_role_ids: frozenset[str]
    #: Every role there is (a handful): names, and the defaults' implications.
    roles: tuple[RoleRecord, ...]
    application_credential: ApplicationCredentialRecord | None = None


R = TypeVar("R", bound=_Record)


def new_id() -> str:
    """A Keystone-style id: a random UUID as 32 hex digits."""
    return uuid.uuid4().hex


def _row(record: Any) -> dict[str, Any]:
    return {f.name: getattr(record, f.name) for f in fields(record)}


class _Rows(Generic[R]):
    """What every identity repository does with its table."""

    table: ClassVar[Table]
    record: type[R]
    what: ClassVar[str]
    updatable: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, db: Database) -> None:
        self._db = db

    async def _insert(self, record: R, conflict: Callable[[], str]) -> R:
        statement = insert(self.table).values(_row(record))
        try:
            await self._db.write(lambda conn: conn.execute(statement))
        except IntegrityError as exc:
            raise IdentityConflict(conflict()) from exc
        return record

    async def get(self, key: str) -> R | None:
        """The row with this id, or None."""
        query = select(self.table).where(self.table.c.id == key)
        row = await self._db.read(lambda conn: conn.execute(query).first())
        return None if row is None else self.record.from_row(row)

    async def _first(self, *where: ColumnElement[bool]) -> R | None:
        query = select(self.table).where(*where)
        row = await self._db.read(lambda conn: conn.execute(query).first())
        return None if row is None else self.record.from_row(row)

    async def _list(self, *where: ColumnElement[bool], order: str = "name") -> list[R]:
        query = select(self.table).where(*where).order_by(self.table.c[order], self.table.c.id)
        rows = await self._db.read(lambda conn: conn.execute(query).all())
        return [self.record.from_row(r) for r in rows]

    async def update(self, key: str, conflict: Callable[[], str], **values: Any) -> R | None:
        """Change some columns; the changed row, or None when there is none."""
        changes = checked_changes(values, self.updatable, self.what)

        def work(conn: Connection) -> Any:
            if changes:
                conn.execute(update(self.table).where(self.table.c.id == key).values(changes))
            return conn.execute(select(self.table).where(self.table.c.id == key)).first()

        try:
            row = await self._db.write(work)
        except IntegrityError as exc:
            raise IdentityConflict(conflict()) from exc
        return None if row is None else self.record.from_row(row)

    async def delete(self, key: str) -> bool:
        """Delete the row (and, by cascade, what hangs on it); False when there was none."""
        statement = delete(self.table).where(self.table.c.id == key)
        return bool(await self._db.write(lambda conn: conn.execute(statement).rowcount))


def _matching(table: Table, **filters: Any) -> list[ColumnElement[bool]]:
    """``column == value`` for every filter that is not None."""
    return [table.c[name] == value for name, value in filters.items() if value is not None]


class Domains(_Rows[DomainRecord]):
    """The ``identity_domain`` table."""

    table = _DOMAIN
    record = DomainRecord
    what = "domain"

    async def create(
        self, *, id: str, name: str, description: str = "", enabled: bool = True
    ) -> DomainRecord:
        record = DomainRecord(id, name, description, enabled, utc_now())
        return await self._insert(record, lambda: f"Duplicate entry found with name {name}.")

    async def find(self, name: str) -> DomainRecord | None:
        return await self._first(_DOMAIN.c.name == name)

    async def list(
        self, *, name: str | None = None, enabled: bool | None = None
    ) -> builtins.list[DomainRecord]:
        return await self._list(*_matching(_DOMAIN, name=name, enabled=enabled))


class Projects(_Rows[ProjectRecord]):
    """The ``identity_project`` table."""

    table = _PROJECT
    record = ProjectRecord
    what = "project"
    updatable = frozenset({"name", "description", "enabled", "tags", "extra"})

    async def create(
        self,
        *,
        name: str,
        domain_id: str,
        description: str = "",
        enabled: bool = True,
        tags: Sequence[str] = (),
        extra: Mapping[str, Any] | None = None,
        id: str | None = None,
    ) -> ProjectRecord:
        record = ProjectRecord(
            id or new_id(), name, domain_id, description, enabled, list(tags),
            dict(extra or {}), utc_now(),
        )
        return await self._insert(record, lambda: duplicate_name(name, domain_id))

    async def find(self, name: str, domain_id: str) -> ProjectRecord | None:
        return await self._first(_PROJECT.c.name == name, _PROJECT.c.domain_id == domain_id)

    async def list(
        self,
        *,
        domain_id: str | None = None,
        name: str | None = None,
        enabled: bool | None = None,
        ids: Sequence[str] | None = None,
    ) -> builtins.list[ProjectRecord]:
        where = _matching(_PROJECT, domain_id=domain_id, name=name, enabled=enabled)
        if ids is not None:
            where.append(_PROJECT.c.id.in_(list(ids)))
        return await self._list(*where)


class Users(_Rows[UserRecord]):
    """The ``identity_user`` table."""

    table = _USER
    record = UserRecord
    what = "user"
    updatable = frozenset({"name", "enabled", "default_project_id", "extra"})

    async def create(
        self,
        *,
        name: str,
        domain_id: str,
        password_hash: str | None,
        enabled: bool = True,
        default_project_id: str | None = None,
        extra: Mapping[str, Any] | None = None,
        id: str | None = None,
    ) -> UserRecord:
        now = utc_now()
        record = UserRecord(
            id or new_id(), name, domain_id, password_hash, enabled, default_project_id,
            dict(extra or {}), now, now if password_hash is not None else None,
        )
        return await self._insert(record, lambda: duplicate_name(name, domain_id))

    async def find(self, name: str, domain_id: str) -> UserRecord | None:
        return await self._first(_USER.c.name == name, _USER.c.domain_id == domain_id)

    async def list(
        self,
        *,
        domain_id: str | None = None,
        name: str | None = None,
        enabled: bool | None = None,
    ) -> builtins.list[UserRecord]:
        return await self._list(
            *_matching(_USER, domain_id=domain_id, name=name, enabled=enabled)
        )

    async def set_password(self, user_id: str, password_hash: str | None) -> bool:
        """Change the password and revoke every token of the user (Keystone does too)."""
        def work(conn: Connection) -> int:
            changed = conn.execute(
                update(_USER).where(_USER.c.id == user_id)
                .values(password_hash=password_hash, password_changed_at=utc_now())
            ).rowcount
            conn.execute(delete(_TOKEN).where(_TOKEN.c.user_id == user_id))
            return int(changed)

        return bool(await self._db.write(work))


class Roles(_Rows[RoleRecord]):
    """The ``identity_role`` table."""

    table = _ROLE
    record = RoleRecord
    what = "role"
    updatable = frozenset({"name", "description"})

    async def create(
        self,
        *,
        name: str,
        description: str | None = None,
        immutable: bool = False,
        id: str | None = None,
    ) -> RoleRecord:
        record = RoleRecord(id or new_id(), name, description, immutable, utc_now())
        return await self._insert(record, lambda: f"Duplicate entry found with name {name}.")

    async def find(self, name: str) -> RoleRecord | None:
        return await self._first(_ROLE.c.name == name)

    async def list(self, *, name: str | None = None) -> builtins.list[RoleRecord]:
        return await self._list(*_matching(_ROLE, name=name))


class RoleAssignments:
    """The ``identity_role_assignment`` table: who holds which role on which project."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def grant(self, *, project_id: str, user_id: str, role_id: str) -> bool:
        """Add the assignment; False when it was already there."""
        row = {"project_id": project_id, "user_id": user_id, "role_id": role_id}

        def work(conn: Connection) -> bool:
            if conn.execute(select(_ASSIGNMENT).filter_by(**row)).first() is not None:
                return False
            conn.execute(insert(_ASSIGNMENT).values(row))
            return True

        try:
            return await self._db.write(work)
        except IntegrityError:  # granted at the same moment by someone else
            return False

    async def revoke(self, *, project_id: str, user_id: str, role_id: str) -> bool:
        """Remove the assignment; False when there was none."""
        statement = delete(_ASSIGNMENT).filter_by(
            project_id=project_id, user_id=user_id, role_id=role_id
        )
        return bool(await self._db.write(lambda conn: conn.execute(statement).rowcount))

    async def list(
        self,
        *,
        project_id: str | None = None,
        user_id: str | None = None,
        role_id: str | None = None,
    ) -> builtins.list[RoleAssignmentRecord]:
        query = (
            select(_ASSIGNMENT)
            .where(*_matching(_ASSIGNMENT, project_id=project_id, user_id=user_id,
                              role_id=role_id))
            .order_by(_ASSIGNMENT.c.project_id, _ASSIGNMENT.c.user_id, _ASSIGNMENT.c.role_id)
        )
        rows = await self._db.read(lambda conn: conn.execute(query).all())
        return [RoleAssignmentRecord.from_row(r) for r in rows]


class ApplicationCredentials(_Rows[ApplicationCredentialRecord]):
    """The ``identity_application_credential`` table."""

    table = _APP_CRED
    record = ApplicationCredentialRecord
    what = "application credential"

    async def create(
        self,
        *,
        name: str,
        user_id: str,
        project_id: str,
        secret_hash: str,
        roles: Sequence[str],
        description: str | None = None,
        unrestricted: bool = False,
        expires_at: datetime | None = None,
        id: str | None = None,
    ) -> ApplicationCredentialRecord:
        record = ApplicationCredentialRecord(
            id or new_id(), name, user_id, project_id, secret_hash, description, list(roles),
            unrestricted, expires_at, utc_now(),
        )
        return await self._insert(record, lambda: f"Duplicate entry found with name {name}.")

    async def find(self, user_id: str, name: str) -> ApplicationCredentialRecord | None:
        return await self._first(_APP_CRED.c.user_id == user_id, _APP_CRED.c.name == name)

    async def list(
        self, user_id: str, *, name: str | None = None
    ) -> builtins.list[ApplicationCredentialRecord]:
        return await self._list(*_matching(_APP_CRED, user_id=user_id, name=name))


class Tokens:
    """The ``identity_token`` table."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, token: TokenRecord) -> None:
        """Record an issued token, dropping the rows of tokens that have expired."""
        def work(conn: Connection) -> None:
            conn.execute(delete(_TOKEN).where(_TOKEN.c.expires_at <= token.issued_at))
            conn.execute(insert(_TOKEN).values(_row(token)))

        await self._db.write(work)

    async def get(self, id_hash: str) -> TokenRecord | None:
        query = select(_TOKEN).where(_TOKEN.c.id_hash == id_hash)
        row = await self._db.read(lambda conn: conn.execute(query).first())
        return None if row is None else TokenRecord.from_row(row)

    async def delete(self, id_hash: str) -> bool:
        statement = delete(_TOKEN).where(_TOKEN.c.id_hash == id_hash)
        return bool(await self._db.write(lambda conn: conn.execute(statement).rowcount))

    async def delete_for_user(self, user_id: str) -> int:
        statement = delete(_TOKEN).where(_TOKEN.c.user_id == user_id)
        return int(await self._db.write(lambda conn: conn.execute(statement).rowcount))


class IdentityTables:
    """Every identity repository, and the reads that join them."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self.domains = Domains(db)
        self.projects = Projects(db)
        self.users = Users(db)
        self.roles = Roles(db)
        self.assignments = RoleAssignments(db)
        self.application_credentials = ApplicationCredentials(db)
        self.tokens = Tokens(db)

    async def scope(
        self,
        user_id: str,
        project_id: str | None,
        application_credential_id: str | None = None,
    ) -> ScopeView | None:
        """The user, project and roles, read in one transaction; None without the user."""
        return await self._db.read(
            lambda conn: _scope(conn, user_id, project_id, application_credential_id)
        )

    async def token_scope(self, id_hash: str) -> tuple[TokenRecord, ScopeView | None] | None:
        """A token and what it stands for, read in one transaction; None: no such token."""
        def work(conn: Connection) -> tuple[TokenRecord, ScopeView | None] | None:
            row = conn.execute(select(_TOKEN).where(_TOKEN.c.id_hash == id_hash)).first()
            if row is None:
                return None
            token = TokenRecord.from_row(row)
            return token, _scope(
                conn, token.user_id, token.project_id, token.application_credential_id
            )

        return await self._db.read(work)


def _get(conn: Connection, table: Table, record: type[R], key: str | None) -> R | None:
    if key is None:
        return None
    row = conn.execute(select(table).where(table.c.id == key)).first()
    return None if row is None else record.from_row(row)


def _scope(
    conn: Connection,
    user_id: str,
    project_id: str | None,
    application_credential_id: str | None,
) -> ScopeView | None:
    user = _get(conn, _USER, UserRecord, user_id)
    if user is None:
        return None
    user_domain = _get(conn, _DOMAIN, DomainRecord, user.domain_id)
    assert user_domain is not None  # a foreign key
    project = _get(conn, _PROJECT, ProjectRecord, project_id)
    project_domain = None if project is None else (
        user_domain if project.domain_id == user_domain.id
        else _get(conn, _DOMAIN, DomainRecord, project.domain_id)
    )
    assigned: frozenset[str] = frozenset()
    if project is not None:
        assigned = frozenset(conn.scalars(
            select(_ASSIGNMENT.c.role_id)
            .where(_ASSIGNMENT.c.user_id == user_id, _ASSIGNMENT.c.project_id == project.id)
        ))
    every_role = conn.execute(select(_ROLE).order_by(_ROLE.c.name))
    roles = tuple(RoleRecord.from_row(r) for r in every_role)
    credential = _get(conn, _APP_CRED, ApplicationCredentialRecord, application_credential_id)
    return ScopeView(user, user_domain, project, project_domain, assigned, roles, credential)


def duplicate_name(name: str, domain_id: str) -> str:
    """Keystone's words for a name taken in a domain."""
    return f"Duplicate entry found with name {name} at domain ID {domain_id}."
