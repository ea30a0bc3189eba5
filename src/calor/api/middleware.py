"""Pure ASGI middleware of the API: Heat's ``faultwrap`` and its JSON body size limit."""

from __future__ import annotations

import logging

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from calor.api.errors import HeatFault, fault_of, fault_response

_log = logging.getLogger(__name__)


class FaultWrap:
    """Heat's ``faultwrap``: an exception nothing else handled becomes a 500 fault body.

    Pure ASGI middleware, inside Starlette's own error middleware: the client
    gets the body on a connection that stays usable, and the log gets the
    traceback.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:
            if started:
                raise
            fault = fault_of(exc)
            if fault.status >= 500:
                _log.error("%s %s failed", scope.get("method"), scope.get("path"), exc_info=exc)
            response = fault_response(fault.status, fault.error_type, fault.message)
            await response(scope, receive, send)


class JsonBodyLimit:
    """Heat's ``max_json_body_size``: a larger request body is refused (400), unread.

    Only for the orchestration API (paths under ``/v1/``); identity has its own rules.
    """

    def __init__(self, app: ASGIApp, *, max_size: int) -> None:
        self.app = app
        self.max_size = max_size

    def _too_large(self, size: int) -> HeatFault:
        return HeatFault(400, f"JSON body size ({size} bytes) exceeds maximum allowed size "
                              f"({self.max_size} bytes).", error_type="RequestLimitExceeded")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not str(scope.get("path", "")).startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_size:
            fault = self._too_large(int(declared))
            response = fault_response(fault.status, fault.error_type, fault.message)
            await response(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_size:
                    raise self._too_large(received)
            return message

        await self.app(scope, limited, send)
