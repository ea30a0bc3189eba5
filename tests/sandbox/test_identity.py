"""The sandbox's own Keystone v3: discovery, password and token auth, the catalog."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from openstack.connection import Connection
from tests.sandbox.running import (
    SDK_WARNINGS,
    Openstack,
    RunningSandbox,
    sandbox_config,
    serve,
)

from calor.identity.context import InvalidToken, RequestContext
from calor.sandbox import catalog_services

pytestmark = SDK_WARNINGS


def test_unversioned_identity_url_answers_a_versions_document(sandbox: RunningSandbox) -> None:
    answer = httpx.get(f"{sandbox.url}/identity")
    assert answer.status_code == 300
    (version,) = answer.json()["versions"]["values"]
    assert version["id"] == "v3.14"
    assert version["links"][0]["href"] == f"{sandbox.url}/identity/v3/"


def test_openstack_token_issue_names_the_admin_user_and_project(
        openstack_cli: Openstack, cloud: Connection) -> None:
    token = json.loads(openstack_cli("token", "issue", "-f", "json").stdout)
    admin = cloud.identity.find_project("admin", ignore_missing=False)
    assert token["project_id"] == admin.id
    assert token["user_id"] and token["id"]


def test_catalog_lists_every_service_with_absolute_urls_in_region_one(
        cloud: Connection, sandbox: RunningSandbox) -> None:
    catalog = cloud.session.auth.get_access(cloud.session).service_catalog.catalog
    types = {entry["type"] for entry in catalog}
    assert types == {"identity"} | {kind for kind, _name, _path in catalog_services()}
    for entry in catalog:
        for endpoint in entry["endpoints"]:
            assert endpoint["url"].startswith(sandbox.url + "/")
            assert endpoint["region_id"] == "RegionOne"


def test_wrong_password_is_refused_with_keystones_401(sandbox: RunningSandbox) -> None:
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": "admin", "password": "wrong", "domain": {"name": "Default"}}}}}}
    answer = httpx.post(f"{sandbox.url}/identity/v3/auth/tokens", json=body)
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == 401


def test_token_auth_rescopes_a_token_and_validation_shows_it(sandbox: RunningSandbox) -> None:
    token = sandbox.token("demo", "demo-pass", "demo")
    body = {"auth": {"identity": {"methods": ["token"], "token": {"id": token}},
                     "scope": {"project": {"name": "demo", "domain": {"id": "default"}}}}}
    answer = httpx.post(f"{sandbox.url}/identity/v3/auth/tokens", json=body)
    assert answer.status_code == 201
    second = answer.headers["X-Subject-Token"]
    shown = httpx.get(f"{sandbox.url}/identity/v3/auth/tokens",
                      headers={"X-Auth-Token": token, "X-Subject-Token": second})
    assert shown.status_code == 200
    assert shown.json()["token"]["project"]["name"] == "demo"
    assert [r["name"] for r in shown.json()["token"]["roles"]] == ["member", "reader"]


def test_a_user_cannot_scope_to_a_project_it_has_no_role_on(sandbox: RunningSandbox) -> None:
    body = {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": "demo", "password": "demo-pass", "domain": {"name": "Default"}}}},
        "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}}
    answer = httpx.post(f"{sandbox.url}/identity/v3/auth/tokens", json=body)
    assert answer.status_code == 401


def test_malformed_token_request_is_a_400_not_a_crash(sandbox: RunningSandbox) -> None:
    for body in (b"", b"{not json", b'{"auth": 3}', b'[1]'):
        answer = httpx.post(f"{sandbox.url}/identity/v3/auth/tokens", content=body,
                            headers={"Content-Type": "application/json"})
        assert answer.status_code == 400, body
        assert answer.json()["error"]["code"] == 400


def test_service_requests_without_a_token_get_401(sandbox: RunningSandbox) -> None:
    answer = httpx.get(f"{sandbox.url}/sandbox-admin/faults")
    assert answer.status_code == 401
    assert answer.json()["error"]["title"] == "Unauthorized"


class _OneTokenValidator:
    """Another identity's validator: knows one token."""

    async def validate(self, token: str) -> RequestContext:
        if token != "calor-token":
            raise InvalidToken(token)
        return RequestContext(user_id="u1", user_name="u", project_id="p1",
                              project_name="p", roles=frozenset({"admin"}))


def test_with_a_validator_the_sandbox_serves_no_identity_and_trusts_the_validator(
        tmp_path: Path) -> None:
    config = sandbox_config(tmp_path / "s.db")
    with serve(config, tmp_path, token_validator=_OneTokenValidator()) as running:
        assert httpx.get(f"{running.url}/identity").status_code == 404
        good = httpx.get(f"{running.url}/sandbox-admin/faults",
                         headers={"X-Auth-Token": "calor-token"})
        bad = httpx.get(f"{running.url}/sandbox-admin/faults",
                        headers={"X-Auth-Token": "other"})
    assert good.status_code == 200
    assert bad.status_code == 401
