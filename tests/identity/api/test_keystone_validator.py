"""KeystoneTokenValidator, pointed at Calor's own identity server as the external Keystone."""

from __future__ import annotations

import socket

import httpx
import pytest
from tests.identity.api.conftest import ADMIN_PASSWORD, as_admin, issue, make_member

from calor.identity import InvalidToken, KeystoneTokenValidator, ServiceCredentials
from calor.identity.keystone import KeystoneUnavailable

SERVICE = ServiceCredentials(username="admin", password=ADMIN_PASSWORD, project_name="admin")


async def test_external_keystone_maps_a_token_to_the_callers_context(
    server_url: str, client: httpx.Client, admin_token: str
) -> None:
    project, user, password = make_member(client, admin_token, role="reader")
    token = issue(client, user["name"], password, project["name"])
    validator = KeystoneTokenValidator(server_url + "/identity", SERVICE, cache_seconds=0)
    try:
        context = await validator.validate(token)
    finally:
        await validator.aclose()
    assert (context.user_id, context.user_name) == (user["id"], user["name"])
    assert (context.project_id, context.project_name) == (project["id"], project["name"])
    assert context.roles == {"reader"} and not context.can_write
    assert context.user_domain_id == context.project_domain_id == "default"
    assert context.expires_at is not None and context.token_id == token


async def test_external_keystone_refuses_a_revoked_token(
    server_url: str, client: httpx.Client, admin_token: str
) -> None:
    token = issue(client, "admin", ADMIN_PASSWORD, "admin")
    validator = KeystoneTokenValidator(server_url + "/identity/v3", SERVICE, cache_seconds=0)
    try:
        assert (await validator.validate(token)).is_admin
        client.delete("/auth/tokens", headers={**as_admin(admin_token),
                                               "X-Subject-Token": token})
        with pytest.raises(InvalidToken):
            await validator.validate(token)
        with pytest.raises(InvalidToken):
            await validator.validate("garbage")
    finally:
        await validator.aclose()


async def test_answers_are_cached_for_the_configured_time(
    server_url: str, client: httpx.Client, admin_token: str
) -> None:
    token = issue(client, "admin", ADMIN_PASSWORD, "admin")
    validator = KeystoneTokenValidator(server_url + "/identity", SERVICE, cache_seconds=300)
    try:
        first = await validator.validate(token)
        client.delete("/auth/tokens", headers={**as_admin(admin_token),
                                               "X-Subject-Token": token})
        assert await validator.validate(token) == first
    finally:
        await validator.aclose()


async def test_bad_service_credentials_are_keystone_unavailable(server_url: str) -> None:
    wrong = ServiceCredentials(username="admin", password="wrong", project_name="admin")
    validator = KeystoneTokenValidator(server_url + "/identity", wrong)
    try:
        with pytest.raises(KeystoneUnavailable, match="refused Calor's service credentials"):
            await validator.validate("anything")
    finally:
        await validator.aclose()


async def test_unreachable_keystone_is_keystone_unavailable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    validator = KeystoneTokenValidator(f"http://127.0.0.1:{port}/identity", SERVICE)
    try:
        with pytest.raises(KeystoneUnavailable, match="not reachable"):
            await validator.validate("anything")
    finally:
        await validator.aclose()
