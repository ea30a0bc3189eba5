"""Request bodies of the identity routes, as Keystone's JSON schemas accept them.

Keys beyond a resource's own attributes are kept as its extra attributes
(Keystone does the same: ``openstack project create --property k=v``).
Booleans must be JSON booleans, as in Keystone.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool

_Id = Field(default=None, max_length=64)


class _Body(BaseModel):
    model_config = ConfigDict(extra="allow")

    def extra(self, *ignored: str) -> dict[str, Any]:
        """The keys beyond this model's fields (and beyond ``ignored``)."""
        return {k: v for k, v in (self.model_extra or {}).items() if k not in ignored}


class ProjectCreate(_Body):
    name: str = Field(max_length=64)
    domain_id: str | None = _Id
    description: str | None = None
    enabled: StrictBool = True
    is_domain: StrictBool = False
    parent_id: str | None = _Id
    tags: list[str] = Field(default_factory=list, max_length=80)
    options: dict[str, Any] | None = None


class ProjectCreateRequest(BaseModel):
    project: ProjectCreate


class ProjectUpdate(_Body):
    name: str | None = Field(default=None, max_length=64)
    description: str | None = None
    enabled: StrictBool | None = None
    tags: list[str] | None = Field(default=None, max_length=80)
    options: dict[str, Any] | None = None


class ProjectUpdateRequest(BaseModel):
    project: ProjectUpdate


class UserCreate(_Body):
    name: str = Field(max_length=255)
    domain_id: str | None = _Id
    password: str | None = Field(default=None, max_length=4096)
    enabled: StrictBool = True
    default_project_id: str | None = _Id
    options: dict[str, Any] | None = None


class UserCreateRequest(BaseModel):
    user: UserCreate


class UserUpdate(_Body):
    name: str | None = Field(default=None, max_length=255)
    password: str | None = Field(default=None, max_length=4096)
    enabled: StrictBool | None = None
    default_project_id: str | None = _Id
    options: dict[str, Any] | None = None


class UserUpdateRequest(BaseModel):
    user: UserUpdate


class PasswordChange(BaseModel):
    password: str = Field(min_length=1, max_length=4096)
    original_password: str = Field(max_length=4096)


class PasswordChangeRequest(BaseModel):
    user: PasswordChange


class RoleCreate(_Body):
    name: str = Field(max_length=255)
    description: str | None = None
    domain_id: str | None = _Id
    options: dict[str, Any] | None = None


class RoleCreateRequest(BaseModel):
    role: RoleCreate


class ApplicationCredentialCreate(_Body):
    name: str = Field(max_length=255)
    secret: str | None = Field(default=None, max_length=4096)
    description: str | None = None
    expires_at: datetime | None = None
    roles: list[dict[str, Any]] | None = None
    unrestricted: StrictBool = False
    access_rules: list[Any] | None = None


class ApplicationCredentialCreateRequest(BaseModel):
    application_credential: ApplicationCredentialCreate
