"""Errors the sandbox answers with, in the body each real service uses.

```
ApiError                  an HTTP error a service answers with
├── BadRequest            400
├── Unauthorized          401 (always Keystone's body: keystonemiddleware answers it)
├── Forbidden             403
├── NotFound              404
├── MethodNotAllowed      405
├── NotAcceptable         406 (an unsupported microversion)
├── Conflict              409
├── PayloadTooLarge       413
└── ServerFault           500 (an injected fault; never caused by input)
```

A handler raises one of these; the app renders it with the :data:`ErrorFormat`
of the service that owns the path (Nova, Neutron, Glance, Keystone, Swift).
``code`` is the service's own name for the error where it has one (Neutron's
``type`` such as ``NetworkNotFound``, Nova's key such as ``forbidden``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from http import HTTPStatus

from fastapi.responses import JSONResponse, PlainTextResponse, Response


class ApiError(Exception):
    """An error answer: status, message, and the service's own error name if any."""

    status = 500

    def __init__(self, message: str, *, code: str | None = None,
                 headers: Mapping[str, str] | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.headers = dict(headers or {})
        if status is not None:
            self.status = status

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.status}, {self.message!r}, code={self.code!r})"


class BadRequest(ApiError):
    status = 400


class Unauthorized(ApiError):
    status = 401


class Forbidden(ApiError):
    status = 403


class NotFound(ApiError):
    status = 404


class MethodNotAllowed(ApiError):
    status = 405


class NotAcceptable(ApiError):
    status = 406


class Conflict(ApiError):
    status = 409


class PayloadTooLarge(ApiError):
    status = 413


class ServerFault(ApiError):
    status = 500


#: Renders an error as one service would.
ErrorFormat = Callable[[ApiError], Response]

_NOVA_KEYS = {
    400: "badRequest", 401: "unauthorized", 403: "forbidden", 404: "itemNotFound",
    405: "badMethod", 409: "conflictingRequest", 413: "overLimit", 415: "badMediaType",
    429: "overLimit", 501: "notImplemented", 503: "serviceUnavailable",
}

_NEUTRON_TYPES = {
    400: "HTTPBadRequest", 401: "HTTPUnauthorized", 403: "HTTPForbidden",
    404: "HTTPNotFound", 405: "HTTPMethodNotAllowed", 409: "HTTPConflict",
    413: "HTTPRequestEntityTooLarge", 500: "HTTPInternalServerError",
}


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def nova_error(error: ApiError) -> Response:
    """Nova and Cinder: ``{"itemNotFound": {"code": 404, "message": ...}}``."""
    key = error.code or _NOVA_KEYS.get(error.status, "computeFault")
    return JSONResponse({key: {"code": error.status, "message": error.message}},
                        status_code=error.status, headers=error.headers)


def neutron_error(error: ApiError) -> Response:
    """Neutron: ``{"NeutronError": {"type": ..., "message": ..., "detail": ""}}``."""
    kind = error.code or _NEUTRON_TYPES.get(error.status, "HTTPError")
    return JSONResponse(
        {"NeutronError": {"type": kind, "message": error.message, "detail": ""}},
        status_code=error.status, headers=error.headers,
    )


def glance_error(error: ApiError) -> Response:
    """Glance (webob): ``{"code": "404 Not Found", "title": "Not Found", "message": ...}``."""
    phrase = _phrase(error.status)
    return JSONResponse(
        {"code": f"{error.status} {phrase}", "title": phrase, "message": error.message},
        status_code=error.status, headers=error.headers,
    )


def keystone_error(error: ApiError) -> Response:
    """Keystone: ``{"error": {"code": 401, "title": "Unauthorized", "message": ...}}``."""
    return JSONResponse(
        {"error": {"code": error.status, "title": _phrase(error.status),
                   "message": error.message}},
        status_code=error.status, headers=error.headers,
    )


def swift_error(error: ApiError) -> Response:
    """Swift answers errors as a short HTML page."""
    phrase = _phrase(error.status)
    return PlainTextResponse(
        f"<html><h1>{phrase}</h1><p>{error.message}</p></html>",
        status_code=error.status, headers=error.headers, media_type="text/html",
    )


def unauthorized_body(error: ApiError) -> Response:
    """A missing or bad token: keystonemiddleware's answer, whatever the service."""
    headers = {"WWW-Authenticate": "Keystone uri=\"/identity\"", **error.headers}
    return JSONResponse(
        {"error": {"code": 401, "title": "Unauthorized", "message": error.message}},
        status_code=401, headers=headers,
    )
