"""Domains, projects, users and roles of the sandbox's Keystone, from the config.

They are not stored: the config is the truth, and IDs are derived from names
(UUID5), so they stay the same across restarts and state files.
"""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass

from calor.sandbox.config import DEFAULT_DOMAIN, SandboxConfig

_NAMESPACE = uuid.UUID("6c8a4b4e-5d0e-4f7e-9a51-2f2b3f0c5a11")

DEFAULT_DOMAIN_ID = "default"

#: Keystone's default roles; each implies the ones after it.
ROLE_NAMES = ("admin", "member", "reader")


def stable_id(*parts: str) -> str:
    """A UUID (hex, as Keystone writes them) that depends only on ``parts``."""
    return uuid.uuid5(_NAMESPACE, ":".join(parts)).hex


@dataclass(frozen=True)
class Domain:
    id: str
    name: str


@dataclass(frozen=True)
class Project:
    id: str
    name: str
    domain_id: str = DEFAULT_DOMAIN_ID


@dataclass(frozen=True)
class User:
    id: str
    name: str
    password: str
    default_project_id: str
    email: str | None = None
    domain_id: str = DEFAULT_DOMAIN_ID

    def password_matches(self, password: str) -> bool:
        return hmac.compare_digest(self.password.encode(), password.encode())


@dataclass(frozen=True)
class Role:
    id: str
    name: str


def project_id_for(name: str) -> str:
    return stable_id("project", DEFAULT_DOMAIN_ID, name)


class Directory:
    """Who exists in the sandbox cloud, and which roles they hold on which projects."""

    def __init__(self, config: SandboxConfig) -> None:
        self.domains = {DEFAULT_DOMAIN_ID: Domain(DEFAULT_DOMAIN_ID, DEFAULT_DOMAIN)}
        self.roles = {name: Role(stable_id("role", name), name) for name in ROLE_NAMES}
        self.projects: dict[str, Project] = {}
        self.users: dict[str, User] = {}
        self._assignments: dict[tuple[str, str], frozenset[str]] = {}
        self._add_project("admin")
        for entry in config.all_users:
            project = self._add_project(entry.project)
            user = User(stable_id("user", DEFAULT_DOMAIN_ID, entry.name), entry.name,
                        entry.password, project.id, entry.email)
            self.users[user.id] = user
            self._assignments[(user.id, project.id)] = _implied(entry.roles)

    def _add_project(self, name: str) -> Project:
        project = Project(project_id_for(name), name)
        return self.projects.setdefault(project.id, project)

    @property
    def admin_project(self) -> Project:
        return self.projects[project_id_for("admin")]

    def domain(self, *, id: str | None = None, name: str | None = None) -> Domain | None:
        for domain in self.domains.values():
            if (id is not None and domain.id == id) or (id is None and domain.name == name):
                return domain
        return None

    def user(self, *, id: str | None = None, name: str | None = None,
             domain_id: str = DEFAULT_DOMAIN_ID) -> User | None:
        if id is not None:
            return self.users.get(id)
        for user in self.users.values():
            if user.name == name and user.domain_id == domain_id:
                return user
        return None

    def project(self, *, id: str | None = None, name: str | None = None,
                domain_id: str = DEFAULT_DOMAIN_ID) -> Project | None:
        if id is not None:
            return self.projects.get(id)
        for project in self.projects.values():
            if project.name == name and project.domain_id == domain_id:
                return project
        return None

    def roles_on(self, user_id: str, project_id: str) -> frozenset[str]:
        return self._assignments.get((user_id, project_id), frozenset())

    def projects_of(self, user_id: str) -> list[Project]:
        return [self.projects[p] for (u, p) in self._assignments if u == user_id]

    def assignments(self) -> list[tuple[str, str, frozenset[str]]]:
        return [(u, p, roles) for (u, p), roles in self._assignments.items()]


def _implied(roles: tuple[str, ...]) -> frozenset[str]:
    found = set(roles)
    for index, name in enumerate(ROLE_NAMES):
        if name in found:
            found.update(ROLE_NAMES[index:])
    return frozenset(found)
