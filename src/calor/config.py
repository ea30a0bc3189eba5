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
