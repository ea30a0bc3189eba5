"""Tokens of the sandbox's Keystone: random strings stored with who and what they are for.

Stored in the sandbox's file, so a client's token survives a restart of the
sandbox. Expired tokens are dropped whenever a new one is issued.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from calor.identity.context import InvalidToken, RequestContext
from calor.sandbox.identity.directory import Directory, Project, User
from calor.sandbox.store import SandboxStore, Transaction

KIND = "token"


@dataclass(frozen=True)
class Token:
    """One issued token: its user, its project scope (if any), when it was made and ends."""

    id: str
    user: User
    project: Project | None
    roles: frozenset[str]
    methods: tuple[str, ...]
    issued_at: float
    expires_at: float
    audit_id: str


def issue(tx: Transaction, directory: Directory, user: User, project: Project | None,
          methods: tuple[str, ...], ttl: float, *, expires_at: float | None = None) -> Token:
    for stale in tx.list(KIND):
        if stale["expires_at"] <= tx.now:
            tx.delete(KIND, stale["id"])
    roles = directory.roles_on(user.id, project.id) if project else frozenset()
    ends = min(expires_at, tx.now + ttl) if expires_at else tx.now + ttl
    token = Token(secrets.token_urlsafe(32), user, project, roles, methods, tx.now, ends,
                  secrets.token_urlsafe(16))
    tx.insert(KIND, {
        "id": token.id, "user_id": user.id,
        "project_id": project.id if project else None,
        "methods": list(methods), "issued_at": token.issued_at,
        "expires_at": token.expires_at, "audit_id": token.audit_id,
    }, project_id=project.id if project else "")
    return token


def find(tx: Transaction, directory: Directory, token_id: str) -> Token | None:
    """The valid token ``token_id``, or ``None`` when unknown, expired or its user is gone."""
    record = tx.get(KIND, token_id)
    if record is None or record["expires_at"] <= tx.now:
        return None
    user = directory.user(id=record["user_id"])
    if user is None:
        return None
    project = None
    if record["project_id"]:
        project = directory.project(id=record["project_id"])
        if project is None:
            return None
    roles = directory.roles_on(user.id, project.id) if project else frozenset()
    return Token(token_id, user, project, roles, tuple(record["methods"]),
                 float(record["issued_at"]), float(record["expires_at"]), record["audit_id"])


def revoke(tx: Transaction, token_id: str) -> None:
    tx.delete(KIND, token_id)


class SandboxTokenValidator:
    """The :class:`~calor.identity.context.TokenValidator` of the sandbox's own Keystone."""

    def __init__(self, store: SandboxStore, directory: Directory) -> None:
        self._store = store
        self._directory = directory

    async def validate(self, token: str) -> RequestContext:
        with self._store.transaction() as tx:
            found = find(tx, self._directory, token)
        if found is None or found.project is None:
            raise InvalidToken(token)
        return RequestContext(
            user_id=found.user.id, user_name=found.user.name,
            project_id=found.project.id, project_name=found.project.name,
            roles=found.roles, user_domain_id=found.user.domain_id,
            project_domain_id=found.project.domain_id,
            expires_at=datetime.fromtimestamp(found.expires_at, UTC), token_id=found.id,
        )
