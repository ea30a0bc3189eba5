"""Glance v2 images: ``/image/v2/images`` with upload and download of bytes."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from calor.identity.context import RequestContext
from calor.sandbox.auth import Context
from calor.sandbox.bodies import json_body, page, parse_bool
from calor.sandbox.errors import (
    ApiError,
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    PayloadTooLarge,
)
from calor.sandbox.image import records
from calor.sandbox.runtime import SandboxDep
from calor.sandbox.states import Body, iso8601, public
from calor.sandbox.store import Transaction

VERSION = "v2.16"
PATCH_TYPE = "application/openstack-images-v2.1-json-patch"
#: Largest upload the sandbox keeps (it lives in SQLite).
MAX_IMAGE_BYTES = 256 * 1024 * 1024
_VISIBILITIES = ("public", "private", "shared", "community")
_CONTROLS = {"limit", "marker", "sort_key", "sort_dir", "sort", "member_status"}


def _missing(image_id: str) -> NotFound:
    return NotFound(f"No image found with ID {image_id}")


def get_image(tx: Transaction, image_id: str, context: RequestContext) -> Body:
    """The image, or Glance's 404 when it does not exist or the caller may not see it."""
    image = records.find(tx, image_id, context)
    if image is None:
        raise _missing(image_id)
    return image


def _owned(image: Body, context: RequestContext) -> None:
    if not context.is_admin and image["owner"] != context.project_id:
        raise Forbidden("You are not permitted to modify this image.")


def get_owned_image(tx: Transaction, image_id: str, context: RequestContext) -> Body:
    """The image if the caller may change it (its owner, or an admin)."""
    image = get_image(tx, image_id, context)
    _owned(image, context)
    return image


_get = get_image


def _check_field(name: str, value: Any, context: RequestContext) -> Any:
    if name in records.READ_ONLY:
        raise Forbidden(f"Attribute '{name}' is read-only.")
    if name == "visibility":
        if value not in _VISIBILITIES:
            raise BadRequest(f"Invalid value '{value}' for parameter 'visibility': must be one "
                             f"of {list(_VISIBILITIES)}")
        if value == "public" and not context.is_admin:
            raise Forbidden("You are not authorized to complete publicize_image action.")
    elif name == "disk_format" and value not in (*records.DISK_FORMATS, None):
        raise BadRequest(f"Invalid value '{value}' for parameter 'disk_format': must be one of "
                         f"{list(records.DISK_FORMATS)}")
    elif name == "container_format" and value not in (*records.CONTAINER_FORMATS, None):
        raise BadRequest(f"Invalid value '{value}' for parameter 'container_format': must be "
                         f"one of {list(records.CONTAINER_FORMATS)}")
    elif name in {"protected", "os_hidden"}:
        if not isinstance(value, bool):
            raise BadRequest(f"Provided object does not match schema 'image': {value!r} is not "
                             f"of type 'boolean'")
    elif name in {"min_disk", "min_ram"}:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise BadRequest(f"Provided object does not match schema 'image': {value!r} is not "
                             f"a non-negative integer ({name})")
    elif name == "tags":
        if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
            raise BadRequest("Provided object does not match schema 'image': tags must be a "
                             "list of strings")
    elif name == "id":
        try:
            uuid.UUID(str(value))
        except ValueError:
            raise BadRequest(f"Provided object does not match schema 'image': {value!r} is not "
                             "a valid UUID (id)") from None
    elif name == "owner":
        if not context.is_admin and value != context.project_id:
            raise Forbidden("You are not permitted to create images owned by another "
                            "project.")
    elif name == "name":
        if value is not None and (not isinstance(value, str) or len(value) > 255):
            raise BadRequest("Provided object does not match schema 'image': name must be a "
                             "string of at most 255 characters")
    elif not isinstance(value, str) and value is not None:
        raise BadRequest(f"Provided object does not match schema 'image': {value!r} is not "
                         f"of type 'string' ({name})")
    return value


def _size(key: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise BadRequest(f"Invalid value '{value}' for parameter '{key}': must be an "
                         "integer") from None


def _sort_key(key: str) -> Callable[[Body], tuple[bool, str]]:
    return lambda image: (image.get(key) is None, str(image.get(key) or ""))


def _listed(request: Request, images: list[Body]) -> dict[str, Any]:
    params = request.query_params
    found = images
    for key, value in params.multi_items():
        if key in _CONTROLS:
            continue
        if key == "id" and value.startswith("in:"):
            wanted = set(value[3:].split(","))
            found = [i for i in found if i["id"] in wanted]
        elif key == "name" and value.startswith("in:"):
            wanted = set(value[3:].split(","))
            found = [i for i in found if i["name"] in wanted]
        elif key == "tag":
            found = [i for i in found if value in i["tags"]]
        elif key == "size_min":
            least = _size(key, value)
            found = [i for i in found if (i["size"] or 0) >= least]
        elif key == "size_max":
            most = _size(key, value)
            found = [i for i in found if (i["size"] or 0) <= most]
        elif key in {"protected", "os_hidden"}:
            found = [i for i in found if i.get(key) == parse_bool(value)]
        elif key == "visibility" and value == "all":
            continue
        else:
            found = [i for i in found if str(i.get(key)) == value]
    if "visibility" not in params:
        found = [i for i in found if i["visibility"] != "community"]
    if "os_hidden" not in params:
        found = [i for i in found if not i.get("os_hidden")]
    sorts = [(params.get("sort_key") or "created_at", params.get("sort_dir") or "desc")]
    if params.get("sort"):
        sorts = [(part.partition(":")[0], part.partition(":")[2] or "desc")
                 for part in params["sort"].split(",")]
    for key, direction in reversed(sorts):
        found = sorted(found, key=_sort_key(key), reverse=direction == "desc")
    limit = params.get("limit")
    shown, more = page(found, limit=limit or "25", marker=params.get("marker"))
    answer: dict[str, Any] = {"images": [public(i) for i in shown],
                              "first": "/v2/images", "schema": "/v2/schemas/images"}
    if more and shown:
        answer["next"] = f"/v2/images?marker={shown[-1]['id']}&limit={limit or 25}"
    return answer


def _patch(image: Body, operations: Any, context: RequestContext) -> None:
    if not isinstance(operations, list):
        raise BadRequest("Request body must be a JSON array of operation objects.")
    for operation in operations:
        if not isinstance(operation, dict) or operation.get("op") not in {"add", "replace",
                                                                          "remove"}:
            raise BadRequest("Operation objects must contain an 'op' member of 'add', "
                             "'replace' or 'remove'.")
        path = operation.get("path")
        if not isinstance(path, str) or not path.startswith("/") or len(path) < 2:
            raise BadRequest(f"Invalid JSON pointer for this resource: '{path}'")
        parts = path[1:].split("/")
        name = parts[0]
        if name in records.READ_ONLY or (name in {"id", "owner"} and not context.is_admin):
            raise Forbidden(f"Attribute '{name}' is read-only.")
        if name == "tags" and len(parts) == 2:
            if operation["op"] == "remove":
                image["tags"] = [t for t in image["tags"] if t != parts[1]]
            else:
                image["tags"] = sorted({*image["tags"], parts[1]})
            continue
        if operation["op"] == "remove":
            if name in records.BASE:
                raise Forbidden(f"Properties {name} cannot be removed.")
            if name not in image:
                raise Conflict(f"Property {name} does not exist.")
            del image[name]
            continue
        if "value" not in operation:
            raise BadRequest("Operation objects must contain exactly one member named "
                             "'value'.")
        if operation["op"] == "replace" and name not in image:
            raise Conflict(f"Property {name} does not exist.")
        value = _check_field(name, operation["value"], context)
        image[name] = sorted(set(value)) if name == "tags" else value


def routes(router: APIRouter) -> None:
    def versions(request: Request) -> dict[str, Any]:
        base = str(request.base_url).rstrip("/")
        link = [{"rel": "self", "href": f"{base}/image/v2/"}]
        return {"versions": [{"id": VERSION, "status": "CURRENT", "links": link}] + [
            {"id": f"v2.{minor}", "status": "SUPPORTED", "links": link}
            for minor in range(15, -1, -1)
        ]}

    @router.get("/image")
    @router.get("/image/")
    @router.get("/image/versions")
    async def image_versions(request: Request) -> Response:
        return JSONResponse(versions(request), status_code=300)

    @router.get("/image/v2")
    @router.get("/image/v2/")
    async def image_v2(request: Request) -> Response:
        return JSONResponse(versions(request), status_code=300)

    @router.get("/image/v2/images")
    async def list_images(request: Request, context: Context,
                          sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            images = [i for i in tx.list(records.KIND) if records.visible(context, i)]
        return _listed(request, images)

    @router.get("/image/v2/images/{image_id}")
    async def show_image(image_id: str, context: Context, sandbox: SandboxDep) -> Body:
        with sandbox.transaction() as tx:
            return public(_get(tx, image_id, context))

    @router.post("/image/v2/images")
    async def create_image(request: Request, context: Context,
                           sandbox: SandboxDep) -> Response:
        body = await json_body(request)
        if not isinstance(body, dict):
            raise BadRequest("Provided object does not match schema 'image': the image must "
                             "be a JSON object")
        values = {name: _check_field(name, value, context) for name, value in body.items()}
        owner = str(values.pop("owner", None) or context.project_id)
        await sandbox.faults.gate("image.image.create")
        with sandbox.transaction() as tx:
            if values.get("id") and tx.get(records.KIND, str(values["id"])) is not None:
                raise Conflict(f"Image with identifier {values['id']} already exists!")
            image = records.new_image(tx, owner, values)
        return JSONResponse(public(image), status_code=201,
                            headers={"Location": f"{request.url}/{image['id']}"})

    @router.patch("/image/v2/images/{image_id}")
    async def update_image(image_id: str, request: Request, context: Context,
                           sandbox: SandboxDep) -> Body:
        media = request.headers.get("Content-Type", "").split(";")[0].strip()
        if media != PATCH_TYPE:
            raise ApiError(f"Unsupported Content-Type: {media or 'none'}", status=415)
        try:
            operations = json.loads(await request.body() or b"null")
        except ValueError:
            raise BadRequest("Malformed JSON in request body.") from None
        await sandbox.faults.gate("image.image.update")
        with sandbox.transaction() as tx:
            image = _get(tx, image_id, context)
            _owned(image, context)
            _patch(image, operations, context)
            image["updated_at"] = iso8601(tx.now)
            tx.save(records.KIND, image)
        return public(image)

    @router.delete("/image/v2/images/{image_id}")
    async def delete_image(image_id: str, context: Context, sandbox: SandboxDep) -> Response:
        await sandbox.faults.gate("image.image.delete")
        with sandbox.transaction() as tx:
            image = _get(tx, image_id, context)
            _owned(image, context)
            if image["protected"]:
                raise Forbidden(f"Image {image_id} is protected and cannot be deleted.")
            records.remove(tx, image_id)
        return Response(status_code=204)

    @router.put("/image/v2/images/{image_id}/file")
    async def upload(image_id: str, request: Request, context: Context,
                     sandbox: SandboxDep) -> Response:
        with sandbox.transaction() as tx:
            image = _get(tx, image_id, context)
            _owned(image, context)
            if image["status"] != "queued":
                raise Conflict(f"Image status transition from {image['status']} to saving is "
                               "not allowed")
            if not image["disk_format"] or not image["container_format"]:
                raise BadRequest("Properties disk_format, container_format must be set prior "
                                 "to saving data.")
        chunks = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_IMAGE_BYTES:
                raise PayloadTooLarge(f"Image exceeds the sandbox's limit of "
                                      f"{MAX_IMAGE_BYTES} bytes.")
            chunks.append(chunk)
        await sandbox.faults.gate("image.image.upload")
        with sandbox.transaction() as tx:
            image = _get(tx, image_id, context)
            if image["status"] != "queued":
                raise Conflict(f"Image status transition from {image['status']} to saving is "
                               "not allowed")
            records.store_data(tx, image, b"".join(chunks))
        return Response(status_code=204)

    @router.get("/image/v2/images/{image_id}/file")
    async def download(image_id: str, context: Context, sandbox: SandboxDep) -> Response:
        with sandbox.transaction() as tx:
            image = _get(tx, image_id, context)
            data = tx.get_blob(records.data_key(image_id))
        if image["status"] == "deactivated" and not context.is_admin:
            raise Forbidden("The requested image has been deactivated. Image data download is "
                            "forbidden.")
        if data is None:
            return Response(status_code=204)
        return Response(data, media_type="application/octet-stream",
                        headers={"Content-MD5": image["checksum"] or ""})

    @router.put("/image/v2/images/{image_id}/tags/{tag}")
    async def add_tag(image_id: str, tag: str, context: Context,
                      sandbox: SandboxDep) -> Response:
        with sandbox.transaction() as tx:
            image = _get(tx, image_id, context)
            _owned(image, context)
            image["tags"] = sorted({*image["tags"], tag})
            tx.save(records.KIND, image)
        return Response(status_code=204)

    @router.delete("/image/v2/images/{image_id}/tags/{tag}")
    async def remove_tag(image_id: str, tag: str, context: Context,
                         sandbox: SandboxDep) -> Response:
        with sandbox.transaction() as tx:
            image = _get(tx, image_id, context)
            _owned(image, context)
            if tag not in image["tags"]:
                raise NotFound(f"Tag {tag} not found")
            image["tags"] = [t for t in image["tags"] if t != tag]
            tx.save(records.KIND, image)
        return Response(status_code=204)
