"""What every identity route needs: the service, and the caller behind ``X-Auth-Token``.

The service comes from a provider called per request, so a server that opens
its store in its lifespan can mount the router before the service exists
(``identity_router(lambda request: request.app.state.identity)``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Header, Request

from calor.identity.errors import IdentityError
from calor.identity.service import IdentityService
from calor.identity.tokens import Token

#: Gives the identity service that serves a request.
IdentityProvider = Callable[[Request], IdentityService]

AuthToken = Annotated[str | None, Header(alias="X-Auth-Token")]
SubjectToken = Annotated[str | None, Header(alias="X-Subject-Token")]


class ServiceUnavailable(IdentityError):
    code = 503
    title = "Service Unavailable"


def provider_of(identity: IdentityService | IdentityProvider) -> IdentityProvider:
    if isinstance(identity, IdentityService):
        return lambda request: identity
    return identity


def service(provider: IdentityProvider, request: Request) -> IdentityService:
    try:
        found = provider(request)
    except (AttributeError, LookupError):
        found = None
    if not isinstance(found, IdentityService):
        raise ServiceUnavailable("The identity service is starting or stopping.")
    return found


async def caller(
    provider: IdentityProvider, request: Request, token: str | None
) -> tuple[IdentityService, Token]:
    """The service and the valid token of the request; 401 without one."""
    identity = service(provider, request)
    return identity, await identity.caller(token)


def flag(value: str | None) -> bool | None:
    """A boolean query parameter as Keystone reads one (``?enabled=false``)."""
    if value is None:
        return None
    return value.strip().lower() not in ("0", "false", "f", "no", "n", "off")


def present(value: str | None) -> bool:
    """A flag such as ``?effective``: on when given, unless it says false."""
    return value is not None and flag(value or "true") is True
