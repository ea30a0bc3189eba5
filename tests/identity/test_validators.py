"""The local validator: what the orchestration API learns about an X-Auth-Token."""

from __future__ import annotations

import pytest
from tests.identity.conftest import make_member, sqlite_only

from calor.identity import IdentityService, InvalidToken, Token


@sqlite_only
async def test_validator_gives_the_callers_context(
    identity: IdentityService, admin: Token
) -> None:
    context = await identity.validator().validate(admin.id)
    assert admin.project is not None
    assert (context.user_name, context.project_id, context.project_name) == (
        "admin", admin.project.id, "admin"
    )
    assert context.roles == {"admin", "member", "reader"}
    assert context.is_admin and context.can_write
    assert context.expires_at == admin.expires_at
    assert context.user_domain_id == context.project_domain_id == "default"


@sqlite_only
async def test_reader_may_look_but_not_write(identity: IdentityService, admin: Token) -> None:
    reader = await make_member(identity, admin, name="rita", role="reader")
    context = await identity.validator().validate(reader.id)
    assert context.roles == {"reader"}
    assert not context.can_write and not context.is_admin


@sqlite_only
@pytest.mark.parametrize("token", ["", "not-a-token"])
async def test_unknown_token_is_invalid(identity: IdentityService, token: str) -> None:
    with pytest.raises(InvalidToken, match="requires authentication"):
        await identity.validator().validate(token)


@sqlite_only
async def test_revoked_token_is_invalid(identity: IdentityService, admin: Token) -> None:
    await identity.tokens.revoke(admin.id)
    with pytest.raises(InvalidToken):
        await identity.validator().validate(admin.id)
