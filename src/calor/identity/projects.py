"""Domains (read only: Calor has the ``default`` one) and projects."""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from typing import Any

from calor.identity.errors import Conflict, NotFound, ValidationError
from calor.identity.policy import require_admin, require_admin_or_project, require_admin_or_user
from calor.identity.tokens import Token
from calor.store.identity import DomainRecord, IdentityConflict, IdentityTables, ProjectRecord

#: Keystone's ``[identity] default_domain_id`` and the name bootstrap gives it.
DEFAULT_DOMAIN_ID = "default"
DEFAULT_DOMAIN_NAME = "Default"


def check_name(name: str, what: str, limit: int = 255) -> str:
    if not name or not name.strip():
        raise ValidationError(f"Invalid input for field 'name': a {what} needs a name")
    if len(name) > limit:
        raise ValidationError(
            f"Invalid input for field 'name': '{name}' is longer than {limit} characters"
        )
    return name


class DomainManager:
    """Domains, for clients that look them up (``--domain default``)."""

    def __init__(self, tables: IdentityTables) -> None:
        self._tables = tables

    async def list(
        self, caller: Token, *, name: str | None = None, enabled: bool | None = None
    ) -> builtins.list[DomainRecord]:
        return await self._tables.domains.list(name=name, enabled=enabled)

    async def get(self, caller: Token, domain_id: str) -> DomainRecord:
        domain = await self._tables.domains.get(domain_id)
        if domain is None:
            raise NotFound.of("domain", domain_id)
        return domain

    async def by_id(self) -> dict[str, DomainRecord]:
        """Every domain by id (there are few): for showing names beside ids."""
        return {domain.id: domain for domain in await self._tables.domains.list()}


class ProjectManager:
    """Projects: admins manage them; a user reads the project its token is for."""

    def __init__(self, tables: IdentityTables) -> None:
        self._tables = tables

    async def list(
        self,
        caller: Token,
        *,
        name: str | None = None,
        domain_id: str | None = None,
        enabled: bool | None = None,
    ) -> builtins.list[ProjectRecord]:
        require_admin(caller, "identity:list_projects")
        return await self._tables.projects.list(name=name, domain_id=domain_id, enabled=enabled)

    async def get(self, caller: Token, project_id: str) -> ProjectRecord:
        require_admin_or_project(caller, project_id, "identity:get_project")
        return await self.existing(project_id)

    async def existing(self, project_id: str) -> ProjectRecord:
        project = await self._tables.projects.get(project_id)
        if project is None:
            raise NotFound.of("project", project_id)
        return project

    async def of_user(self, caller: Token, user_id: str) -> builtins.list[ProjectRecord]:
        """The enabled projects on which the user holds a role (``/users/{id}/projects``)."""
        require_admin_or_user(caller, user_id, "identity:list_user_projects")
        ids = {a.project_id for a in await self._tables.assignments.list(user_id=user_id)}
        return await self._tables.projects.list(ids=sorted(ids), enabled=True)

    async def create(
        self,
        caller: Token,
        *,
        name: str,
        domain_id: str | None = None,
        description: str = "",
        enabled: bool = True,
        tags: Sequence[str] = (),
        extra: Mapping[str, Any] | None = None,
    ) -> ProjectRecord:
        require_admin(caller, "identity:create_project")
        check_name(name, "project", 64)
        domain_id = domain_id or DEFAULT_DOMAIN_ID
        if await self._tables.domains.get(domain_id) is None:
            raise NotFound.of("domain", domain_id)
        try:
            return await self._tables.projects.create(
                name=name, domain_id=domain_id, description=description, enabled=enabled,
                tags=list(tags), extra=extra,
            )
        except IdentityConflict as exc:
            raise Conflict.storing("project", exc.message) from None

    async def update(self, caller: Token, project_id: str, **changes: Any) -> ProjectRecord:
        """Change ``name``, ``description``, ``enabled``, ``tags`` or ``extra``."""
        require_admin(caller, "identity:update_project")
        if "name" in changes:
            check_name(changes["name"], "project", 64)
        current = await self.existing(project_id)
        try:
            updated = await self._tables.projects.update(
                project_id, lambda: f"Duplicate entry found with name {changes.get('name')} "
                f"at domain ID {current.domain_id}.", **changes,
            )
        except IdentityConflict as exc:
            raise Conflict.storing("project", exc.message) from None
        if updated is None:
            raise NotFound.of("project", project_id)
        return updated

    async def delete(self, caller: Token, project_id: str) -> None:
        """Delete the project with its role assignments, credentials and tokens."""
        require_admin(caller, "identity:delete_project")
        if not await self._tables.projects.delete(project_id):
            raise NotFound.of("project", project_id)
