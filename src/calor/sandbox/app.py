"""The sandbox cloud as one ASGI app: the registry of services and :func:`create_app`.

A new service plugs in with one line in :data:`SERVICES`: a
:class:`~calor.sandbox.types.ServicePlug` naming its mount path, catalog
entries, error format, router, seed and quota defaults.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from calor.identity.context import TokenValidator
from calor.sandbox import admin, compute, identity, image, network, object_store, volume
from calor.sandbox.config import SandboxConfig
from calor.sandbox.errors import (
    ApiError,
    BadRequest,
    ErrorFormat,
    MethodNotAllowed,
    NotFound,
    ServerFault,
    Unauthorized,
    keystone_error,
    unauthorized_body,
)
from calor.sandbox.microversions import MicroversionHeaders
from calor.sandbox.runtime import Sandbox
from calor.sandbox.store import SandboxStore
from calor.sandbox.types import SeedContext, ServicePlug

log = logging.getLogger(__name__)

#: The services the sandbox serves besides identity, in catalog order.
SERVICES: tuple[ServicePlug, ...] = (
    compute.SERVICE,
    network.SERVICE,
    image.SERVICE,
    volume.SERVICE,
    volume.SERVER_ATTACHMENTS,
    object_store.SERVICE,
)

_SEEDED = "seeded"


def catalog_services() -> list[tuple[str, str, str]]:
    """``(type, name, path)`` of every service (not identity) for another Keystone's catalog.

    ``path`` is below the sandbox's base URL and may hold ``{project_id}``.
    """
    return [(entry.type, entry.name, entry.path)
            for plug in SERVICES for entry in plug.catalog]


def _seed(sandbox: Sandbox) -> None:
    context = SeedContext(sandbox.config, sandbox.admin_project_id)
    with sandbox.transaction() as tx:
        done = set(tx.get_meta(_SEEDED) or [])
        for plug in sandbox.services:
            if plug.seed is not None and plug.name not in done:
                plug.seed(tx, context)
                done.add(plug.name)
        tx.set_meta(_SEEDED, sorted(done))


def _error_formats(services: tuple[ServicePlug, ...]) -> list[tuple[str, ErrorFormat]]:
    formats = [(plug.mount, plug.errors) for plug in services]
    formats.append((admin.PREFIX, keystone_error))
    return sorted(formats, key=lambda pair: len(pair[0]), reverse=True)


def create_app(config: SandboxConfig, *,
               token_validator: TokenValidator | None = None) -> FastAPI:
    """The sandbox cloud; with ``token_validator`` it serves no ``/identity`` of its own."""
    directory = identity.Directory(config)
    store = SandboxStore(config.state_file)
    served = SERVICES if token_validator else (identity.service(directory), *SERVICES)
    validator = token_validator or identity.SandboxTokenValidator(store, directory)
    sandbox = Sandbox(config, store, services=served,
                      admin_project_id=directory.admin_project.id, validator=validator)
    if config.seed:
        _seed(sandbox)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPI(title="Calor sandbox cloud", lifespan=lifespan, docs_url=None,
                  redoc_url=None, openapi_url=None)
    app.state.sandbox = sandbox
    app.add_middleware(MicroversionHeaders)
    for plug in served:
        app.include_router(plug.router())
    app.include_router(admin.router())
    formats = _error_formats(served)

    def render(request: Request, error: ApiError) -> Response:
        if isinstance(error, Unauthorized):
            return unauthorized_body(error)
        path = request.url.path
        for mount, format_error in formats:
            if path == mount or path.startswith(mount + "/"):
                return format_error(error)
        return keystone_error(error)

    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> Response:
        return render(request, error)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 404:
            return render(request, NotFound("The resource could not be found."))
        if error.status_code == 405:
            return render(request, MethodNotAllowed("The method is not allowed for the "
                                                    "requested URL."))
        return render(request, ApiError(str(error.detail), status=error.status_code))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        problems = "; ".join(_describe(problem) for problem in error.errors())
        return render(request, BadRequest(f"Invalid input: {problems}"))

    @app.exception_handler(Exception)
    async def crash(request: Request, error: Exception) -> Response:
        log.exception("sandbox error on %s %s", request.method, request.url.path)
        return render(request, ServerFault("The server has either erred or is incapable of "
                                           "performing the requested operation."))

    @app.get("/")
    async def root(request: Request) -> Response:
        base = str(request.base_url).rstrip("/")
        return JSONResponse({"sandbox": {"services": [
            {"type": entry.type, "name": entry.name, "url": base + entry.path}
            for plug in served for entry in plug.catalog
        ]}})

    return app


def _describe(problem: Any) -> str:
    where = ".".join(str(part) for part in problem.get("loc", ()) if part != "body")
    return f"{where}: {problem.get('msg', 'invalid')}" if where else str(problem.get("msg"))
