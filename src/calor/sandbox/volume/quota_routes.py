"""Cinder quotas: usage, the over-quota refusals, ``/os-quota-sets`` and ``/limits``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from calor.identity.context import RequestContext
from calor.sandbox.auth import Context
from calor.sandbox.bodies import json_body, member, parse_bool
from calor.sandbox.errors import BadRequest, Forbidden
from calor.sandbox.quotas import UNLIMITED
from calor.sandbox.runtime import Sandbox, SandboxDep
from calor.sandbox.store import Transaction
from calor.sandbox.volume.common import SNAPSHOT, VOLUME, OverLimit

SERVICE = "volume"

#: Cinder's default quotas.
DEFAULTS = {"volumes": 10, "snapshots": 10, "gigabytes": 1000, "backups": 10,
            "backup_gigabytes": 1000, "groups": 10, "per_volume_gigabytes": UNLIMITED}


def usage(tx: Transaction, project_id: str) -> dict[str, int]:
    """What a project uses; snapshots count against ``gigabytes`` too, as in Cinder."""
    volumes = tx.list(VOLUME, project_id=project_id)
    snapshots = tx.list(SNAPSHOT, project_id=project_id)
    gigabytes = sum(int(v["size"]) for v in volumes) + sum(int(s["size"]) for s in snapshots)
    return {"volumes": len(volumes), "snapshots": len(snapshots), "gigabytes": gigabytes,
            "backups": 0, "backup_gigabytes": 0, "groups": 0, "per_volume_gigabytes": 0}


def _limit(sandbox: Sandbox, tx: Transaction, project_id: str, resource: str) -> int:
    return sandbox.quotas.limit(tx, SERVICE, project_id, resource)


def ensure_gigabytes(sandbox: Sandbox, tx: Transaction, project_id: str,
                     requested: int, *, per_volume: int | None = None) -> None:
    """Refuse ``requested`` more GiB (and a volume of ``per_volume`` GiB) over the quota."""
    if per_volume is not None:
        largest = _limit(sandbox, tx, project_id, "per_volume_gigabytes")
        if largest != UNLIMITED and per_volume > largest:
            raise OverLimit("VolumeSizeExceedsLimit",
                            f"Requested volume size {per_volume}G is larger than maximum "
                            f"allowed limit {largest}G.")
    used = usage(tx, project_id)["gigabytes"]
    exceeded = sandbox.quotas.check(tx, SERVICE, project_id, "gigabytes", in_use=used,
                                    requested=requested)
    if exceeded is not None:
        raise OverLimit("VolumeSizeExceedsAvailableQuota",
                        "Requested volume or snapshot exceeds allowed gigabytes quota. "
                        f"Requested {requested}G, quota is {exceeded.limit}G and "
                        f"{used}G has been consumed.")


def ensure_volume(sandbox: Sandbox, tx: Transaction, project_id: str, size: int) -> None:
    """A new volume of ``size`` GiB fits, or Cinder's 413."""
    ensure_gigabytes(sandbox, tx, project_id, size, per_volume=size)
    exceeded = sandbox.quotas.check(tx, SERVICE, project_id, "volumes",
                                    in_use=tx.count(VOLUME, project_id=project_id))
    if exceeded is not None:
        raise OverLimit("VolumeLimitExceeded",
                        f"Maximum number of volumes allowed ({exceeded.limit}) exceeded "
                        "for quota 'volumes'.")


def ensure_snapshot(sandbox: Sandbox, tx: Transaction, project_id: str, size: int) -> None:
    ensure_gigabytes(sandbox, tx, project_id, size)
    exceeded = sandbox.quotas.check(tx, SERVICE, project_id, "snapshots",
                                    in_use=tx.count(SNAPSHOT, project_id=project_id))
    if exceeded is not None:
        raise OverLimit("SnapshotLimitExceeded",
                        f"Maximum number of snapshots allowed ({exceeded.limit}) exceeded")


def _may_see(context: RequestContext, project_id: str) -> None:
    if not context.is_admin and context.project_id != project_id:
        raise Forbidden("Policy doesn't allow volume_extension:quotas:show to be performed.")


def _require_admin(context: RequestContext, action: str) -> None:
    if not context.is_admin:
        raise Forbidden(f"Policy doesn't allow volume_extension:quotas:{action} to be "
                        "performed.")


def _checked(changes: dict[str, Any]) -> dict[str, int]:
    checked: dict[str, int] = {}
    for name, value in changes.items():
        if name in {"id", "tenant_id", "project_id", "skip_validation"}:
            continue
        if name not in DEFAULTS:
            raise BadRequest(f"Bad key(s) in quota set: {name}")
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = -2
        if isinstance(value, bool) or number < UNLIMITED:
            raise BadRequest(f"Invalid input received: Quota value {value!r} for {name} "
                             "must be an integer of -1 or more.")
        checked[name] = number
    return checked


def routes(router: APIRouter) -> None:
    @router.get("/os-quota-sets/{target}/defaults")
    async def defaults(target: str, context: Context, sandbox: SandboxDep) -> dict[str, Any]:
        return {"quota_set": {"id": target, **sandbox.quotas.defaults(SERVICE)}}

    @router.get("/os-quota-sets/{target}")
    async def show(target: str, request: Request, context: Context,
                   sandbox: SandboxDep) -> dict[str, Any]:
        _may_see(context, target)
        with sandbox.transaction() as tx:
            limits = sandbox.quotas.limits(tx, SERVICE, target)
            if parse_bool(request.query_params.get("usage", "false")):
                used = usage(tx, target)
                return {"quota_set": {"id": target, **{
                    name: {"limit": limit, "in_use": used.get(name, 0), "reserved": 0,
                           "allocated": 0}
                    for name, limit in limits.items()}}}
            return {"quota_set": {"id": target, **limits}}

    @router.put("/os-quota-sets/{target}")
    async def update(target: str, request: Request, context: Context,
                     sandbox: SandboxDep) -> dict[str, Any]:
        _require_admin(context, "update")
        changes = _checked(member(await json_body(request), "quota_set"))
        with sandbox.transaction() as tx:
            return {"quota_set": sandbox.quotas.update(tx, SERVICE, target, changes)}

    @router.delete("/os-quota-sets/{target}")
    async def reset(target: str, context: Context, sandbox: SandboxDep) -> dict[str, Any]:
        _require_admin(context, "delete")
        with sandbox.transaction() as tx:
            sandbox.quotas.reset(tx, SERVICE, target)
        return {}

    @router.get("/limits")
    async def limits(context: Context, sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            limit = sandbox.quotas.limits(tx, SERVICE, context.project_id)
            used = usage(tx, context.project_id)
        return {"limits": {"rate": [], "absolute": {
            "maxTotalVolumes": limit["volumes"], "maxTotalSnapshots": limit["snapshots"],
            "maxTotalVolumeGigabytes": limit["gigabytes"],
            "maxTotalBackups": limit["backups"],
            "maxTotalBackupGigabytes": limit["backup_gigabytes"],
            "totalVolumesUsed": used["volumes"], "totalSnapshotsUsed": used["snapshots"],
            "totalGigabytesUsed": used["gigabytes"], "totalBackupsUsed": 0,
            "totalBackupGigabytesUsed": 0,
        }}}
