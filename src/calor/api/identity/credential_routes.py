"""``/v3/users/{user_id}/application_credentials``: create, list, show, delete."""

from __future__ import annotations

from datetime import UTC

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from calor.api.identity.bodies import collection_links, credential_body
from calor.api.identity.dependencies import AuthToken, IdentityProvider, caller
from calor.api.identity.errors import KeystoneRoute
from calor.api.identity.schemas import ApplicationCredentialCreateRequest
from calor.identity.service import IdentityService
from calor.store.identity import RoleRecord

_BASE = "/v3/users/{user_id}/application_credentials"


async def _roles(identity: IdentityService) -> dict[str, RoleRecord]:
    return {role.id: role for role in await identity.store.identity.roles.list()}


def credential_routes(provider: IdentityProvider) -> APIRouter:
    router = APIRouter(route_class=KeystoneRoute, tags=["identity"])

    @router.post(_BASE, status_code=201)
    async def create_credential(
        user_id: str, body: ApplicationCredentialCreateRequest, request: Request,
        x_auth_token: AuthToken = None,
    ) -> JSONResponse:
        """The secret is in this answer only."""
        identity, token = await caller(provider, request, x_auth_token)
        given = body.application_credential
        expires_at = given.expires_at
        if expires_at is not None and expires_at.tzinfo is None:
            expires_at = expires_at.replace(tzinfo=UTC)  # Keystone reads naive times as UTC
        created = await identity.application_credentials.create(
            token, user_id, name=given.name, secret=given.secret,
            description=given.description, expires_at=expires_at, roles=given.roles,
            unrestricted=given.unrestricted, access_rules=given.access_rules,
        )
        shown = credential_body(created.credential, await _roles(identity), request)
        shown["secret"] = created.secret
        return JSONResponse({"application_credential": shown}, status_code=201)

    @router.get(_BASE)
    async def list_credentials(
        user_id: str, request: Request, x_auth_token: AuthToken = None,
        name: str | None = None,
    ) -> JSONResponse:
        identity, token = await caller(provider, request, x_auth_token)
        found = await identity.application_credentials.list(token, user_id, name=name)
        roles = await _roles(identity)
        return JSONResponse({
            "application_credentials": [credential_body(c, roles, request) for c in found],
            "links": collection_links(request),
        })

    @router.get(_BASE + "/{credential_id}")
    async def show_credential(
        user_id: str, credential_id: str, request: Request, x_auth_token: AuthToken = None
    ) -> JSONResponse:
        identity, token = await caller(provider, request, x_auth_token)
        found = await identity.application_credentials.get(token, user_id, credential_id)
        return JSONResponse({"application_credential": credential_body(
            found, await _roles(identity), request
        )})

    @router.delete(_BASE + "/{credential_id}", status_code=204)
    async def delete_credential(
        user_id: str, credential_id: str, request: Request, x_auth_token: AuthToken = None
    ) -> Response:
        identity, token = await caller(provider, request, x_auth_token)
        await identity.application_credentials.delete(token, user_id, credential_id)
        return Response(status_code=204)

    return router
