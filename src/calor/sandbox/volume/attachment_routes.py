"""Cinder's attachments API, ``/attachments`` (microversion 3.27 and later).

``POST`` reserves a volume for an instance (``reserved``; with a
``connector`` it is ``attaching`` at once), ``PUT`` hands in the connector,
``os-complete`` (3.44) marks it attached, and ``DELETE`` detaches. Below
3.27 the collection does not exist (404), as in Cinder.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from calor.identity.context import RequestContext
from calor.sandbox.auth import Context
from calor.sandbox.bodies import json_body, member, parse_bool
from calor.sandbox.errors import BadRequest, NotFound
from calor.sandbox.microversions import Microversion
from calor.sandbox.runtime import SandboxDep
from calor.sandbox.states import Body
from calor.sandbox.store import Transaction
from calor.sandbox.volume import attachment_records as records
from calor.sandbox.volume import listing
from calor.sandbox.volume.common import (
    ATTACHMENT,
    VOLUME,
    Version,
    at_least,
    get_volume,
    owned,
)

FILTERS = {"volume_id", "instance_id", "status", "attach_status"}


def _available(version: Microversion, minor: int = 27) -> None:
    if not at_least(version, 3, minor):
        raise NotFound("The resource could not be found.")


def _missing(attachment_id: str) -> NotFound:
    return NotFound(f"Volume attachment could not be found with filter: "
                    f"attachment_id = {attachment_id}.")


def _get(tx: Transaction, attachment_id: str, context: RequestContext) -> Body:
    found = tx.get(ATTACHMENT, attachment_id)
    if found is None or not owned(context, tx.project_of(ATTACHMENT, attachment_id)):
        raise _missing(attachment_id)
    return found


def summary(attachment: Body) -> Body:
    return {"id": attachment["id"], "status": attachment["status"],
            "instance": attachment.get("instance"), "volume_id": attachment["volume_id"]}


def detail(attachment: Body) -> Body:
    return {**summary(attachment), "attached_at": attachment.get("attach_time"),
            "detached_at": attachment.get("detach_time"),
            "attach_mode": attachment.get("attach_mode"),
            "connection_info": attachment.get("connection_info") or {}}


def _connector(value: Any) -> Body | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise BadRequest("Invalid input for field/attribute connector. It must be an "
                         "object.")
    return value


def routes(router: APIRouter) -> None:
    def listed(request: Request, context: RequestContext, sandbox: SandboxDep,
               version: Microversion, detailed: bool) -> dict[str, Any]:
        _available(version)
        wanted = listing.filters(request, FILTERS, context, version)
        if "instance_id" in wanted:
            wanted["instance"] = wanted.pop("instance_id")
        with sandbox.transaction() as tx:
            everyone = context.is_admin and parse_bool(
                request.query_params.get("all_tenants", "0"))
            found = tx.list(ATTACHMENT) if everyone else tx.list(
                ATTACHMENT, project_id=context.project_id)
            found = [a for a in found if records.alive(tx, a)]
        found = listing.matching(found, wanted)
        return listing.listing(request, "attachments", found,
                               detail if detailed else summary, version)

    @router.get("/attachments")
    async def list_attachments(request: Request, context: Context, sandbox: SandboxDep,
                               version: Version) -> dict[str, Any]:
        return listed(request, context, sandbox, version, detailed=False)

    @router.get("/attachments/detail")
    async def list_attachments_detail(request: Request, context: Context,
                                      sandbox: SandboxDep,
                                      version: Version) -> dict[str, Any]:
        return listed(request, context, sandbox, version, detailed=True)

    @router.get("/attachments/{attachment_id}")
    async def show_attachment(attachment_id: str, context: Context, sandbox: SandboxDep,
                              version: Version) -> dict[str, Any]:
        _available(version)
        with sandbox.transaction() as tx:
            return {"attachment": detail(_get(tx, attachment_id, context))}

    @router.post("/attachments")
    async def create_attachment(request: Request, context: Context, sandbox: SandboxDep,
                                version: Version) -> dict[str, Any]:
        _available(version)
        values = member(await json_body(request), "attachment")
        volume_id = values.get("volume_uuid")
        if not isinstance(volume_id, str):
            raise BadRequest("Invalid input for field/attribute attachment. 'volume_uuid' "
                             "is a required property")
        instance = values.get("instance_uuid")
        if instance is not None and not isinstance(instance, str):
            raise BadRequest("Invalid input for field/attribute instance_uuid. It must be a "
                             "string.")
        mode = values.get("mode", "rw") if at_least(version, 3, 54) else "rw"
        if mode not in {"rw", "ro"}:
            raise BadRequest(f"Invalid input received: Invalid attachment mode {mode!r}.")
        connector = _connector(values.get("connector"))
        with sandbox.transaction() as tx:
            volume = get_volume(tx, volume_id, context)
            records.ensure_reservable(volume, records.attachments_of(tx, volume_id))
            attachment = records.reserve(tx, volume, str(tx.project_of(VOLUME, volume_id)),
                                         instance=instance, mode=mode)
            if connector is not None:
                records.connect(attachment, volume, connector)
                tx.save(ATTACHMENT, attachment)
        return {"attachment": detail(attachment)}

    @router.put("/attachments/{attachment_id}")
    async def update_attachment(attachment_id: str, request: Request, context: Context,
                                sandbox: SandboxDep, version: Version) -> dict[str, Any]:
        _available(version)
        values = member(await json_body(request), "attachment")
        connector = _connector(values.get("connector"))
        if connector is None:
            raise BadRequest("Invalid input for field/attribute attachment. 'connector' is "
                             "a required property")
        with sandbox.transaction() as tx:
            attachment = _get(tx, attachment_id, context)
            volume = get_volume(tx, attachment["volume_id"], context)
            records.connect(attachment, volume, connector)
            tx.save(ATTACHMENT, attachment)
        return {"attachment": detail(attachment)}

    @router.post("/attachments/{attachment_id}/action", status_code=204)
    async def attachment_action(attachment_id: str, request: Request, context: Context,
                                sandbox: SandboxDep, version: Version) -> None:
        _available(version, 44)
        body = await json_body(request)
        if not isinstance(body, dict) or "os-complete" not in body:
            raise BadRequest("There is no such action: "
                             f"{next(iter(body), '') if isinstance(body, dict) else ''}")
        with sandbox.transaction() as tx:
            records.complete(tx, _get(tx, attachment_id, context))

    @router.delete("/attachments/{attachment_id}")
    async def delete_attachment(attachment_id: str, context: Context, sandbox: SandboxDep,
                                version: Version) -> dict[str, Any]:
        _available(version)
        with sandbox.transaction() as tx:
            attachment = _get(tx, attachment_id, context)
            tx.delete(ATTACHMENT, attachment_id)
            left = records.attachments_of(tx, attachment["volume_id"])
        return {"attachments": [summary(a) for a in left]}
