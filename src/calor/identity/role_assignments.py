"""Roles and role assignments: who holds which role on which project."""

from __future__ import annotations

import builtins
from dataclasses import dataclass

from calor.identity.errors import Conflict, Forbidden, NotFound
from calor.identity.policy import require_admin, require_admin_or_user
from calor.identity.projects import check_name
from calor.identity.roles import implied_names
from calor.identity.tokens import Token
from calor.store.identity import (
    DomainRecord,
    IdentityConflict,
    IdentityTables,
    ProjectRecord,
    RoleRecord,
    UserRecord,
)


@dataclass(frozen=True)
class AssignmentView:
    """One row of ``GET /v3/role_assignments``; ``prior_role`` when the role is implied."""

    role: RoleRecord
    user: UserRecord
    user_domain: DomainRecord
    project: ProjectRecord
    project_domain: DomainRecord
    prior_role: RoleRecord | None = None


def assignment_not_found(role_id: str, user_id: str, project_id: str) -> NotFound:
    return NotFound(
        f"Could not find role assignment with role: {role_id}, user or group: {user_id}, "
        f"project, domain, or system: {project_id}."
    )


class RoleManager:
    """Roles: anyone with a token reads them, admins create and delete them."""

    def __init__(self, tables: IdentityTables) -> None:
        self._tables = tables

    async def list(self, caller: Token, *, name: str | None = None) -> builtins.list[RoleRecord]:
        return await self._tables.roles.list(name=name)

    async def get(self, caller: Token, role_id: str) -> RoleRecord:
        return await self.existing(role_id)

    async def existing(self, role_id: str) -> RoleRecord:
        role = await self._tables.roles.get(role_id)
        if role is None:
            raise NotFound.of("role", role_id)
        return role

    async def create(
        self, caller: Token, *, name: str, description: str | None = None
    ) -> RoleRecord:
        require_admin(caller, "identity:create_role")
        check_name(name, "role")
        try:
            return await self._tables.roles.create(name=name, description=description)
        except IdentityConflict as exc:
            raise Conflict.storing("role", exc.message) from None

    async def delete(self, caller: Token, role_id: str) -> None:
        require_admin(caller, "identity:delete_role")
        role = await self.existing(role_id)
        if role.immutable:
            raise Forbidden(f"Unable to delete immutable role {role.name}.")
        await self._tables.roles.delete(role_id)


class AssignmentManager:
    """Granting, checking, revoking and listing role assignments on projects."""

    def __init__(self, tables: IdentityTables) -> None:
        self._tables = tables

    async def _parts(
        self, project_id: str, user_id: str, role_id: str
    ) -> tuple[ProjectRecord, UserRecord, RoleRecord]:
        tables = self._tables
        project = await tables.projects.get(project_id)
        if project is None:
            raise NotFound.of("project", project_id)
        user = await tables.users.get(user_id)
        if user is None:
            raise NotFound.of("user", user_id)
        role = await tables.roles.get(role_id)
        if role is None:
            raise NotFound.of("role", role_id)
        return project, user, role

    async def grant(self, caller: Token, project_id: str, user_id: str, role_id: str) -> None:
        """Idempotent, as ``PUT`` is."""
        require_admin(caller, "identity:create_grant")
        await self._parts(project_id, user_id, role_id)
        await self._tables.assignments.grant(
            project_id=project_id, user_id=user_id, role_id=role_id
        )

    async def check(self, caller: Token, project_id: str, user_id: str, role_id: str) -> None:
        """Returns when the user holds the role directly; 404 otherwise."""
        require_admin(caller, "identity:check_grant")
        await self._parts(project_id, user_id, role_id)
        found = await self._tables.assignments.list(
            project_id=project_id, user_id=user_id, role_id=role_id
        )
        if not found:
            raise assignment_not_found(role_id, user_id, project_id)

    async def revoke(self, caller: Token, project_id: str, user_id: str, role_id: str) -> None:
        require_admin(caller, "identity:revoke_grant")
        await self._parts(project_id, user_id, role_id)
        if not await self._tables.assignments.revoke(
            project_id=project_id, user_id=user_id, role_id=role_id
        ):
            raise assignment_not_found(role_id, user_id, project_id)

    async def roles_of(
        self, caller: Token, project_id: str, user_id: str
    ) -> builtins.list[RoleRecord]:
        """The roles the user holds directly on the project."""
        require_admin_or_user(caller, user_id, "identity:list_grants")
        tables = self._tables
        if await tables.projects.get(project_id) is None:
            raise NotFound.of("project", project_id)
        if await tables.users.get(user_id) is None:
            raise NotFound.of("user", user_id)
        ids = {a.role_id for a in await tables.assignments.list(
            project_id=project_id, user_id=user_id
        )}
        return [role for role in await tables.roles.list() if role.id in ids]

    async def list(
        self,
        caller: Token,
        *,
        user_id: str | None = None,
        project_id: str | None = None,
        role_id: str | None = None,
        effective: bool = False,
    ) -> builtins.list[AssignmentView]:
        """Direct assignments, or with ``effective`` also the roles they imply."""
        require_admin(caller, "identity:list_role_assignments")
        tables = self._tables
        rows = await tables.assignments.list(
            user_id=user_id, project_id=project_id, role_id=None if effective else role_id
        )
        if not rows:
            return []
        roles = {role.id: role for role in await tables.roles.list()}
        roles_by_name = {role.name: role for role in roles.values()}
        users = {u.id: u for u in await tables.users.list()}
        projects = {p.id: p for p in await tables.projects.list(
            ids=sorted({row.project_id for row in rows})
        )}
        domains = {d.id: d for d in await tables.domains.list()}
        views: dict[tuple[str, str, str], AssignmentView] = {}
        for row in rows:
            role, user, project = roles[row.role_id], users[row.user_id], projects[row.project_id]
            parts = (user, domains[user.domain_id], project, domains[project.domain_id])
            views.setdefault((row.project_id, row.user_id, role.id), AssignmentView(role, *parts))
            if not effective:
                continue
            prior = role
            for name in implied_names(role.name)[1:]:
                implied = roles_by_name.get(name)
                if implied is None:
                    break
                key = (row.project_id, row.user_id, implied.id)
                views.setdefault(key, AssignmentView(implied, *parts, prior_role=prior))
                prior = implied
        found = list(views.values())
        if role_id is not None:
            found = [view for view in found if view.role.id == role_id]
        return found
