"""How ``calor serve`` runs: database, authentication, catalog (no web stack imported).

Kept apart from :mod:`calor.api.app` so that the CLI can build these
settings without importing FastAPI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from calor.identity.catalog import CatalogService
from calor.identity.keystone import ServiceCredentials

if TYPE_CHECKING:
    import argon2

#: Where the catalog says orchestration answers.
ORCHESTRATION = CatalogService(type="orchestration", name="heat", path="/v1/{project_id}")


@dataclass(frozen=True)
class ExternalKeystone:
    """Trust another cloud's Keystone for tokens (keystonemiddleware's ``auth_url``)."""

    auth_url: str
    #: The service user Calor checks tokens as.
    credentials: ServiceCredentials


@dataclass(frozen=True)
class ServerSettings:
    """What the server runs on and how it authenticates."""

    #: The database (default: CALOR_DATABASE_URL, else SQLite in CALOR_HOME, as the CLI).
    database_url: str | None = None
    #: Every caller is a local admin, no token asked (local development only).
    no_auth: bool = False
    #: Plugin actions at once (default: CALOR_MAX_PARALLEL_ACTIONS).
    max_parallel: int | None = None
    #: More services for the tokens' catalog (orchestration is always there).
    catalog: tuple[CatalogService, ...] = ()
    #: How long a token lives (default: CALOR_TOKEN_EXPIRATION_SECS, else 3600).
    token_expiration_secs: int | None = None
    #: argon2 parameters for new password hashes (default: argon2-cffi's).
    password_hasher: argon2.PasswordHasher | None = None
    #: Check tokens with this Keystone instead of serving identity here.
    keystone: ExternalKeystone | None = None
    #: The largest request body (default: CALOR_MAX_JSON_BODY_SIZE, else 1 MiB).
    max_json_body_size: int | None = None
