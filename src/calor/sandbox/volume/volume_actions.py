"""``POST /volumes/{id}/action``: extend, retype, bootable, read-only, reset status, force delete.

The body names one action: ``{"os-extend": {"new_size": 2}}``. Extending
takes the operation's latency in ``extending``; the others are immediate.
The legacy attach actions (``os-attach``, ``os-reserve``, ...) that old Nova
releases used are not offered: attachments go through ``/attachments`` or
Nova's ``os-volume_attachments``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request, Response

from calor.identity.context import RequestContext
from calor.sandbox.auth import Context
from calor.sandbox.bodies import json_body, parse_bool
from calor.sandbox.errors import BadRequest, Forbidden
from calor.sandbox.microversions import Microversion
from calor.sandbox.runtime import Sandbox, SandboxDep
from calor.sandbox.volume import attachment_records as records
from calor.sandbox.volume.common import (
    ATTACHMENT,
    VOLUME,
    Version,
    at_least,
    get_volume,
    invalid_input,
    invalid_volume,
)
from calor.sandbox.volume.lifecycle import settle_later
from calor.sandbox.volume.quota_routes import ensure_gigabytes
from calor.sandbox.volume.volume_types import find_type
from calor.sandbox.volume.volumes import delete_volume_now

#: Statuses an admin may reset a volume to (Cinder's list).
RESETTABLE = {"available", "error", "creating", "deleting", "in-use", "attaching",
              "detaching", "error_deleting", "maintenance", "reserved", "error_extending"}

Action = Callable[[Request, Sandbox, RequestContext, Microversion, str, Any],
                  Awaitable[Response]]


def _accepted() -> Response:
    return Response(status_code=202)


def _argument(value: Any, action: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BadRequest(f"Invalid input for field/attribute {action}. Value: {value}. "
                         f"{value!r} is not of type 'object'")
    return value


async def _extend(request: Request, sandbox: Sandbox, context: RequestContext,
                  version: Microversion, volume_id: str, value: Any) -> Response:
    new_size = _argument(value, "os-extend").get("new_size")
    if isinstance(new_size, bool) or not isinstance(new_size, int | str) \
            or not str(new_size).isdigit():
        raise BadRequest(f"Invalid input for field/attribute new_size. Value: {new_size}. "
                         "new_size must be an integer.")
    size = int(new_size)
    with sandbox.transaction() as tx:
        volume = get_volume(tx, volume_id, context)
        status = records.volume_status(volume["status"], records.attachments_of(tx, volume_id))
        allowed = ("available", "in-use") if at_least(version, 3, 42) else ("available",)
        if status not in allowed:
            raise invalid_volume(f"Volume {volume_id} status must be "
                                 f"{' or '.join(allowed)} to extend, currently {status}.")
        if size <= int(volume["size"]):
            raise invalid_input("New size for extend must be greater than current size. "
                                f"(current: {volume['size']}, extended: {size}).")
        project = str(volume["os-vol-tenant-attr:tenant_id"])
        ensure_gigabytes(sandbox, tx, project, size - int(volume["size"]), per_volume=size)
        decision = sandbox.faults.decide("volume.volume.extend", asynchronous=True)
        volume["status"] = "extending"
        settle_later(volume, tx.now, decision, {"status": "available", "size": size},
                     {"status": "error_extending"})
        tx.save(VOLUME, volume)
    return _accepted()


async def _retype(request: Request, sandbox: Sandbox, context: RequestContext,
                  version: Microversion, volume_id: str, value: Any) -> Response:
    new_type = _argument(value, "os-retype").get("new_type")
    if not isinstance(new_type, str) or not new_type:
        raise BadRequest("Invalid input for field/attribute new_type. It is required.")
    with sandbox.transaction() as tx:
        volume = get_volume(tx, volume_id, context)
        found = find_type(tx, new_type)
        if found["name"] == volume.get("volume_type"):
            raise invalid_input("Retype requires a change to a different volume type.")
        volume["volume_type"], volume["volume_type_id"] = found["name"], found["id"]
        tx.save(VOLUME, volume)
    return _accepted()


async def _set_bootable(request: Request, sandbox: Sandbox, context: RequestContext,
                        version: Microversion, volume_id: str, value: Any) -> Response:
    bootable = parse_bool(_argument(value, "os-set_bootable").get("bootable"))
    if bootable is None:
        raise invalid_input("Must specify bootable as true or false.")
    with sandbox.transaction() as tx:
        volume = get_volume(tx, volume_id, context)
        volume["bootable"] = "true" if bootable else "false"
        tx.save(VOLUME, volume)
    return Response(status_code=200)


async def _readonly(request: Request, sandbox: Sandbox, context: RequestContext,
                    version: Microversion, volume_id: str, value: Any) -> Response:
    readonly = parse_bool(_argument(value, "os-update_readonly_flag").get("readonly"))
    if readonly is None:
        raise invalid_input("Must specify readonly as true or false.")
    with sandbox.transaction() as tx:
        volume = get_volume(tx, volume_id, context)
        volume.setdefault("metadata", {})["readonly"] = str(readonly)
        tx.save(VOLUME, volume)
    return _accepted()


async def _reset_status(request: Request, sandbox: Sandbox, context: RequestContext,
                        version: Microversion, volume_id: str, value: Any) -> Response:
    if not context.is_admin:
        raise Forbidden("Policy doesn't allow volume_extension:volume_admin_actions:"
                        "reset_status to be performed.")
    status = _argument(value, "os-reset_status").get("status")
    if status is not None and (not isinstance(status, str) or status not in RESETTABLE):
        raise invalid_input(f"Must specify a valid status, not {status!r}.")
    with sandbox.transaction() as tx:
        volume = get_volume(tx, volume_id, context)
        volume.pop("_pending", None)
        if status is not None:
            # in-use is what attachments make of available; store the resting state.
            volume["status"] = "available" if status == "in-use" else status
        if _argument(value, "os-reset_status").get("attach_status") == "detached":
            for attachment in records.attachments_of(tx, volume_id):
                tx.delete(ATTACHMENT, attachment["id"])
        tx.save(VOLUME, volume)
    return _accepted()


async def _force_delete(request: Request, sandbox: Sandbox, context: RequestContext,
                        version: Microversion, volume_id: str, value: Any) -> Response:
    if not context.is_admin:
        raise Forbidden("Policy doesn't allow volume_extension:volume_admin_actions:"
                        "force_delete to be performed.")
    with sandbox.transaction() as tx:
        volume = get_volume(tx, volume_id, context)
        delete_volume_now(tx, volume, cascade=False, force=True,
                          decide=lambda: sandbox.faults.decide("volume.volume.delete",
                                                               asynchronous=True))
    return _accepted()


ACTIONS: dict[str, Action] = {
    "os-extend": _extend,
    "os-retype": _retype,
    "os-set_bootable": _set_bootable,
    "os-update_readonly_flag": _readonly,
    "os-reset_status": _reset_status,
    "os-force_delete": _force_delete,
}


def routes(router: APIRouter) -> None:
    @router.post("/volumes/{volume_id}/action")
    async def volume_action(volume_id: str, request: Request, context: Context,
                            sandbox: SandboxDep, version: Version) -> Response:
        body = await json_body(request)
        if not isinstance(body, dict) or len(body) != 1:
            raise BadRequest("Malformed request body")
        (name, value), = body.items()
        action = ACTIONS.get(name)
        if action is None:
            raise BadRequest(f"There is no such action: {name}")
        return await action(request, sandbox, context, version, volume_id, value)
