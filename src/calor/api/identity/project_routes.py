"""``/v3/projects`` (CRUD) and ``/v3/domains`` (list and show)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from calor.api.identity.bodies import collection_links, domain_body, project_body
from calor.api.identity.dependencies import AuthToken, IdentityProvider, caller, flag
from calor.api.identity.errors import KeystoneRoute
from calor.api.identity.schemas import ProjectCreateRequest, ProjectUpdateRequest
from calor.identity.errors import ValidationError


def project_routes(provider: IdentityProvider) -> APIRouter:
    router = APIRouter(route_class=KeystoneRoute, tags=["identity"])

    @router.get("/v3/projects")
    async def list_projects(
        request: Request, x_auth_token: AuthToken = None, name: str | None = None,
        domain_id: str | None = None, enabled: str | None = None,
    ) -> JSONResponse:
        identity, token = await caller(provider, request, x_auth_token)
        projects = await identity.projects.list(token, name=name, domain_id=domain_id,
                                                enabled=flag(enabled))
        return JSONResponse({"projects": [project_body(p, request) for p in projects],
                             "links": collection_links(request)})

    @router.post("/v3/projects", status_code=201)
    async def create_project(
        body: ProjectCreateRequest, request: Request, x_auth_token: AuthToken = None
    ) -> JSONResponse:
        identity, token = await caller(provider, request, x_auth_token)
        given = body.project
        if given.is_domain:
            raise ValidationError("Invalid input for field 'is_domain': Calor has no "
                                  "projects acting as domains")
        if given.parent_id not in (None, given.domain_id or "default"):
            raise ValidationError("Invalid input for field 'parent_id': Calor has no "
                                  "project hierarchy")
        project = await identity.projects.create(
            token, name=given.name, domain_id=given.domain_id,
            description=given.description or "", enabled=given.enabled, tags=given.tags,
            extra=given.extra(),
        )
        return JSONResponse({"project": project_body(project, request)}, status_code=201)

    @router.get("/v3/projects/{project_id}")
    async def show_project(
        project_id: str, request: Request, x_auth_token: AuthToken = None
    ) -> JSONResponse:
        identity, token = await caller(provider, request, x_auth_token)
        project = await identity.projects.get(token, project_id)
        return JSONResponse({"project": project_body(project, request)})

    @router.patch("/v3/projects/{project_id}")
    async def update_project(
        project_id: str, body: ProjectUpdateRequest, request: Request,
        x_auth_token: AuthToken = None,
    ) -> JSONResponse:
        identity, token = await caller(provider, request, x_auth_token)
        given = body.project
        changes: dict[str, Any] = {
            name: getattr(given, name) for name in ("name", "description", "enabled", "tags")
            if name in given.model_fields_set and getattr(given, name) is not None
        }
        if given.description is None and "description" in given.model_fields_set:
            changes["description"] = ""
        if given.extra():
            current = await identity.projects.get(token, project_id)
            changes["extra"] = {**current.extra, **given.extra()}
        project = await identity.projects.update(token, project_id, **changes)
        return JSONResponse({"project": project_body(project, request)})

    @router.delete("/v3/projects/{project_id}", status_code=204)
    async def delete_project(
        project_id: str, request: Request, x_auth_token: AuthToken = None
    ) -> Response:
        identity, token = await caller(provider, request, x_auth_token)
        await identity.projects.delete(token, project_id)
        return Response(status_code=204)

    @router.get("/v3/domains")
    async def list_domains(
        request: Request, x_auth_token: AuthToken = None, name: str | None = None,
        enabled: str | None = None,
    ) -> JSONResponse:
        identity, token = await caller(provider, request, x_auth_token)
        domains = await identity.domains.list(token, name=name, enabled=flag(enabled))
        return JSONResponse({"domains": [domain_body(d, request) for d in domains],
                             "links": collection_links(request)})

    @router.get("/v3/domains/{domain_id}")
    async def show_domain(
        domain_id: str, request: Request, x_auth_token: AuthToken = None
    ) -> JSONResponse:
        identity, token = await caller(provider, request, x_auth_token)
        domain = await identity.domains.get(token, domain_id)
        return JSONResponse({"domain": domain_body(domain, request)})

    return router
