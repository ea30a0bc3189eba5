"""The identity API as one FastAPI router, to be mounted at ``/identity``."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse
from starlette.routing import Match

from calor.api.identity.auth_routes import add_version_routes, auth_routes
from calor.api.identity.credential_routes import credential_routes
from calor.api.identity.dependencies import IdentityProvider, provider_of
from calor.api.identity.errors import ERROR_RESPONSES, KeystoneRoute, error_response
from calor.api.identity.project_routes import project_routes
from calor.api.identity.role_routes import role_routes
from calor.api.identity.user_routes import user_routes
from calor.identity.service import IdentityService

_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def identity_router(identity: IdentityService | IdentityProvider) -> APIRouter:
    """Keystone v3's routes (Calor's subset), for ``include_router(r, prefix="/identity")``.

    ``identity`` is the service, or a function of the request that gives it
    (for a server whose store opens in its lifespan). Paths nobody serves
    answer Keystone's 404, and known paths with another method its 405.
    """
    provider = provider_of(identity)
    router = APIRouter(route_class=KeystoneRoute, responses=ERROR_RESPONSES)
    add_version_routes(router)
    for part in (auth_routes, project_routes, user_routes, role_routes, credential_routes):
        router.include_router(part(provider))
    known = list(router.routes)

    @router.api_route("/{path:path}", methods=_METHODS, include_in_schema=False)
    async def unknown(request: Request, path: str) -> Response:
        # Match the path below the mount point against this router's own routes.
        scope = {**request.scope, "root_path": "", "path": "/" + path}
        matches = [route.matches(scope)[0] for route in known]
        if Match.PARTIAL in matches:
            return error_response(405, "The method is not allowed for the requested URL.")
        if path.endswith("/"):
            scope["path"] = "/" + path.rstrip("/")
            if any(route.matches(scope)[0] is Match.FULL for route in known):
                url = request.url.replace(path=request.url.path.rstrip("/"))
                return RedirectResponse(str(url), status_code=307)
        return error_response(404, "The resource could not be found.")

    return router
