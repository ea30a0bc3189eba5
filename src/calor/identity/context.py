"""Who is asking: the context an authenticated request carries.

This is the seam between identity and the APIs. The orchestration API (and,
later, the sandbox cloud when it runs inside ``calor serve``) asks a
:class:`TokenValidator` what a token means and gets a :class:`RequestContext`
back; it never looks at identity's tables itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

#: Keystone's default roles; ``admin`` implies ``member`` implies ``reader``.
ADMIN = "admin"
MEMBER = "member"
READER = "reader"


@dataclass(frozen=True)
class RequestContext:
    """An authenticated caller, scoped to one project."""

    user_id: str
    user_name: str
    project_id: str
    project_name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    user_domain_id: str = "default"
    project_domain_id: str = "default"
    expires_at: datetime | None = None
    token_id: str | None = None

    @property
    def is_admin(self) -> bool:
        return ADMIN in self.roles

    @property
    def can_write(self) -> bool:
        """Members and admins change things; readers only look."""
        return bool(self.roles & {ADMIN, MEMBER})


class InvalidToken(Exception):
    """The token is unknown, expired or revoked (the API answers 401)."""


class TokenValidator(Protocol):
    """Turns an ``X-Auth-Token`` into the caller's context, or raises :class:`InvalidToken`."""

    async def validate(self, token: str) -> RequestContext: ...
