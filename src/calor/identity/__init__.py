"""Identity: projects, users, roles and tokens (a Keystone v3 compatible subset).

:class:`IdentityService` is the whole of it on one store; its
:meth:`~IdentityService.validator` is what the APIs use to turn an
``X-Auth-Token`` into a :class:`RequestContext`. :class:`KeystoneTokenValidator`
does the same against an external Keystone instead.
"""

from __future__ import annotations

from calor.identity.bootstrap import BootstrapResult, bootstrap
from calor.identity.catalog import IDENTITY, REGION, CatalogService
from calor.identity.context import (
    ADMIN,
    MEMBER,
    READER,
    InvalidToken,
    RequestContext,
    TokenValidator,
)
from calor.identity.errors import (
    Conflict,
    Forbidden,
    IdentityError,
    MethodNotAllowed,
    NotFound,
    Unauthorized,
    ValidationError,
)
from calor.identity.keystone import KeystoneTokenValidator, ServiceCredentials
from calor.identity.passwords import Passwords
from calor.identity.service import IdentityService
from calor.identity.tokens import Token, token_expiration_secs
from calor.identity.validators import LocalTokenValidator

__all__ = [
    "ADMIN",
    "IDENTITY",
    "MEMBER",
    "READER",
    "REGION",
    "BootstrapResult",
    "CatalogService",
    "Conflict",
    "Forbidden",
    "IdentityError",
    "IdentityService",
    "InvalidToken",
    "KeystoneTokenValidator",
    "LocalTokenValidator",
    "MethodNotAllowed",
    "NotFound",
    "Passwords",
    "RequestContext",
    "ServiceCredentials",
    "Token",
    "TokenValidator",
    "Unauthorized",
    "ValidationError",
    "bootstrap",
    "token_expiration_secs",
]
