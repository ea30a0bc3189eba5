"""What every Cinder collection shares: record kinds, errors, versions, ownership, links.

Cinder answers errors in Nova's shape (``{"itemNotFound": {"code": 404,
"message": ...}}``); an over-quota answer is a 413 ``overLimit`` that also
says ``retryAfter``, and its message starts with the name of Cinder's
exception (``VolumeLimitExceeded: ...``), as Cinder's fault wrapper writes it.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import JSONResponse, Response

from calor.identity.context import RequestContext
from calor.sandbox.auth import authenticated
from calor.sandbox.errors import ApiError, BadRequest, NotFound, nova_error
from calor.sandbox.microversions import Microversion, VersionRange
from calor.sandbox.states import Body
from calor.sandbox.store import Transaction

#: Record kinds of the block storage service.
VOLUME = "volume"
SNAPSHOT = "volume_snapshot"
VOLUME_TYPE = "volume_type"
ATTACHMENT = "volume_attachment"

#: The microversions this Cinder speaks (``OpenStack-API-Version: volume 3.x``).
VERSIONS = VersionRange("volume", Microversion(3, 0), Microversion(3, 70))

#: The negotiated microversion of a request.
Version = Annotated[Microversion, Depends(VERSIONS.dependency())]

#: Where Cinder lives below the cloud's base URL.
MOUNT = "/volume"
API_ROOT = "/volume/v3"


def at_least(version: Microversion, major: int, minor: int) -> bool:
    return version >= Microversion(major, minor)


def new_id() -> str:
    return str(uuid.uuid4())


def cinder_time(moment: float) -> str:
    """A timestamp as Cinder writes it: ``2026-11-24T21:00:00.000000``, UTC, no zone."""
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


class OverLimit(ApiError):
    """A quota refusal: 413, and a client may retry at once (``Retry-After: 0``)."""

    status = 413

    def __init__(self, exception: str, message: str) -> None:
        super().__init__(f"{exception}: {message}", code="overLimit",
                         headers={"Retry-After": "0"})


def cinder_error(error: ApiError) -> Response:
    """Cinder's error body: Nova's shape, plus ``retryAfter`` on a 413."""
    if error.status == 413 and "Retry-After" in error.headers:
        key = error.code or "overLimit"
        return JSONResponse({key: {"code": 413, "message": error.message,
                                   "retryAfter": error.headers["Retry-After"]}},
                            status_code=413, headers=error.headers)
    return nova_error(error)


def invalid_input(reason: str) -> BadRequest:
    return BadRequest(f"Invalid input received: {reason}")


def invalid_volume(reason: str) -> BadRequest:
    return BadRequest(f"Invalid volume: {reason}")


def volume_missing(volume_id: str) -> NotFound:
    return NotFound(f"Volume {volume_id} could not be found.")


def snapshot_missing(snapshot_id: str) -> NotFound:
    return NotFound(f"Snapshot {snapshot_id} could not be found.")


def owned(context: RequestContext, project_id: str | None) -> bool:
    return context.is_admin or project_id == context.project_id


def get_volume(tx: Transaction, volume_id: str, context: RequestContext) -> Body:
    """The volume if the caller may see it, else Cinder's 404."""
    body = tx.get(VOLUME, volume_id)
    if body is None or not owned(context, tx.project_of(VOLUME, volume_id)):
        raise volume_missing(volume_id)
    return body


def get_snapshot(tx: Transaction, snapshot_id: str, context: RequestContext) -> Body:
    body = tx.get(SNAPSHOT, snapshot_id)
    if body is None or not owned(context, tx.project_of(SNAPSHOT, snapshot_id)):
        raise snapshot_missing(snapshot_id)
    return body


def links(request: Request, collection: str, resource_id: str,
          project_id: str) -> list[dict[str, str]]:
    base = str(request.base_url).rstrip("/")
    return [{"href": f"{base}{API_ROOT}/{project_id}/{collection}/{resource_id}",
             "rel": "self"},
            {"href": f"{base}{MOUNT}/{project_id}/{collection}/{resource_id}",
             "rel": "bookmark"}]


async def url_project(request: Request,
                      context: Annotated[RequestContext, Depends(authenticated)]) -> None:
    """Cinder refuses a URL naming another project than the token's."""
    project_id = request.path_params.get("project_id")
    if project_id and project_id != context.project_id:
        raise BadRequest("Malformed request url")


def string_field(values: dict[str, Any], key: str, *, limit: int = 255) -> str | None:
    """An optional string attribute of a request body, at most ``limit`` characters."""
    value = values.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRequest(f"Invalid input for field/attribute {key}. Value: {value}. "
                         f"{value!r} is not of type 'string'")
    if len(value) > limit:
        raise invalid_input(f"{key.capitalize()} has more than {limit} characters.")
    return value


def metadata_field(value: Any, key: str = "metadata") -> dict[str, str]:
    """A metadata mapping from a request: string keys (1-255) to string values (<=255)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadRequest(f"Invalid input for field/attribute {key}. Value: {value}. "
                         f"{value!r} is not of type 'object'")
    for name, item in value.items():
        if not name or len(name) > 255:
            raise BadRequest(f"Invalid input for field/attribute {key}. Value: {value}. "
                             f"Metadata keys must be 1 to 255 characters long.")
        if not isinstance(item, str) or len(item) > 255:
            raise BadRequest(f"Invalid input for field/attribute {key}. Value: {value}. "
                             f"{item!r} is not a string of at most 255 characters")
    return dict(value)


def size_field(value: Any, key: str = "size") -> int:
    """A size in GiB: a whole number (or its text) of at least 1."""
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value)
    if number is None or number < 1:
        raise BadRequest(f"Invalid input for field/attribute {key}. Value: {value}. "
                         f"{key} must be an integer and greater than 0.")
    return number
