"""Nova ``/os-quota-sets``, ``/limits`` and ``/os-availability-zone``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from calor.identity.context import RequestContext
from calor.sandbox.auth import Context
from calor.sandbox.bodies import json_body, member
from calor.sandbox.compute.common import QUOTA_SERVICE, Version, at_least, invalid, require_admin
from calor.sandbox.compute.usage import DEFAULTS, usage
from calor.sandbox.microversions import Microversion
from calor.sandbox.runtime import SandboxDep
from calor.sandbox.states import iso8601

#: Network quotas Nova proxied before 2.36 (shown, never enforced here).
_LEGACY = {"floating_ips": 10, "fixed_ips": -1, "security_groups": 10,
           "security_group_rules": 20, "networks": -1}


def _shown(limits: dict[str, int], version: Microversion) -> dict[str, int]:
    shown = dict(limits)
    if not at_least(version, "2.36"):
        shown.update(_LEGACY)
    if at_least(version, "2.57"):
        for name in ("injected_files", "injected_file_content_bytes",
                     "injected_file_path_bytes"):
            shown.pop(name, None)
    return shown


def _may_see(context: RequestContext, project_id: str) -> None:
    if not context.is_admin and context.project_id != project_id:
        require_admin(False, "os_compute_api:os-quota-sets:show")


def routes(router: APIRouter) -> None:
    @router.get("/os-quota-sets/{project_id}/defaults")
    async def defaults(project_id: str, context: Context, version: Version,
                       sandbox: SandboxDep) -> dict[str, Any]:
        return {"quota_set": {"id": project_id,
                              **_shown(sandbox.quotas.defaults(QUOTA_SERVICE), version)}}

    @router.get("/os-quota-sets/{project_id}/detail")
    async def detail(project_id: str, context: Context, version: Version,
                     sandbox: SandboxDep) -> dict[str, Any]:
        _may_see(context, project_id)
        with sandbox.transaction() as tx:
            limits = _shown(sandbox.quotas.limits(tx, QUOTA_SERVICE, project_id), version)
            used = usage(tx, project_id)
        return {"quota_set": {"id": project_id, **{
            name: {"limit": limit, "in_use": used.get(name, 0), "reserved": 0}
            for name, limit in limits.items()}}}

    @router.get("/os-quota-sets/{project_id}")
    async def show(project_id: str, context: Context, version: Version,
                   sandbox: SandboxDep) -> dict[str, Any]:
        _may_see(context, project_id)
        with sandbox.transaction() as tx:
            limits = sandbox.quotas.limits(tx, QUOTA_SERVICE, project_id)
        return {"quota_set": {"id": project_id, **_shown(limits, version)}}

    @router.put("/os-quota-sets/{project_id}")
    async def update(project_id: str, request: Request, context: Context, version: Version,
                     sandbox: SandboxDep) -> dict[str, Any]:
        require_admin(context.is_admin, "os_compute_api:os-quota-sets:update")
        body = member(await json_body(request), "quota_set")
        body.pop("force", None)
        changes: dict[str, int] = {}
        for name, value in body.items():
            if name not in DEFAULTS and name not in _LEGACY:
                raise invalid("quota_set", body,
                              f"Additional properties are not allowed ('{name}' was "
                              "unexpected)")
            if isinstance(value, bool):
                raise invalid(name, value, f"{value!r} is not of type 'integer', 'string'")
            try:
                number = int(value)
            except (TypeError, ValueError):
                raise invalid(name, value, f"{value!r} is not of type 'integer', "
                              "'string'") from None
            if number < -1:
                raise invalid(name, value, f"{number} is less than the minimum of -1")
            if name in DEFAULTS:
                changes[name] = number
        with sandbox.transaction() as tx:
            limits = sandbox.quotas.update(tx, QUOTA_SERVICE, project_id, changes)
        return {"quota_set": _shown(limits, version)}

    @router.delete("/os-quota-sets/{project_id}")
    async def reset(project_id: str, context: Context, sandbox: SandboxDep) -> Response:
        require_admin(context.is_admin, "os_compute_api:os-quota-sets:delete")
        with sandbox.transaction() as tx:
            sandbox.quotas.reset(tx, QUOTA_SERVICE, project_id)
        return Response(status_code=202)

    @router.get("/limits")
    async def limits(request: Request, context: Context, version: Version,
                     sandbox: SandboxDep) -> dict[str, Any]:
        project = request.query_params.get("tenant_id") or context.project_id
        _may_see(context, project)
        with sandbox.transaction() as tx:
            limit = sandbox.quotas.limits(tx, QUOTA_SERVICE, project)
            used = usage(tx, project)
        absolute = {
            "maxServerMeta": limit["metadata_items"], "maxTotalKeypairs": limit["key_pairs"],
            "maxServerGroups": limit["server_groups"],
            "maxServerGroupMembers": limit["server_group_members"],
            "maxTotalCores": limit["cores"], "maxTotalInstances": limit["instances"],
            "maxTotalRAMSize": limit["ram"], "totalCoresUsed": used["cores"],
            "totalInstancesUsed": used["instances"], "totalRAMUsed": used["ram"],
            "totalServerGroupsUsed": used["server_groups"],
        }
        if not at_least(version, "2.57"):
            absolute.update({"maxPersonality": limit["injected_files"],
                             "maxPersonalitySize": limit["injected_file_content_bytes"]})
        if not at_least(version, "2.36"):
            absolute.update({"maxSecurityGroups": 10, "maxSecurityGroupRules": 20,
                             "maxTotalFloatingIps": 10, "totalFloatingIpsUsed": 0,
                             "totalSecurityGroupsUsed": 0})
        if not at_least(version, "2.39"):
            absolute["maxImageMeta"] = 128
        return {"limits": {"rate": [], "absolute": absolute}}

    @router.get("/os-availability-zone")
    async def availability_zones(context: Context) -> dict[str, Any]:
        return {"availabilityZoneInfo": [{"zoneName": "nova", "zoneState": {"available": True},
                                          "hosts": None}]}

    @router.get("/os-availability-zone/detail")
    async def availability_zones_detail(context: Context,
                                        sandbox: SandboxDep) -> dict[str, Any]:
        require_admin(context.is_admin, "os_compute_api:os-availability-zone:detail")
        service = {"available": True, "active": True, "updated_at": iso8601(
            sandbox.store.now(), micro=True)}
        return {"availabilityZoneInfo": [
            {"zoneName": "internal", "zoneState": {"available": True},
             "hosts": {"sandbox": {"nova-conductor": service, "nova-scheduler": service}}},
            {"zoneName": "nova", "zoneState": {"available": True},
             "hosts": {"sandbox": {"nova-compute": service}}},
        ]}
