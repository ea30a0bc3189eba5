"""Keystone's error body for every refusal: ``{"error": {"code", "message", "title"}}``.

A router cannot install exception handlers (only an app can), so the
identity routes use :class:`KeystoneRoute`, which turns identity errors,
request validation errors (bad JSON, wrong types: 400, never 422 or 500)
and HTTP exceptions into that body wherever the router is mounted.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from http import HTTPStatus
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from calor.identity.errors import IdentityError

_BAD_JSON = (
    "Expecting to find valid JSON in request body. The server could not comply with the "
    "request since it is either malformed or otherwise incorrect. The client is assumed "
    "to be in error."
)


class ErrorDetail(BaseModel):
    code: int
    message: str
    title: str


class ErrorBody(BaseModel):
    """Keystone's error body (for the OpenAPI document)."""

    error: ErrorDetail


#: The error answers every identity route may give, for the OpenAPI document.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody, "description": HTTPStatus(code).phrase}
    for code in (400, 401, 403, 404, 405, 409)
}


def error_response(code: int, message: str, title: str | None = None) -> JSONResponse:
    title = title or HTTPStatus(code).phrase
    headers = {"WWW-Authenticate": 'Keystone uri="identity"'} if code == 401 else None
    return JSONResponse(
        {"error": {"code": code, "message": message, "title": title}},
        status_code=code, headers=headers,
    )


def validation_message(exc: RequestValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return _BAD_JSON
    first = errors[0]
    if first.get("type") == "json_invalid":
        return _BAD_JSON
    where = [str(part) for part in first.get("loc", ()) if part != "body"]
    field = ".".join(where) or "request body"
    return f"Invalid input for field '{field}': {first.get('msg', 'invalid')}"


class KeystoneRoute(APIRoute):
    """An APIRoute whose errors are Keystone's error bodies."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except IdentityError as exc:
                return error_response(exc.code, exc.message, exc.title)
            except RequestValidationError as exc:
                return error_response(400, validation_message(exc))
            except HTTPException as exc:
                return error_response(exc.status_code, str(exc.detail))

        return route
