"""Every orchestration call is authorised: tokens, projects, roles (and ``--no-auth``)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from tests.api.conftest import (
    ADMIN_PASSWORD,
    FAST_HASHER,
    Keystone,
    Server,
    Stacks,
    bootstrap_admin,
    client_for,
    start,
    stop,
)

from calor.api.app import ServerSettings, create_app
from calor.api.settings import ExternalKeystone
from calor.identity import ServiceCredentials

NONE = {"heat_template_version": "2018-08-31", "resources": {"a": {"type": "OS::Heat::None"}}}


def error_of(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == status
    found: str = body["error"]["type"]
    return found


def test_a_request_without_a_token_is_unauthorized(server: Server, keystone: Keystone) -> None:
    response = httpx.get(f"{server.orchestration(keystone.admin.project_id)}/stacks")
    assert error_of(response, 401) == "HTTPUnauthorized"
    assert response.headers["www-authenticate"] == f'Keystone uri="{server.identity}"'


def test_a_made_up_token_is_unauthorized(server: Server, keystone: Keystone) -> None:
    response = httpx.get(f"{server.orchestration(keystone.admin.project_id)}/stacks",
                         headers={"X-Auth-Token": "not-a-token"})
    assert error_of(response, 401) == "HTTPUnauthorized"


def test_a_revoked_token_is_unauthorized(server: Server, keystone: Keystone) -> None:
    login = keystone.member()
    with client_for(server, login) as client:
        assert client.get("/stacks").status_code == 200
        revoked = keystone.http.delete("/auth/tokens", headers={
            "X-Auth-Token": keystone.admin.token, "X-Subject-Token": login.token})
        assert revoked.status_code == 204
        assert error_of(client.get("/stacks"), 401) == "HTTPUnauthorized"


@pytest.fixture(scope="module")
def short_lived(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server whose tokens live one second."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('short') / 'calor.db'}"
    bootstrap_admin(database_url)
    settings = ServerSettings(database_url=database_url, token_expiration_secs=1,
                              password_hasher=FAST_HASHER)
    running, thread, url = start(create_app(settings))
    try:
        yield Server(url, database_url)
    finally:
        stop(running, thread)


def test_an_expired_token_is_unauthorized(short_lived: Server) -> None:
    keystone = Keystone(short_lived)
    try:
        with client_for(short_lived, keystone.admin) as client:
            assert client.get("/stacks").status_code == 200
            time.sleep(1.1)
            assert error_of(client.get("/stacks"), 401) == "HTTPUnauthorized"
    finally:
        keystone.close()


def test_each_project_sees_only_its_own_stacks(
    server: Server, keystone: Keystone, stacks: Stacks
) -> None:
    one, two = keystone.member(), keystone.member()
    with client_for(server, one) as first, client_for(server, two) as second:
        made = first.post("/stacks", json={"stack_name": stacks.name("mine"), "template": NONE})
        assert made.status_code == 201
        stack_id = made.json()["stack"]["id"]
        assert [s["id"] for s in first.get("/stacks").json()["stacks"]] == [stack_id]
        assert second.get("/stacks").json()["stacks"] == []
        assert error_of(second.get(f"/stacks/{stack_id}"), 404) == "EntityNotFound"


def test_another_projects_url_is_forbidden_even_to_an_admin(
    server: Server, keystone: Keystone
) -> None:
    someone = keystone.member()
    for login in (someone, keystone.admin):
        other = keystone.admin.project_id if login is someone else someone.project_id
        response = httpx.get(f"{server.orchestration(other)}/stacks",
                             headers={"X-Auth-Token": login.token})
        assert error_of(response, 403) == "HTTPForbidden"


def test_a_reader_may_look_but_not_create(server: Server, keystone: Keystone) -> None:
    reader = keystone.member(role="reader")
    with client_for(server, reader) as client:
        assert client.get("/stacks").status_code == 200
        assert client.get("/resource_types").status_code == 200
        made = client.post("/stacks", json={"stack_name": "nope", "template": NONE})
        assert error_of(made, 403) == "HTTPForbidden"


def test_only_an_admin_lists_across_projects(server: Server, keystone: Keystone) -> None:
    with client_for(server, keystone.member()) as client:
        response = client.get("/stacks", params={"global_tenant": "true"})
        assert error_of(response, 403) == "HTTPForbidden"


def test_without_auth_no_token_is_asked_and_the_url_names_the_project(
    no_auth_server: Server,
) -> None:
    with httpx.Client(base_url=no_auth_server.orchestration("local")) as local:
        made = local.post("/stacks", json={"stack_name": "free", "template": NONE})
        assert made.status_code == 201, made.text
        assert [s["stack_name"] for s in local.get("/stacks").json()["stacks"]] == ["free"]
    with httpx.Client(base_url=no_auth_server.orchestration("elsewhere")) as other:
        assert other.get("/stacks").json()["stacks"] == []
    assert httpx.get(f"{no_auth_server.url}/identity/v3").status_code == 404


def test_identity_answers_with_keystones_error_body_beside_heats(server: Server) -> None:
    malformed = httpx.post(f"{server.identity}/v3/auth/tokens", content=b"{",
                           headers={"content-type": "application/json"})
    assert malformed.status_code == 400
    assert set(malformed.json()) == {"error"}
    unknown = httpx.get(f"{server.identity}/v3/nothing")
    assert unknown.status_code == 404 and set(unknown.json()) == {"error"}


@pytest.fixture(scope="module")
def trusting(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server that checks tokens with another Keystone: the main server's identity."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('trusting') / 'calor.db'}"
    keystone = ExternalKeystone(server.identity, ServiceCredentials(
        username="admin", password=ADMIN_PASSWORD, project_name="admin"))
    running, thread, url = start(create_app(ServerSettings(database_url=database_url,
                                                           keystone=keystone)))
    try:
        yield Server(url, database_url)
    finally:
        stop(running, thread)


def test_an_external_keystones_tokens_are_trusted(
    trusting: Server, server: Server, keystone: Keystone
) -> None:
    someone = keystone.member()
    with client_for(trusting, someone) as client:
        made = client.post("/stacks", json={"stack_name": "trusted", "template": NONE})
        assert made.status_code == 201, made.text
        client.headers["X-Auth-Token"] = "forged"
        refused = client.get("/stacks")
    assert error_of(refused, 401) == "HTTPUnauthorized"
    assert refused.headers["www-authenticate"] == f'Keystone uri="{server.identity}"'
    assert httpx.get(f"{trusting.url}/identity/v3").status_code == 404
