"""The ASGI application ``calor serve`` runs: version documents, identity, orchestration.

``/`` and ``/v1`` give Heat's version document; ``/identity`` is Calor's
Keystone v3 subset (unless authentication is off, or an external Keystone
checks the tokens instead); ``/v1/{project_id}/...``
is Heat's orchestration API. The engine runs inside the application: its
lifespan opens the store and starts an embedded engine (store, work queue,
worker, heartbeat) on the server's event loop, and stops it on shutdown,
recording what was still running as interrupted (nothing is lost: each
state change was committed when it happened).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request

from calor import __version__
from calor.api.auth import Authenticator
from calor.api.errors import install_error_handlers
from calor.api.identity import identity_router
from calor.api.orchestration import orchestration_router
from calor.api.orchestration.versions import router as versions_router
from calor.api.settings import ORCHESTRATION, ServerSettings
from calor.config import max_json_body_size
from calor.identity import IdentityService, KeystoneTokenValidator, Passwords, TokenValidator
from calor.service.embedded import Embedded


def _identity(request: Request) -> IdentityService:
    found: IdentityService = request.app.state.identity
    return found


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    """The application; its lifespan runs the engine and the identity service."""
    settings = settings or ServerSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = Embedded(settings.database_url, max_parallel=settings.max_parallel,
                          drain_on_exit=False)
        async with engine as stacks:
            identity = None
            external = None
            validator: TokenValidator | None = None
            if settings.keystone is not None and not settings.no_auth:
                external = KeystoneTokenValidator(settings.keystone.auth_url,
                                                  settings.keystone.credentials)
                validator = external
            elif not settings.no_auth:
                identity = IdentityService(
                    stacks.store, catalog=[ORCHESTRATION, *settings.catalog],
                    token_expiration_secs=settings.token_expiration_secs,
                    passwords=Passwords(settings.password_hasher),
                )
                validator = identity.validator()
            app.state.identity = identity
            app.state.stacks = stacks
            app.state.authenticator = Authenticator(
                validator, local_identity=identity is not None,
                auth_url=None if settings.keystone is None else settings.keystone.auth_url,
            )
            try:
                yield
            finally:
                app.state.authenticator = None
                app.state.stacks = None
                app.state.identity = None
                if identity is not None:
                    identity.close()
                if external is not None:
                    await external.aclose()

    app = FastAPI(
        title="Calor orchestration API",
        version=__version__,
        description="OpenStack Heat's orchestration API v1 (and a Keystone v3 subset at "
                    "/identity), served by Calor.",
        lifespan=lifespan,
    )
    install_error_handlers(app, max_body_size=settings.max_json_body_size
                           or max_json_body_size())
    app.include_router(versions_router)
    if not settings.no_auth and settings.keystone is None:
        app.include_router(identity_router(_identity), prefix="/identity")
    app.include_router(orchestration_router(), prefix="/v1/{project_id}")
    return app


__all__ = ["ServerSettings", "create_app"]
