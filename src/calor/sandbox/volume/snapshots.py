"""Cinder snapshots: ``/snapshots`` (create, list, detail, show, update, delete, actions).

A snapshot is ``creating`` for the latency, then ``available``. A volume
with snapshots cannot be deleted unless the delete cascades. Snapshotting an
attached volume needs ``force`` before microversion 3.66, as in Cinder.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from calor.identity.context import RequestContext
from calor.sandbox.auth import Context
from calor.sandbox.bodies import json_body, member, parse_bool
from calor.sandbox.errors import BadRequest, Forbidden
from calor.sandbox.microversions import Microversion
from calor.sandbox.runtime import SandboxDep
from calor.sandbox.states import Body, public
from calor.sandbox.store import Transaction
from calor.sandbox.volume import attachment_records as records
from calor.sandbox.volume import listing
from calor.sandbox.volume.common import (
    SNAPSHOT,
    Version,
    at_least,
    cinder_time,
    get_snapshot,
    get_volume,
    invalid_volume,
    metadata_field,
    new_id,
    string_field,
)
from calor.sandbox.volume.lifecycle import remove_later, settle_later
from calor.sandbox.volume.metadata_routes import metadata_routes
from calor.sandbox.volume.quota_routes import ensure_snapshot

FILTERS = {"name", "status", "volume_id", "metadata", "availability_zone"}
_PROJECT = "os-extended-snapshot-attributes:project_id"
_PROGRESS = "os-extended-snapshot-attributes:progress"
_SINCE = {"group_snapshot_id": (3, 14), "user_id": (3, 41), "consumes_quota": (3, 65)}


def view(snapshot: Body, version: Microversion) -> Body:
    shown = public(snapshot)
    for key, (major, minor) in _SINCE.items():
        if not at_least(version, major, minor):
            shown.pop(key, None)
    return shown


def _visible(tx: Transaction, request: Request, context: RequestContext) -> list[Body]:
    if context.is_admin and parse_bool(request.query_params.get("all_tenants", "0")):
        return tx.list(SNAPSHOT)
    return tx.list(SNAPSHOT, project_id=context.project_id)


def _new_snapshot(tx: Transaction, values: dict[str, Any], context: RequestContext,
                  version: Microversion) -> Body:
    volume_id = values.get("volume_id")
    if not isinstance(volume_id, str) or not volume_id:
        raise BadRequest("Invalid input for field/attribute snapshot. 'volume_id' is a "
                         "required property")
    volume = get_volume(tx, volume_id, context)
    force = parse_bool(values.get("force", False))
    if force is None:
        raise BadRequest(f"Invalid value '{values['force']}' for force.")
    status = records.volume_status(volume["status"], records.attachments_of(tx, volume_id))
    if status == "in-use" and not force and not at_least(version, 3, 66):
        raise invalid_volume(f"Volume {volume_id} status must be available, but current "
                             "status is: in-use.")
    if status not in {"available", "in-use"}:
        raise invalid_volume(f"Volume {volume_id} status must be available or in-use, but "
                             f"current status is: {status}.")
    stamp = cinder_time(tx.now)
    return {
        "id": new_id(), "name": string_field(values, "name")
        or string_field(values, "display_name"),
        "description": string_field(values, "description")
        or string_field(values, "display_description"),
        "status": "creating", "size": int(volume["size"]), "volume_id": volume_id,
        "metadata": metadata_field(values.get("metadata")), "created_at": stamp,
        "updated_at": stamp, _PROGRESS: "0%", _PROJECT: volume["os-vol-tenant-attr:tenant_id"],
        "user_id": context.user_id, "group_snapshot_id": None, "consumes_quota": True,
    }


def routes(router: APIRouter) -> None:
    def listed(request: Request, context: RequestContext, sandbox: SandboxDep,
               version: Microversion, detailed: bool) -> dict[str, Any]:
        wanted = listing.filters(request, FILTERS, context, version)
        with sandbox.transaction() as tx:
            found = listing.matching(_visible(tx, request, context), wanted)

        def shown(body: Body) -> Body:
            full = view(body, version)
            if detailed:
                return full
            full.pop(_PROGRESS, None)
            full.pop(_PROJECT, None)
            return full

        return listing.listing(request, "snapshots", found, shown, version)

    @router.get("/snapshots")
    async def list_snapshots(request: Request, context: Context, sandbox: SandboxDep,
                             version: Version) -> dict[str, Any]:
        return listed(request, context, sandbox, version, detailed=False)

    @router.get("/snapshots/detail")
    async def list_snapshots_detail(request: Request, context: Context,
                                    sandbox: SandboxDep, version: Version) -> dict[str, Any]:
        return listed(request, context, sandbox, version, detailed=True)

    @router.get("/snapshots/{snapshot_id}")
    async def show_snapshot(snapshot_id: str, context: Context, sandbox: SandboxDep,
                            version: Version) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            return {"snapshot": view(get_snapshot(tx, snapshot_id, context), version)}

    @router.post("/snapshots")
    async def create_snapshot(request: Request, context: Context, sandbox: SandboxDep,
                              version: Version) -> Response:
        values = member(await json_body(request), "snapshot")
        with sandbox.transaction() as tx:
            snapshot = _new_snapshot(tx, values, context, version)
            project = str(snapshot[_PROJECT])
            ensure_snapshot(sandbox, tx, project, int(snapshot["size"]))
            decision = sandbox.faults.decide("volume.snapshot.create", asynchronous=True)
            settle_later(snapshot, tx.now, decision, {"status": "available", _PROGRESS: "100%"},
                         {"status": "error"})
            tx.insert(SNAPSHOT, snapshot, project_id=project)
        return JSONResponse({"snapshot": view(snapshot, version)}, status_code=202)

    @router.put("/snapshots/{snapshot_id}")
    async def update_snapshot(snapshot_id: str, request: Request, context: Context,
                              sandbox: SandboxDep, version: Version) -> dict[str, Any]:
        values = member(await json_body(request), "snapshot")
        with sandbox.transaction() as tx:
            snapshot = get_snapshot(tx, snapshot_id, context)
            for key, target in (("name", "name"), ("display_name", "name"),
                                ("description", "description"),
                                ("display_description", "description")):
                if key in values:
                    snapshot[target] = string_field(values, key)
            snapshot["updated_at"] = cinder_time(tx.now)
            tx.save(SNAPSHOT, snapshot)
        return {"snapshot": view(snapshot, version)}

    @router.delete("/snapshots/{snapshot_id}")
    async def delete_snapshot(snapshot_id: str, context: Context,
                              sandbox: SandboxDep) -> Response:
        with sandbox.transaction() as tx:
            snapshot = get_snapshot(tx, snapshot_id, context)
            if snapshot["status"] not in {"available", "error", "error_deleting"}:
                raise BadRequest("Invalid snapshot: Volume Snapshot status must be "
                                 "available or error or error_deleting")
            remove_later(tx, SNAPSHOT, snapshot,
                         sandbox.faults.decide("volume.snapshot.delete", asynchronous=True))
        return Response(status_code=202)

    @router.post("/snapshots/{snapshot_id}/action")
    async def snapshot_action(snapshot_id: str, request: Request, context: Context,
                              sandbox: SandboxDep) -> Response:
        body = await json_body(request)
        if not isinstance(body, dict) or len(body) != 1:
            raise BadRequest("Malformed request body")
        (name, value), = body.items()
        if name not in {"os-reset_status", "os-force_delete"}:
            raise BadRequest(f"There is no such action: {name}")
        if not context.is_admin:
            raise Forbidden(f"Policy doesn't allow volume_extension:snapshot_admin_actions:"
                            f"{name[3:]} to be performed.")
        with sandbox.transaction() as tx:
            snapshot = get_snapshot(tx, snapshot_id, context)
            if name == "os-force_delete":
                remove_later(tx, SNAPSHOT, snapshot, sandbox.faults.decide(
                    "volume.snapshot.delete", asynchronous=True))
            else:
                status = value.get("status") if isinstance(value, dict) else None
                if not isinstance(status, str):
                    raise BadRequest("Must specify 'status'")
                snapshot.pop("_pending", None)
                snapshot["status"] = status
                tx.save(SNAPSHOT, snapshot)
        return Response(status_code=202)

    metadata_routes(router, "snapshots", SNAPSHOT, "Snapshot", get_snapshot)
