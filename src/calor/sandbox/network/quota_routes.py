"""Neutron quotas: defaults, usage counts, the over-quota refusal and ``/v2.0/quotas``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from calor.identity.context import RequestContext
from calor.sandbox.auth import Context
from calor.sandbox.bodies import json_body, member
from calor.sandbox.errors import BadRequest, Conflict, Forbidden
from calor.sandbox.network.common import (
    FLOATINGIP,
    NETWORK,
    PORT,
    ROUTER,
    SECURITY_GROUP,
    SECURITY_GROUP_RULE,
    SUBNET,
)
from calor.sandbox.runtime import Sandbox, SandboxDep
from calor.sandbox.store import Transaction

SERVICE = "network"

#: Neutron's default quotas.
DEFAULTS = {"network": 100, "subnet": 100, "subnetpool": -1, "port": 500, "router": 10,
            "floatingip": 50, "security_group": 10, "security_group_rule": 100,
            "rbac_policy": 10}

#: Which record kind each quota counts.
COUNTED = {"network": NETWORK, "subnet": SUBNET, "port": PORT, "router": ROUTER,
           "floatingip": FLOATINGIP, "security_group": SECURITY_GROUP,
           "security_group_rule": SECURITY_GROUP_RULE}


def usage(tx: Transaction, project_id: str, resource: str) -> int:
    kind = COUNTED.get(resource)
    return 0 if kind is None else tx.count(kind, project_id=project_id)


def ensure_quota(sandbox: Sandbox, tx: Transaction, project_id: str, resource: str,
                 requested: int = 1) -> None:
    """Refuse with Neutron's OverQuota (409) when ``requested`` more do not fit."""
    exceeded = sandbox.quotas.check(tx, SERVICE, project_id, resource,
                                    in_use=usage(tx, project_id, resource),
                                    requested=requested)
    if exceeded is not None:
        raise Conflict(f"Quota exceeded for resources: ['{resource}'].", code="OverQuota")


def _may_see(context: RequestContext, project_id: str) -> None:
    if not context.is_admin and context.project_id != project_id:
        raise Forbidden("(rule:get_quota) is disallowed by policy", code="PolicyNotAuthorized")


def routes(router: APIRouter) -> None:
    @router.get("/quotas")
    async def list_quotas(context: Context, sandbox: SandboxDep) -> dict[str, Any]:
        if not context.is_admin:
            raise Forbidden("(rule:get_quota) is disallowed by policy",
                            code="PolicyNotAuthorized")
        with sandbox.transaction() as tx:
            return {"quotas": [
                {**sandbox.quotas.limits(tx, SERVICE, project), "project_id": project,
                 "tenant_id": project}
                for project in sandbox.quotas.projects_with_limits(tx, SERVICE)
            ]}

    @router.get("/quotas/{project_id}/default")
    async def defaults(project_id: str, context: Context,
                       sandbox: SandboxDep) -> dict[str, Any]:
        return {"quota": sandbox.quotas.defaults(SERVICE)}

    @router.get("/quotas/{project_id}/details")
    async def details(project_id: str, context: Context,
                      sandbox: SandboxDep) -> dict[str, Any]:
        _may_see(context, project_id)
        with sandbox.transaction() as tx:
            limits = sandbox.quotas.limits(tx, SERVICE, project_id)
            return {"quota": {name: {"limit": limit, "used": usage(tx, project_id, name),
                                     "reserved": 0} for name, limit in limits.items()}}

    @router.get("/quotas/{project_id}")
    async def show(project_id: str, context: Context, sandbox: SandboxDep) -> dict[str, Any]:
        _may_see(context, project_id)
        with sandbox.transaction() as tx:
            return {"quota": sandbox.quotas.limits(tx, SERVICE, project_id)}

    @router.put("/quotas/{project_id}")
    async def update(project_id: str, request: Request, context: Context,
                     sandbox: SandboxDep) -> dict[str, Any]:
        if not context.is_admin:
            raise Forbidden("(rule:update_quota) is disallowed by policy",
                            code="PolicyNotAuthorized")
        changes = member(await json_body(request), "quota")
        checked: dict[str, int] = {}
        for name, value in changes.items():
            if name not in DEFAULTS:
                raise BadRequest(f"Unrecognized attribute(s) '{name}'", code="HTTPBadRequest")
            try:
                number = int(value)
            except (TypeError, ValueError):
                number = -2
            if isinstance(value, bool) or number < -1:
                raise BadRequest(f"Invalid input for {name}. Reason: '{value}' is not a valid "
                                 "quota value (an integer of -1 or more).",
                                 code="HTTPBadRequest")
            checked[name] = number
        with sandbox.transaction() as tx:
            return {"quota": sandbox.quotas.update(tx, SERVICE, project_id, checked)}

    @router.delete("/quotas/{project_id}")
    async def reset(project_id: str, context: Context, sandbox: SandboxDep) -> Response:
        if not context.is_admin:
            raise Forbidden("(rule:delete_quota) is disallowed by policy",
                            code="PolicyNotAuthorized")
        with sandbox.transaction() as tx:
            sandbox.quotas.reset(tx, SERVICE, project_id)
        return Response(status_code=204)
