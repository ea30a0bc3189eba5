"""Nova's ``/compute/v2.1/servers/{id}/os-volume_attachments``: attach, list, show, detach.

Served by the volume package under the compute mount (its own plug, Nova's
error bodies). An attach reserves the volume at once and completes after
``compute.server.attach_volume``'s latency (the volume is ``attaching``,
then ``in-use``); a detach shows ``detaching`` for
``compute.server.detach_volume``'s latency, then the volume is
``available``. The response shapes follow the microversion: ``tag`` from
2.70, ``delete_on_termination`` from 2.79, ``attachment_id`` and
``bdm_uuid`` (and no ``id``) from 2.89.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request, Response

from calor.identity.context import RequestContext
from calor.sandbox.auth import Context
from calor.sandbox.bodies import json_body, member
from calor.sandbox.compute.common import PREFIX, Version
from calor.sandbox.errors import BadRequest, Conflict, NotFound, nova_error
from calor.sandbox.microversions import Microversion
from calor.sandbox.runtime import SandboxDep
from calor.sandbox.states import Body, is_settled
from calor.sandbox.store import Transaction
from calor.sandbox.types import ServicePlug
from calor.sandbox.volume import attachment_records as records
from calor.sandbox.volume import server_volumes
from calor.sandbox.volume.common import VOLUME, at_least, owned

MOUNT = PREFIX + "/servers"
ROUTE = MOUNT + "/{server_id}/os-volume_attachments"

#: vm_states Nova attaches and detaches volumes in.
ATTACHABLE = {"active", "paused", "stopped", "resized", "soft-delete", "shelved",
              "shelved_offloaded"}
_DEVICE = re.compile(r"^(/dev/x?[a-z]?d?)([a-z]+)[0-9]*$")


def _server(tx: Transaction, server_id: str, context: RequestContext) -> Body:
    server = tx.get(records.SERVER, server_id)
    if server is None or not owned(context, server.get("tenant_id")):
        raise NotFound(f"Instance {server_id} could not be found.")
    return server


def _check_state(server: Body, action: str, context: RequestContext) -> None:
    if server.get("locked") and not context.is_admin:
        raise Conflict(f"Instance {server['id']} is locked")
    vm_state = server.get("OS-EXT-STS:vm_state")
    if vm_state not in ATTACHABLE:
        raise Conflict(f"Cannot '{action}' instance {server['id']} while it is in vm_state "
                       f"{vm_state}")
    task = server.get("OS-EXT-STS:task_state")
    if task is not None or not is_settled(server):
        raise Conflict(f"Cannot '{action}' instance {server['id']} while it is in "
                       f"task_state {task or 'busy'}")


def view(attachment: Body, server_id: str, version: Microversion) -> Body:
    shown: Body = {}
    if not at_least(version, 2, 89):
        shown["id"] = attachment["volume_id"]
    shown.update(volumeId=attachment["volume_id"], serverId=server_id)
    if attachment.get("device"):
        shown["device"] = attachment["device"]
    if at_least(version, 2, 70):
        shown["tag"] = attachment.get("tag")
    if at_least(version, 2, 79):
        shown["delete_on_termination"] = bool(attachment.get("delete_on_termination"))
    if at_least(version, 2, 89):
        shown["attachment_id"] = attachment["id"]
        shown["bdm_uuid"] = attachment.get("bdm_uuid")
    return shown


def _attachment(tx: Transaction, server_id: str, volume_id: str) -> Body:
    for attachment in records.of_server(tx, server_id):
        if attachment["volume_id"] == volume_id:
            return attachment
    raise NotFound(f"Instance {server_id} is not attached to volume {volume_id}")


def _request(values: dict[str, Any], version: Microversion) -> tuple[str, str | None,
                                                                       str | None, bool]:
    volume_id = values.get("volumeId")
    if not isinstance(volume_id, str) or not volume_id:
        raise BadRequest("Invalid input for field/attribute volumeAttachment. Value: "
                         f"{values}. 'volumeId' is a required property")
    device = values.get("device")
    if device is not None and (not isinstance(device, str) or not _DEVICE.match(device)):
        raise BadRequest(f"Invalid input for field/attribute device. Value: {device}. "
                         f"{device!r} does not match the device name pattern")
    tag = values.get("tag") if at_least(version, 2, 49) else None
    if tag is not None and (not isinstance(tag, str) or len(tag) > 60):
        raise BadRequest(f"Invalid input for field/attribute tag. Value: {tag}.")
    dot = values.get("delete_on_termination", False) if at_least(version, 2, 79) else False
    if not isinstance(dot, bool):
        raise BadRequest("Invalid input for field/attribute delete_on_termination. Value: "
                         f"{dot}. {dot!r} is not of type 'boolean'")
    return volume_id, device, tag, dot


def router() -> APIRouter:
    routes = APIRouter()

    @routes.get(ROUTE)
    async def list_attachments(server_id: str, request: Request, context: Context,
                               sandbox: SandboxDep, version: Version) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            _server(tx, server_id, context)
            found = records.of_server(tx, server_id)
        params = request.query_params
        offset = int(params["offset"]) if params.get("offset", "").isdigit() else 0
        found = found[offset:]
        if params.get("limit", "").isdigit():
            found = found[:int(params["limit"])]
        return {"volumeAttachments": [view(a, server_id, version) for a in found]}

    @routes.get(ROUTE + "/{volume_id}")
    async def show_attachment(server_id: str, volume_id: str, context: Context,
                              sandbox: SandboxDep, version: Version) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            _server(tx, server_id, context)
            return {"volumeAttachment": view(_attachment(tx, server_id, volume_id),
                                             server_id, version)}

    @routes.post(ROUTE)
    async def attach_volume(server_id: str, request: Request, context: Context,
                            sandbox: SandboxDep, version: Version) -> dict[str, Any]:
        volume_id, device, tag, dot = _request(
            member(await json_body(request), "volumeAttachment"), version)
        with sandbox.transaction() as tx:
            server = _server(tx, server_id, context)
            _check_state(server, "attach_volume", context)
            volume = tx.get(VOLUME, volume_id)
            if volume is None or not owned(context, tx.project_of(VOLUME, volume_id)):
                raise NotFound(f"Volume {volume_id} could not be found.")
            decision = sandbox.faults.decide("compute.server.attach_volume",
                                             asynchronous=True)
            attachment = server_volumes.attach(tx, server, volume, device=device, tag=tag,
                                               delete_on_termination=dot, decision=decision)
            tx.save(records.SERVER, server)
        shown: Body = {"id": volume_id, "serverId": server_id, "volumeId": volume_id,
                       "device": attachment["device"]}
        if at_least(version, 2, 70):
            shown["tag"] = tag
        if at_least(version, 2, 79):
            shown["delete_on_termination"] = dot
        return {"volumeAttachment": shown}

    @routes.delete(ROUTE + "/{volume_id}")
    async def detach_volume(server_id: str, volume_id: str, context: Context,
                            sandbox: SandboxDep) -> Response:
        with sandbox.transaction() as tx:
            server = _server(tx, server_id, context)
            attachment = _attachment(tx, server_id, volume_id)
            _check_state(server, "detach_volume", context)
            if attachment.get("device") == server.get("OS-EXT-SRV-ATTR:root_device_name",
                                                      server_volumes.ROOT_DEVICE):
                raise BadRequest("Cannot detach a root device volume")
            if attachment["status"] == records.DETACHING:
                raise BadRequest(f"Invalid volume: Volume {volume_id} is already detaching.")
            decision = sandbox.faults.decide("compute.server.detach_volume",
                                             asynchronous=True)
            records.remove(tx, attachment, decision.latency)
            server_volumes.forget(server, volume_id)
            tx.save(records.SERVER, server)
        return Response(status_code=202)

    return routes


SERVICE = ServicePlug(name="compute-volume-attachments", mount=MOUNT, catalog=(),
                      errors=nova_error, router=router)
