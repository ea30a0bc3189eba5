"""Microversion negotiation, as Nova and Cinder do it.

The client names a version in ``OpenStack-API-Version: compute 2.61`` (or
Nova's older ``X-OpenStack-Nova-API-Version: 2.61``); ``latest`` means the
maximum, no header means the minimum. A version outside the range is refused
with 406, a malformed one with 400. The answer carries the negotiated version
back in the same headers (see :class:`MicroversionHeaders`).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from calor.sandbox.errors import BadRequest, NotAcceptable

_VERSION = re.compile(r"^([1-9]\d*)\.([1-9]\d*|0)$")
_STATE_KEY = "sandbox_microversion_headers"


@dataclass(frozen=True, order=True)
class Microversion:
    """A ``major.minor`` API version; compares in numeric order."""

    major: int
    minor: int

    @classmethod
    def parse(cls, text: str) -> Microversion:
        match = _VERSION.match(text.strip())
        if match is None:
            raise BadRequest(f"API Version String {text} is of invalid format. Must be of "
                             "format MajorNum.MinorNum.")
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"


@dataclass(frozen=True)
class VersionRange:
    """The microversions one service speaks, and the header names it reads."""

    service: str
    minimum: Microversion
    maximum: Microversion
    legacy_header: str | None = None

    def requested(self, headers: Any) -> str | None:
        for value in headers.getlist("OpenStack-API-Version"):
            for part in value.split(","):
                words = part.split()
                if len(words) == 2 and words[0].lower() == self.service:
                    return str(words[1])
        if self.legacy_header:
            legacy = headers.get(self.legacy_header)
            if legacy:
                return str(legacy)
        return None

    def negotiate(self, headers: Any) -> Microversion:
        text = self.requested(headers)
        if text is None:
            return self.minimum
        if text.strip().lower() == "latest":
            return self.maximum
        version = Microversion.parse(text)
        if not self.minimum <= version <= self.maximum:
            raise NotAcceptable(f"Version {version} is not supported by the API. Minimum is "
                                f"{self.minimum} and maximum is {self.maximum}.")
        return version

    def dependency(self) -> Callable[[Request], Awaitable[Microversion]]:
        """A FastAPI dependency giving the negotiated version (and echoing it)."""
        async def negotiated(request: Request) -> Microversion:
            version = self.negotiate(request.headers)
            headers = [("OpenStack-API-Version", f"{self.service} {version}"),
                       ("Vary", "OpenStack-API-Version")]
            if self.legacy_header:
                headers.append((self.legacy_header, str(version)))
                headers.append(("Vary", self.legacy_header))
            request.scope.setdefault("state", {})[_STATE_KEY] = headers
            return version
        return negotiated


class MicroversionHeaders:
    """ASGI middleware: add the negotiated version headers to the answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_version(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = scope.get("state", {}).get(_STATE_KEY)
                if extra:
                    message["headers"] = [*message.get("headers", []),
                                          *((k.encode(), v.encode()) for k, v in extra)]
            await send(message)

        await self.app(scope, receive, send_with_version)
