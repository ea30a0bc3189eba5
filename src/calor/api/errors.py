"""Every error the API answers, in Heat's fault body, mapped in one place.

Heat's ``faultwrap`` middleware turns each exception into::

    {"code": 404, "title": "Not Found", "explanation": "The resource could not be found.",
     "error": {"type": "EntityNotFound", "message": "The Stack (x) could not be found.",
               "traceback": null}}

Here the same body answers Calor's own errors (looked up by class, then by
their ``error_type``, as Heat looks up its exception names), the API's own
refusals (:class:`HeatFault`), FastAPI's validation errors, unknown routes,
wrong methods and malformed JSON. Tracebacks are never sent.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from calor.identity.context import InvalidToken
from calor.service.abandon import InvalidAdoptData
from calor.service.errors import ServiceError
from calor.service.signals import (
    InvalidBreakPointHook,
    ResourceNotAvailable,
    SignalError,
    SignalNotSupported,
    SignalRefused,
)
from calor.service.snapshots import ActionNotComplete
from calor.service.stacks import (
    InvalidListOption,
    InvalidStackName,
    MissingTemplate,
    NotSupported,
    StackActionInProgress,
)
from calor.service.templates import NotFound, TemplateValidationFailed
from calor.store.errors import (
    DatabaseUnavailable,
    EntityNotFound,
    InvalidParameter,
    ResourceNotFound,
    SnapshotNotFound,
    StackExists,
    StoreError,
)
from calor.template.errors import TemplateError

_log = logging.getLogger(__name__)

#: What webob says of each status Heat answers with (its ``explanation``).
_EXPLANATIONS: Mapping[int, str] = {
    400: "The server could not comply with the request since it is either malformed or "
         "otherwise incorrect.",
    401: "This server could not verify that you are authorized to access the document you "
         "requested. Either you supplied the wrong credentials (e.g., bad password), or your "
         "browser does not understand how to supply the credentials required.",
    403: "Access was denied to this resource.",
    404: "The resource could not be found.",
    405: "The method {method} is not allowed for this resource.",
    409: "There was a conflict when trying to complete your request.",
    413: "The request is larger than the server is willing or able to process.",
    415: "The request media type {content_type} is not supported by this server.",
    500: "The server has either erred or is incapable of performing the requested "
         "operation.",
    503: "The server is currently unavailable. Please try again at a later time.",
}

#: Heat's HTTP status for each of its fault type names (heat/api/middleware/fault.py);
#: a type not listed is a 400.
_STATUS_OF_TYPE: Mapping[str, int] = {
    "ActionInProgress": 409,
    "StackExists": 409,
    "EntityNotFound": 404,
    "NotFound": 404,
    "ResourceNotAvailable": 404,
    "ResourceNotFound": 404,
    "InvalidTenant": 403,
    "Forbidden": 403,
    "ActionNotComplete": 409,
}

#: Calor's classes whose Heat name is not their own ``error_type`` (or who have none).
#: Looked up along the class's MRO, so the most specific entry wins.
_TYPE_OF_CLASS: Mapping[type[BaseException], str] = {
    StackActionInProgress: "ActionInProgress",
    NotSupported: "NotSupported",
    InvalidListOption: "Invalid",
    InvalidStackName: "StackValidationFailed",
    MissingTemplate: "HTTPBadRequest",
    InvalidAdoptData: "HTTPBadRequest",
    ActionNotComplete: "ActionNotComplete",
    EntityNotFound: "EntityNotFound",
    ResourceNotFound: "ResourceNotFound",
    SnapshotNotFound: "NotFound",
    StackExists: "StackExists",
    InvalidParameter: "Invalid",
    ResourceNotAvailable: "ResourceNotAvailable",
    InvalidBreakPointHook: "InvalidBreakPointHook",
    SignalRefused: "ResourceFailure",
    SignalNotSupported: "NotSupported",
    NotFound: "NotFound",
}


class HeatFault(Exception):
    """An HTTP error the API raises itself, typed as webob's exception class (``HTTP...``)."""

    def __init__(
        self, status: int, message: str, *, error_type: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.error_type = error_type or http_type_name(status)
        self.headers = dict(headers or {})

    def __repr__(self) -> str:
        return f"HeatFault({self.status}, {self.message!r}, error_type={self.error_type!r})"


@dataclass(frozen=True)
class Fault:
    """What an error answers with: status, Heat's type name and the message."""

    status: int
    error_type: str
    message: str


def http_type_name(status: int) -> str:
    """webob's class name for a status: ``HTTPNotFound``, ``HTTPMethodNotAllowed``."""
    if status == 413:
        return "HTTPRequestEntityTooLarge"
    phrase = HTTPStatus(status).phrase
    return "HTTP" + "".join(word.capitalize() for word in phrase.replace("-", " ").split())


def fault_body(
    status: int, error_type: str, message: str, **explained: str
) -> dict[str, Any]:
    """Heat's fault body for one error."""
    explanation = _EXPLANATIONS.get(status, HTTPStatus(status).description)
    return {
        "code": status,
        "title": HTTPStatus(status).phrase,
        "explanation": explanation.format(**explained) if explained else explanation,
        "error": {"type": error_type, "message": message, "traceback": None},
    }


def fault_of(exc: BaseException) -> Fault:
    """The fault a Calor error (or any exception) answers with."""
    if isinstance(exc, HeatFault):
        return Fault(exc.status, exc.error_type, exc.message)
    if isinstance(exc, TemplateValidationFailed):
        first = exc.errors[0] if exc.errors else None
        return Fault(400, exc.error_type, str(first) if first is not None else str(exc))
    if isinstance(exc, SignalNotSupported) and str(exc).startswith("signal is not supported"):
        return Fault(400, "ResourceActionNotSupported", str(exc))
    if isinstance(exc, InvalidToken):
        return Fault(401, "HTTPUnauthorized", str(exc) or "Authentication required")
    if isinstance(exc, DatabaseUnavailable):
        return Fault(503, "HTTPServiceUnavailable", str(exc))
    error_type = _type_of(exc)
    if error_type is not None:
        return Fault(_STATUS_OF_TYPE.get(error_type, 400), error_type, str(exc))
    return Fault(500, type(exc).__name__, "An unexpected error occurred.")


def _type_of(exc: BaseException) -> str | None:
    for cls in type(exc).__mro__:
        if cls in _TYPE_OF_CLASS:
            return _TYPE_OF_CLASS[cls]
    if isinstance(exc, (TemplateError, StoreError, ServiceError, SignalError)):
        declared = getattr(exc, "error_type", None)
        return declared if isinstance(declared, str) else "HTTPBadRequest"
    return None


def fault_response(
    status: int, error_type: str, message: str, *, headers: Mapping[str, str] | None = None,
    **explained: str,
) -> JSONResponse:
    return JSONResponse(fault_body(status, error_type, message, **explained),
                        status_code=status, headers=dict(headers or {}))


async def _calor_error(request: Request, exc: Exception) -> JSONResponse:
    fault = fault_of(exc)
    if fault.status >= 500:
        _log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    headers = exc.headers if isinstance(exc, HeatFault) else None
    return fault_response(fault.status, fault.error_type, fault.message, headers=headers,
                          **_explained(request))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(status).phrase
    if status == 404 and message == "Not Found":
        message = "The resource could not be found."
    headers = dict(exc.headers or {})
    if status == 405 and request.method == "OPTIONS":
        # Heat answers OPTIONS on every known path: 204 and the methods it takes.
        return Response(status_code=204, headers={"Allow": ",".join(allowed_methods(request))})
    if status == 405:
        if message == "Method Not Allowed":
            message = _EXPLANATIONS[405].format(method=request.method)
        headers["Allow"] = ",".join(allowed_methods(request))
    return fault_response(status, http_type_name(status), message, headers=headers,
                          **_explained(request))


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of the app takes at this path (Heat's ``Allow`` header).

    Read from the OpenAPI document, which lists every route's path and methods.
    """
    app = request.app
    table = getattr(app.state, "allowed_methods", None)
    if table is None:
        table = [
            (compile_path(path)[0], {m.upper() for m in operations})
            for path, operations in app.openapi().get("paths", {}).items()
        ]
        app.state.allowed_methods = table
    path = request.url.path
    methods: set[str] = set()
    for pattern, allowed in table:
        if pattern.match(path):
            methods |= allowed
    order = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    return sorted(methods, key=lambda m: order.index(m) if m in order else len(order))


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return fault_response(400, "HTTPBadRequest", validation_message(exc))


def validation_message(exc: RequestValidationError) -> str:
    """FastAPI's complaints as one line: ``body.parameters: Input should be a valid dict``."""
    parts = []
    for error in exc.errors():
        if error.get("type") == "json_invalid":
            detail = (error.get("ctx") or {}).get("error", "")
            parts.append(f"Malformed JSON body: {detail}".rstrip(": "))
            continue
        loc = list(error.get("loc", ()))
        if loc[:1] == ["body"]:
            loc = loc[1:]  # the body is what every complaint is about
        where = ".".join(str(p) for p in loc)
        parts.append(f"{where}: {error.get('msg', 'invalid')}" if where else
                     str(error.get("msg", "invalid")))
    return "; ".join(parts) or "The request is not valid."


def _explained(request: Request) -> dict[str, str]:
    return {"method": request.method,
            "content_type": request.headers.get("content-type", "")}


def install_error_handlers(app: FastAPI, *, max_body_size: int | None = None) -> None:
    """Answer every error of ``app`` with Heat's fault body (and refuse bodies too large)."""
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    for cls in (HeatFault, TemplateValidationFailed, TemplateError, StoreError, ServiceError,
                SignalError, NotFound, InvalidToken):
        app.add_exception_handler(cls, _calor_error)
    # Imported here: the middleware renders its faults with this module.
    from calor.api.middleware import FaultWrap, JsonBodyLimit

    if max_body_size is not None:
        app.add_middleware(JsonBodyLimit, max_size=max_body_size)
    # Anything else is a bug: still Heat's body, never a traceback (outermost of ours).
    app.add_middleware(FaultWrap)
