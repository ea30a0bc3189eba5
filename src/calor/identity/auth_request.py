"""The body of ``POST /v3/auth/tokens``, as Keystone's schema accepts it.

Unknown keys are ignored, as Keystone does; a wrong type is a 400.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

_Name = Field(default=None, min_length=1, max_length=255)


class _Body(BaseModel):
    model_config = ConfigDict(extra="allow")


class DomainRef(_Body):
    id: str | None = _Name
    name: str | None = _Name


class PasswordUser(_Body):
    id: str | None = _Name
    name: str | None = _Name
    domain: DomainRef | None = None
    password: str = Field(max_length=4096)


class PasswordMethod(_Body):
    user: PasswordUser


class TokenMethod(_Body):
    id: str = Field(min_length=1, max_length=4096)


class CredentialUser(_Body):
    id: str | None = _Name
    name: str | None = _Name
    domain: DomainRef | None = None


class ApplicationCredentialMethod(_Body):
    id: str | None = _Name
    name: str | None = _Name
    user: CredentialUser | None = None
    secret: str = Field(max_length=4096)


class Identity(_Body):
    methods: list[str] = Field(min_length=1)
    password: PasswordMethod | None = None
    token: TokenMethod | None = None
    application_credential: ApplicationCredentialMethod | None = None


class ProjectScope(_Body):
    id: str | None = _Name
    name: str | None = _Name
    domain: DomainRef | None = None


class Scope(_Body):
    project: ProjectScope | None = None
    domain: DomainRef | None = None
    system: dict[str, Any] | None = None


class Auth(_Body):
    identity: Identity
    scope: Scope | Literal["unscoped"] | None = None


class AuthRequest(_Body):
    """``{"auth": {"identity": {...}, "scope": {...}}}``."""

    auth: Auth
