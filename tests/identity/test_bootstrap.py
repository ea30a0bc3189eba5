"""Bootstrap makes the first admin, and running it again repairs without duplicating."""

from __future__ import annotations

from tests.identity.conftest import password_auth, sqlite_only

from calor.identity import IdentityService, bootstrap


async def test_bootstrap_a_second_time_changes_nothing(identity: IdentityService) -> None:
    again = await bootstrap(identity.store.identity, identity.passwords,
                            admin_password="s3cret-admin")
    assert again.changes == ()
    assert [role.name for role in again.roles] == ["admin", "member", "reader"]
    assert (again.domain.id, again.domain.name) == ("default", "Default")
    assert len(await identity.store.identity.users.list()) == 1


@sqlite_only
async def test_bootstrap_with_a_new_password_resets_it(identity: IdentityService) -> None:
    result = await bootstrap(identity.store.identity, identity.passwords,
                             admin_password="new-password")
    assert result.changes == ("Reset the password of user admin",)
    token = await identity.authenticator.authenticate(
        password_auth("admin", "new-password", "admin")
    )
    assert token.is_admin


@sqlite_only
async def test_bootstrap_roles_cannot_be_deleted(identity: IdentityService) -> None:
    roles = await identity.store.identity.roles.list()
    assert all(role.immutable for role in roles)


@sqlite_only
async def test_bootstrap_names_can_be_chosen(identity: IdentityService) -> None:
    result = await bootstrap(identity.store.identity, identity.passwords,
                             admin_password="pw", admin_username="root", project_name="ops")
    assert result.changes == (
        "Created project ops", "Created user root",
        "Granted role admin on project ops to user root",
    )
    token = await identity.authenticator.authenticate(password_auth("root", "pw", "ops"))
    assert token.role_names == {"admin", "member", "reader"}
