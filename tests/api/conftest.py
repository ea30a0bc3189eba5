"""A real ``calor serve`` (uvicorn on 127.0.0.1, a free port) for the API tests, and clients.

One server per session: the app ``calor serve`` runs, with its engine and
its identity service, on a SQLite file of its own, bootstrapped (as
``calor admin bootstrap`` does) with user ``admin`` in project ``admin``.
Tests reach it with httpx, openstacksdk and the real ``openstack`` command
(python-openstackclient with python-heatclient), logging in with passwords.
A second server runs with ``--no-auth``.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import argon2
import httpx
import pytest
import uvicorn

from calor.api.app import ServerSettings, create_app
from calor.identity import IdentityService, Passwords, bootstrap
from calor.store import Store

Run = Callable[..., subprocess.CompletedProcess[str]]

ADMIN_PASSWORD = "calor-admin-secret"

#: Cheap argon2 parameters: the real hash, at a cost a test session can pay.
FAST_HASHER = argon2.PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@dataclass(frozen=True)
class Server:
    """A running server: its root URL and its database."""

    url: str
    database_url: str

    def orchestration(self, project_id: str) -> str:
        """A project's orchestration endpoint (what the catalog lists)."""
        return f"{self.url}/v1/{project_id}"

    @property
    def identity(self) -> str:
        return f"{self.url}/identity"


def start(app: Any) -> tuple[uvicorn.Server, threading.Thread, str]:
    """Serve ``app`` on a free port of 127.0.0.1 in a thread, once it is ready."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, lifespan="on", ws="none", log_level="warning",
                            timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the API server did not start")
        time.sleep(0.02)
    return server, thread, f"http://127.0.0.1:{port}"


def stop(server: uvicorn.Server, thread: threading.Thread) -> None:
    server.should_exit = True
    thread.join(timeout=30)


def bootstrap_admin(database_url: str) -> None:
    """What ``calor admin bootstrap --admin-password`` does, on the server's database."""

    async def run() -> None:
        async with Store.open(database_url) as store:
            identity = IdentityService(store, passwords=Passwords(FAST_HASHER))
            try:
                await bootstrap(store.identity, identity.passwords,
                                admin_password=ADMIN_PASSWORD)
            finally:
                identity.close()

    asyncio.run(run())


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``calor serve`` on its own database, with Calor's identity."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('api') / 'calor.db'}"
    bootstrap_admin(database_url)
    settings = ServerSettings(database_url=database_url, password_hasher=FAST_HASHER)
    running, thread, url = start(create_app(settings))
    try:
        yield Server(url, database_url)
    finally:
        stop(running, thread)


@pytest.fixture(scope="session")
def no_auth_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``calor serve --no-auth`` on another database."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('noauth') / 'calor.db'}"
    app = create_app(ServerSettings(database_url=database_url, no_auth=True))
    running, thread, url = start(app)
    try:
        yield Server(url, database_url)
    finally:
        stop(running, thread)


@dataclass(frozen=True)
class Login:
    """A token and the project it is scoped to."""

    token: str
    project_id: str
    user_id: str
    user_name: str
    password: str
    project_name: str


class Keystone:
    """The server's identity API, through httpx: log in, make projects, users, roles."""

    def __init__(self, server: Server) -> None:
        self.http = httpx.Client(base_url=f"{server.identity}/v3", timeout=30)
        self.admin = self.login("admin", ADMIN_PASSWORD, "admin")

    def login(self, user: str, password: str, project: str) -> Login:
        body = {"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "name": user, "domain": {"name": "Default"}, "password": password}}},
            "scope": {"project": {"name": project, "domain": {"name": "Default"}}}}}
        response = self.http.post("/auth/tokens", json=body)
        assert response.status_code == 201, response.text
        token = response.json()["token"]
        return Login(response.headers["x-subject-token"], token["project"]["id"],
                     token["user"]["id"], user, password, project)

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.http.post(path, json=body, headers={"X-Auth-Token": self.admin.token})
        assert response.status_code == 201, response.text
        found: dict[str, Any] = response.json()
        return found

    def member(self, role: str = "member", project: str | None = None) -> Login:
        """A new user holding ``role`` on a project (a new one unless named); its login."""
        headers = {"X-Auth-Token": self.admin.token}
        if project is None:
            project = f"p-{uuid.uuid4().hex[:8]}"
            self._post("/projects", {"project": {"name": project, "domain_id": "default"}})
        project_id = self.http.get("/projects", params={"name": project},
                                   headers=headers).json()["projects"][0]["id"]
        name, password = f"u-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
        user = self._post("/users", {"user": {"name": name, "password": password,
                                              "domain_id": "default"}})["user"]
        (found,) = self.http.get("/roles", params={"name": role}, headers=headers).json()["roles"]
        granted = self.http.put(f"/projects/{project_id}/users/{user['id']}/roles/{found['id']}",
                                headers=headers)
        assert granted.status_code == 204, granted.text
        return self.login(name, password, project)

    def close(self) -> None:
        self.http.close()


@pytest.fixture(scope="session")
def keystone(server: Server) -> Iterator[Keystone]:
    client = Keystone(server)
    try:
        yield client
    finally:
        client.close()


def client_for(server: Server, login: Login) -> httpx.Client:
    """httpx on the login's project endpoint, with its token (redirects not followed)."""
    return httpx.Client(base_url=server.orchestration(login.project_id), timeout=30,
                        headers={"X-Auth-Token": login.token})


@pytest.fixture(scope="session")
def http(server: Server, keystone: Keystone) -> Iterator[httpx.Client]:
    """httpx as the admin, on project admin's orchestration endpoint."""
    with client_for(server, keystone.admin) as client:
        yield client


@pytest.fixture(scope="session")
def endpoint(http: httpx.Client) -> str:
    """The orchestration endpoint ``http`` talks to (links and redirects start with it)."""
    return str(http.base_url).rstrip("/")


@pytest.fixture(scope="session")
def clouds_yaml(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clouds.yaml whose cloud ``calor`` logs in with a password against Calor's identity."""
    path = tmp_path_factory.mktemp("clouds") / "clouds.yaml"
    path.write_text(
        "clouds:\n"
        "  calor:\n"
        "    auth:\n"
        f"      auth_url: {server.identity}\n"
        "      username: admin\n"
        f"      password: {ADMIN_PASSWORD}\n"
        "      project_name: admin\n"
        "      user_domain_name: Default\n"
        "      project_domain_name: Default\n"
        "    region_name: RegionOne\n"
        "    identity_api_version: 3\n"
    )
    return path


def _openstack_command() -> str:
    found = Path(sys.executable).with_name("openstack")
    if found.exists():
        return str(found)
    which = shutil.which("openstack")
    if which is None:
        pytest.skip("the openstack command (python-openstackclient) is not installed")
    return which


@pytest.fixture(scope="session")
def openstack(clouds_yaml: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """Run the real ``openstack`` command against the server (cloud ``calor``)."""
    command = _openstack_command()
    cwd = tmp_path_factory.mktemp("osc")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OS_")}
    env.update(OS_CLIENT_CONFIG_FILE=str(clouds_yaml), OS_CLOUD="calor")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([command, *args], capture_output=True, text=True, cwd=cwd,
                              env=env, timeout=120)

    return run


class Stacks:
    """Stack helpers over the API: create one and wait for its action to end."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    @staticmethod
    def name(prefix: str) -> str:
        """A stack name no other test uses (the server is shared by the session)."""
        return f"{prefix}-{uuid.uuid4().hex[:8]}"

    def wait(self, stack_id: str, *, timeout: float = 30) -> dict[str, Any]:
        """The stack's show body once its action has ended."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.http.get(f"/stacks/{stack_id}", follow_redirects=True)
            assert found.status_code == 200, found.text
            stack: dict[str, Any] = found.json()["stack"]
            if not stack["stack_status"].endswith("IN_PROGRESS"):
                return stack
            if time.monotonic() > deadline:
                raise TimeoutError(f"stack {stack_id} still {stack['stack_status']}")
            time.sleep(0.05)

    def create(
        self, prefix: str, template: dict[str, Any] | str, **fields: Any
    ) -> dict[str, Any]:
        """Create a stack named after ``prefix``, wait for it to settle; its show body."""
        made = self.http.post(
            "/stacks", json={"stack_name": self.name(prefix), "template": template, **fields})
        assert made.status_code == 201, made.text
        return self.wait(made.json()["stack"]["id"])

    def url(self, stack: dict[str, Any]) -> str:
        """The stack's canonical path below the project's endpoint."""
        return f"/stacks/{stack['stack_name']}/{stack['id']}"


@pytest.fixture(scope="session")
def stacks(http: httpx.Client) -> Stacks:
    return Stacks(http)
