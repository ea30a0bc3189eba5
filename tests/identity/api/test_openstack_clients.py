"""The real ``openstack`` command and openstacksdk against Calor's identity.

Each ``openstack`` run is a new process that discovers the version and logs
in again (1-2 s), so these few tests cover the flows users type.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import openstack
import pytest
import yaml
from tests.identity.api.conftest import (
    ADMIN_PASSWORD,
    issue,
    make_member,
    running_server,
    unique,
)

OpenStack = Callable[..., Any]

# openstacksdk 4.22 warns about its own internals (InfluxDB on every connection,
# methods its identity proxy still calls): nothing these tests could change.
pytestmark = [
    pytest.mark.filterwarnings("ignore::openstack.warnings.RemovedInSDK50Warning"),
    pytest.mark.filterwarnings("ignore::openstack.warnings.RemovedInSDK60Warning"),
]


def cloud(server_url: str, user: str, password: str, project: str) -> dict[str, Any]:
    return {
        "auth": {
            "auth_url": server_url + "/identity",
            "username": user, "password": password, "project_name": project,
            "user_domain_name": "Default", "project_domain_name": "Default",
        },
        "region_name": "RegionOne",
        "identity_api_version": 3,
        "interface": "public",
    }


@pytest.fixture(scope="module")
def clouds_yaml(server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("clouds") / "clouds.yaml"
    path.write_text(yaml.safe_dump({"clouds": {
        "calor": cloud(server_url, "admin", ADMIN_PASSWORD, "admin"),
    }}))
    return path


@pytest.fixture(scope="module")
def osc(clouds_yaml: Path) -> OpenStack:
    """Run ``openstack`` commands as cloud ``cloud``; the ``-f json`` outputs, parsed.

    Several commands run in one ``openstack`` process (its interactive shell,
    fed on stdin), which logs in once: each process costs 1-2 s.
    """
    command = str(Path(sys.executable).with_name("openstack"))

    def run(*commands: str, cloud: str = "calor") -> list[Any]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
        env.update(OS_CLIENT_CONFIG_FILE=str(clouds_yaml), OS_CLOUD=cloud)
        done = subprocess.run([command], input="\n".join(commands) + "\n",
                              capture_output=True, text=True, env=env, timeout=120)
        # The shell ends with status 1 at the end of its input; a failed command
        # shows as its error on stderr.
        assert not done.stderr.strip(), done.stderr
        outputs, text, decoder = [], done.stdout.strip(), json.JSONDecoder()
        while text:
            value, end = decoder.raw_decode(text)
            outputs.append(value)
            text = text[end:].strip()
        return outputs

    return run


def add_cloud(clouds_yaml: Path, name: str, entry: dict[str, Any]) -> None:
    data = yaml.safe_load(clouds_yaml.read_text())
    data["clouds"][name] = entry
    clouds_yaml.write_text(yaml.safe_dump(data))


def test_openstack_token_issue(osc: OpenStack, client: httpx.Client) -> None:
    (token,) = osc("token issue -f json")
    assert set(token) >= {"id", "expires", "project_id", "user_id"}
    shown = client.get("/auth/tokens", headers={"X-Auth-Token": token["id"],
                                                "X-Subject-Token": token["id"]})
    assert shown.json()["token"]["project"]["id"] == token["project_id"]


def test_openstack_creates_a_project_and_a_member_of_it(
    osc: OpenStack, clouds_yaml: Path, server_url: str
) -> None:
    project, user = unique("P"), unique("U")
    created, made, rows = osc(
        f"project create {project} -f json",
        f"user create --project {project} --password X-pw {user} -f json",
        f"role add --user {user} --project {project} member",
        f"role assignment list --project {project} --names -f json",
    )
    assert created["name"] == project and created["domain_id"] == "default"
    assert made["default_project_id"] == created["id"]
    assert [(r["Role"], r["User"], r["Project"]) for r in rows] == [
        ("member", f"{user}@Default", f"{project}@Default"),
    ]

    # The new member makes an application credential, and a program logs in with it.
    add_cloud(clouds_yaml, "member", cloud(server_url, user, "X-pw", project))
    (credential,) = osc("application credential create ci -f json", cloud="member")
    assert credential["Project ID"] == created["id"] and credential["Secret"]
    conn = openstack.connect(
        auth_type="v3applicationcredential",
        auth={"auth_url": server_url + "/identity",
              "application_credential_id": credential["ID"],
              "application_credential_secret": credential["Secret"]},
        region_name="RegionOne",
    )
    assert conn.current_project_id == created["id"]
    assert conn.session.get_token()
    conn.close()


def test_openstack_token_revoke_makes_the_token_refused(
    osc: OpenStack, client: httpx.Client
) -> None:
    token = issue(client, "admin", ADMIN_PASSWORD, "admin")
    assert osc(f"token revoke {token}") == []
    refused = client.get("/auth/projects", headers={"X-Auth-Token": token})
    assert refused.status_code == 401


def test_openstacksdk_connects_and_manages_identity(
    clouds_yaml: Path, client: httpx.Client, admin_token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(clouds_yaml))
    conn = openstack.connect(cloud="calor")
    identity: Any = conn.identity  # the v3 proxy (the stubs also allow v2)
    try:
        assert identity.find_project("admin", ignore_missing=False).name == "admin"
        project = identity.create_project(name=unique("sdk"))
        assert project.domain_id == "default"
        assert identity.get_project(project.id).name == project.name
        identity.delete_project(project)
        with pytest.raises(openstack.exceptions.NotFoundException):
            identity.find_project(project.name, ignore_missing=False)
        roles = {role.name for role in identity.roles()}
        assert {"admin", "member", "reader"} <= roles
        _, user, _ = make_member(client, admin_token)
        assert identity.find_user(user["name"], ignore_missing=False).id == user["id"]
        endpoint = conn.endpoint_for("orchestration")
        assert endpoint is not None and endpoint.endswith(f"/v1/{conn.current_project_id}")
    finally:
        conn.close()


def test_an_expired_token_is_refused(tmp_path: Path) -> None:
    with running_server(tmp_path / "short.db", token_expiration_secs=1) as url, \
            httpx.Client(base_url=url + "/identity/v3") as short:
        token = issue(short, "admin", ADMIN_PASSWORD, "admin")
        assert short.get("/auth/projects", headers={"X-Auth-Token": token}).status_code == 200
        time.sleep(1.1)
        refused = short.get("/auth/projects", headers={"X-Auth-Token": token})
        assert refused.status_code == 401
        assert refused.json()["error"]["message"] == (
            "The request you have made requires authentication."
        )
