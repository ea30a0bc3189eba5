"""Writing an object: ``PUT`` (raw bytes, ``X-Copy-From``, manifests), ``COPY``, ``POST``,
``DELETE``.

A ``PUT`` answers 201 with the MD5 ``Etag`` of the bytes (422 when the
client's ``Etag`` disagrees). Copies keep the source's content type and
metadata, overlaid with the request's (``X-Fresh-Metadata: true`` drops the
source's). ``POST`` replaces the object's metadata as a whole, as Swift does.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import unquote

from fastapi import Request
from fastapi.responses import Response

from calor.sandbox.errors import ApiError, BadRequest, NotFound, PayloadTooLarge
from calor.sandbox.object_store import large_objects, metadata, records
from calor.sandbox.object_store.common import (
    MAX_FILE_SIZE,
    OBJECT,
    check_container_name,
    check_object_name,
    container_missing,
    http_date,
    trans_id,
)
from calor.sandbox.states import Body
from calor.sandbox.store import Transaction

#: Headers an object keeps besides its metadata (Swift's allowed_headers).
KEPT_HEADERS = ("Content-Disposition", "Content-Encoding", "Content-Language",
                "Cache-Control", "Expires", "X-Robots-Tag")


def _flag(request: Request, name: str) -> bool:
    return request.headers.get(name, "").strip().lower() in {"true", "1", "yes", "on", "t"}


def _delete_at(request: Request, now: float) -> float | None:
    at, after = request.headers.get("X-Delete-At"), request.headers.get("X-Delete-After")
    if after is not None:
        if not after.strip().lstrip("-").isdigit():
            raise BadRequest("Non-integer X-Delete-After")
        if int(after) < 0:
            raise BadRequest("X-Delete-After in past")
        return now + int(after)
    if at is not None:
        if not at.strip().isdigit():
            raise BadRequest("Non-integer X-Delete-At")
        if int(at) <= now:
            raise BadRequest("X-Delete-At in past")
        return float(at)
    return None


def _content_type(request: Request, name: str) -> str:
    given = request.headers.get("Content-Type")
    if given and not _flag(request, "X-Detect-Content-Type"):
        return given
    guessed, _ = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"


def _attributes(request: Request, name: str, now: float) -> dict[str, Any]:
    """What a request says about the object it writes, apart from its bytes."""
    to_set, _ = metadata.changes(request.headers, "Object")
    kept = {header: request.headers[header] for header in KEPT_HEADERS
            if header in request.headers}
    return {"content_type": _content_type(request, name),
            "metadata": metadata.checked(to_set), "headers": kept,
            "delete_at": _delete_at(request, now)}


def _created(body: Body, etag: str, extra: dict[str, str] | None = None) -> Response:
    return Response(status_code=201, media_type="text/html; charset=UTF-8", headers={
        "Etag": etag, "Last-Modified": http_date(float(body["timestamp"])), **trans_id(),
        **(extra or {})})


def _container(tx: Transaction, account: str, name: str) -> Body:
    found = records.container(tx, account, name)
    if found is None:
        raise container_missing()
    return found


def _copy(tx: Transaction, request: Request, source: Body, target: Body,
          name: str) -> Response:
    data = large_objects.content(tx, source)
    attributes = _attributes(request, name, tx.now)
    if "Content-Type" not in request.headers or request.method == "COPY":
        attributes["content_type"] = source["content_type"]
    if not _flag(request, "X-Fresh-Metadata"):
        attributes["metadata"] = metadata.checked({**source["metadata"],
                                                   **attributes["metadata"]})
        attributes["headers"] = {**source["headers"], **attributes["headers"]}
    body = records.put_object(tx, target, name, data, attributes)
    return _created(body, str(body["hash"]), {
        "X-Copied-From": f"{source['container']}/{source['name']}",
        "X-Copied-From-Last-Modified": http_date(float(source["timestamp"]))})


def _source(tx: Transaction, account: str, reference: str) -> Body:
    container, _, name = unquote(reference).lstrip("/").partition("/")
    if not container or not name:
        raise ApiError("X-Copy-From header must be of the form <container name>/<object "
                       "name>", status=412)
    found = records.get_object(tx, _container(tx, account, container), name)
    if found is None:
        raise NotFound("The resource could not be found.")
    return found


async def put(tx_factory: Callable[[], AbstractContextManager[Transaction]],
              request: Request, account: str, container: str, name: str) -> Response:
    """``PUT`` of an object; ``tx_factory`` opens the transaction after the body is read."""
    check_object_name(name)
    declared = request.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > MAX_FILE_SIZE:
        raise PayloadTooLarge("Your request is too large.")
    data = await request.body()
    with tx_factory() as tx:
        target = _container(tx, account, container)
        copy_from = request.headers.get("X-Copy-From")
        if copy_from:
            return _copy(tx, request, _source(tx, account, copy_from), target, name)
        attributes = _attributes(request, name, tx.now)
        if request.query_params.get("multipart-manifest") == "put":
            manifest, size = large_objects.static(tx, account, data)
            body = records.put_object(tx, target, name, json.dumps(manifest).encode(),
                                      {**attributes, "manifest": manifest, "bytes": size})
            return _created(body, f'"{manifest["etag"]}"')
        if request.headers.get("X-Object-Manifest"):
            manifest = large_objects.dynamic(request.headers["X-Object-Manifest"])
            attributes["manifest"] = manifest
            attributes["headers"]["X-Object-Manifest"] = manifest["target"]
        expected = request.headers.get("Etag")
        actual = hashlib.md5(data, usedforsecurity=False).hexdigest()
        if expected and expected.strip('"').lower() != actual:
            raise ApiError("The request was well-formed but was unable to be followed due "
                           "to semantic errors.", status=422)
        body = records.put_object(tx, target, name, data, attributes)
        return _created(body, actual)


def copy(tx: Transaction, request: Request, account: str, source: Body) -> Response:
    """``COPY`` with ``Destination: <container>/<object>``."""
    destination = unquote(request.headers.get("Destination", "")).lstrip("/")
    container, _, name = destination.partition("/")
    if not container or not name:
        raise ApiError("Destination header must be of the form <container name>/<object "
                       "name>", status=412)
    check_container_name(container)
    check_object_name(name)
    return _copy(tx, request, source, _container(tx, account, container), name)


def post(tx: Transaction, request: Request, body: Body) -> Response:
    attributes = _attributes(request, str(body["name"]), tx.now)
    if "Content-Type" not in request.headers:
        attributes["content_type"] = body["content_type"]
    if "X-Delete-At" not in request.headers and "X-Delete-After" not in request.headers:
        attributes["delete_at"] = body.get("delete_at")
    if body.get("manifest") is not None and body["manifest"]["kind"] == large_objects.DYNAMIC:
        attributes["headers"]["X-Object-Manifest"] = body["manifest"]["target"]
    body.update(attributes)
    tx.save(OBJECT, body)
    return Response(status_code=202, media_type="text/html; charset=UTF-8",
                    headers=trans_id())


def delete(tx: Transaction, request: Request, body: Body) -> Response:
    manifest = body.get("manifest")
    if request.query_params.get("multipart-manifest") == "delete" and manifest is not None \
            and manifest["kind"] == large_objects.STATIC:
        segments = large_objects.segments_of(tx, body)
        for segment in segments:
            records.remove_object(tx, segment)
        records.remove_object(tx, body)
        return Response(json.dumps({
            "Number Deleted": len(segments) + 1, "Number Not Found": 0, "Errors": [],
            "Response Status": "200 OK", "Response Body": ""}),
            media_type="application/json", headers=trans_id())
    records.remove_object(tx, body)
    return Response(status_code=204, headers=trans_id())
