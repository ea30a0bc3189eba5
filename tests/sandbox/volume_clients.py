"""Helpers for the block storage tests: a raw Cinder client and a sandbox with latency."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from openstack.connection import Connection
from tests.sandbox.running import RunningSandbox, sandbox_config, serve


def project_id(sandbox: RunningSandbox, token: str) -> str:
    answer = httpx.get(f"{sandbox.url}/identity/v3/auth/tokens",
                       headers={"X-Auth-Token": token, "X-Subject-Token": token})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["token"]["project"]["id"])


@contextmanager
def cinder(sandbox: RunningSandbox, *, user: str = "admin", password: str = "secret",
           project: str = "admin", version: str | None = "3.70") -> Iterator[httpx.Client]:
    """An httpx client rooted at ``/volume/v3/{project_id}`` with a token (and microversion)."""
    token = sandbox.token(user, password, project)
    headers = {"X-Auth-Token": token}
    if version:
        headers["OpenStack-API-Version"] = f"volume {version}"
    base = f"{sandbox.url}/volume/v3/{project_id(sandbox, token)}"
    with httpx.Client(base_url=base, headers=headers) as client:
        yield client


def volume_ids(client: httpx.Client) -> set[str]:
    return {v["id"] for v in client.get("/volumes").json()["volumes"]}


@contextmanager
def tidy(client: httpx.Client) -> Iterator[httpx.Client]:
    """Delete (with their snapshots) the volumes made in the block, so quotas hold."""
    before = volume_ids(client)
    try:
        yield client
    finally:
        for volume_id in volume_ids(client) - before:
            client.delete(f"/volumes/{volume_id}", params={"cascade": "true"})


@contextmanager
def slow_sandbox(workdir: Path, latency: float,
                 quotas: dict[str, dict[str, int]] | None = None) -> Iterator[RunningSandbox]:
    """A sandbox of its own whose asynchronous operations take ``latency`` seconds."""
    config = sandbox_config(workdir / "sandbox.db", latency=latency, quotas=quotas or {})
    with serve(config, workdir) as running:
        yield running


def wait_until(check: Callable[[], Any], timeout: float = 10.0) -> Any:
    """Poll ``check`` until it returns something true."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def create_volume(client: httpx.Client, **values: Any) -> dict[str, Any]:
    answer = client.post("/volumes", json={"volume": {"size": 1, **values}})
    assert answer.status_code == 202, answer.text
    return dict(answer.json()["volume"])


def volume_status(client: httpx.Client, volume_id: str) -> str | None:
    answer = client.get(f"/volumes/{volume_id}")
    if answer.status_code == 404:
        return None
    return str(answer.json()["volume"]["status"])


def cirros_id(cloud: Connection) -> str:
    image = cloud.image.find_image("cirros")
    assert image is not None
    return str(image.id)
