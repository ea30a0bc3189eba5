"""What the Swift routes share: record kinds and keys, names, timestamps, errors.

An account is ``AUTH_<project_id>``. A container is a record whose id is
``<account>/<container>``; an object is a record whose id is
``<account>/<container>/<object>``, *owned by its container* (the record's
owner column holds the container's id, so a container's objects are one
indexed read), with its bytes in the blob of the same id.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from email.utils import formatdate

from fastapi.responses import PlainTextResponse, Response

from calor.sandbox.errors import ApiError, BadRequest, NotFound, swift_error

MOUNT = "/object-store"
API_ROOT = "/object-store/v1"
ACCOUNT_PREFIX = "AUTH_"

ACCOUNT = "swift_account"
CONTAINER = "swift_container"
OBJECT = "swift_object"

MAX_CONTAINER_NAME = 256
MAX_OBJECT_NAME = 1024
MAX_FILE_SIZE = 5 * 1024 ** 3 + 2
MAX_LISTING = 10000

#: The error code of a refused temporary URL (answered as Swift's plain text).
TEMP_URL_REFUSED = "tempurl"


def account_of(project_id: str) -> str:
    return f"{ACCOUNT_PREFIX}{project_id}"


def project_of_account(account: str) -> str | None:
    return account[len(ACCOUNT_PREFIX):] if account.startswith(ACCOUNT_PREFIX) else None


def container_id(account: str, container: str) -> str:
    return f"{account}/{container}"


def object_id(account: str, container: str, name: str) -> str:
    return f"{account}/{container}/{name}"


def blob_key(record_id: str) -> str:
    return f"swift:{record_id}"


def x_timestamp(moment: float) -> str:
    """Swift's ``X-Timestamp``: seconds with five decimals."""
    return f"{moment:.5f}"


def http_date(moment: float) -> str:
    """An HTTP date (``Last-Modified``), whole seconds as Swift sends them."""
    return formatdate(int(moment), usegmt=True)


def listing_time(moment: float) -> str:
    """``last_modified`` in a JSON listing: ``2026-11-24T21:00:00.123450``."""
    return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")


def trans_id() -> dict[str, str]:
    """Swift's request id headers, on every answer."""
    value = f"tx{secrets.token_hex(11)}-{secrets.token_hex(5)}"
    return {"X-Trans-Id": value, "X-Openstack-Request-Id": value}


def container_missing() -> NotFound:
    return NotFound("The resource could not be found.")


def check_container_name(name: str) -> None:
    if "/" in name or not name:
        raise NotFound("The resource could not be found.")
    if len(name.encode()) > MAX_CONTAINER_NAME:
        raise BadRequest(f"Container name length of {len(name.encode())} longer than "
                         f"{MAX_CONTAINER_NAME}")


def check_object_name(name: str) -> None:
    if len(name.encode()) > MAX_OBJECT_NAME:
        raise BadRequest(f"Object name length of {len(name.encode())} longer than "
                         f"{MAX_OBJECT_NAME}")


def object_store_error(error: ApiError) -> Response:
    """Swift's HTML error page; a refused temp URL is tempurl's one line of text."""
    if error.code == TEMP_URL_REFUSED:
        return PlainTextResponse(f"401 Unauthorized: {error.message}\n", status_code=401,
                                 headers={**trans_id(), **error.headers})
    response = swift_error(error)
    response.headers.update(trans_id())
    return response
