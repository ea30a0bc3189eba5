"""Cinder volumes: ``/volumes`` (create, list, detail, show, update, delete, summary)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from calor.identity.context import RequestContext
from calor.sandbox.auth import Context
from calor.sandbox.bodies import json_body, member, parse_bool
from calor.sandbox.errors import BadRequest, Forbidden
from calor.sandbox.faults import Decision
from calor.sandbox.microversions import Microversion
from calor.sandbox.runtime import SandboxDep
from calor.sandbox.states import Body
from calor.sandbox.store import Transaction
from calor.sandbox.volume import attachment_records as records
from calor.sandbox.volume import listing, volume_views
from calor.sandbox.volume.common import (
    SNAPSHOT,
    VOLUME,
    Version,
    at_least,
    get_volume,
    invalid_volume,
    metadata_field,
    string_field,
)
from calor.sandbox.volume.lifecycle import remove_later, settle_later
from calor.sandbox.volume.quota_routes import ensure_volume
from calor.sandbox.volume.volume_create import new_volume

#: Filters a non-admin may use on volume lists (Cinder's resource filters).
FILTERS = {"name", "status", "metadata", "bootable", "migration_status",
           "availability_zone", "group_id", "size", "created_at", "updated_at"}

#: Statuses a volume may be deleted from without ``force``.
DELETABLE = ("available", "error", "error_restoring", "error_extending", "error_managing")


def _visible_volumes(tx: Transaction, request: Request,
                     context: RequestContext) -> list[Body]:
    everyone = context.is_admin and parse_bool(
        request.query_params.get("all_tenants", request.query_params.get("all_projects",
                                                                         "0")))
    return tx.list(VOLUME) if everyone else tx.list(VOLUME, project_id=context.project_id)


def _flag(request: Request, name: str) -> bool:
    value = request.query_params.get(name, "false")
    parsed = parse_bool(value)
    if parsed is None:
        raise BadRequest(f"Invalid value '{value}' for {name} query parameter.")
    return parsed


def _delete_refusal() -> BadRequest:
    statuses = " or ".join(DELETABLE)
    return invalid_volume(f"Volume status must be {statuses} and must not be migrating, "
                          "attached, belong to a group, have snapshots, awaiting a "
                          "transfer, or be disassociated from snapshots after volume "
                          "transfer.")


def _listed(request: Request, sandbox: SandboxDep, context: RequestContext,
            version: Microversion, detailed: bool) -> dict[str, Any]:
    wanted = listing.filters(request, FILTERS, context, version)
    with sandbox.transaction() as tx:
        attachments = records.all_attachments(tx)
        found = []
        for volume in _visible_volumes(tx, request, context):
            shown = volume_views.detail(request, volume, attachments.get(volume["id"], []),
                                        version, context)
            found.append(shown)
    found = listing.matching(found, wanted)
    view = (lambda body: body) if detailed else (
        lambda body: volume_views.summary(request, body))
    return listing.listing(request, "volumes", found, view, version)


def routes(router: APIRouter) -> None:
    @router.get("/volumes")
    async def list_volumes(request: Request, context: Context, sandbox: SandboxDep,
                           version: Version) -> dict[str, Any]:
        return _listed(request, sandbox, context, version, detailed=False)

    @router.get("/volumes/detail")
    async def list_volumes_detail(request: Request, context: Context, sandbox: SandboxDep,
                                  version: Version) -> dict[str, Any]:
        return _listed(request, sandbox, context, version, detailed=True)

    @router.get("/volumes/summary")
    async def volume_summary(request: Request, context: Context, sandbox: SandboxDep,
                             version: Version) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            found = _visible_volumes(tx, request, context)
        summary: dict[str, Any] = {"total_size": sum(int(v["size"]) for v in found),
                                   "total_count": len(found)}
        if at_least(version, 3, 36):
            merged: dict[str, list[str]] = {}
            for volume in found:
                for key, value in (volume.get("metadata") or {}).items():
                    if value not in merged.setdefault(key, []):
                        merged[key].append(value)
            summary["metadata"] = merged
        return {"volume-summary": summary}

    @router.get("/volumes/{volume_id}")
    async def show_volume(volume_id: str, request: Request, context: Context,
                          sandbox: SandboxDep, version: Version) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            volume = get_volume(tx, volume_id, context)
            attachments = records.attachments_of(tx, volume_id)
        return {"volume": volume_views.detail(request, volume, attachments, version, context)}

    @router.post("/volumes")
    async def create_volume(request: Request, context: Context, sandbox: SandboxDep,
                            version: Version) -> Response:
        values = member(await json_body(request), "volume")
        with sandbox.transaction() as tx:
            volume = new_volume(tx, values, context)
            ensure_volume(sandbox, tx, context.project_id, int(volume["size"]))
            decision = sandbox.faults.decide("volume.volume.create", asynchronous=True)
            settle_later(volume, tx.now, decision, {"status": "available"},
                         {"status": "error"})
            tx.insert(VOLUME, volume, project_id=context.project_id)
        shown = volume_views.detail(request, volume, [], version, context)
        return JSONResponse({"volume": shown}, status_code=202)

    @router.put("/volumes/{volume_id}")
    async def update_volume(volume_id: str, request: Request, context: Context,
                            sandbox: SandboxDep, version: Version) -> dict[str, Any]:
        values = member(await json_body(request), "volume")
        allowed = {"name", "description", "metadata", "display_name", "display_description"}
        unknown = sorted(set(values) - allowed)
        if unknown or not values:
            raise BadRequest("Invalid input for field/attribute volume. "
                             + (f"Additional properties are not allowed ({unknown[0]!r} was "
                                "unexpected)" if unknown else "It must not be empty."))
        with sandbox.transaction() as tx:
            volume = get_volume(tx, volume_id, context)
            for key, target in (("name", "name"), ("display_name", "name"),
                                ("description", "description"),
                                ("display_description", "description")):
                if key in values:
                    volume[target] = string_field(values, key)
            if "metadata" in values:
                volume["metadata"] = metadata_field(values["metadata"])
            tx.save(VOLUME, volume)
            attachments = records.attachments_of(tx, volume_id)
        return {"volume": volume_views.detail(request, volume, attachments, version, context)}

    @router.delete("/volumes/{volume_id}")
    async def delete_volume(volume_id: str, request: Request, context: Context,
                            sandbox: SandboxDep) -> Response:
        cascade, force = _flag(request, "cascade"), _flag(request, "force")
        if force and not context.is_admin:
            raise Forbidden("Policy doesn't allow volume:force_delete to be performed.")
        with sandbox.transaction() as tx:
            volume = get_volume(tx, volume_id, context)
            delete_volume_now(tx, volume, cascade=cascade, force=force,
                              decide=lambda: sandbox.faults.decide("volume.volume.delete",
                                                                   asynchronous=True))
        return Response(status_code=202)


def delete_volume_now(tx: Transaction, volume: Body, *, cascade: bool, force: bool,
                      decide: Callable[[], Decision]) -> None:
    """Start deleting ``volume`` (and with ``cascade`` its snapshots), or Cinder's 400."""
    if records.attachments_of(tx, volume["id"]):
        raise _delete_refusal()
    if not force and volume["status"] not in DELETABLE:
        raise _delete_refusal()
    snapshots = [s for s in tx.list(SNAPSHOT) if s["volume_id"] == volume["id"]]
    if snapshots and not cascade:
        raise _delete_refusal()
    for snapshot in snapshots:
        if snapshot["status"] not in {"available", "error"}:
            raise invalid_volume("Snapshot status must be available or error for "
                                 "cascade delete.")
    decision = decide()
    for snapshot in snapshots:
        remove_later(tx, SNAPSHOT, snapshot, decision)
    remove_later(tx, VOLUME, volume, decision)
