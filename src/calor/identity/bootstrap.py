"""``calor admin bootstrap``: the first domain, roles, project and admin, made idempotently.

Like ``keystone-manage bootstrap``, running it again changes nothing that is
right and repairs what is not: a missing part is created, the admin user is
enabled again, and its password is reset when it differs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

from calor.identity.context import ADMIN
from calor.identity.passwords import Passwords
from calor.identity.projects import DEFAULT_DOMAIN_ID, DEFAULT_DOMAIN_NAME
from calor.identity.roles import DEFAULT_ROLES
from calor.store.identity import (
    DomainRecord,
    IdentityConflict,
    IdentityTables,
    ProjectRecord,
    RoleRecord,
    UserRecord,
)

T = TypeVar("T")


@dataclass(frozen=True)
class BootstrapResult:
    """What exists after bootstrap, and what this run created or changed."""

    domain: DomainRecord
    project: ProjectRecord
    user: UserRecord
    roles: tuple[RoleRecord, ...]
    changes: tuple[str, ...] = field(default=())


async def bootstrap(
    tables: IdentityTables,
    passwords: Passwords,
    *,
    admin_password: str,
    admin_username: str = "admin",
    project_name: str = "admin",
) -> BootstrapResult:
    changes: list[str] = []

    domain = await tables.domains.get(DEFAULT_DOMAIN_ID)
    if domain is None:
        domain = await _made(
            tables.domains.create(id=DEFAULT_DOMAIN_ID, name=DEFAULT_DOMAIN_NAME,
                                  description="The default domain"),
            lambda: tables.domains.get(DEFAULT_DOMAIN_ID),
        )
        changes.append(f"Created domain {DEFAULT_DOMAIN_NAME}")

    roles: list[RoleRecord] = []
    for name in DEFAULT_ROLES:
        role = await tables.roles.find(name)
        if role is None:
            role = await _made(tables.roles.create(name=name, immutable=True),
                               partial(tables.roles.find, name))
            changes.append(f"Created role {name}")
        roles.append(role)

    project = await tables.projects.find(project_name, domain.id)
    if project is None:
        project = await _made(
            tables.projects.create(name=project_name, domain_id=domain.id,
                                   description="Bootstrap project for the first admin"),
            lambda: tables.projects.find(project_name, domain.id),
        )
        changes.append(f"Created project {project_name}")

    user = await tables.users.find(admin_username, domain.id)
    if user is None:
        user = await _made(
            tables.users.create(name=admin_username, domain_id=domain.id,
                                password_hash=await passwords.hash(admin_password),
                                default_project_id=project.id),
            lambda: tables.users.find(admin_username, domain.id),
        )
        changes.append(f"Created user {admin_username}")
    else:
        if not user.enabled:
            await tables.users.update(user.id, lambda: "", enabled=True)
            changes.append(f"Enabled user {admin_username}")
        if not await passwords.verify(user.password_hash, admin_password):
            await tables.users.set_password(user.id, await passwords.hash(admin_password))
            changes.append(f"Reset the password of user {admin_username}")
        refreshed = await tables.users.get(user.id)
        assert refreshed is not None
        user = refreshed

    admin = next(role for role in roles if role.name == ADMIN)
    if await tables.assignments.grant(project_id=project.id, user_id=user.id, role_id=admin.id):
        changes.append(f"Granted role {ADMIN} on project {project_name} to user {admin_username}")
    return BootstrapResult(domain, project, user, tuple(roles), tuple(changes))


async def _made(create: Awaitable[T], lookup: Callable[[], Awaitable[T | None]]) -> T:
    """The created row; if another bootstrap created it a moment ago, that one."""
    try:
        return await create
    except IdentityConflict:
        found = await lookup()
        if found is None:
            raise
        return found
