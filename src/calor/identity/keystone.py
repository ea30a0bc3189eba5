"""Trusting an external Keystone: validate tokens with its ``GET /v3/auth/tokens``.

For running beside a real OpenStack cloud: users authenticate with that
cloud's Keystone, and Calor asks it about every token it is shown, as
keystonemiddleware does for Heat. Calor authenticates as a service user
(``ServiceCredentials``) and sends that token as ``X-Auth-Token`` and the
one to check as ``X-Subject-Token``; the service user needs a role Keystone's
policy lets validate tokens (``admin`` or ``service``).

Answers are cached for ``cache_seconds`` (keystonemiddleware caches for 300 s
by default): within that window a token revoked at Keystone still works here.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from calor.identity.context import InvalidToken, RequestContext

#: A service token is renewed this long before Keystone says it expires.
_RENEW_MARGIN_SECS = 60.0
_CACHE_ENTRIES = 10_000


class KeystoneUnavailable(InvalidToken):
    """Keystone could not be reached, or refused Calor's own service credentials.

    A subclass of :class:`InvalidToken` so that a caller that knows only the
    seam still answers 401 rather than 500; a caller that knows it may say 503.
    """


@dataclass(frozen=True)
class ServiceCredentials:
    """The service user Calor logs in as, to ask Keystone about tokens."""

    username: str
    password: str = field(repr=False)
    project_name: str
    user_domain_name: str = "Default"
    project_domain_name: str = "Default"

    def auth_body(self) -> dict[str, Any]:
        return {"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "name": self.username,
                "domain": {"name": self.user_domain_name},
                "password": self.password,
            }}},
            "scope": {"project": {
                "name": self.project_name, "domain": {"name": self.project_domain_name},
            }},
        }}


def v3_url(auth_url: str) -> str:
    """``http://h/identity`` or ``http://h/identity/v3`` -> ``http://h/identity/v3``."""
    url = auth_url.rstrip("/")
    return url if url.endswith("/v3") else url + "/v3"


def parse_time(text: str) -> datetime:
    """Keystone's ``2026-11-24T21:00:00.000000Z`` (or any ISO-8601 form) as an aware time."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def context_of(token_id: str, body: dict[str, Any]) -> RequestContext:
    """Keystone's token body mapped to the caller's context."""
    token = body["token"]
    user = token["user"]
    project = token.get("project") or {}
    return RequestContext(
        user_id=str(user["id"]),
        user_name=str(user.get("name", "")),
        project_id=str(project.get("id", "")),
        project_name=str(project.get("name", "")),
        roles=frozenset(str(role["name"]) for role in token.get("roles") or ()),
        user_domain_id=str((user.get("domain") or {}).get("id", "")),
        project_domain_id=str((project.get("domain") or {}).get("id", "")),
        expires_at=parse_time(token["expires_at"]),
        token_id=token_id,
    )


class KeystoneTokenValidator:
    """A :class:`~calor.identity.context.TokenValidator` that asks an external Keystone."""

    def __init__(
        self,
        auth_url: str,
        credentials: ServiceCredentials,
        *,
        cache_seconds: float = 60.0,
        timeout: float = 10.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.url = v3_url(auth_url)
        self._credentials = credentials
        self._cache_seconds = cache_seconds
        self._client = client or httpx.AsyncClient(timeout=timeout)
        self._own_client = client is None
        self._service_token: tuple[str, float] | None = None
        self._lock: asyncio.Lock | None = None
        self._cache: dict[str, tuple[RequestContext, float]] = {}

    async def validate(self, token: str) -> RequestContext:
        if not token:
            raise InvalidToken("The request you have made requires authentication.")
        cached = self._cache.get(token)
        if cached is not None and cached[1] > time.monotonic():
            return cached[0]
        response = await self._check(token, await self._service(renew=False))
        if response.status_code == 401:
            # Our own token may have been revoked or expired early: renew once.
            response = await self._check(token, await self._service(renew=True))
            if response.status_code == 401:
                raise KeystoneUnavailable("Keystone refused Calor's service token")
        if response.status_code in (403, 404):
            raise InvalidToken("The request you have made requires authentication.")
        if response.status_code != 200:
            raise KeystoneUnavailable(
                f"Keystone answered {response.status_code} validating a token"
            )
        try:
            context = context_of(token, response.json())
        except (ValueError, KeyError, TypeError) as exc:
            raise KeystoneUnavailable(f"Keystone's token body is not understood: {exc}") from exc
        self._remember(token, context)
        return context

    def _remember(self, token: str, context: RequestContext) -> None:
        if self._cache_seconds <= 0:
            return
        if len(self._cache) >= _CACHE_ENTRIES:
            self._cache.clear()
        until = time.monotonic() + self._cache_seconds
        if context.expires_at is not None:
            left = (context.expires_at - datetime.now(UTC)).total_seconds()
            until = min(until, time.monotonic() + left)
        self._cache[token] = (context, until)

    async def _check(self, token: str, service_token: str) -> httpx.Response:
        try:
            return await self._client.get(
                f"{self.url}/auth/tokens",
                params={"nocatalog": "1"},
                headers={"X-Auth-Token": service_token, "X-Subject-Token": token},
            )
        except httpx.HTTPError as exc:
            raise KeystoneUnavailable(f"Keystone at {self.url} is not reachable: {exc}") from exc

    async def _service(self, *, renew: bool) -> str:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            current = self._service_token
            if not renew and current is not None and current[1] > time.monotonic():
                return current[0]
            self._service_token = await self._log_in()
            return self._service_token[0]

    async def _log_in(self) -> tuple[str, float]:
        try:
            response = await self._client.post(
                f"{self.url}/auth/tokens", params={"nocatalog": "1"},
                json=self._credentials.auth_body(),
            )
        except httpx.HTTPError as exc:
            raise KeystoneUnavailable(f"Keystone at {self.url} is not reachable: {exc}") from exc
        token = response.headers.get("X-Subject-Token")
        if response.status_code != 201 or not token:
            raise KeystoneUnavailable(
                f"Keystone refused Calor's service credentials ({response.status_code})"
            )
        try:
            expires_at = parse_time(response.json()["token"]["expires_at"])
        except (ValueError, KeyError, TypeError) as exc:
            raise KeystoneUnavailable(f"Keystone's token body is not understood: {exc}") from exc
        left = (expires_at - datetime.now(UTC)).total_seconds() - _RENEW_MARGIN_SECS
        return token, time.monotonic() + max(left, 0.0)

    async def aclose(self) -> None:
        if self._own_client:
            await self._client.aclose()
