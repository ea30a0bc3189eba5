"""Identity's scenarios run on SQLite, PostgreSQL and MariaDB, like the store's.

Passwords are hashed with cheap argon2 parameters here, so that a test
logging in a dozen times stays fast; the hashing itself is the real one.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import argon2
import pytest
import pytest_asyncio
from tests.store.conftest import database_url, store

from calor.identity import CatalogService, IdentityService, Passwords, Token, bootstrap
from calor.identity.auth_request import AuthRequest
from calor.store import Store

__all__ = ["admin", "database_url", "identity", "store"]

ADMIN_PASSWORD = "s3cret-admin"

#: For tests of rules rather than of storage: SQLite is enough.
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
ORCHESTRATION = CatalogService(type="orchestration", name="heat", path="/v1/{project_id}")


def fast_passwords() -> Passwords:
    return Passwords(argon2.PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def password_auth(
    name: str, password: str, project: str | None = None, **scope: Any
) -> AuthRequest:
    """``POST /v3/auth/tokens`` with a password, for a user (and project) of domain Default."""
    body: dict[str, Any] = {"auth": {"identity": {"methods": ["password"], "password": {
        "user": {"name": name, "domain": {"name": "Default"}, "password": password},
    }}}}
    if project is not None:
        body["auth"]["scope"] = {"project": {"name": project, "domain": {"id": "default"}}}
    elif scope:
        body["auth"]["scope"] = scope["scope"]
    return AuthRequest.model_validate(body)


@pytest_asyncio.fixture
async def identity(store: Store) -> AsyncIterator[IdentityService]:
    """The identity service on the test's database, bootstrapped with user and project admin."""
    service = IdentityService(store, catalog=[ORCHESTRATION], passwords=fast_passwords())
    await bootstrap(store.identity, service.passwords, admin_password=ADMIN_PASSWORD)
    yield service
    service.close()


@pytest_asyncio.fixture
async def admin(identity: IdentityService) -> Token:
    """A token of user admin, scoped to project admin."""
    return await identity.authenticator.authenticate(
        password_auth("admin", ADMIN_PASSWORD, "admin")
    )


async def make_member(
    identity: IdentityService,
    admin: Token,
    name: str = "alice",
    password: str = "alice-pw",
    project: str = "demo",
    role: str = "member",
) -> Token:
    """Create a project (if needed) and a user holding ``role`` on it; that user's token."""
    found = await identity.store.identity.projects.find(project, "default")
    target = found or await identity.projects.create(admin, name=project)
    user = await identity.users.create(admin, name=name, password=password,
                                       default_project_id=target.id)
    role_record = await identity.store.identity.roles.find(role)
    assert role_record is not None
    await identity.assignments.grant(admin, target.id, user.id, role_record.id)
    return await identity.authenticator.authenticate(password_auth(name, password, project))
