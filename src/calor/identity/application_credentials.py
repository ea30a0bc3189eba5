"""Application credentials: a user lets a program act in one project with some of its roles.

Only the user may create them, from a token scoped to the project they are
for; a token obtained with a restricted application credential cannot make
more. The secret is shown once, at creation; the store keeps its argon2 hash.
"""

from __future__ import annotations

import base64
import builtins
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from calor.identity.errors import Conflict, Forbidden, NotFound, ValidationError
from calor.identity.passwords import Passwords
from calor.identity.policy import require_admin_or_user
from calor.identity.projects import check_name
from calor.identity.role_assignments import assignment_not_found
from calor.identity.tokens import Token
from calor.store.column_types import utc_now
from calor.store.identity import ApplicationCredentialRecord, IdentityConflict, IdentityTables


@dataclass(frozen=True)
class CreatedCredential:
    """A new application credential and its secret (never shown again)."""

    credential: ApplicationCredentialRecord
    secret: str


def new_secret() -> str:
    """64 random bytes, URL-safe base64 without padding (Keystone's shape).

    Never starting with ``-``: secrets go on command lines too.
    """
    secret = base64.urlsafe_b64encode(secrets.token_bytes(64)).decode().rstrip("=")
    return secret if secret[0] not in "-_" else "s" + secret[1:]


class ApplicationCredentialManager:
    """The application credentials of each user."""

    def __init__(self, tables: IdentityTables, passwords: Passwords) -> None:
        self._tables = tables
        self._passwords = passwords

    async def create(
        self,
        caller: Token,
        user_id: str,
        *,
        name: str,
        secret: str | None = None,
        description: str | None = None,
        expires_at: datetime | None = None,
        roles: Sequence[Mapping[str, Any]] | None = None,
        unrestricted: bool = False,
        access_rules: Sequence[Any] | None = None,
    ) -> CreatedCredential:
        action = "identity:create_application_credential"
        if caller.user.id != user_id:
            raise Forbidden.action(action)
        used = caller.application_credential
        if used is not None and not used.unrestricted:
            raise Forbidden(
                "Using method 'application_credential' is not allowed for managing "
                "additional application credentials."
            )
        if caller.project is None:
            raise Forbidden("An application credential needs a project-scoped token.")
        check_name(name, "application credential")
        if access_rules:
            raise ValidationError("Invalid input for field 'access_rules': not supported")
        if expires_at is not None and expires_at <= utc_now():
            raise ValidationError(
                "Invalid input for field 'expires_at': the expiration time must be in the future"
            )
        role_ids = self._granted(caller, roles)
        secret = secret or new_secret()
        try:
            credential = await self._tables.application_credentials.create(
                name=name, user_id=user_id, project_id=caller.project.id,
                secret_hash=await self._passwords.hash(secret), roles=role_ids,
                description=description, unrestricted=unrestricted, expires_at=expires_at,
            )
        except IdentityConflict as exc:
            raise Conflict.storing("application_credential", exc.message) from None
        return CreatedCredential(credential, secret)

    def _granted(
        self, caller: Token, roles: Sequence[Mapping[str, Any]] | None
    ) -> builtins.list[str]:
        """The ids of the requested roles (default: every role of the token), each held."""
        held = {role.id: role for role in caller.roles}
        if not roles:
            return sorted(held)
        by_name = {role.name: role for role in caller.roles}
        granted = []
        assert caller.project is not None
        for wanted in roles:
            role_id, name = wanted.get("id"), wanted.get("name")
            if not isinstance(role_id, str | None) or not isinstance(name, str | None) or (
                role_id is None and name is None
            ):
                raise ValidationError(
                    "Invalid input for field 'roles': give each role's id or name"
                )
            role = held.get(role_id) if role_id is not None else by_name.get(str(name))
            if role is None:
                raise assignment_not_found(
                    str(role_id or name), caller.user.id, caller.project.id
                )
            granted.append(role.id)
        return sorted(set(granted))

    async def list(
        self, caller: Token, user_id: str, *, name: str | None = None
    ) -> builtins.list[ApplicationCredentialRecord]:
        require_admin_or_user(caller, user_id, "identity:list_application_credentials")
        return await self._tables.application_credentials.list(user_id, name=name)

    async def get(
        self, caller: Token, user_id: str, credential_id: str
    ) -> ApplicationCredentialRecord:
        require_admin_or_user(caller, user_id, "identity:get_application_credential")
        credential = await self._tables.application_credentials.get(credential_id)
        if credential is None or credential.user_id != user_id:
            raise NotFound.of("application credential", credential_id)
        return credential

    async def delete(self, caller: Token, user_id: str, credential_id: str) -> None:
        """Delete it; the tokens it gave stop working."""
        require_admin_or_user(caller, user_id, "identity:delete_application_credential")
        used = caller.application_credential
        if used is not None and not used.unrestricted and caller.user.id == user_id:
            raise Forbidden(
                "Using method 'application_credential' is not allowed for managing "
                "additional application credentials."
            )
        await self.get(caller, user_id, credential_id)
        await self._tables.application_credentials.delete(credential_id)
