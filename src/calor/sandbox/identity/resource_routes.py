"""Read-only Keystone v3 collections: projects, users, domains, roles, catalog, endpoints."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from calor.identity.context import RequestContext
from calor.sandbox.auth import Context
from calor.sandbox.errors import Forbidden, NotFound
from calor.sandbox.identity.auth_routes import base_url
from calor.sandbox.identity.catalog import catalog
from calor.sandbox.identity.directory import Directory, Project, User, stable_id
from calor.sandbox.runtime import SandboxDep


def _links(request: Request, path: str) -> dict[str, Any]:
    return {"self": f"{base_url(request)}/identity/v3/{path}"}


def _collection_links(request: Request) -> dict[str, Any]:
    return {"self": str(request.url), "previous": None, "next": None}


def _project(project: Project, request: Request) -> dict[str, Any]:
    return {"id": project.id, "name": project.name, "domain_id": project.domain_id,
            "description": "", "enabled": True, "parent_id": project.domain_id,
            "is_domain": False, "tags": [], "options": {},
            "links": _links(request, f"projects/{project.id}")}


def _user(user: User, request: Request) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": user.id, "name": user.name, "domain_id": user.domain_id, "enabled": True,
        "default_project_id": user.default_project_id, "password_expires_at": None,
        "options": {}, "links": _links(request, f"users/{user.id}"),
    }
    if user.email:
        body["email"] = user.email
    return body


def _require_admin(context: RequestContext) -> None:
    if not context.is_admin:
        raise Forbidden("You are not authorized to perform the requested action.")


def router(directory: Directory) -> APIRouter:
    routes = APIRouter(prefix="/identity/v3")

    def visible_projects(context: RequestContext) -> list[Project]:
        if context.is_admin:
            return list(directory.projects.values())
        return directory.projects_of(context.user_id)

    @routes.get("/auth/projects")
    async def auth_projects(request: Request, context: Context) -> dict[str, Any]:
        return {"projects": [_project(p, request) for p in directory.projects_of(
            context.user_id)], "links": _collection_links(request)}

    @routes.get("/auth/domains")
    async def auth_domains(request: Request, context: Context) -> dict[str, Any]:
        return {"domains": [], "links": _collection_links(request)}

    @routes.get("/auth/catalog")
    async def auth_catalog(request: Request, context: Context,
                           sandbox: SandboxDep) -> dict[str, Any]:
        return {"catalog": catalog(base_url(request), context.project_id, sandbox.services,
                                   sandbox.config.region),
                "links": _collection_links(request)}

    @routes.get("/projects")
    async def projects(request: Request, context: Context,
                       name: str | None = None) -> dict[str, Any]:
        found = [p for p in visible_projects(context) if name is None or p.name == name]
        return {"projects": [_project(p, request) for p in found],
                "links": _collection_links(request)}

    @routes.get("/projects/{project_id}")
    async def project(project_id: str, request: Request, context: Context) -> dict[str, Any]:
        for candidate in visible_projects(context):
            if candidate.id == project_id:
                return {"project": _project(candidate, request)}
        raise NotFound(f"Could not find project: {project_id}.")

    @routes.get("/users")
    async def users(request: Request, context: Context,
                    name: str | None = None) -> dict[str, Any]:
        _require_admin(context)
        found = [u for u in directory.users.values() if name is None or u.name == name]
        return {"users": [_user(u, request) for u in found],
                "links": _collection_links(request)}

    @routes.get("/users/{user_id}")
    async def user(user_id: str, request: Request, context: Context) -> dict[str, Any]:
        found = directory.user(id=user_id)
        if found is None or (found.id != context.user_id and not context.is_admin):
            raise NotFound(f"Could not find user: {user_id}.")
        return {"user": _user(found, request)}

    @routes.get("/users/{user_id}/projects")
    async def user_projects(user_id: str, request: Request,
                            context: Context) -> dict[str, Any]:
        if user_id != context.user_id:
            _require_admin(context)
        return {"projects": [_project(p, request) for p in directory.projects_of(user_id)],
                "links": _collection_links(request)}

    @routes.get("/domains")
    async def domains(request: Request, context: Context) -> dict[str, Any]:
        return {"domains": [
            {"id": d.id, "name": d.name, "description": "The default domain",
             "enabled": True, "tags": [], "options": {},
             "links": _links(request, f"domains/{d.id}")}
            for d in directory.domains.values()
        ], "links": _collection_links(request)}

    @routes.get("/domains/{domain_id}")
    async def domain(domain_id: str, request: Request, context: Context) -> dict[str, Any]:
        found = directory.domain(id=domain_id)
        if found is None:
            raise NotFound(f"Could not find domain: {domain_id}.")
        return {"domain": {"id": found.id, "name": found.name, "enabled": True,
                           "description": "The default domain", "tags": [], "options": {},
                           "links": _links(request, f"domains/{found.id}")}}

    @routes.get("/roles")
    async def roles(request: Request, context: Context) -> dict[str, Any]:
        return {"roles": [{"id": r.id, "name": r.name, "domain_id": None, "description": None,
                           "options": {}, "links": _links(request, f"roles/{r.id}")}
                          for r in directory.roles.values()],
                "links": _collection_links(request)}

    @routes.get("/role_assignments")
    async def role_assignments(request: Request, context: Context) -> dict[str, Any]:
        _require_admin(context)
        return {"role_assignments": [
            {"role": {"id": directory.roles[name].id}, "user": {"id": user_id},
             "scope": {"project": {"id": project_id}},
             "links": {"assignment": f"{base_url(request)}/identity/v3/projects/"
                                     f"{project_id}/users/{user_id}/roles/"
                                     f"{directory.roles[name].id}"}}
            for user_id, project_id, names in directory.assignments()
            for name in sorted(names)
        ], "links": _collection_links(request)}

    @routes.get("/services")
    async def services(request: Request, context: Context,
                       sandbox: SandboxDep) -> dict[str, Any]:
        return {"services": [
            {"id": stable_id("service", e.type), "type": e.type, "name": e.name,
             "enabled": True, "description": "", "links": _links(request, "services")}
            for plug in sandbox.services for e in plug.catalog
        ], "links": _collection_links(request)}

    @routes.get("/endpoints")
    async def endpoints(request: Request, context: Context,
                        sandbox: SandboxDep) -> dict[str, Any]:
        found = []
        for entry in catalog(base_url(request), context.project_id, sandbox.services,
                             sandbox.config.region):
            for endpoint in entry["endpoints"]:
                found.append({**endpoint, "service_id": entry["id"], "enabled": True,
                              "links": _links(request, f"endpoints/{endpoint['id']}")})
        return {"endpoints": found, "links": _collection_links(request)}

    @routes.get("/regions")
    async def regions(request: Request, context: Context,
                      sandbox: SandboxDep) -> dict[str, Any]:
        region = sandbox.config.region
        return {"regions": [{"id": region, "description": "", "parent_region_id": None,
                             "links": _links(request, f"regions/{region}")}],
                "links": _collection_links(request)}

    return routes
