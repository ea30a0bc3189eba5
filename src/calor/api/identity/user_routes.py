"""``/v3/users`` (CRUD), a user's own password change, and a user's projects."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from calor.api.identity.bodies import collection_links, project_body, user_body
from calor.api.identity.dependencies import AuthToken, IdentityProvider, caller, flag
from calor.api.identity.errors import KeystoneRoute
from calor.api.identity.schemas import (
    PasswordChangeRequest,
    UserCreateRequest,
    UserUpdateRequest,
)


def user_routes(provider: IdentityProvider) -> APIRouter:
    router = APIRouter(route_class=KeystoneRoute, tags=["identity"])

    @router.get("/v3/users")
    async def list_users(
        request: Request, x_auth_token: AuthToken = None, name: str | None = None,
        domain_id: str | None = None, enabled: str | None = None,
    ) -> JSONResponse:
        identity, token = await caller(provider, request, x_auth_token)
        users = await identity.users.list(token, name=name, domain_id=domain_id,
                                          enabled=flag(enabled))
        return JSONResponse({"users": [user_body(u, request) for u in users],
                             "links": collection_links(request)})

    @router.post("/v3/users", status_code=201)
    async def create_user(
        body: UserCreateRequest, request: Request, x_auth_token: AuthToken = None
    ) -> JSONResponse:
        identity, token = await caller(provider, request, x_auth_token)
        given = body.user
        user = await identity.users.create(
            token, name=given.name, domain_id=given.domain_id, password=given.password,
            enabled=given.enabled, default_project_id=given.default_project_id,
            extra=given.extra("federated"),
        )
        return JSONResponse({"user": user_body(user, request)}, status_code=201)

    @router.get("/v3/users/{user_id}")
    async def show_user(
        user_id: str, request: Request, x_auth_token: AuthToken = None
    ) -> JSONResponse:
        identity, token = await caller(provider, request, x_auth_token)
        user = await identity.users.get(token, user_id)
        return JSONResponse({"user": user_body(user, request)})

    @router.patch("/v3/users/{user_id}")
    async def update_user(
        user_id: str, body: UserUpdateRequest, request: Request,
        x_auth_token: AuthToken = None,
    ) -> JSONResponse:
        identity, token = await caller(provider, request, x_auth_token)
        given = body.user
        changes: dict[str, Any] = {
            name: getattr(given, name) for name in ("name", "enabled", "default_project_id")
            if name in given.model_fields_set
            and (getattr(given, name) is not None or name == "default_project_id")
        }
        if given.extra("federated"):
            current = await identity.users.get(token, user_id)
            changes["extra"] = {**current.extra, **given.extra("federated")}
        user = await identity.users.update(token, user_id, password=given.password, **changes)
        return JSONResponse({"user": user_body(user, request)})

    @router.delete("/v3/users/{user_id}", status_code=204)
    async def delete_user(
        user_id: str, request: Request, x_auth_token: AuthToken = None
    ) -> Response:
        identity, token = await caller(provider, request, x_auth_token)
        await identity.users.delete(token, user_id)
        return Response(status_code=204)

    @router.post("/v3/users/{user_id}/password", status_code=204)
    async def change_password(
        user_id: str, body: PasswordChangeRequest, request: Request,
        x_auth_token: AuthToken = None,
    ) -> Response:
        """A user changes its own password; its tokens are revoked."""
        identity, token = await caller(provider, request, x_auth_token)
        await identity.users.change_password(
            token, user_id, original_password=body.user.original_password,
            password=body.user.password,
        )
        return Response(status_code=204)

    @router.get("/v3/users/{user_id}/projects")
    async def user_projects(
        user_id: str, request: Request, x_auth_token: AuthToken = None
    ) -> JSONResponse:
        identity, token = await caller(provider, request, x_auth_token)
        projects = await identity.projects.of_user(token, user_id)
        return JSONResponse({"projects": [project_body(p, request) for p in projects],
                             "links": collection_links(request)})

    return router
