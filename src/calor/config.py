"""Settings an operator may change, read from the environment.

Heat keeps these in ``heat.conf``; Calor reads ``CALOR_*`` variables so the
same limits apply to the CLI and (later) the server.

| variable | Heat option | default |
|---|---|---|
| ``CALOR_MAX_TEMPLATE_SIZE`` | ``max_template_size`` | 524288 bytes |
| ``CALOR_MAX_RESOURCES_PER_STACK`` | ``max_resources_per_stack`` | 1000 (-1: no limit) |
| ``CALOR_MAX_NESTED_STACK_DEPTH`` | ``max_nested_stack_depth`` | 5 |
| ``CALOR_HOME`` | — | ``~/.local/share/calor`` (where the embedded database lives) |
| ``CALOR_DATABASE_URL`` | ``[database] connection`` | ``sqlite:///$CALOR_HOME/calor.db`` |
| ``CALOR_ENGINE_HEARTBEAT_SECS`` | ``periodic_interval`` | 5 (seconds between heartbeats) |
| ``CALOR_ENGINE_STALE_SECS`` | 3 x ``periodic_interval`` | 30 (silent seconds: presumed dead) |
| ``CALOR_MAX_PARALLEL_ACTIONS`` | — | 1000 (resource actions one engine runs at once) |
| ``CALOR_MAX_JSON_BODY_SIZE`` | ``max_json_body_size`` | 1048576 bytes (largest API request body) |
| ``CALOR_API_HOST`` | ``[heat_api] bind_host`` | 127.0.0.1 (where ``calor serve`` listens) |
| ``CALOR_API_PORT`` | ``[heat_api] bind_port`` | 8004 |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


class ConfigError(ValueError):
    """A setting with a value that makes no sense."""


def _int(env: Mapping[str, str], name: str, default: int, minimum: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value}")
    return value


@dataclass(frozen=True)
class Limits:
    """Size limits on templates and stacks (Heat's defaults)."""

    max_template_size: int = 524288
    max_resources_per_stack: int = 1000
    max_nested_stack_depth: int = 5

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None) -> Limits:
        env = os.environ if env is None else env
        return cls(
            max_template_size=_int(env, "CALOR_MAX_TEMPLATE_SIZE", 524288, 1),
            max_resources_per_stack=_int(env, "CALOR_MAX_RESOURCES_PER_STACK", 1000, -1),
            max_nested_stack_depth=_int(env, "CALOR_MAX_NESTED_STACK_DEPTH", 5, 0),
        )


#: Plugin actions one engine runs at once unless CALOR_MAX_PARALLEL_ACTIONS says otherwise.
DEFAULT_MAX_PARALLEL_ACTIONS = 1000


def max_parallel_actions(env: Mapping[str, str] | None = None) -> int:
    """How many resource actions one engine runs at once (a waiting one does not count)."""
    env = os.environ if env is None else env
    return _int(env, "CALOR_MAX_PARALLEL_ACTIONS", DEFAULT_MAX_PARALLEL_ACTIONS, 1)


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number of seconds, not {raw!r}") from None
    if not value > 0 or value == float("inf"):
        raise ConfigError(f"{name} must be a number of seconds above 0, not {raw}")
    return value


@dataclass(frozen=True)
class EngineLiveness:
    """How an engine says it is alive, and how long a silent one is still believed.

    Heat reports every ``periodic_interval`` (60 s) and presumes a service
    dead after three missed reports; Calor's CLI engines are short-lived, so
    both are shorter. An interrupted stack is marked FAILED once its engine
    has been silent for ``stale_after`` seconds (at once, for an engine on
    this machine's SQLite file that is known to have exited: see
    :mod:`calor.engine.recovery`).
    """

    heartbeat_interval: float = 5.0
    stale_after: float = 30.0

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None) -> EngineLiveness:
        env = os.environ if env is None else env
        interval = _seconds(env, "CALOR_ENGINE_HEARTBEAT_SECS", cls.heartbeat_interval)
        stale = _seconds(env, "CALOR_ENGINE_STALE_SECS", max(cls.stale_after, 3 * interval))
        if stale < 2 * interval:
            # A live engine between two heartbeats must never look dead.
            raise ConfigError(
                f"CALOR_ENGINE_STALE_SECS ({stale:g}) must be at least twice "
                f"CALOR_ENGINE_HEARTBEAT_SECS ({interval:g})"
            )
        return cls(heartbeat_interval=interval, stale_after=stale)


def calor_home(env: Mapping[str, str] | None = None) -> Path:
    """The folder that holds Calor's local state (``CALOR_HOME``).

    Only computed here; whoever writes there (the store, for its SQLite file)
    creates it, so reading settings never touches the disk.
    """
    env = os.environ if env is None else env
    raw = env.get("CALOR_HOME")
    if raw:
        return Path(raw).expanduser()
    home = env.get("HOME")
    base = Path(home) if home else Path.home()
    return base / ".local" / "share" / "calor"


def database_url(explicit: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """The database to use: ``--database-url``, else ``CALOR_DATABASE_URL``, else SQLite.

    The text is returned as given; :mod:`calor.store` checks it and picks the
    asyncio driver, so a bad URL is reported by the part that understands it.
    """
    env = os.environ if env is None else env
    if explicit:
        return explicit
    from_env = env.get("CALOR_DATABASE_URL")
    if from_env:
        return from_env
    return f"sqlite:///{calor_home(env) / 'calor.db'}"


@dataclass(frozen=True)
class ApiBind:
    """Where ``calor serve`` listens (Heat's ``bind_host`` and ``bind_port``)."""

    host: str = "127.0.0.1"
    port: int = 8004


def api_bind(env: Mapping[str, str] | None = None) -> ApiBind:
    """The address from ``CALOR_API_HOST`` and ``CALOR_API_PORT``, else Heat's defaults."""
    env = os.environ if env is None else env
    port = _int(env, "CALOR_API_PORT", ApiBind.port, 1)
    if port > 65535:
        raise ConfigError(f"CALOR_API_PORT must be at most 65535, not {port}")
    return ApiBind(host=env.get("CALOR_API_HOST") or ApiBind.host, port=port)


def max_json_body_size(env: Mapping[str, str] | None = None) -> int:
    """The largest request body the orchestration API reads (Heat's ``max_json_body_size``)."""
    env = os.environ if env is None else env
    return _int(env, "CALOR_MAX_JSON_BODY_SIZE", 1048576, 1)
