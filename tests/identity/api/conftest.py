"""A real uvicorn server on 127.0.0.1 serving only the identity router at ``/identity``.

One server per test session, on its own SQLite file, bootstrapped with user
``admin`` (password :data:`ADMIN_PASSWORD`) on project ``admin``; tests make
their own projects and users with unique names.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from tests.identity.conftest import ADMIN_PASSWORD, ORCHESTRATION, fast_passwords

from calor.api.identity import identity_router
from calor.identity import IdentityService, bootstrap
from calor.store import Store

__all__ = ["ADMIN_PASSWORD"]


@contextmanager
def running_server(database: Path, **options: Any) -> Iterator[str]:
    """Serve the identity router on a free port; yields the server's root URL."""
    url = f"sqlite:///{database}"

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with Store.open(url) as store:
            service = IdentityService(store, catalog=[ORCHESTRATION],
                                      passwords=fast_passwords(), **options)
            await bootstrap(store.identity, service.passwords, admin_password=ADMIN_PASSWORD)
            app.state.identity = service
            try:
                yield
            finally:
                service.close()

    app = FastAPI(lifespan=lifespan)
    app.include_router(identity_router(lambda request: request.app.state.identity),
                       prefix="/identity")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", ws="none",
                                           lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the identity test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture(scope="session")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The root URL of the session's identity server (identity is at ``/identity``)."""
    with running_server(tmp_path_factory.mktemp("identity") / "identity.db") as url:
        yield url


@pytest.fixture(scope="session")
def client(server_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server_url + "/identity/v3", timeout=30) as opened:
        yield opened


def password_body(user: str, password: str, project: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"auth": {"identity": {"methods": ["password"], "password": {
        "user": {"name": user, "domain": {"name": "Default"}, "password": password},
    }}}}
    if project is not None:
        body["auth"]["scope"] = {"project": {"name": project, "domain": {"name": "Default"}}}
    return body


def issue(client: httpx.Client, user: str, password: str, project: str | None = None) -> str:
    """A token (the X-Subject-Token of a 201), or an AssertionError with the answer."""
    answer = client.post("/auth/tokens", json=password_body(user, password, project))
    assert answer.status_code == 201, answer.text
    return answer.headers["X-Subject-Token"]


@pytest.fixture(scope="session")
def admin_token(client: httpx.Client) -> str:
    return issue(client, "admin", ADMIN_PASSWORD, "admin")


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def as_admin(token: str) -> dict[str, str]:
    return {"X-Auth-Token": token}


def make_member(
    client: httpx.Client, admin_token: str, role: str = "member"
) -> tuple[dict[str, Any], dict[str, Any], str]:
    """A new project and user holding ``role`` on it: (project, user, user's password)."""
    headers = as_admin(admin_token)
    project = client.post("/projects", headers=headers,
                          json={"project": {"name": unique("proj")}}).json()["project"]
    password = unique("pw")
    user = client.post("/users", headers=headers, json={"user": {
        "name": unique("user"), "password": password, "default_project_id": project["id"],
    }}).json()["user"]
    role_id = client.get("/roles", headers=headers, params={"name": role}).json()["roles"][0]["id"]
    granted = client.put(f"/projects/{project['id']}/users/{user['id']}/roles/{role_id}",
                         headers=headers)
    assert granted.status_code == 204, granted.text
    return project, user, password
