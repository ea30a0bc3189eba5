"""``calor serve``: the orchestration API (and identity) with the engine, in one process.

The server listens on 127.0.0.1:8004 (Heat's port) unless ``--host`` /
``--port``, ``CALOR_API_HOST`` / ``CALOR_API_PORT`` or the config file say
otherwise (in that order of precedence). It uses the same database as the
CLI (``--database-url``, ``CALOR_DATABASE_URL``, else SQLite in
``CALOR_HOME``), so stacks made with ``calor stack create`` show up in the
API, in the ``local`` project. Ctrl-C or SIGTERM stops it gracefully: the
requests being answered finish, the running resource actions stop, and
stacks left IN_PROGRESS are marked failed as interrupted (every state
change was committed as it happened, so nothing is lost).

The config file is INI, Heat's ``heat.conf`` spelling where there is one::

    [heat_api]
    bind_host = 0.0.0.0
    bind_port = 8004

    [database]
    connection = postgresql://calor:secret@db/calor
"""

from __future__ import annotations

import asyncio
import configparser
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from calor.api.settings import ExternalKeystone, ServerSettings
from calor.cli.errors import fail
from calor.config import (
    ConfigError,
    EngineLiveness,
    api_bind,
    max_json_body_size,
    max_parallel_actions,
)
from calor.identity.keystone import ServiceCredentials
from calor.store import Store, StoreError

#: Seconds the server waits for open requests when told to stop.
GRACEFUL_SHUTDOWN_SECS = 10


@dataclass(frozen=True)
class FileSettings:
    """What a config file says (each None when it says nothing)."""

    host: str | None = None
    port: str | None = None
    database_url: str | None = None
    #: ``[keystone_authtoken]``: trust this Keystone's tokens (with these service credentials).
    keystone: dict[str, str] | None = None

    @classmethod
    def read(cls, path: str | None) -> FileSettings:
        if path is None:
            return cls()
        parser = configparser.ConfigParser(interpolation=None)
        try:
            with Path(path).expanduser().open(encoding="utf-8") as handle:
                parser.read_file(handle)
        except OSError as exc:
            raise ConfigError(f"Could not read {path}: {exc.strerror}") from None
        except configparser.Error as exc:
            raise ConfigError(f"{path} is not a valid config file: {exc}") from None
        keystone = (dict(parser.items("keystone_authtoken"))
                    if parser.has_section("keystone_authtoken") else None)
        return cls(
            host=parser.get("heat_api", "bind_host", fallback=None),
            port=parser.get("heat_api", "bind_port", fallback=None),
            database_url=parser.get("database", "connection", fallback=None),
            keystone=keystone,
        )

    def external_keystone(self) -> ExternalKeystone | None:
        """The Keystone to trust, as keystonemiddleware's options name it, if any."""
        if not self.keystone:
            return None
        options = self.keystone
        missing = [k for k in ("auth_url", "username", "password", "project_name")
                   if not options.get(k)]
        if missing:
            raise ConfigError(f"[keystone_authtoken] needs {', '.join(missing)}")
        credentials = ServiceCredentials(
            username=options["username"], password=options["password"],
            project_name=options["project_name"],
            user_domain_name=options.get("user_domain_name", "Default"),
            project_domain_name=options.get("project_domain_name", "Default"),
        )
        return ExternalKeystone(options["auth_url"], credentials)


def serve(
    host: Annotated[str | None, typer.Option(
        "--host", help="Address to listen on (default 127.0.0.1; env CALOR_API_HOST).")] = None,
    port: Annotated[int | None, typer.Option(
        "--port", help="Port to listen on (default 8004; env CALOR_API_PORT).")] = None,
    no_auth: Annotated[bool, typer.Option(
        "--no-auth", help="Ask for no token: every caller is a local admin. For local "
        "development only.")] = False,
    database_url: Annotated[str | None, typer.Option(
        "--database-url", help="Database URL (default: CALOR_DATABASE_URL, else SQLite in "
        "CALOR_HOME).")] = None,
    config_file: Annotated[str | None, typer.Option(
        "--config-file", help="INI file: \\[heat_api] bind_host, bind_port; \\[database] "
        "connection.")] = None,
) -> None:
    """Serve the orchestration API (Heat v1) with the engine on this machine."""
    try:
        settings = FileSettings.read(config_file)
        env = dict(os.environ)
        if settings.host is not None:
            env.setdefault("CALOR_API_HOST", settings.host)
        if settings.port is not None:
            env.setdefault("CALOR_API_PORT", settings.port)
        bind = api_bind(env)
        keystone = settings.external_keystone()
        server = ServerSettings(
            database_url=database_url or env.get("CALOR_DATABASE_URL") or settings.database_url,
            no_auth=no_auth, keystone=keystone, max_json_body_size=max_json_body_size(env),
        )
        asyncio.run(_preflight(server))
    except (ConfigError, StoreError) as exc:
        raise fail(f"ERROR: {exc}") from None
    _run(host or bind.host, port or bind.port, server)


async def _preflight(settings: ServerSettings) -> None:
    """What would stop the server starting, found before it starts (a message, no traceback).

    The engine's settings are read, and the database opened (and migrated) once.
    """
    EngineLiveness.from_environment()
    max_parallel_actions()
    async with Store.open(settings.database_url):
        pass


def _run(host: str, port: int, settings: ServerSettings) -> None:
    # Imported here: the other commands start faster without the web stack.
    import uvicorn

    from calor.api.app import create_app

    app = create_app(settings)
    root = f"http://{host}:{port}"
    print(f"Calor orchestration API on {root}/v1/{{project_id}}", flush=True)
    if settings.no_auth:
        print("No authentication: every caller is a local admin of the project its URL "
              "names (the CLI's stacks are in project 'local').", flush=True)
    elif settings.keystone is not None:
        print(f"Tokens checked with the Keystone at {settings.keystone.auth_url}", flush=True)
    else:
        print(f"Identity (Keystone v3) on {root}/identity/v3 (first admin: calor admin "
              "bootstrap)", flush=True)
    uvicorn.run(app, host=host, port=port, lifespan="on", ws="none",
                timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECS, log_level="info")
