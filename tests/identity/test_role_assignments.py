"""Roles and their assignments to users on projects."""

from __future__ import annotations

import pytest
from tests.identity.conftest import make_member, sqlite_only

from calor.identity import Conflict, Forbidden, IdentityService, NotFound, Token


async def role_id(identity: IdentityService, name: str) -> str:
    role = await identity.store.identity.roles.find(name)
    assert role is not None
    return role.id


async def test_granting_twice_is_harmless_and_revoking_twice_is_not_found(
    identity: IdentityService, admin: Token
) -> None:
    member = await make_member(identity, admin)
    assert member.project is not None
    reader = await role_id(identity, "reader")
    await identity.assignments.grant(admin, member.project.id, member.user.id, reader)
    await identity.assignments.grant(admin, member.project.id, member.user.id, reader)
    await identity.assignments.check(admin, member.project.id, member.user.id, reader)
    await identity.assignments.revoke(admin, member.project.id, member.user.id, reader)
    with pytest.raises(NotFound, match=f"Could not find role assignment with role: {reader}"):
        await identity.assignments.revoke(admin, member.project.id, member.user.id, reader)


@sqlite_only
async def test_granting_an_unknown_role_is_not_found(
    identity: IdentityService, admin: Token
) -> None:
    assert admin.project is not None
    with pytest.raises(NotFound, match="Could not find role: nope"):
        await identity.assignments.grant(admin, admin.project.id, admin.user.id, "nope")


@sqlite_only
async def test_only_admins_grant_roles(identity: IdentityService, admin: Token) -> None:
    member = await make_member(identity, admin)
    assert member.project is not None
    with pytest.raises(Forbidden, match="identity:create_grant"):
        await identity.assignments.grant(
            member, member.project.id, member.user.id, await role_id(identity, "admin")
        )


async def test_assignment_list_shows_direct_roles_or_with_effective_the_implied_ones(
    identity: IdentityService, admin: Token
) -> None:
    direct = await identity.assignments.list(admin, user_id=admin.user.id)
    assert [(a.role.name, a.project.name) for a in direct] == [("admin", "admin")]
    effective = await identity.assignments.list(admin, user_id=admin.user.id, effective=True)
    assert [(a.role.name, a.prior_role and a.prior_role.name) for a in effective] == [
        ("admin", None), ("member", "admin"), ("reader", "member"),
    ]


@sqlite_only
async def test_assignment_list_filters_by_project_and_role(
    identity: IdentityService, admin: Token
) -> None:
    member = await make_member(identity, admin)
    assert member.project is not None
    found = await identity.assignments.list(
        admin, project_id=member.project.id, role_id=await role_id(identity, "member")
    )
    assert [a.user.name for a in found] == ["alice"]


async def test_custom_roles_can_be_created_and_deleted_but_defaults_not(
    identity: IdentityService, admin: Token
) -> None:
    role = await identity.roles.create(admin, name="auditor")
    with pytest.raises(Conflict, match="Duplicate entry found with name auditor"):
        await identity.roles.create(admin, name="auditor")
    await identity.roles.delete(admin, role.id)
    with pytest.raises(Forbidden, match="Unable to delete immutable role admin"):
        await identity.roles.delete(admin, await role_id(identity, "admin"))
