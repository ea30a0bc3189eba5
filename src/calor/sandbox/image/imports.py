"""Glance's interoperable image import: ``/stage``, ``/import`` and ``/info/import``.

``glance-direct`` imports the bytes staged with ``PUT /images/{id}/stage``;
``web-download`` would fetch a URI, but the sandbox is offline, so the image
gets the sandbox's stand-in disk bytes instead; ``copy-image`` (to other
stores) has nothing to do with one store. The image is ``importing`` for the
operation's latency, then ``active`` (or ``killed`` when a fault is
injected).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from calor.sandbox.auth import Context
from calor.sandbox.bodies import json_body
from calor.sandbox.errors import BadRequest, Conflict, PayloadTooLarge
from calor.sandbox.image import records
from calor.sandbox.image.routes import MAX_IMAGE_BYTES, get_owned_image
from calor.sandbox.runtime import SandboxDep
from calor.sandbox.states import Step, iso8601, schedule

METHODS = ("glance-direct", "web-download", "copy-image")


def stage_key(image_id: str) -> str:
    return f"image-stage:{image_id}"


def routes(router: APIRouter) -> None:
    @router.get("/image/v2/info/import")
    async def import_info(context: Context) -> dict[str, Any]:
        return {"import-methods": {"description": "Import methods available.",
                                   "type": "array", "value": list(METHODS)}}

    @router.get("/image/v2/info/stores")
    async def stores(context: Context) -> dict[str, Any]:
        return {"stores": [{"id": "sandbox", "description": "The sandbox's SQLite file",
                            "default": True}]}

    @router.put("/image/v2/images/{image_id}/stage")
    async def stage(image_id: str, request: Request, context: Context,
                    sandbox: SandboxDep) -> Response:
        with sandbox.transaction() as tx:
            image = get_owned_image(tx, image_id, context)
            if image["status"] != "queued":
                raise Conflict(f"Image status transition from {image['status']} to uploading "
                               "is not allowed")
        data = bytearray()
        async for chunk in request.stream():
            data.extend(chunk)
            if len(data) > MAX_IMAGE_BYTES:
                raise PayloadTooLarge(f"Image exceeds the sandbox's limit of "
                                      f"{MAX_IMAGE_BYTES} bytes.")
        with sandbox.transaction() as tx:
            image = get_owned_image(tx, image_id, context)
            tx.put_blob(stage_key(image_id), bytes(data))
            image.update({"status": "uploading", "updated_at": iso8601(tx.now)})
            tx.save(records.KIND, image)
        return Response(status_code=204)

    @router.post("/image/v2/images/{image_id}/import")
    async def import_image(image_id: str, request: Request, context: Context,
                           sandbox: SandboxDep) -> Response:
        body = await json_body(request)
        method = body.get("method") if isinstance(body, dict) else None
        name = method.get("name") if isinstance(method, dict) else None
        if name not in METHODS:
            raise BadRequest(f"Import method {name} is not valid for this cloud. Valid values "
                             f"are: {', '.join(METHODS)}")
        assert isinstance(method, dict)
        if name == "web-download" and not isinstance(method.get("uri"), str):
            raise BadRequest("URI for web-download does not pass filtering: a uri is required")
        with sandbox.transaction() as tx:
            image = get_owned_image(tx, image_id, context)
            if name == "copy-image":
                if image["status"] != "active":
                    raise Conflict("Image status transition from "
                                   f"{image['status']} to importing is not allowed")
                return Response(status_code=202)
            wanted = "uploading" if name == "glance-direct" else "queued"
            if image["status"] != wanted:
                raise Conflict(f"Image status transition from {image['status']} to importing "
                               "is not allowed")
            if not image["disk_format"] or not image["container_format"]:
                raise BadRequest("'disk_format' needs to be set before import")
            data = tx.get_blob(stage_key(image_id)) if name == "glance-direct" \
                else records.cirros_bytes()
            tx.delete_blob(stage_key(image_id))
            records.store_data(tx, image, data or b"")
            decision = sandbox.faults.decide("image.image.import", asynchronous=True)
            final = {"status": "killed" if decision.fails else "active",
                     "os_glance_failed_import": "sandbox" if decision.fails else ""}
            image.update({"status": "importing", "os_glance_importing_to_stores": "sandbox",
                          "os_glance_import_task": records.new_task_id()})
            schedule(image, tx.now, [Step(decision.latency,
                                          {**final, "os_glance_importing_to_stores": ""})],
                     stamp=("updated_at",))
            tx.save(records.KIND, image)
        return Response(status_code=202)
