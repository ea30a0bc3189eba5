"""POST/GET/HEAD/DELETE /v3/auth/tokens and version discovery over HTTP."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from tests.identity.api.conftest import (
    ADMIN_PASSWORD,
    as_admin,
    issue,
    make_member,
    password_body,
)


def test_identity_root_lists_v3_with_a_300(server_url: str) -> None:
    answer = httpx.get(server_url + "/identity", headers={"Accept": "application/json"})
    assert answer.status_code == 300
    (version,) = answer.json()["versions"]["values"]
    assert version["id"].startswith("v3.") and version["status"] == "stable"
    assert version["links"] == [{"rel": "self", "href": server_url + "/identity/v3/"}]


def test_v3_answers_its_version_document(server_url: str) -> None:
    answer = httpx.get(server_url + "/identity/v3")
    assert answer.status_code == 200
    assert answer.json()["version"]["links"][0]["href"] == server_url + "/identity/v3/"


def test_password_auth_answers_201_with_the_token_in_a_header(
    client: httpx.Client, server_url: str
) -> None:
    answer = client.post("/auth/tokens", json=password_body("admin", ADMIN_PASSWORD, "admin"))
    assert answer.status_code == 201
    assert answer.headers["X-Subject-Token"]
    token = answer.json()["token"]
    assert token["methods"] == ["password"]
    assert token["user"]["name"] == "admin"
    assert token["user"]["domain"] == {"id": "default", "name": "Default"}
    assert token["project"]["name"] == "admin"
    assert sorted(r["name"] for r in token["roles"]) == ["admin", "member", "reader"]
    assert token["is_domain"] is False and len(token["audit_ids"]) == 1
    assert token["expires_at"].endswith("Z")
    expires = datetime.strptime(token["expires_at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    assert 3590 < (expires - datetime.now(UTC)).total_seconds() <= 3600


def test_catalog_lists_identity_and_orchestration_with_absolute_urls(
    client: httpx.Client, server_url: str
) -> None:
    answer = client.post("/auth/tokens", json=password_body("admin", ADMIN_PASSWORD, "admin"))
    token = answer.json()["token"]
    catalog = {service["type"]: service for service in token["catalog"]}
    assert set(catalog) == {"identity", "orchestration"}
    urls = {e["interface"]: e["url"] for e in catalog["orchestration"]["endpoints"]}
    project_url = f"{server_url}/v1/{token['project']['id']}"
    assert urls == {"public": project_url, "internal": project_url, "admin": project_url}
    assert {e["region_id"] for e in catalog["identity"]["endpoints"]} == {"RegionOne"}
    assert catalog["identity"]["endpoints"][0]["url"] == server_url + "/identity"


def test_nocatalog_leaves_the_catalog_out(client: httpx.Client) -> None:
    answer = client.post("/auth/tokens", params={"nocatalog": "1"},
                         json=password_body("admin", ADMIN_PASSWORD, "admin"))
    assert "catalog" not in answer.json()["token"]


def test_wrong_password_is_keystones_401(client: httpx.Client) -> None:
    answer = client.post("/auth/tokens", json=password_body("admin", "wrong", "admin"))
    assert answer.status_code == 401
    assert answer.json() == {"error": {
        "code": 401, "title": "Unauthorized",
        "message": "The request you have made requires authentication.",
    }}


def test_validating_a_token_shows_it_again(client: httpx.Client, admin_token: str) -> None:
    _, user, password = make_member(client, admin_token)
    subject = issue(client, user["name"], password)
    answer = client.get("/auth/tokens", headers={**as_admin(admin_token),
                                                 "X-Subject-Token": subject})
    assert answer.status_code == 200
    assert answer.headers["X-Subject-Token"] == subject
    assert answer.json()["token"]["user"]["id"] == user["id"]
    assert client.head("/auth/tokens", headers={**as_admin(admin_token),
                                                "X-Subject-Token": subject}).status_code == 200


def test_a_user_may_validate_its_own_token_only(client: httpx.Client, admin_token: str) -> None:
    _, user, password = make_member(client, admin_token)
    own = issue(client, user["name"], password)
    mine = client.get("/auth/tokens", headers={"X-Auth-Token": own, "X-Subject-Token": own})
    assert mine.status_code == 200
    theirs = client.get("/auth/tokens", headers={"X-Auth-Token": own,
                                                 "X-Subject-Token": admin_token})
    assert theirs.status_code == 403
    assert theirs.json()["error"]["message"] == (
        "You are not authorized to perform the requested action: identity:validate_token."
    )


def test_a_revoked_token_is_not_found_and_refused(
    client: httpx.Client, admin_token: str
) -> None:
    subject = issue(client, "admin", ADMIN_PASSWORD, "admin")
    headers = {**as_admin(admin_token), "X-Subject-Token": subject}
    assert client.delete("/auth/tokens", headers=headers).status_code == 204
    gone = client.get("/auth/tokens", headers=headers)
    assert gone.status_code == 404
    assert gone.json()["error"]["message"] == f"Could not find token: {subject}."
    refused = client.get("/auth/catalog", headers={"X-Auth-Token": subject})
    assert refused.status_code == 401


def test_token_method_rescopes_an_unscoped_token(client: httpx.Client) -> None:
    unscoped = client.post("/auth/tokens", json=password_body("admin", ADMIN_PASSWORD))
    assert unscoped.status_code == 201
    first = unscoped.json()["token"]
    scoped = client.post("/auth/tokens", json={"auth": {
        "identity": {"methods": ["token"], "token": {"id": unscoped.headers["X-Subject-Token"]}},
        "scope": {"project": {"name": "admin", "domain": {"id": "default"}}},
    }})
    assert scoped.status_code == 201
    second = scoped.json()["token"]
    assert second["expires_at"] == first["expires_at"]
    assert second["project"]["name"] == "admin"


def test_auth_catalog_and_projects(client: httpx.Client, admin_token: str) -> None:
    catalog = client.get("/auth/catalog", headers=as_admin(admin_token))
    assert {s["type"] for s in catalog.json()["catalog"]} == {"identity", "orchestration"}
    projects = client.get("/auth/projects", headers=as_admin(admin_token))
    assert [p["name"] for p in projects.json()["projects"]] == ["admin"]


def test_an_unscoped_token_gets_no_catalog(client: httpx.Client) -> None:
    unscoped = client.post("/auth/tokens", json={"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": "admin", "domain": {"id": "default"}, "password": ADMIN_PASSWORD}}},
        "scope": "unscoped",
    }})
    token = unscoped.headers["X-Subject-Token"]
    assert "catalog" not in unscoped.json()["token"]
    refused = client.get("/auth/catalog", headers={"X-Auth-Token": token})
    assert refused.status_code == 403
