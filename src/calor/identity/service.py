"""The identity service: one object that holds every part, built on a store."""

from __future__ import annotations

from collections.abc import Iterable

from calor.identity.application_credentials import ApplicationCredentialManager
from calor.identity.authentication import Authenticator
from calor.identity.catalog import IDENTITY, CatalogService
from calor.identity.context import TokenValidator
from calor.identity.errors import Unauthorized
from calor.identity.passwords import Passwords
from calor.identity.projects import DomainManager, ProjectManager
from calor.identity.role_assignments import AssignmentManager, RoleManager
from calor.identity.tokens import Token, TokenService
from calor.identity.users import UserManager
from calor.identity.validators import LocalTokenValidator
from calor.store import Store


class IdentityService:
    """Calor's Keystone v3 compatible identity, on the tables of ``store``.

    ``catalog`` lists the services a token's catalog names besides identity
    itself (always first, at ``/identity``), e.g.
    ``CatalogService(type="orchestration", name="heat", path="/v1/{project_id}")``.
    Token lifetime: ``token_expiration_secs``, else ``CALOR_TOKEN_EXPIRATION_SECS``,
    else 3600.
    """

    def __init__(
        self,
        store: Store,
        catalog: Iterable[CatalogService] = (),
        *,
        token_expiration_secs: int | None = None,
        passwords: Passwords | None = None,
    ) -> None:
        self.store = store
        tables = store.identity
        self.catalog = (IDENTITY, *(s for s in catalog if s.type != IDENTITY.type))
        self.passwords = passwords or Passwords()
        self.tokens = TokenService(tables, token_expiration_secs)
        self.authenticator = Authenticator(tables, self.tokens, self.passwords)
        self.domains = DomainManager(tables)
        self.projects = ProjectManager(tables)
        self.users = UserManager(tables, self.passwords)
        self.roles = RoleManager(tables)
        self.assignments = AssignmentManager(tables)
        self.application_credentials = ApplicationCredentialManager(tables, self.passwords)

    def validator(self) -> TokenValidator:
        """What the orchestration API asks about each ``X-Auth-Token``."""
        return LocalTokenValidator(self.tokens)

    async def caller(self, token_id: str | None) -> Token:
        """The valid token of a request (its ``X-Auth-Token``), or :class:`Unauthorized`."""
        found = await self.tokens.find(token_id) if token_id else None
        if found is None:
            raise Unauthorized()
        return found

    def close(self) -> None:
        """Stop the password hashing threads (the store is the caller's to close)."""
        self.passwords.close()
