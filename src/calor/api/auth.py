"""Who is calling, and what they may do: the ``X-Auth-Token`` check and Heat's project rules.

Every orchestration route depends on :func:`project_caller`: the token
(``X-Auth-Token``) is turned into a :class:`RequestContext` by the server's
:class:`TokenValidator` (401 without a token or with a bad, expired or
revoked one); the project in the URL must be the token's project (403
otherwise, admins included); readers may only read. With ``--no-auth`` no
token is asked for and every caller is a local admin of the URL's project.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from calor.api.errors import HeatFault
from calor.identity.context import (
    ADMIN,
    MEMBER,
    READER,
    InvalidToken,
    RequestContext,
    TokenValidator,
)

#: What keystonemiddleware says when a request carries no usable token.
AUTH_REQUIRED = "The request you have made requires authentication."

#: Methods a reader may use.
_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Authenticator:
    """How the server authenticates: a token validator, or none at all (``--no-auth``)."""

    validator: TokenValidator | None
    #: Tokens come from this server's own identity API (named in a 401's ``WWW-Authenticate``).
    local_identity: bool = False
    #: Else, the Keystone that issues them, if known.
    auth_url: str | None = None

    @property
    def no_auth(self) -> bool:
        return self.validator is None


def local_admin(project_id: str) -> RequestContext:
    """The caller of a ``--no-auth`` server: an admin of whatever project the URL names."""
    return RequestContext(
        user_id="admin", user_name="admin", project_id=project_id, project_name=project_id,
        roles=frozenset({ADMIN, MEMBER, READER}),
    )


def authenticator(request: Request) -> Authenticator:
    found = getattr(request.app.state, "authenticator", None)
    if not isinstance(found, Authenticator):
        raise HeatFault(503, "The server is starting or stopping.")
    return found


async def caller(request: Request, project_id: str) -> RequestContext:
    """The authenticated caller of a request to ``/v1/{project_id}/...``."""
    auth = authenticator(request)
    if auth.validator is None:
        return local_admin(project_id)
    token = request.headers.get("x-auth-token")
    identity = (f"{str(request.base_url).rstrip('/')}/identity" if auth.local_identity
                else auth.auth_url)
    headers = {"WWW-Authenticate": f'Keystone uri="{identity}"'} if identity else {}
    if not token:
        raise HeatFault(401, AUTH_REQUIRED, headers=headers)
    try:
        return await auth.validator.validate(token)
    except InvalidToken:
        raise HeatFault(401, AUTH_REQUIRED, headers=headers) from None


async def project_caller(
    request: Request, project_id: str,
    context: Annotated[RequestContext, Depends(caller)],
) -> RequestContext:
    """The caller, allowed in this project and for this method (Heat's policy, simplified).

    A token is good only for its own project's URLs, an admin's too; a
    reader may only read.
    """
    if context.project_id != project_id:
        raise HeatFault(403, "Access was denied to this resource.")
    if not context.roles & {ADMIN, MEMBER, READER}:
        raise HeatFault(403, "Access was denied to this resource.")
    if request.method not in _READ_METHODS and not context.can_write:
        raise HeatFault(403, "Access was denied to this resource.")
    return context


async def member_caller(
    context: Annotated[RequestContext, Depends(project_caller)],
) -> RequestContext:
    """A caller who may change things: for the reads Heat keeps from readers (export)."""
    if not context.can_write:
        raise HeatFault(403, "Access was denied to this resource.")
    return context


ProjectCaller = Annotated[RequestContext, Depends(project_caller)]
MemberCaller = Annotated[RequestContext, Depends(member_caller)]
