"""Version discovery and ``/v3/auth/...``: tokens, their validation and revocation, catalog."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from calor.api.identity.bodies import (
    collection_links,
    project_body,
    token_body,
    v3_url,
)
from calor.api.identity.dependencies import (
    AuthToken,
    IdentityProvider,
    SubjectToken,
    caller,
    present,
    service,
)
from calor.api.identity.errors import KeystoneRoute
from calor.identity.auth_request import AuthRequest
from calor.identity.catalog import catalog_entries
from calor.identity.errors import Forbidden, NotFound, ValidationError
from calor.identity.service import IdentityService
from calor.identity.tokens import Token

#: The newest Keystone v3 minor version whose calls Calor's subset answers.
VERSION_ID = "v3.14"


def version(request: Request) -> dict[str, Any]:
    return {
        "id": VERSION_ID,
        "status": "stable",
        "updated": "2020-04-07T00:00:00Z",
        "links": [{"rel": "self", "href": v3_url(request) + "/"}],
        "media-types": [{
            "base": "application/json",
            "type": "application/vnd.openstack.identity-v3+json",
        }],
    }


async def _subject(identity: IdentityService, caller_token: Token, subject: str | None,
                   action: str) -> Token:
    """The token a validate or revoke request is about; the caller must be it, or admin."""
    if not subject:
        raise ValidationError("Invalid input for field 'X-Subject-Token': the header is missing")
    found = await identity.tokens.find(subject)
    allowed = caller_token.is_admin or "service" in caller_token.role_names
    if found is None:
        raise NotFound.of("token", subject)
    if not (allowed or found.user.id == caller_token.user.id):
        raise Forbidden.action(action)
    return found


def add_version_routes(router: APIRouter) -> None:
    """The version documents, on the router that is mounted (its root is ``""``)."""

    @router.get("", name="identity_versions", status_code=300, tags=["identity"])
    async def versions(request: Request) -> JSONResponse:
        """Version discovery (unauthenticated)."""
        return JSONResponse({"versions": {"values": [version(request)]}}, status_code=300)

    router.add_api_route("/", versions, include_in_schema=False, status_code=300)

    @router.get("/v3", name="identity_v3", tags=["identity"])
    async def version_v3(request: Request) -> JSONResponse:
        """The v3 version document (unauthenticated)."""
        return JSONResponse({"version": version(request)})

    router.add_api_route("/v3/", version_v3, include_in_schema=False)


def auth_routes(provider: IdentityProvider) -> APIRouter:
    router = APIRouter(route_class=KeystoneRoute)

    @router.post("/v3/auth/tokens", status_code=201, tags=["identity"])
    async def issue_token(
        body: AuthRequest, request: Request, nocatalog: str | None = None
    ) -> JSONResponse:
        """Authenticate (password, token or application credential): 201 + X-Subject-Token."""
        identity = service(provider, request)
        token = await identity.authenticator.authenticate(body)
        shown = token_body(token, request, identity, catalog=not present(nocatalog))
        return JSONResponse({"token": shown}, status_code=201,
                            headers={"X-Subject-Token": token.id})

    @router.get("/v3/auth/tokens", tags=["identity"])
    async def validate_token(
        request: Request, x_auth_token: AuthToken = None, x_subject_token: SubjectToken = None,
        nocatalog: str | None = None,
    ) -> JSONResponse:
        """Validate X-Subject-Token (a user its own, admins and services any)."""
        identity, token = await caller(provider, request, x_auth_token)
        subject = await _subject(identity, token, x_subject_token, "identity:validate_token")
        shown = token_body(subject, request, identity, catalog=not present(nocatalog))
        return JSONResponse({"token": shown}, headers={"X-Subject-Token": subject.id})

    @router.head("/v3/auth/tokens", tags=["identity"])
    async def check_token(
        request: Request, x_auth_token: AuthToken = None, x_subject_token: SubjectToken = None
    ) -> Response:
        identity, token = await caller(provider, request, x_auth_token)
        await _subject(identity, token, x_subject_token, "identity:check_token")
        return Response(status_code=200)

    @router.delete("/v3/auth/tokens", status_code=204, tags=["identity"])
    async def revoke_token(
        request: Request, x_auth_token: AuthToken = None, x_subject_token: SubjectToken = None
    ) -> Response:
        """Revoke X-Subject-Token: it is refused from now on."""
        identity, token = await caller(provider, request, x_auth_token)
        subject = await _subject(identity, token, x_subject_token, "identity:revoke_token")
        await identity.tokens.revoke(subject.id)
        return Response(status_code=204)

    @router.get("/v3/auth/catalog", tags=["identity"])
    async def auth_catalog(request: Request, x_auth_token: AuthToken = None) -> JSONResponse:
        identity, token = await caller(provider, request, x_auth_token)
        if token.project is None:
            raise Forbidden("A project-scoped token is required to produce a service catalog.")
        entries = catalog_entries(identity.catalog, str(request.base_url), token.project.id)
        return JSONResponse({"catalog": entries, "links": collection_links(request)})

    @router.get("/v3/auth/projects", tags=["identity"])
    async def auth_projects(request: Request, x_auth_token: AuthToken = None) -> JSONResponse:
        """The projects the caller may scope a token to."""
        identity, token = await caller(provider, request, x_auth_token)
        projects = await identity.projects.of_user(token, token.user.id)
        return JSONResponse({"projects": [project_body(p, request) for p in projects],
                             "links": collection_links(request)})

    @router.get("/v3/auth/domains", tags=["identity"])
    async def auth_domains(request: Request, x_auth_token: AuthToken = None) -> JSONResponse:
        """No domain role assignments in Calor: always empty."""
        await caller(provider, request, x_auth_token)
        return JSONResponse({"domains": [], "links": collection_links(request)})

    return router
