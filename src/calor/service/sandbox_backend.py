"""The embedded sandbox cloud: the default cloud when no real one is chosen.

The first time a stack needs a cloud, the sandbox (:func:`calor.sandbox.create_app`)
starts in this process: uvicorn on 127.0.0.1 on a free port, in a background
thread, its state in ``$CALOR_HOME/sandbox.db`` so that what one command
creates the next one finds. The engine then talks to it over HTTP through
openstacksdk, as it talks to any cloud. ``CALOR_SANDBOX_CONFIG`` names a
TOML file with a ``[sandbox]`` table (latency, faults, quotas, users) to
start it with.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from calor.clouds import Cloud, CloudConfigError, CloudUnreachable, ThreadPool
from calor.clouds.selection import chosen_cloud_name, cloud_from_config

if TYPE_CHECKING:
    from openstack.connection import Connection

    from calor.sandbox import SandboxConfig

# The sandbox (FastAPI), uvicorn and openstacksdk are imported when the sandbox
# starts: a command whose stacks need no cloud does not pay for them.

#: The name the embedded sandbox goes by (in messages and ``Cloud.name``).
SANDBOX_CLOUD = "sandbox"

#: How long the sandbox may take to start listening.
_START_TIMEOUT = 30.0


class SandboxServer:
    """The sandbox cloud served by uvicorn in a daemon thread of this process."""

    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        self.url: str | None = None
        self._lock = threading.Lock()
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    def start(self) -> str:
        """Start serving (once; later calls return the same URL); blocking."""
        import uvicorn

        from calor.sandbox import create_app

        with self._lock:
            if self.url is not None:
                return self.url
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            # Without it every answer waits ~40 ms for TCP's delayed acknowledgement.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.bind(("127.0.0.1", 0))
            server = uvicorn.Server(uvicorn.Config(
                create_app(self.config), log_level="warning", lifespan="on"))
            thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]},
                                      name="calor-sandbox", daemon=True)
            thread.start()
            deadline = time.monotonic() + _START_TIMEOUT
            while not server.started:
                if not thread.is_alive() or time.monotonic() > deadline:
                    server.should_exit = True
                    sock.close()
                    raise CloudUnreachable("the embedded sandbox cloud did not start")
                time.sleep(0.01)
            self._server, self._thread, self._socket = server, thread, sock
            self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
            return self.url

    def stop(self) -> None:
        """Stop serving, if started."""
        with self._lock:
            if self._server is not None:
                self._server.should_exit = True
            if self._thread is not None:
                self._thread.join(timeout=10)
            if self._socket is not None:
                self._socket.close()
            self._server = self._thread = self._socket = None
            self.url = None


def sandbox_config(env: Mapping[str, str] | None = None) -> SandboxConfig:
    """The embedded sandbox's settings: ``CALOR_SANDBOX_CONFIG``'s file, else the defaults."""
    from calor.sandbox import ConfigError, load_config

    env = os.environ if env is None else env
    path = env.get("CALOR_SANDBOX_CONFIG")
    try:
        return load_config(Path(path).expanduser() if path else None)
    except ConfigError as exc:
        raise CloudConfigError(f"CALOR_SANDBOX_CONFIG: {exc}") from None


def sandbox_cloud(config: SandboxConfig | None = None, *,
                  pool: ThreadPool | None = None) -> Cloud:
    """A :class:`Cloud` that starts the sandbox in this process when first used.

    Its settings are read then (``CALOR_SANDBOX_CONFIG``) unless given.
    """
    server: SandboxServer | None = None

    def connect() -> Connection:
        nonlocal server
        from openstack.connection import Connection

        settings = config or sandbox_config()
        server = SandboxServer(settings)
        url = server.start()
        return Connection(
            auth_url=f"{url}/identity", username="admin", password=settings.password,
            project_name="admin", user_domain_name="Default", project_domain_name="Default",
            region_name=settings.region, identity_api_version="3",
        )

    def stop() -> None:
        if server is not None:
            server.stop()

    return Cloud(SANDBOX_CLOUD, connect, pool=pool, on_close=stop)


def default_cloud(explicit: str | None = None, *, env: Mapping[str, str] | None = None,
                  pool: ThreadPool | None = None) -> Cloud:
    """The cloud stacks are built in: the one named (``--os-cloud``, ``CALOR_CLOUD``,
    ``OS_CLOUD``) from clouds.yaml, else the embedded sandbox.

    Raises CloudConfigError when the named cloud is not in clouds.yaml.
    """
    name = chosen_cloud_name(explicit, env)
    if name:
        return cloud_from_config(name, pool=pool)
    return sandbox_cloud(pool=pool)
