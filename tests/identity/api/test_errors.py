"""Bad requests get Keystone's error bodies and status codes, never a 500."""

from __future__ import annotations

import httpx
import pytest
from tests.identity.api.conftest import as_admin


@pytest.mark.parametrize("content", [b"{not json", b"", b"[]", b'"auth"', b"\xff\xfe"])
def test_malformed_auth_bodies_are_400(client: httpx.Client, content: bytes) -> None:
    answer = client.post("/auth/tokens", content=content,
                         headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert (error["code"], error["title"]) == (400, "Bad Request")


def test_a_wrong_type_names_the_field(client: httpx.Client) -> None:
    answer = client.post("/auth/tokens", json={"auth": {"identity": {"methods": "password"}}})
    assert answer.status_code == 400
    assert answer.json()["error"]["message"].startswith(
        "Invalid input for field 'auth.identity.methods':"
    )


def test_a_non_boolean_enabled_is_400(client: httpx.Client, admin_token: str) -> None:
    answer = client.post("/projects", headers=as_admin(admin_token),
                         json={"project": {"name": "p", "enabled": "yes"}})
    assert answer.status_code == 400


def test_no_token_is_401_with_keystones_body(client: httpx.Client) -> None:
    answer = client.get("/projects")
    assert answer.status_code == 401
    assert answer.json()["error"]["title"] == "Unauthorized"
    assert answer.headers["WWW-Authenticate"].startswith("Keystone")


def test_an_unknown_path_is_keystones_404(client: httpx.Client) -> None:
    answer = client.get("/no/such/thing")
    assert answer.status_code == 404
    assert answer.json() == {"error": {
        "code": 404, "message": "The resource could not be found.", "title": "Not Found",
    }}


def test_a_known_path_with_another_method_is_405(client: httpx.Client) -> None:
    answer = client.put("/auth/tokens")
    assert answer.status_code == 405
    assert answer.json()["error"]["title"] == "Method Not Allowed"


def test_a_trailing_slash_redirects(client: httpx.Client, admin_token: str) -> None:
    answer = client.get("/projects/", headers=as_admin(admin_token))
    assert answer.status_code == 307
    assert answer.headers["location"].endswith("/identity/v3/projects")


def test_a_subject_token_header_is_required(client: httpx.Client, admin_token: str) -> None:
    answer = client.get("/auth/tokens", headers=as_admin(admin_token))
    assert answer.status_code == 400
