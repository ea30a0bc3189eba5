"""Tokens: opaque random strings, stored only as their SHA-256, that expire.

A token is issued for a user, optionally scoped to a project; its roles are
read again each time it is validated (removing a role, disabling a user or
project, or deleting an application credential takes effect at once).
Revoking a token deletes its row.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from calor.config import ConfigError
from calor.identity.context import ADMIN, RequestContext
from calor.identity.roles import effective_roles
from calor.store.column_types import utc_now
from calor.store.identity import (
    ApplicationCredentialRecord,
    DomainRecord,
    IdentityTables,
    ProjectRecord,
    RoleRecord,
    ScopeView,
    TokenRecord,
    UserRecord,
)

#: Keystone's ``[token] expiration`` default.
DEFAULT_TOKEN_EXPIRATION_SECS = 3600


def token_expiration_secs(env: Mapping[str, str] | None = None) -> int:
    """How long a new token lives: ``CALOR_TOKEN_EXPIRATION_SECS``, default 3600."""
    env = os.environ if env is None else env
    raw = env.get("CALOR_TOKEN_EXPIRATION_SECS")
    if raw is None or raw == "":
        return DEFAULT_TOKEN_EXPIRATION_SECS
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(
            f"CALOR_TOKEN_EXPIRATION_SECS must be a whole number, not {raw!r}"
        ) from None
    if value < 1:
        raise ConfigError(f"CALOR_TOKEN_EXPIRATION_SECS must be at least 1, not {value}")
    return value


def token_hash(token_id: str) -> str:
    """What the database keeps of a token."""
    return hashlib.sha256(token_id.encode("utf-8", "surrogatepass")).hexdigest()


def new_token_id() -> str:
    """48 random bytes, URL-safe, starting with a letter or digit.

    A token is passed on command lines (``openstack token revoke TOKEN``),
    where one starting with ``-`` would be read as an option.
    """
    token = secrets.token_urlsafe(48)
    return token if token[0] not in "-_" else "t" + token[1:]


def _audit_id() -> str:
    # Keystone's shape: 16 random bytes, URL-safe base64 without padding.
    return base64.urlsafe_b64encode(secrets.token_bytes(16)).decode().rstrip("=")


@dataclass(frozen=True)
class Token:
    """A valid token and everything it stands for at this moment."""

    id: str = field(repr=False)
    user: UserRecord
    user_domain: DomainRecord
    project: ProjectRecord | None
    project_domain: DomainRecord | None
    #: Effective roles: the assigned ones and those they imply.
    roles: tuple[RoleRecord, ...]
    methods: tuple[str, ...]
    audit_ids: tuple[str, ...]
    issued_at: datetime
    expires_at: datetime
    application_credential: ApplicationCredentialRecord | None = None

    @property
    def role_names(self) -> frozenset[str]:
        return frozenset(role.name for role in self.roles)

    @property
    def is_admin(self) -> bool:
        return ADMIN in self.role_names

    def context(self) -> RequestContext:
        """The caller, as the APIs see it (an unscoped token has no project and no roles)."""
        project = self.project
        return RequestContext(
            user_id=self.user.id,
            user_name=self.user.name,
            project_id="" if project is None else project.id,
            project_name="" if project is None else project.name,
            roles=self.role_names,
            user_domain_id=self.user.domain_id,
            project_domain_id="" if project is None else project.domain_id,
            expires_at=self.expires_at,
            token_id=self.id,
        )


class TokenService:
    """Issues, finds and revokes tokens in the store."""

    def __init__(self, tables: IdentityTables, expiration_secs: int | None = None) -> None:
        self._tables = tables
        self.expiration = timedelta(
            seconds=token_expiration_secs() if expiration_secs is None else expiration_secs
        )

    async def issue(
        self,
        scope: ScopeView,
        methods: Sequence[str],
        *,
        expires_at: datetime | None = None,
        parent_audit_id: str | None = None,
    ) -> Token:
        """A new token for ``scope`` (which :func:`check_scope` must accept)."""
        now = utc_now()
        expiry = now + self.expiration
        if expires_at is not None:
            expiry = min(expiry, expires_at)
        credential = scope.application_credential
        if credential is not None and credential.expires_at is not None:
            expiry = min(expiry, credential.expires_at)
        token_id = new_token_id()
        audit_ids = (_audit_id(),) if parent_audit_id is None else (_audit_id(), parent_audit_id)
        record = TokenRecord(
            id_hash=token_hash(token_id),
            user_id=scope.user.id,
            project_id=None if scope.project is None else scope.project.id,
            application_credential_id=None if credential is None else credential.id,
            methods=list(methods),
            audit_ids=list(audit_ids),
            issued_at=now,
            expires_at=expiry,
        )
        await self._tables.tokens.add(record)
        token = _token(token_id, record, scope)
        assert token is not None, "issue() was given a scope check_scope refuses"
        return token

    async def find(self, token_id: str) -> Token | None:
        """The token if it is valid now; None when unknown, expired, revoked or void."""
        found = await self._tables.token_scope(token_hash(token_id))
        if found is None:
            return None
        record, scope = found
        if record.expires_at <= utc_now() or scope is None:
            return None
        return _token(token_id, record, scope)

    async def revoke(self, token_id: str) -> bool:
        return await self._tables.tokens.delete(token_hash(token_id))


def check_scope(scope: ScopeView) -> tuple[RoleRecord, ...] | None:
    """The roles a token for ``scope`` carries, or None when it may not have one.

    The user (and its domain) must be enabled; a project-scoped token needs an
    enabled project on which the user holds at least one role; an application
    credential must not have expired, and grants only those of its roles the
    user still holds.
    """
    if not (scope.user.enabled and scope.user_domain.enabled):
        return None
    if scope.project is None:
        return ()
    if not scope.project.enabled or (
        scope.project_domain is not None and not scope.project_domain.enabled
    ):
        return None
    roles = effective_roles(scope.assigned_role_ids, scope.roles)
    credential = scope.application_credential
    if credential is not None:
        if credential.expires_at is not None and credential.expires_at <= utc_now():
            return None
        granted = set(credential.roles)
        roles = tuple(role for role in roles if role.id in granted)
    return roles or None


def _token(token_id: str, record: TokenRecord, scope: ScopeView) -> Token | None:
    roles = check_scope(scope)
    if roles is None:
        return None
    return Token(
        id=token_id,
        user=scope.user,
        user_domain=scope.user_domain,
        project=scope.project,
        project_domain=scope.project_domain,
        roles=roles,
        methods=tuple(record.methods),
        audit_ids=tuple(record.audit_ids),
        issued_at=record.issued_at,
        expires_at=record.expires_at,
        application_credential=scope.application_credential,
    )
