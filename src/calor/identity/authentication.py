"""``POST /v3/auth/tokens``: check each method's credentials, resolve the scope, issue a token.

Methods: ``password`` (user by id, or by name and domain), ``token`` (a valid
token of the same user, re-scoped; the new one expires when the old one does)
and ``application_credential`` (by id, or by name and user, with its secret;
the token is scoped to the credential's project). Every failure to
authenticate is the same 401, as in Keystone, so nothing tells an attacker
which part was wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

from calor.identity.auth_request import (
    ApplicationCredentialMethod,
    AuthRequest,
    CredentialUser,
    DomainRef,
    PasswordUser,
    Scope,
)
from calor.identity.errors import Unauthorized, ValidationError
from calor.identity.passwords import Passwords
from calor.identity.tokens import Token, TokenService, check_scope
from calor.store.column_types import utc_now
from calor.store.identity import (
    ApplicationCredentialRecord,
    IdentityTables,
    ScopeView,
    UserRecord,
)

METHODS = ("password", "token", "application_credential")


@dataclass(frozen=True)
class _Proof:
    """What one method established."""

    user: UserRecord
    token: Token | None = None
    credential: ApplicationCredentialRecord | None = None


class Authenticator:
    """Turns an auth request into a new token."""

    def __init__(self, tables: IdentityTables, tokens: TokenService, passwords: Passwords) -> None:
        self._tables = tables
        self._tokens = tokens
        self._passwords = passwords

    async def authenticate(self, request: AuthRequest) -> Token:
        identity = request.auth.identity
        methods = list(dict.fromkeys(identity.methods))
        for method in methods:
            if method not in METHODS:
                raise Unauthorized("Attempted to authenticate with an unsupported method.")
            if getattr(identity, method) is None:
                raise ValidationError(
                    f"Invalid input for field 'identity': '{method}' is a required property"
                )
        proofs = []
        if identity.password is not None and "password" in methods:
            proofs.append(await self._password(identity.password.user))
        if identity.token is not None and "token" in methods:
            proofs.append(await self._token(identity.token.id))
        if identity.application_credential is not None and "application_credential" in methods:
            proofs.append(await self._application_credential(identity.application_credential))
        if len({proof.user.id for proof in proofs}) != 1:
            raise Unauthorized()
        user = proofs[0].user
        parent = next((p.token for p in proofs if p.token is not None), None)
        credential = next((p.credential for p in proofs if p.credential is not None), None)
        if credential is None and parent is not None:
            credential = parent.application_credential

        scope = await self._scope(user, request.auth.scope, credential, parent)
        if check_scope(scope) is None:
            raise Unauthorized()
        shown_methods = list(methods)
        if parent is not None:
            shown_methods += [m for m in parent.methods if m not in shown_methods]
        return await self._tokens.issue(
            scope,
            shown_methods,
            expires_at=None if parent is None else parent.expires_at,
            parent_audit_id=None if parent is None else parent.audit_ids[-1],
        )

    async def _password(self, given: PasswordUser) -> _Proof:
        user = await self._user(given.id, given.name, given.domain)
        hashed = None if user is None else user.password_hash
        if not await self._passwords.verify(hashed, given.password) or user is None:
            raise Unauthorized()
        return _Proof(user)

    async def _token(self, token_id: str) -> _Proof:
        token = await self._tokens.find(token_id)
        if token is None:
            raise Unauthorized()
        return _Proof(token.user, token=token)

    async def _application_credential(self, given: ApplicationCredentialMethod) -> _Proof:
        tables = self._tables
        credential: ApplicationCredentialRecord | None
        if given.id is not None:
            credential = await tables.application_credentials.get(given.id)
        elif given.name is not None and given.user is not None:
            owner = await self._credential_owner(given.user)
            credential = None if owner is None else (
                await tables.application_credentials.find(owner.id, given.name)
            )
        else:
            raise ValidationError(
                "Invalid input for field 'application_credential': "
                "give its id, or its name and user"
            )
        hashed = None if credential is None else credential.secret_hash
        if not await self._passwords.verify(hashed, given.secret) or credential is None:
            raise Unauthorized()
        if credential.expires_at is not None and credential.expires_at <= utc_now():
            raise Unauthorized()
        user = await tables.users.get(credential.user_id)
        if user is None:
            raise Unauthorized()
        return _Proof(user, credential=credential)

    async def _credential_owner(self, given: CredentialUser) -> UserRecord | None:
        return await self._user(given.id, given.name, given.domain)

    async def _user(
        self, user_id: str | None, name: str | None, domain: DomainRef | None
    ) -> UserRecord | None:
        if user_id is not None:
            return await self._tables.users.get(user_id)
        if name is None:
            raise ValidationError("Invalid input for field 'user': give its id, or its name")
        if domain is None:
            raise ValidationError(
                "Invalid input for field 'user': a user given by name needs a domain"
            )
        domain_id = await self._domain_id(domain)
        return None if domain_id is None else await self._tables.users.find(name, domain_id)

    async def _domain_id(self, domain: DomainRef) -> str | None:
        if domain.id is not None:
            return domain.id
        if domain.name is None:
            raise ValidationError("Invalid input for field 'domain': give its id or its name")
        found = await self._tables.domains.find(domain.name)
        return None if found is None else found.id

    async def _scope(
        self,
        user: UserRecord,
        requested: Scope | str | None,
        credential: ApplicationCredentialRecord | None,
        parent: Token | None,
    ) -> ScopeView:
        project_id = await self._project_id(user, requested, credential, parent)
        scope = await self._tables.scope(
            user.id, project_id, None if credential is None else credential.id
        )
        if scope is None or (project_id is not None and scope.project is None):
            raise Unauthorized()
        return scope

    async def _project_id(
        self,
        user: UserRecord,
        requested: Scope | str | None,
        credential: ApplicationCredentialRecord | None,
        parent: Token | None,
    ) -> str | None:
        if credential is not None:
            # An application credential's tokens are always for its own project.
            if isinstance(requested, Scope) and requested.project is not None and (
                await self._project_of(requested) != credential.project_id
            ):
                raise Unauthorized()
            return credential.project_id
        if requested == "unscoped":
            return None
        if requested is None or not isinstance(requested, Scope):
            if parent is not None:
                return None if parent.project is None else parent.project.id
            return await self._default_project(user)
        if requested.domain is not None or requested.system is not None:
            # No domain or system role assignments here: Keystone would refuse too.
            raise Unauthorized()
        if requested.project is None:
            raise ValidationError("Invalid input for field 'scope': name a project")
        project_id = await self._project_of(requested)
        if project_id is None:
            raise Unauthorized()
        return project_id

    async def _project_of(self, requested: Scope) -> str | None:
        project = requested.project
        assert project is not None
        if project.id is not None:
            return project.id
        if project.name is None or project.domain is None:
            raise ValidationError(
                "Invalid input for field 'project': give its id, or its name and domain"
            )
        domain_id = await self._domain_id(project.domain)
        if domain_id is None:
            return None
        found = await self._tables.projects.find(project.name, domain_id)
        return None if found is None else found.id

    async def _default_project(self, user: UserRecord) -> str | None:
        """Keystone scopes a token without a scope to the user's default project, if usable."""
        if user.default_project_id is None:
            return None
        scope = await self._tables.scope(user.id, user.default_project_id)
        if scope is None or scope.project is None or check_scope(scope) is None:
            return None
        return user.default_project_id

