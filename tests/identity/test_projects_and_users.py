"""Projects and users: admins manage them, names are unique per domain, others are refused."""

from __future__ import annotations

import pytest
from tests.identity.conftest import make_member, password_auth, sqlite_only

from calor.identity import (
    Conflict,
    Forbidden,
    IdentityService,
    NotFound,
    Token,
    Unauthorized,
)


async def test_admin_creates_lists_and_deletes_a_project(
    identity: IdentityService, admin: Token
) -> None:
    project = await identity.projects.create(admin, name="web", description="the web tier",
                                             tags=["prod"], extra={"owner": "ops"})
    assert (project.domain_id, project.enabled, project.tags) == ("default", True, ["prod"])
    listed = await identity.projects.list(admin, name="web")
    assert [p.id for p in listed] == [project.id]
    await identity.projects.delete(admin, project.id)
    with pytest.raises(NotFound, match=f"Could not find project: {project.id}."):
        await identity.projects.get(admin, project.id)


async def test_a_project_name_is_unique_in_its_domain(
    identity: IdentityService, admin: Token
) -> None:
    await identity.projects.create(admin, name="web")
    with pytest.raises(Conflict) as caught:
        await identity.projects.create(admin, name="web")
    assert caught.value.message == (
        "Conflict occurred attempting to store project - "
        "Duplicate entry found with name web at domain ID default."
    )


async def test_renaming_a_project_onto_a_taken_name_is_a_conflict(
    identity: IdentityService, admin: Token
) -> None:
    web = await identity.projects.create(admin, name="web")
    with pytest.raises(Conflict):
        await identity.projects.update(admin, web.id, name="admin")


@sqlite_only
async def test_a_member_may_read_its_own_project_only(
    identity: IdentityService, admin: Token
) -> None:
    member = await make_member(identity, admin)
    assert member.project is not None and admin.project is not None
    assert (await identity.projects.get(member, member.project.id)).name == "demo"
    with pytest.raises(Forbidden, match="identity:get_project"):
        await identity.projects.get(member, admin.project.id)
    with pytest.raises(Forbidden, match="identity:list_projects"):
        await identity.projects.list(member)


@sqlite_only
async def test_a_member_cannot_create_projects_or_users(
    identity: IdentityService, admin: Token
) -> None:
    member = await make_member(identity, admin)
    with pytest.raises(Forbidden) as caught:
        await identity.projects.create(member, name="mine")
    assert caught.value.message == (
        "You are not authorized to perform the requested action: identity:create_project."
    )
    with pytest.raises(Forbidden, match="identity:create_user"):
        await identity.users.create(member, name="bob", password="x")


@sqlite_only
async def test_user_projects_are_those_with_a_role(
    identity: IdentityService, admin: Token
) -> None:
    member = await make_member(identity, admin)
    projects = await identity.projects.of_user(member, member.user.id)
    assert [p.name for p in projects] == ["demo"]


async def test_a_user_name_is_unique_in_its_domain(
    identity: IdentityService, admin: Token
) -> None:
    with pytest.raises(Conflict, match="Duplicate entry found with name admin at domain ID"):
        await identity.users.create(admin, name="admin", password="x")


@sqlite_only
async def test_a_user_in_an_unknown_domain_is_not_found(
    identity: IdentityService, admin: Token
) -> None:
    with pytest.raises(NotFound, match="Could not find domain: elsewhere"):
        await identity.users.create(admin, name="bob", domain_id="elsewhere")


@sqlite_only
async def test_passwords_are_stored_as_argon2id_hashes(
    identity: IdentityService, admin: Token
) -> None:
    user = await identity.users.create(admin, name="bob", password="bob-pw",
                                       extra={"email": "bob@example.com"})
    assert user.password_hash is not None and user.password_hash.startswith("$argon2id$")
    assert "bob-pw" not in user.password_hash and "password_hash" not in repr(user)
    assert user.extra == {"email": "bob@example.com"}


@sqlite_only
async def test_a_user_reads_itself_but_not_others(
    identity: IdentityService, admin: Token
) -> None:
    member = await make_member(identity, admin)
    assert (await identity.users.get(member, member.user.id)).name == "alice"
    with pytest.raises(Forbidden, match="identity:get_user"):
        await identity.users.get(member, admin.user.id)


async def test_changing_ones_password_revokes_ones_tokens(
    identity: IdentityService, admin: Token
) -> None:
    member = await make_member(identity, admin)
    await identity.users.change_password(
        member, member.user.id, original_password="alice-pw", password="new-pw"
    )
    assert await identity.tokens.find(member.id) is None
    token = await identity.authenticator.authenticate(password_auth("alice", "new-pw", "demo"))
    assert token.user.id == member.user.id


@sqlite_only
async def test_changing_a_password_needs_the_original(
    identity: IdentityService, admin: Token
) -> None:
    member = await make_member(identity, admin)
    with pytest.raises(Unauthorized):
        await identity.users.change_password(
            member, member.user.id, original_password="guess", password="new-pw"
        )


@sqlite_only
async def test_admin_sets_a_users_password(identity: IdentityService, admin: Token) -> None:
    member = await make_member(identity, admin)
    await identity.users.update(admin, member.user.id, password="reset-pw")
    await identity.authenticator.authenticate(password_auth("alice", "reset-pw", "demo"))
    with pytest.raises(Unauthorized):
        await identity.authenticator.authenticate(password_auth("alice", "alice-pw", "demo"))
