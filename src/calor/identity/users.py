"""Users: admins manage them; a user reads itself and changes its own password."""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any

from calor.identity.errors import Conflict, NotFound, Unauthorized, ValidationError
from calor.identity.passwords import Passwords
from calor.identity.policy import require_admin, require_admin_or_user
from calor.identity.projects import DEFAULT_DOMAIN_ID, check_name
from calor.identity.tokens import Token
from calor.store.identity import IdentityConflict, IdentityTables, UserRecord, duplicate_name


class UserManager:
    """Users and their passwords (hashed with argon2id)."""

    def __init__(self, tables: IdentityTables, passwords: Passwords) -> None:
        self._tables = tables
        self._passwords = passwords

    async def list(
        self,
        caller: Token,
        *,
        name: str | None = None,
        domain_id: str | None = None,
        enabled: bool | None = None,
    ) -> builtins.list[UserRecord]:
        require_admin(caller, "identity:list_users")
        return await self._tables.users.list(name=name, domain_id=domain_id, enabled=enabled)

    async def get(self, caller: Token, user_id: str) -> UserRecord:
        require_admin_or_user(caller, user_id, "identity:get_user")
        return await self.existing(user_id)

    async def existing(self, user_id: str) -> UserRecord:
        user = await self._tables.users.get(user_id)
        if user is None:
            raise NotFound.of("user", user_id)
        return user

    async def create(
        self,
        caller: Token,
        *,
        name: str,
        domain_id: str | None = None,
        password: str | None = None,
        enabled: bool = True,
        default_project_id: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> UserRecord:
        require_admin(caller, "identity:create_user")
        check_name(name, "user")
        domain_id = domain_id or DEFAULT_DOMAIN_ID
        if await self._tables.domains.get(domain_id) is None:
            raise NotFound.of("domain", domain_id)
        hashed = None if password is None else await self._passwords.hash(password)
        try:
            return await self._tables.users.create(
                name=name, domain_id=domain_id, password_hash=hashed, enabled=enabled,
                default_project_id=default_project_id, extra=extra,
            )
        except IdentityConflict as exc:
            raise Conflict.storing("user", exc.message) from None

    async def update(
        self, caller: Token, user_id: str, *, password: str | None = None, **changes: Any
    ) -> UserRecord:
        """Change ``name``, ``enabled``, ``default_project_id``, ``extra`` or the password."""
        require_admin(caller, "identity:update_user")
        current = await self.existing(user_id)
        if "name" in changes:
            check_name(changes["name"], "user")
        try:
            updated = await self._tables.users.update(
                user_id, lambda: duplicate_name(changes.get("name", ""), current.domain_id),
                **changes,
            )
        except IdentityConflict as exc:
            raise Conflict.storing("user", exc.message) from None
        if updated is None:
            raise NotFound.of("user", user_id)
        if password is not None:
            await self._tables.users.set_password(user_id, await self._passwords.hash(password))
            updated = await self.existing(user_id)
        return updated

    async def delete(self, caller: Token, user_id: str) -> None:
        """Delete the user with its role assignments, credentials and tokens."""
        require_admin(caller, "identity:delete_user")
        if not await self._tables.users.delete(user_id):
            raise NotFound.of("user", user_id)

    async def change_password(
        self, caller: Token, user_id: str, *, original_password: str, password: str
    ) -> None:
        """A user's own change; every token of the user stops working, as in Keystone."""
        if caller.user.id != user_id:
            raise Unauthorized()
        user = await self.existing(user_id)
        if not await self._passwords.verify(user.password_hash, original_password):
            raise Unauthorized()
        if not password:
            raise ValidationError("Invalid input for field 'password': it must not be empty")
        await self._tables.users.set_password(user_id, await self._passwords.hash(password))
