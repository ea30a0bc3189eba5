"""POST /v3/auth/tokens, as the service sees it: credentials in, a token out (or a 401)."""

from __future__ import annotations

from typing import Any

import pytest
from tests.identity.conftest import ADMIN_PASSWORD, make_member, password_auth, sqlite_only

from calor.identity import IdentityService, Token, Unauthorized, ValidationError
from calor.identity.auth_request import AuthRequest


def request(identity: dict[str, Any], scope: Any = None) -> AuthRequest:
    auth: dict[str, Any] = {"identity": identity}
    if scope is not None:
        auth["scope"] = scope
    return AuthRequest.model_validate({"auth": auth})


async def test_password_auth_by_name_gives_a_project_token_with_implied_roles(
    identity: IdentityService,
) -> None:
    token = await identity.authenticator.authenticate(
        password_auth("admin", ADMIN_PASSWORD, "admin")
    )
    assert (token.user.name, token.user_domain.name) == ("admin", "Default")
    assert token.project is not None and token.project.name == "admin"
    assert token.role_names == {"admin", "member", "reader"}
    assert token.methods == ("password",)
    assert token.expires_at > token.issued_at


@sqlite_only
async def test_password_auth_by_user_id_and_project_id(
    identity: IdentityService, admin: Token
) -> None:
    assert admin.project is not None
    token = await identity.authenticator.authenticate(request(
        {"methods": ["password"], "password": {"user": {"id": admin.user.id,
                                                        "password": ADMIN_PASSWORD}}},
        {"project": {"id": admin.project.id}},
    ))
    assert token.user.id == admin.user.id
    assert token.project is not None and token.project.id == admin.project.id


@sqlite_only
@pytest.mark.parametrize("name, password", [("admin", "wrong"), ("nobody", ADMIN_PASSWORD)])
async def test_wrong_password_or_unknown_user_is_refused_alike(
    identity: IdentityService, name: str, password: str
) -> None:
    with pytest.raises(Unauthorized, match="requires authentication"):
        await identity.authenticator.authenticate(password_auth(name, password, "admin"))


@sqlite_only
async def test_disabled_user_cannot_authenticate(
    identity: IdentityService, admin: Token
) -> None:
    member = await make_member(identity, admin)
    await identity.users.update(admin, member.user.id, enabled=False)
    with pytest.raises(Unauthorized):
        await identity.authenticator.authenticate(password_auth("alice", "alice-pw", "demo"))


@sqlite_only
async def test_user_without_a_role_on_the_project_is_refused(
    identity: IdentityService, admin: Token
) -> None:
    await make_member(identity, admin)
    with pytest.raises(Unauthorized):
        await identity.authenticator.authenticate(password_auth("alice", "alice-pw", "admin"))


@sqlite_only
async def test_unknown_project_is_refused(identity: IdentityService) -> None:
    with pytest.raises(Unauthorized):
        await identity.authenticator.authenticate(
            password_auth("admin", ADMIN_PASSWORD, "no-such-project")
        )


@sqlite_only
async def test_without_a_scope_the_token_is_for_the_default_project(
    identity: IdentityService, admin: Token
) -> None:
    await make_member(identity, admin)
    token = await identity.authenticator.authenticate(password_auth("alice", "alice-pw"))
    assert token.project is not None and token.project.name == "demo"


@sqlite_only
async def test_explicitly_unscoped_token_has_no_project_and_no_roles(
    identity: IdentityService,
) -> None:
    token = await identity.authenticator.authenticate(
        password_auth("admin", ADMIN_PASSWORD, scope="unscoped")
    )
    assert token.project is None
    assert token.roles == ()
    assert token.context().project_id == ""


async def test_token_method_rescopes_and_keeps_the_expiry(
    identity: IdentityService, admin: Token
) -> None:
    unscoped = await identity.authenticator.authenticate(
        password_auth("admin", ADMIN_PASSWORD, scope="unscoped")
    )
    token = await identity.authenticator.authenticate(request(
        {"methods": ["token"], "token": {"id": unscoped.id}},
        {"project": {"name": "admin", "domain": {"name": "Default"}}},
    ))
    assert token.project is not None and token.project.name == "admin"
    assert token.expires_at == unscoped.expires_at
    assert token.methods == ("token", "password")
    assert token.audit_ids[1] == unscoped.audit_ids[0]


@sqlite_only
async def test_token_method_with_a_revoked_token_is_refused(
    identity: IdentityService, admin: Token
) -> None:
    await identity.tokens.revoke(admin.id)
    with pytest.raises(Unauthorized):
        await identity.authenticator.authenticate(
            request({"methods": ["token"], "token": {"id": admin.id}})
        )


@sqlite_only
async def test_unsupported_method_is_refused(identity: IdentityService) -> None:
    with pytest.raises(Unauthorized, match="unsupported method"):
        await identity.authenticator.authenticate(
            request({"methods": ["totp"], "totp": {"user": {"id": "x"}}})
        )


@sqlite_only
async def test_method_named_without_its_credentials_is_a_bad_request(
    identity: IdentityService,
) -> None:
    with pytest.raises(ValidationError, match="'password' is a required property"):
        await identity.authenticator.authenticate(request({"methods": ["password"]}))


@sqlite_only
async def test_user_by_name_needs_a_domain(identity: IdentityService) -> None:
    with pytest.raises(ValidationError, match="needs a domain"):
        await identity.authenticator.authenticate(request(
            {"methods": ["password"], "password": {"user": {"name": "admin", "password": "x"}}}
        ))


@sqlite_only
async def test_domain_scope_is_refused(identity: IdentityService) -> None:
    with pytest.raises(Unauthorized):
        await identity.authenticator.authenticate(
            password_auth("admin", ADMIN_PASSWORD, scope={"domain": {"id": "default"}})
        )
