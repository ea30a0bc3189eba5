"""Serving a real sandbox cloud on a free port, for the tests and their fixtures."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from openstack.config.loader import OpenStackConfig
from openstack.connection import Connection

from calor.identity.context import TokenValidator
from calor.sandbox import SandboxConfig, UserConfig, create_app

CLOUDS_YAML = """\
clouds:
  sandbox:
    auth:
      auth_url: {url}/identity
      username: {user}
      password: {password}
      project_name: {project}
      user_domain_name: Default
      project_domain_name: Default
    region_name: RegionOne
    identity_api_version: 3
"""


@dataclass(frozen=True)
class RunningSandbox:
    """A sandbox cloud served by uvicorn in a thread."""

    url: str
    config: SandboxConfig
    clouds_yaml: Path

    def connect(self) -> Connection:
        config = OpenStackConfig(config_files=[str(self.clouds_yaml)])
        with warnings.catch_warnings():
            # openstacksdk 4.22 warns about InfluxDB on every connection, configured or not.
            warnings.filterwarnings("ignore", message="Support for InfluxDB")
            return Connection(config=config.get_one("sandbox"))

    def token(self, user: str = "admin", password: str = "secret",
              project: str = "admin") -> str:
        body = {"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "name": user, "password": password, "domain": {"name": "Default"}}}},
            "scope": {"project": {"name": project, "domain": {"name": "Default"}}},
        }}
        answer = httpx.post(f"{self.url}/identity/v3/auth/tokens", json=body)
        assert answer.status_code == 201, answer.text
        return answer.headers["X-Subject-Token"]

    def set_faults(self, faults: dict[str, Any]) -> None:
        answer = httpx.put(f"{self.url}/sandbox-admin/faults", json={"faults": faults},
                           headers={"X-Auth-Token": self.token()})
        assert answer.status_code == 200, answer.text


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted sockets inherit this; without it each answer waits ~40 ms for a
    # delayed ACK (Nagle), as uvicorn writes headers and body separately.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def serve(config: SandboxConfig, workdir: Path,
          token_validator: TokenValidator | None = None) -> Iterator[RunningSandbox]:
    """Serve ``config`` until the block ends; the clouds.yaml lands in ``workdir``."""
    sock = free_socket()
    port = sock.getsockname()[1]
    app = create_app(config, token_validator=token_validator)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the sandbox did not start")
        time.sleep(0.01)
    url = f"http://127.0.0.1:{port}"
    clouds = workdir / "clouds.yaml"
    clouds.write_text(CLOUDS_YAML.format(url=url, user="admin", password=config.password,
                                         project="admin"))
    try:
        yield RunningSandbox(url, config, clouds)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def sandbox_config(state_file: Path, **changes: Any) -> SandboxConfig:
    """No latency; a user ``demo`` (member) in project ``demo`` beside ``admin``."""
    config = SandboxConfig(
        state_file=state_file, latency=0.0,
        users=(UserConfig(name="demo", password="demo-pass", project="demo",
                          roles=("member",)),),
    )
    return replace(config, **changes)


Openstack = Callable[..., subprocess.CompletedProcess[str]]
OpenstackBatch = Callable[..., list[Any]]

#: openstacksdk 4.22 warns about its own deprecated internals while it works.
SDK_WARNINGS = [
    pytest.mark.filterwarnings("ignore::openstack.warnings.RemovedInSDK50Warning"),
    pytest.mark.filterwarnings("ignore::openstack.warnings.RemovedInSDK60Warning"),
    pytest.mark.filterwarnings("ignore::openstack.warnings.RemovedFieldWarning"),
]
