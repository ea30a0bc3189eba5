"""Keystone v3 discovery and ``/v3/auth/tokens``: password and token authentication."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from calor.sandbox.bodies import json_body
from calor.sandbox.errors import BadRequest, NotFound, Unauthorized
from calor.sandbox.identity import tokens
from calor.sandbox.identity.catalog import catalog
from calor.sandbox.identity.directory import Directory, Project, User
from calor.sandbox.runtime import Sandbox, SandboxDep
from calor.sandbox.states import iso8601

VERSION_ID = "v3.14"
_UPDATED = "2020-04-07T00:00:00Z"
_MEDIA = [{"base": "application/json",
           "type": "application/vnd.openstack.identity-v3+json"}]
_AUTH_FAILED = "The request you have made requires authentication."


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _version(request: Request) -> dict[str, Any]:
    return {"id": VERSION_ID, "status": "stable", "updated": _UPDATED, "media-types": _MEDIA,
            "links": [{"rel": "self", "href": f"{base_url(request)}/identity/v3/"}]}


def _reference(user_or_project: User | Project, directory: Directory) -> dict[str, Any]:
    domain = directory.domains[user_or_project.domain_id]
    return {"id": user_or_project.id, "name": user_or_project.name,
            "domain": {"id": domain.id, "name": domain.name}}


def token_body(token: tokens.Token, request: Request, sandbox: Sandbox,
               directory: Directory) -> dict[str, Any]:
    """A Keystone v3 token document (the one ``POST`` and ``GET /auth/tokens`` answer)."""
    body: dict[str, Any] = {
        "methods": list(token.methods),
        "issued_at": iso8601(token.issued_at, micro=True),
        "expires_at": iso8601(token.expires_at, micro=True),
        "audit_ids": [token.audit_id],
        "user": {**_reference(token.user, directory), "password_expires_at": None},
    }
    if token.project is not None:
        body["project"] = _reference(token.project, directory)
        body["is_domain"] = False
        body["roles"] = [{"id": directory.roles[name].id, "name": name}
                         for name in sorted(token.roles) if name in directory.roles]
        body["catalog"] = catalog(base_url(request), token.project.id, sandbox.services,
                                  sandbox.config.region)
    return {"token": body}


def _password_user(identity: dict[str, Any], directory: Directory) -> User:
    password = identity.get("password")
    user_ref = password.get("user") if isinstance(password, dict) else None
    if not isinstance(user_ref, dict) or not isinstance(user_ref.get("password"), str):
        raise BadRequest("Invalid input for field 'identity/password/user': "
                         "a user and a password are required")
    user: User | None
    if isinstance(user_ref.get("id"), str):
        user = directory.user(id=user_ref["id"])
    else:
        domain = _domain_of(user_ref.get("domain"), directory)
        user = directory.user(name=user_ref.get("name"), domain_id=domain)
    if user is None or not user.password_matches(user_ref["password"]):
        raise Unauthorized(_AUTH_FAILED)
    return user


def _domain_of(ref: Any, directory: Directory) -> str:
    if not isinstance(ref, dict):
        raise BadRequest("Expecting to find domain in user or project - the server could not "
                         "comply with the request since it is either malformed or otherwise "
                         "incorrect.")
    domain = directory.domain(id=ref.get("id"), name=ref.get("name"))
    if domain is None:
        raise Unauthorized(_AUTH_FAILED)
    return domain.id


def _scope(scope: Any, user: User, directory: Directory) -> Project | None:
    if scope is None:
        # Keystone scopes an unscoped request to the user's default project.
        return directory.project(id=user.default_project_id)
    if not isinstance(scope, dict):
        raise BadRequest("Invalid input for field 'scope'")
    ref = scope.get("project")
    if ref is None:
        return None
    if not isinstance(ref, dict):
        raise BadRequest("Invalid input for field 'scope/project'")
    if isinstance(ref.get("id"), str):
        project = directory.project(id=ref["id"])
    else:
        project = directory.project(name=ref.get("name"),
                                    domain_id=_domain_of(ref.get("domain"), directory))
    if project is None or not directory.roles_on(user.id, project.id):
        raise Unauthorized(f"User {user.id} has no access to project "
                           f"{ref.get('id') or ref.get('name')}")
    return project


def router(directory: Directory) -> APIRouter:
    routes = APIRouter(prefix="/identity")

    @routes.get("")
    @routes.get("/")
    async def versions(request: Request) -> Response:
        return JSONResponse({"versions": {"values": [_version(request)]}}, status_code=300)

    @routes.get("/v3")
    @routes.get("/v3/")
    async def version(request: Request) -> Response:
        return JSONResponse({"version": _version(request)})

    @routes.post("/v3/auth/tokens")
    async def issue(request: Request, sandbox: SandboxDep) -> Response:
        body = await json_body(request)
        auth = body.get("auth") if isinstance(body, dict) else None
        identity = auth.get("identity") if isinstance(auth, dict) else None
        methods = identity.get("methods") if isinstance(identity, dict) else None
        if not isinstance(identity, dict) or not isinstance(methods, list) or not methods:
            raise BadRequest("Invalid input for field 'identity': 'methods' is required")
        with sandbox.transaction() as tx:
            expires_at: float | None = None
            if "password" in methods:
                user = _password_user(identity, directory)
            elif "token" in methods:
                ref = identity.get("token")
                old = tokens.find(tx, directory, ref.get("id", "")) \
                    if isinstance(ref, dict) and isinstance(ref.get("id"), str) else None
                if old is None:
                    raise Unauthorized(_AUTH_FAILED)
                user, expires_at = old.user, old.expires_at
            else:
                raise Unauthorized(f"Authentication method {methods[0]!r} is not supported.")
            project = _scope(auth.get("scope") if isinstance(auth, dict) else None,
                             user, directory)
            token = tokens.issue(tx, directory, user, project, tuple(methods),
                                 sandbox.config.token_ttl, expires_at=expires_at)
        return JSONResponse(token_body(token, request, sandbox, directory), status_code=201,
                            headers={"X-Subject-Token": token.id})

    def _subject(request: Request, sandbox: Sandbox) -> tokens.Token:
        caller = request.headers.get("X-Auth-Token", "")
        subject = request.headers.get("X-Subject-Token", "")
        with sandbox.transaction() as tx:
            if tokens.find(tx, directory, caller) is None:
                raise Unauthorized(_AUTH_FAILED)
            found = tokens.find(tx, directory, subject)
        if found is None:
            raise NotFound(f"Could not find token: {subject}")
        return found

    @routes.get("/v3/auth/tokens")
    async def validate(request: Request, sandbox: SandboxDep) -> Response:
        token = _subject(request, sandbox)
        return JSONResponse(token_body(token, request, sandbox, directory),
                            headers={"X-Subject-Token": token.id})

    @routes.head("/v3/auth/tokens")
    async def check(request: Request, sandbox: SandboxDep) -> Response:
        token = _subject(request, sandbox)
        return Response(status_code=200, headers={"X-Subject-Token": token.id})

    @routes.delete("/v3/auth/tokens")
    async def revoke(request: Request, sandbox: SandboxDep) -> Response:
        token = _subject(request, sandbox)
        with sandbox.transaction() as tx:
            tokens.revoke(tx, token.id)
        return Response(status_code=204)

    return routes
