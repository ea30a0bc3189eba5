"""Tokens expire, can be revoked, and stop working when what they stand for changes."""

from __future__ import annotations

import pytest
from tests.identity.conftest import ADMIN_PASSWORD, make_member, password_auth, sqlite_only

from calor.config import ConfigError
from calor.identity import IdentityService, Token, token_expiration_secs
from calor.identity.tokens import token_hash
from calor.store.column_types import utc_now


async def test_a_valid_token_is_found_with_its_roles(
    identity: IdentityService, admin: Token
) -> None:
    found = await identity.tokens.find(admin.id)
    assert found is not None
    assert found.user.id == admin.user.id
    assert found.role_names == {"admin", "member", "reader"}


@sqlite_only
async def test_only_the_hash_of_a_token_is_stored(
    identity: IdentityService, admin: Token
) -> None:
    stored = await identity.store.identity.tokens.get(token_hash(admin.id))
    assert stored is not None
    assert admin.id not in repr(stored)
    assert await identity.store.identity.tokens.get(admin.id) is None


@sqlite_only
async def test_tokens_live_for_the_configured_time(identity: IdentityService) -> None:
    short = IdentityService(identity.store, token_expiration_secs=60,
                            passwords=identity.passwords)
    token = await short.authenticator.authenticate(
        password_auth("admin", ADMIN_PASSWORD, "admin")
    )
    assert 59 <= (token.expires_at - token.issued_at).total_seconds() <= 60


@sqlite_only
async def test_an_expired_token_is_not_found(identity: IdentityService, admin: Token) -> None:
    scope = await identity.store.identity.scope(admin.user.id, admin.context().project_id)
    assert scope is not None
    expired = await identity.tokens.issue(scope, ["password"], expires_at=utc_now())
    assert await identity.tokens.find(expired.id) is None


async def test_a_revoked_token_is_not_found(identity: IdentityService, admin: Token) -> None:
    assert await identity.tokens.revoke(admin.id)
    assert await identity.tokens.find(admin.id) is None
    assert not await identity.tokens.revoke(admin.id)


async def test_removing_the_last_role_voids_the_users_tokens(
    identity: IdentityService, admin: Token
) -> None:
    member = await make_member(identity, admin)
    assert member.project is not None
    role = member.roles[0] if member.roles[0].name == "member" else member.roles[1]
    await identity.assignments.revoke(admin, member.project.id, member.user.id, role.id)
    assert await identity.tokens.find(member.id) is None


@sqlite_only
async def test_disabling_the_project_voids_its_tokens(
    identity: IdentityService, admin: Token
) -> None:
    member = await make_member(identity, admin)
    assert member.project is not None
    await identity.projects.update(admin, member.project.id, enabled=False)
    assert await identity.tokens.find(member.id) is None


async def test_deleting_the_user_voids_its_tokens(
    identity: IdentityService, admin: Token
) -> None:
    member = await make_member(identity, admin)
    await identity.users.delete(admin, member.user.id)
    assert await identity.tokens.find(member.id) is None


def test_token_lifetime_comes_from_the_environment() -> None:
    assert token_expiration_secs({}) == 3600
    assert token_expiration_secs({"CALOR_TOKEN_EXPIRATION_SECS": "120"}) == 120


@pytest.mark.parametrize("raw, message", [
    ("soon", "must be a whole number, not 'soon'"),
    ("0", "must be at least 1, not 0"),
])
def test_nonsense_token_lifetime_is_a_config_error(raw: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        token_expiration_secs({"CALOR_TOKEN_EXPIRATION_SECS": raw})


def test_token_ids_and_secrets_never_start_like_a_command_line_option() -> None:
    # `openstack token revoke TOKEN` reads a leading "-" as an option.
    from calor.identity.application_credentials import new_secret
    from calor.identity.tokens import new_token_id

    assert all(new_token_id()[0] not in "-_" for _ in range(2000))
    assert all(new_secret()[0] not in "-_" for _ in range(2000))
