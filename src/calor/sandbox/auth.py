"""Who is asking: every service route depends on :data:`Context`.

The token in ``X-Auth-Token`` goes to the sandbox's token validator: its own
Keystone's, or the one handed to :func:`calor.sandbox.app.create_app` when it
runs beside Calor's identity. Version documents need no token (the clients
send none).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from calor.identity.context import InvalidToken, RequestContext
from calor.sandbox.errors import Unauthorized
from calor.sandbox.runtime import sandbox_of

AUTH_REQUIRED = "The request you have made requires authentication."


async def authenticated(request: Request) -> RequestContext:
    token = request.headers.get("X-Auth-Token")
    if not token:
        raise Unauthorized(AUTH_REQUIRED)
    try:
        return await sandbox_of(request).validator.validate(token)
    except InvalidToken:
        raise Unauthorized(AUTH_REQUIRED) from None


Context = Annotated[RequestContext, Depends(authenticated)]
