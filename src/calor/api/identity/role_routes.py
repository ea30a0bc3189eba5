"""``/v3/roles``, grants on ``/v3/projects/{p}/users/{u}/roles/{r}``, ``/v3/role_assignments``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from calor.api.identity.bodies import assignment_body, collection_links, role_body
from calor.api.identity.dependencies import AuthToken, IdentityProvider, caller, present
from calor.api.identity.errors import KeystoneRoute
from calor.api.identity.schemas import RoleCreateRequest
from calor.identity.errors import ValidationError

_GRANT = "/v3/projects/{project_id}/users/{user_id}/roles/{role_id}"

Filter = Annotated[str | None, Query()]


def role_routes(provider: IdentityProvider) -> APIRouter:
    router = APIRouter(route_class=KeystoneRoute, tags=["identity"])

    @router.get("/v3/roles")
    async def list_roles(
        request: Request, x_auth_token: AuthToken = None, name: str | None = None,
        domain_id: str | None = None,
    ) -> JSONResponse:
        identity, token = await caller(provider, request, x_auth_token)
        # Calor's roles are all global: a domain's own roles are none.
        roles = [] if domain_id else await identity.roles.list(token, name=name)
        return JSONResponse({"roles": [role_body(r, request) for r in roles],
                             "links": collection_links(request)})

    @router.post("/v3/roles", status_code=201)
    async def create_role(
        body: RoleCreateRequest, request: Request, x_auth_token: AuthToken = None
    ) -> JSONResponse:
        identity, token = await caller(provider, request, x_auth_token)
        if body.role.domain_id is not None:
            raise ValidationError("Invalid input for field 'domain_id': Calor has no "
                                  "domain-specific roles")
        role = await identity.roles.create(token, name=body.role.name,
                                           description=body.role.description)
        return JSONResponse({"role": role_body(role, request)}, status_code=201)

    @router.get("/v3/roles/{role_id}")
    async def show_role(
        role_id: str, request: Request, x_auth_token: AuthToken = None
    ) -> JSONResponse:
        identity, token = await caller(provider, request, x_auth_token)
        return JSONResponse({"role": role_body(await identity.roles.get(token, role_id),
                                               request)})

    @router.delete("/v3/roles/{role_id}", status_code=204)
    async def delete_role(
        role_id: str, request: Request, x_auth_token: AuthToken = None
    ) -> Response:
        identity, token = await caller(provider, request, x_auth_token)
        await identity.roles.delete(token, role_id)
        return Response(status_code=204)

    @router.get("/v3/projects/{project_id}/users/{user_id}/roles")
    async def list_grants(
        project_id: str, user_id: str, request: Request, x_auth_token: AuthToken = None
    ) -> JSONResponse:
        identity, token = await caller(provider, request, x_auth_token)
        roles = await identity.assignments.roles_of(token, project_id, user_id)
        return JSONResponse({"roles": [role_body(r, request) for r in roles],
                             "links": collection_links(request)})

    @router.put(_GRANT, status_code=204)
    async def grant(
        project_id: str, user_id: str, role_id: str, request: Request,
        x_auth_token: AuthToken = None,
    ) -> Response:
        identity, token = await caller(provider, request, x_auth_token)
        await identity.assignments.grant(token, project_id, user_id, role_id)
        return Response(status_code=204)

    @router.get(_GRANT, status_code=204)
    async def check_grant(
        project_id: str, user_id: str, role_id: str, request: Request,
        x_auth_token: AuthToken = None,
    ) -> Response:
        identity, token = await caller(provider, request, x_auth_token)
        await identity.assignments.check(token, project_id, user_id, role_id)
        return Response(status_code=204)

    router.add_api_route(_GRANT, check_grant, methods=["HEAD"], status_code=204,
                         include_in_schema=False)

    @router.delete(_GRANT, status_code=204)
    async def revoke_grant(
        project_id: str, user_id: str, role_id: str, request: Request,
        x_auth_token: AuthToken = None,
    ) -> Response:
        identity, token = await caller(provider, request, x_auth_token)
        await identity.assignments.revoke(token, project_id, user_id, role_id)
        return Response(status_code=204)

    @router.get("/v3/role_assignments")
    async def list_role_assignments(
        request: Request,
        x_auth_token: AuthToken = None,
        user_id: Annotated[str | None, Query(alias="user.id")] = None,
        project_id: Annotated[str | None, Query(alias="scope.project.id")] = None,
        role_id: Annotated[str | None, Query(alias="role.id")] = None,
        group_id: Annotated[str | None, Query(alias="group.id")] = None,
        domain_id: Annotated[str | None, Query(alias="scope.domain.id")] = None,
        system: Annotated[str | None, Query(alias="scope.system")] = None,
        inherited_to: Annotated[str | None, Query(alias="scope.OS-INHERIT:inherited_to")] = None,
        effective: Filter = None,
        include_names: Filter = None,
        include_subtree: Filter = None,
    ) -> JSONResponse:
        """Role assignments, filtered as ``openstack role assignment list`` asks."""
        identity, token = await caller(provider, request, x_auth_token)
        if present(effective) and group_id is not None:
            raise ValidationError("Invalid input for field 'group.id': it cannot be "
                                  "combined with effective")
        views = await identity.assignments.list(
            token, user_id=user_id, project_id=project_id, role_id=role_id,
            effective=present(effective),
        )
        # Only user-on-project assignments exist: group, domain, system or
        # inherited filters match none of them.
        if any(v is not None for v in (group_id, domain_id, system, inherited_to)):
            views = []
        names = present(include_names)
        shown: list[dict[str, Any]] = [assignment_body(v, request, names=names) for v in views]
        return JSONResponse({"role_assignments": shown, "links": collection_links(request)})

    return router
