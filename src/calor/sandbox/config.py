"""How an operator shapes the sandbox cloud: users, latency, faults, quotas, where state lives.

A :class:`SandboxConfig` is plain data. :func:`load_config` reads it from a
TOML file (the ``[sandbox]`` table, or the whole file when it has none):

```toml
[sandbox]
password = "secret"          # the admin user's password
latency = 1.0                # seconds an asynchronous operation takes (BUILD -> ACTIVE)
state_file = "/tmp/sandbox.db"

[[sandbox.users]]
name = "alice"
password = "wonderland"
project = "demo"
roles = ["member"]

[sandbox.faults."compute.server.create"]
failure_rate = 0.2           # 1 in 5 server creates ends in ERROR
latency = 2.0

[sandbox.quotas.compute]
instances = 20
```
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_REGION = "RegionOne"
DEFAULT_DOMAIN = "Default"


class ConfigError(ValueError):
    """A sandbox setting that makes no sense; the message names it."""


@dataclass(frozen=True)
class UserConfig:
    """One Keystone user, with the project it belongs to and its roles there."""

    name: str
    password: str
    project: str = "admin"
    roles: tuple[str, ...] = ("admin", "member", "reader")
    email: str | None = None


@dataclass(frozen=True)
class FaultRule:
    """What goes wrong with one operation (``compute.server.create``, ``network.*``, ...).

    ``failure_rate`` is the share of calls that fail (0 to 1; failures are
    spread evenly, so 0.2 fails the 5th, 10th, ... call). ``latency`` is how
    long the operation takes: the time an asynchronous resource spends in its
    transitional state, or the delay before a synchronous answer.
    """

    failure_rate: float = 0.0
    latency: float | None = None
    message: str | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.failure_rate <= 1.0:
            raise ConfigError(f"failure_rate must be between 0 and 1, not {self.failure_rate}")
        if self.latency is not None and not (0.0 <= self.latency < math.inf):
            raise ConfigError(f"latency must be a number of seconds >= 0, not {self.latency}")

    def as_dict(self) -> dict[str, Any]:
        return {"failure_rate": self.failure_rate, "latency": self.latency,
                "message": self.message}


def calor_home(env: Mapping[str, str] | None = None) -> Path:
    """``$CALOR_HOME``, else ``~/.local/share/calor`` (the sandbox reads no calor settings)."""
    env = os.environ if env is None else env
    raw = env.get("CALOR_HOME")
    if raw:
        return Path(raw).expanduser()
    home = env.get("HOME")
    return (Path(home) if home else Path.home()) / ".local" / "share" / "calor"


def default_state_file(env: Mapping[str, str] | None = None) -> Path:
    return calor_home(env) / "sandbox.db"


@dataclass(frozen=True)
class SandboxConfig:
    """Everything the sandbox cloud is told at start; nothing here changes while it runs."""

    state_file: Path = field(default_factory=default_state_file)
    password: str = "secret"
    users: tuple[UserConfig, ...] = ()
    region: str = DEFAULT_REGION
    latency: float = 1.0
    token_ttl: float = 3600.0
    faults: Mapping[str, FaultRule] = field(default_factory=dict)
    quotas: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    seed: bool = True

    def __post_init__(self) -> None:
        if not 0.0 <= self.latency < math.inf:
            raise ConfigError(f"latency must be a number of seconds >= 0, not {self.latency}")
        if not self.token_ttl > 0:
            raise ConfigError(f"token_ttl must be above 0, not {self.token_ttl}")

    @property
    def all_users(self) -> tuple[UserConfig, ...]:
        """The configured users, with the default ``admin`` first unless configured."""
        if any(user.name == "admin" for user in self.users):
            return self.users
        return (UserConfig(name="admin", password=self.password), *self.users)


def _table(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise ConfigError(f"{key} must be a table")
    return value


def _user(entry: Any, index: int) -> UserConfig:
    if not isinstance(entry, Mapping) or not isinstance(entry.get("name"), str) \
            or not isinstance(entry.get("password"), str):
        raise ConfigError(f"users[{index}] needs a name and a password")
    roles = entry.get("roles", ["member", "reader"])
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise ConfigError(f"users[{index}].roles must be a list of role names")
    return UserConfig(name=entry["name"], password=entry["password"],
                      project=str(entry.get("project", entry["name"])),
                      roles=tuple(roles), email=entry.get("email"))


def fault_rule(operation: str, entry: Any) -> FaultRule:
    """One fault rule from a table or JSON object; errors name the operation."""
    if not isinstance(entry, Mapping):
        raise ConfigError(f"faults.{operation} must be a table")
    unknown = set(entry) - {"failure_rate", "latency", "message"}
    if unknown:
        raise ConfigError(f"faults.{operation}: unknown setting {sorted(unknown)[0]!r}")
    try:
        rate = float(entry.get("failure_rate", 0.0))
        latency = entry.get("latency")
        return FaultRule(failure_rate=rate,
                         latency=None if latency is None else float(latency),
                         message=None if entry.get("message") is None
                         else str(entry["message"]))
    except (TypeError, ValueError) as error:
        raise ConfigError(f"faults.{operation}: {error}") from None


def config_from_mapping(data: Mapping[str, Any], *, base: Path | None = None) -> SandboxConfig:
    """A config from parsed TOML (or any mapping of the same shape)."""
    if "sandbox" in data:
        data = _table(data, "sandbox")
    known = {"state_file", "password", "users", "region", "latency", "token_ttl",
             "faults", "quotas", "seed"}
    unknown = set(data) - known
    if unknown:
        raise ConfigError(f"unknown sandbox setting {sorted(unknown)[0]!r}")
    kwargs: dict[str, Any] = {}
    if "state_file" in data:
        path = Path(str(data["state_file"])).expanduser()
        kwargs["state_file"] = path if path.is_absolute() or base is None else base / path
    for key in ("password", "region"):
        if key in data:
            kwargs[key] = str(data[key])
    for key in ("latency", "token_ttl"):
        if key in data:
            try:
                kwargs[key] = float(data[key])
            except (TypeError, ValueError):
                raise ConfigError(f"{key} must be a number, not {data[key]!r}") from None
    if "seed" in data:
        kwargs["seed"] = bool(data["seed"])
    users = data.get("users", [])
    if not isinstance(users, list):
        raise ConfigError("users must be a list of tables ([[sandbox.users]])")
    kwargs["users"] = tuple(_user(entry, i) for i, entry in enumerate(users))
    kwargs["faults"] = {op: fault_rule(op, rule) for op, rule in _table(data, "faults").items()}
    quotas: dict[str, dict[str, int]] = {}
    for service, limits in _table(data, "quotas").items():
        if not isinstance(limits, Mapping):
            raise ConfigError(f"quotas.{service} must be a table")
        try:
            quotas[service] = {str(k): int(v) for k, v in limits.items()}
        except (TypeError, ValueError):
            raise ConfigError(f"quotas.{service}: limits must be whole numbers") from None
    kwargs["quotas"] = quotas
    return SandboxConfig(**kwargs)


def load_config(path: Path | None = None, *, state_file: Path | None = None) -> SandboxConfig:
    """Read ``path`` (TOML); ``state_file`` overrides the file's own setting."""
    data: Mapping[str, Any] = {}
    if path is not None:
        try:
            data = tomllib.loads(path.read_text())
        except OSError as error:
            raise ConfigError(f"cannot read {path}: {error.strerror}") from None
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path}: {error}") from None
    config = config_from_mapping(data, base=None if path is None else path.parent)
    if state_file is not None:
        config = SandboxConfig(**{**config.__dict__, "state_file": state_file})
    return config
