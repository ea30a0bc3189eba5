"""Token validators that answer from Calor's own identity tables."""

from __future__ import annotations

from calor.identity.context import InvalidToken, RequestContext
from calor.identity.tokens import TokenService


class LocalTokenValidator:
    """A :class:`~calor.identity.context.TokenValidator` reading Calor's own store.

    Every call reads the token, the user, the project and the roles in one
    transaction, so a revoked token, a disabled user or a removed role is
    refused at once.
    """

    def __init__(self, tokens: TokenService) -> None:
        self._tokens = tokens

    async def validate(self, token: str) -> RequestContext:
        found = await self._tokens.find(token) if token else None
        if found is None:
            raise InvalidToken("The request you have made requires authentication.")
        return found.context()
