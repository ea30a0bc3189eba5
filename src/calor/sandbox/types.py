"""What a service of the sandbox cloud is, for the app that mounts it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fastapi import APIRouter

from calor.sandbox.errors import ErrorFormat
from calor.sandbox.states import Body

if TYPE_CHECKING:
    from calor.sandbox.config import SandboxConfig
    from calor.sandbox.store import Transaction

__all__ = ["Body", "CatalogEntry", "SeedContext", "ServicePlug"]


@dataclass(frozen=True)
class CatalogEntry:
    """A service catalog entry: ``path`` is below the cloud's base URL and may hold
    ``{project_id}`` (Keystone's ``$(project_id)s``), filled in per token."""

    type: str
    name: str
    path: str


@dataclass(frozen=True)
class SeedContext:
    """What seeding needs to know: the config, and the project that owns shared things."""

    config: SandboxConfig
    admin_project_id: str


@dataclass(frozen=True)
class ServicePlug:
    """One service of the sandbox cloud, as the app mounts it.

    ``mount`` is the path prefix the service owns (its errors render with
    ``errors`` there), ``router`` builds its routes (paths include the
    mount), ``seed`` fills a new state file (flavors, ``cirros``, ``public``),
    and ``quotas`` names the service's quota defaults under ``quota_service``.
    """

    name: str
    mount: str
    catalog: tuple[CatalogEntry, ...]
    errors: ErrorFormat
    router: Callable[[], APIRouter]
    seed: Callable[[Transaction, SeedContext], None] | None = None
    quota_service: str | None = None
    quotas: Mapping[str, int] = field(default_factory=dict)
