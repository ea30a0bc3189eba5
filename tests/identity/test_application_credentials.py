"""Application credentials: made by a user for its project, used to log in, deleted."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from tests.identity.conftest import make_member, sqlite_only

from calor.identity import (
    Forbidden,
    IdentityService,
    NotFound,
    Token,
    Unauthorized,
    ValidationError,
)
from calor.identity.auth_request import AuthRequest
from calor.store.column_types import utc_now


def by_id(credential_id: str, secret: str) -> AuthRequest:
    return AuthRequest.model_validate({"auth": {"identity": {
        "methods": ["application_credential"],
        "application_credential": {"id": credential_id, "secret": secret},
    }}})


def by_name(name: str, user: dict[str, Any], secret: str) -> AuthRequest:
    return AuthRequest.model_validate({"auth": {"identity": {
        "methods": ["application_credential"],
        "application_credential": {"name": name, "user": user, "secret": secret},
    }}})


async def test_credential_logs_in_to_its_project_with_the_users_roles(
    identity: IdentityService, admin: Token
) -> None:
    member = await make_member(identity, admin)
    created = await identity.application_credentials.create(member, member.user.id, name="ci")
    assert created.credential.roles and len(created.secret) >= 64
    token = await identity.authenticator.authenticate(by_id(created.credential.id,
                                                            created.secret))
    assert token.project == member.project
    assert token.role_names == {"member", "reader"}
    assert token.methods == ("application_credential",)
    assert token.application_credential == created.credential


@sqlite_only
async def test_credential_by_name_and_user(identity: IdentityService, admin: Token) -> None:
    member = await make_member(identity, admin)
    await identity.application_credentials.create(member, member.user.id, name="ci",
                                                  secret="chosen-secret")
    user = {"name": "alice", "domain": {"name": "Default"}}
    token = await identity.authenticator.authenticate(by_name("ci", user, "chosen-secret"))
    assert token.user.id == member.user.id
    with pytest.raises(Unauthorized):
        await identity.authenticator.authenticate(by_name("ci", user, "wrong"))


@sqlite_only
async def test_credential_with_fewer_roles_grants_only_those(
    identity: IdentityService, admin: Token
) -> None:
    created = await identity.application_credentials.create(
        admin, admin.user.id, name="look", roles=[{"name": "reader"}]
    )
    token = await identity.authenticator.authenticate(by_id(created.credential.id,
                                                            created.secret))
    assert token.role_names == {"reader"}


@sqlite_only
async def test_a_role_the_user_lacks_cannot_be_delegated(
    identity: IdentityService, admin: Token
) -> None:
    member = await make_member(identity, admin)
    with pytest.raises(NotFound, match="Could not find role assignment with role: admin"):
        await identity.application_credentials.create(
            member, member.user.id, name="up", roles=[{"name": "admin"}]
        )


@sqlite_only
async def test_expired_credential_is_refused(identity: IdentityService, admin: Token) -> None:
    created = await identity.application_credentials.create(
        admin, admin.user.id, name="brief", expires_at=utc_now() + timedelta(seconds=30)
    )
    token = await identity.authenticator.authenticate(by_id(created.credential.id,
                                                            created.secret))
    assert token.expires_at <= utc_now() + timedelta(seconds=30)
    with pytest.raises(ValidationError, match="must be in the future"):
        await identity.application_credentials.create(
            admin, admin.user.id, name="past", expires_at=utc_now() - timedelta(seconds=1)
        )


async def test_deleting_a_credential_voids_its_tokens(
    identity: IdentityService, admin: Token
) -> None:
    created = await identity.application_credentials.create(admin, admin.user.id, name="ci")
    token = await identity.authenticator.authenticate(by_id(created.credential.id,
                                                            created.secret))
    await identity.application_credentials.delete(admin, admin.user.id, created.credential.id)
    assert await identity.tokens.find(token.id) is None
    with pytest.raises(Unauthorized):
        await identity.authenticator.authenticate(by_id(created.credential.id, created.secret))


@sqlite_only
async def test_only_the_user_creates_its_credentials(
    identity: IdentityService, admin: Token
) -> None:
    member = await make_member(identity, admin)
    with pytest.raises(Forbidden, match="identity:create_application_credential"):
        await identity.application_credentials.create(admin, member.user.id, name="theirs")
    with pytest.raises(Forbidden, match="identity:list_application_credentials"):
        await identity.application_credentials.list(member, admin.user.id)


@sqlite_only
async def test_a_restricted_credential_cannot_make_more(
    identity: IdentityService, admin: Token
) -> None:
    created = await identity.application_credentials.create(admin, admin.user.id, name="ci")
    token = await identity.authenticator.authenticate(by_id(created.credential.id,
                                                            created.secret))
    with pytest.raises(Forbidden, match="not allowed for managing"):
        await identity.application_credentials.create(token, admin.user.id, name="more")
