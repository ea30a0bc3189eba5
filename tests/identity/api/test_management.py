"""Projects, users, roles and assignments over HTTP, as the admin and as a member."""

from __future__ import annotations

import httpx
from tests.identity.api.conftest import as_admin, issue, make_member, unique


def test_project_lifecycle(client: httpx.Client, admin_token: str) -> None:
    headers = as_admin(admin_token)
    name = unique("web")
    created = client.post("/projects", headers=headers, json={"project": {
        "name": name, "description": "web tier", "tags": ["prod"], "owner": "ops",
    }})
    assert created.status_code == 201
    project = created.json()["project"]
    assert (project["domain_id"], project["enabled"], project["owner"]) == (
        "default", True, "ops"
    )
    assert project["links"]["self"].endswith(f"/identity/v3/projects/{project['id']}")
    found = client.get("/projects", headers=headers, params={"name": name}).json()["projects"]
    assert [p["id"] for p in found] == [project["id"]]
    changed = client.patch(f"/projects/{project['id']}", headers=headers,
                           json={"project": {"enabled": False, "description": "off"}})
    assert changed.json()["project"]["enabled"] is False
    assert client.delete(f"/projects/{project['id']}", headers=headers).status_code == 204
    assert client.get(f"/projects/{project['id']}", headers=headers).status_code == 404


def test_a_duplicate_project_is_409(client: httpx.Client, admin_token: str) -> None:
    name = unique("dup")
    headers = as_admin(admin_token)
    client.post("/projects", headers=headers, json={"project": {"name": name}})
    again = client.post("/projects", headers=headers, json={"project": {"name": name}})
    assert again.status_code == 409
    assert again.json()["error"]["title"] == "Conflict"


def test_get_by_name_is_a_clean_404(client: httpx.Client, admin_token: str) -> None:
    answer = client.get("/projects/admin", headers=as_admin(admin_token))
    assert answer.status_code == 404
    assert answer.json()["error"]["message"] == "Could not find project: admin."


def test_a_member_is_forbidden_to_manage(client: httpx.Client, admin_token: str) -> None:
    _, user, password = make_member(client, admin_token)
    token = issue(client, user["name"], password)
    answer = client.post("/projects", headers={"X-Auth-Token": token},
                         json={"project": {"name": unique("mine")}})
    assert answer.status_code == 403
    assert answer.json()["error"]["message"].endswith("identity:create_project.")
    assert client.get("/users", headers={"X-Auth-Token": token}).status_code == 403


def test_users_change_their_own_password(client: httpx.Client, admin_token: str) -> None:
    project, user, password = make_member(client, admin_token)
    token = issue(client, user["name"], password)
    changed = client.post(f"/users/{user['id']}/password", headers={"X-Auth-Token": token},
                          json={"user": {"password": "fresh-pw", "original_password": password}})
    assert changed.status_code == 204
    assert client.get("/auth/projects", headers={"X-Auth-Token": token}).status_code == 401
    issue(client, user["name"], "fresh-pw", project["name"])


def test_role_assignments_with_names_and_effective(
    client: httpx.Client, admin_token: str
) -> None:
    project, user, _ = make_member(client, admin_token)
    headers = as_admin(admin_token)
    answer = client.get("/role_assignments", headers=headers, params={
        "scope.project.id": project["id"], "include_names": "True", "effective": "True",
    })
    assert answer.status_code == 200
    rows = answer.json()["role_assignments"]
    assert [(r["role"]["name"], r["user"]["name"]) for r in rows] == [
        ("member", user["name"]), ("reader", user["name"]),
    ]
    assert rows[0]["scope"]["project"]["domain"] == {"id": "default", "name": "Default"}
    assert "prior_role" in rows[1]["links"]


def test_grant_check_and_revoke(client: httpx.Client, admin_token: str) -> None:
    project, user, _ = make_member(client, admin_token)
    headers = as_admin(admin_token)
    reader = client.get("/roles", headers=headers, params={"name": "reader"}).json()["roles"][0]
    grant = f"/projects/{project['id']}/users/{user['id']}/roles/{reader['id']}"
    assert client.head(grant, headers=headers).status_code == 404
    assert client.put(grant, headers=headers).status_code == 204
    assert client.head(grant, headers=headers).status_code == 204
    listed = client.get(f"/projects/{project['id']}/users/{user['id']}/roles", headers=headers)
    assert sorted(r["name"] for r in listed.json()["roles"]) == ["member", "reader"]
    assert client.delete(grant, headers=headers).status_code == 204
    assert client.delete(grant, headers=headers).status_code == 404


def test_roles_list_show_and_create(client: httpx.Client, admin_token: str) -> None:
    headers = as_admin(admin_token)
    names = {r["name"] for r in client.get("/roles", headers=headers).json()["roles"]}
    assert {"admin", "member", "reader"} <= names
    created = client.post("/roles", headers=headers, json={"role": {"name": unique("ops")}})
    assert created.status_code == 201
    role = created.json()["role"]
    shown = client.get(f"/roles/{role['id']}", headers=headers).json()["role"]
    assert shown["name"] == role["name"] and shown["domain_id"] is None


def test_domains_list_and_show(client: httpx.Client, admin_token: str) -> None:
    headers = as_admin(admin_token)
    domains = client.get("/domains", headers=headers).json()["domains"]
    assert [(d["id"], d["name"]) for d in domains] == [("default", "Default")]
    assert client.get("/domains/default", headers=headers).json()["domain"]["name"] == "Default"
    assert client.get("/domains/other", headers=headers).status_code == 404


def test_application_credential_over_http(client: httpx.Client, admin_token: str) -> None:
    project, user, password = make_member(client, admin_token)
    token = issue(client, user["name"], password, project["name"])
    base = f"/users/{user['id']}/application_credentials"
    created = client.post(base, headers={"X-Auth-Token": token}, json={
        "application_credential": {"name": "ci", "expires_at": "2999-01-01T00:00:00"},
    })
    assert created.status_code == 201, created.text
    credential = created.json()["application_credential"]
    assert credential["project_id"] == project["id"]
    assert credential["expires_at"] == "2999-01-01T00:00:00.000000Z"
    assert sorted(r["name"] for r in credential["roles"]) == ["member", "reader"]
    login = client.post("/auth/tokens", json={"auth": {"identity": {
        "methods": ["application_credential"],
        "application_credential": {"id": credential["id"], "secret": credential["secret"]},
    }}})
    assert login.status_code == 201
    assert login.json()["token"]["application_credential"]["restricted"] is True
    listed = client.get(base, headers={"X-Auth-Token": token}).json()
    assert [c["name"] for c in listed["application_credentials"]] == ["ci"]
    assert "secret" not in listed["application_credentials"][0]
    gone = client.delete(f"{base}/{credential['id']}", headers={"X-Auth-Token": token})
    assert gone.status_code == 204
    refused = client.get("/auth/catalog",
                         headers={"X-Auth-Token": login.headers["X-Subject-Token"]})
    assert refused.status_code == 401
