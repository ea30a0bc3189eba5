"""Records rendered as Keystone's JSON: tokens, projects, users, roles, credentials."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from fastapi import Request

from calor.identity.catalog import catalog_entries
from calor.identity.role_assignments import AssignmentView
from calor.identity.service import IdentityService
from calor.identity.tokens import Token
from calor.store.identity import (
    ApplicationCredentialRecord,
    DomainRecord,
    ProjectRecord,
    RoleRecord,
    UserRecord,
)


def iso(moment: datetime | None) -> str | None:
    """Keystone's timestamps: ``2026-11-24T21:00:00.000000Z``."""
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def v3_url(request: Request) -> str:
    """The absolute URL of ``/identity/v3`` as this client reaches it."""
    return str(request.url_for("identity_v3")).rstrip("/")


def collection_links(request: Request) -> dict[str, Any]:
    return {"self": str(request.url), "previous": None, "next": None}


def domain_ref(domain: DomainRecord) -> dict[str, Any]:
    return {"id": domain.id, "name": domain.name}


def token_body(token: Token, request: Request, identity: IdentityService,
               *, catalog: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {
        "methods": list(token.methods),
        "user": {
            "id": token.user.id,
            "name": token.user.name,
            "domain": domain_ref(token.user_domain),
            "password_expires_at": None,
        },
        "audit_ids": list(token.audit_ids),
        "expires_at": iso(token.expires_at),
        "issued_at": iso(token.issued_at),
        "is_domain": False,
    }
    if token.project is not None:
        assert token.project_domain is not None
        body["project"] = {
            "id": token.project.id,
            "name": token.project.name,
            "domain": domain_ref(token.project_domain),
        }
        body["roles"] = [{"id": role.id, "name": role.name} for role in token.roles]
        if catalog:
            body["catalog"] = catalog_entries(
                identity.catalog, str(request.base_url), token.project.id
            )
    credential = token.application_credential
    if credential is not None:
        body["application_credential"] = {
            "id": credential.id, "name": credential.name,
            "restricted": not credential.unrestricted,
        }
    return body


def project_body(project: ProjectRecord, request: Request) -> dict[str, Any]:
    return {
        **project.extra,
        "id": project.id,
        "name": project.name,
        "domain_id": project.domain_id,
        "description": project.description,
        "enabled": project.enabled,
        "is_domain": False,
        "parent_id": project.domain_id,
        "tags": list(project.tags),
        "options": {},
        "links": {"self": f"{v3_url(request)}/projects/{project.id}"},
    }


def domain_body(domain: DomainRecord, request: Request) -> dict[str, Any]:
    return {
        "id": domain.id,
        "name": domain.name,
        "description": domain.description,
        "enabled": domain.enabled,
        "tags": [],
        "options": {},
        "links": {"self": f"{v3_url(request)}/domains/{domain.id}"},
    }


def user_body(user: UserRecord, request: Request) -> dict[str, Any]:
    body = {
        **user.extra,
        "id": user.id,
        "name": user.name,
        "domain_id": user.domain_id,
        "enabled": user.enabled,
        "password_expires_at": None,
        "options": {},
        "links": {"self": f"{v3_url(request)}/users/{user.id}"},
    }
    if user.default_project_id is not None:
        body["default_project_id"] = user.default_project_id
    return body


def role_body(role: RoleRecord, request: Request) -> dict[str, Any]:
    return {
        "id": role.id,
        "name": role.name,
        "domain_id": None,
        "description": role.description,
        "options": {"immutable": True} if role.immutable else {},
        "links": {"self": f"{v3_url(request)}/roles/{role.id}"},
    }


def credential_body(
    credential: ApplicationCredentialRecord,
    roles: Mapping[str, RoleRecord],
    request: Request,
) -> dict[str, Any]:
    return {
        "id": credential.id,
        "name": credential.name,
        "description": credential.description,
        "user_id": credential.user_id,
        "project_id": credential.project_id,
        "roles": [
            {"id": role_id, "name": roles[role_id].name, "domain_id": None}
            for role_id in credential.roles if role_id in roles
        ],
        "unrestricted": credential.unrestricted,
        "access_rules": [],
        "expires_at": iso(credential.expires_at),
        "links": {"self": (f"{v3_url(request)}/users/{credential.user_id}"
                           f"/application_credentials/{credential.id}")},
    }


def assignment_body(view: AssignmentView, request: Request, *, names: bool) -> dict[str, Any]:
    role: dict[str, Any] = {"id": view.role.id}
    user: dict[str, Any] = {"id": view.user.id}
    project: dict[str, Any] = {"id": view.project.id}
    if names:
        role["name"] = view.role.name
        user.update(name=view.user.name, domain=domain_ref(view.user_domain))
        project.update(name=view.project.name, domain=domain_ref(view.project_domain))
    v3 = v3_url(request)
    shown = view.prior_role or view.role
    links = {"assignment": (f"{v3}/projects/{view.project.id}/users/{view.user.id}"
                            f"/roles/{shown.id}")}
    if view.prior_role is not None:
        links["prior_role"] = f"{v3}/roles/{view.prior_role.id}"
    return {"role": role, "user": user, "scope": {"project": project}, "links": links}
