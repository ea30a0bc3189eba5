"""Nova server groups: ``/os-server-groups`` (policies before 2.64, policy and rules since)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request, Response

from calor.identity.context import RequestContext
from calor.sandbox.auth import Context
from calor.sandbox.bodies import json_body, member, page, parse_bool
from calor.sandbox.compute.common import (
    QUOTA_SERVER_GROUPS,
    SERVER_GROUP,
    Version,
    at_least,
    check_string,
    invalid,
)
from calor.sandbox.compute.usage import ensure_room
from calor.sandbox.errors import Forbidden, NotFound
from calor.sandbox.microversions import Microversion
from calor.sandbox.runtime import Sandbox, SandboxDep
from calor.sandbox.states import Body
from calor.sandbox.store import Transaction

POLICIES = ("affinity", "anti-affinity", "soft-affinity", "soft-anti-affinity")


def group_missing(group_id: str) -> NotFound:
    return NotFound(f"Instance group {group_id} could not be found.")


def get_group(tx: Transaction, group_id: str, context: RequestContext) -> Body:
    group = tx.get(SERVER_GROUP, group_id)
    if group is None or not (context.is_admin or group["project_id"] == context.project_id):
        raise group_missing(group_id)
    return group


def add_member(sandbox: Sandbox, tx: Transaction, group: Body, server_id: str) -> None:
    """Put a new server in its group, within the group-members quota."""
    exceeded = sandbox.quotas.check(tx, "compute", group["project_id"], "server_group_members",
                                    in_use=len(group["members"]))
    if exceeded is not None:
        raise Forbidden("Quota exceeded, too many servers in group")
    group["members"].append(server_id)
    tx.save(SERVER_GROUP, group)


def remove_member(tx: Transaction, server_id: str) -> None:
    for group in tx.list(SERVER_GROUP):
        if server_id in group["members"]:
            group["members"] = [m for m in group["members"] if m != server_id]
            tx.save(SERVER_GROUP, group)


def view(group: Body, version: Microversion) -> Body:
    shown = {"id": group["id"], "name": group["name"], "members": list(group["members"])}
    if at_least(version, "2.64"):
        shown.update({"policy": group["policy"], "rules": dict(group["rules"])})
    else:
        shown.update({"policies": [group["policy"]], "metadata": {}})
    if at_least(version, "2.13"):
        shown.update({"project_id": group["project_id"], "user_id": group["user_id"]})
    return shown


def routes(router: APIRouter) -> None:
    @router.get("/os-server-groups")
    async def list_groups(request: Request, context: Context, version: Version,
                          sandbox: SandboxDep) -> dict[str, Any]:
        everyone = context.is_admin and parse_bool(
            request.query_params.get("all_projects", "false"))
        with sandbox.transaction() as tx:
            found = [g for g in tx.list(SERVER_GROUP)
                     if everyone or g["project_id"] == context.project_id]
        shown, _more = page(found, limit=request.query_params.get("limit"),
                            marker=None)
        offset = request.query_params.get("offset")
        if offset:
            shown = shown[int(offset):] if offset.isdigit() else shown
        return {"server_groups": [view(g, version) for g in shown]}

    @router.get("/os-server-groups/{group_id}")
    async def show_group(group_id: str, context: Context, version: Version,
                         sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            return {"server_group": view(get_group(tx, group_id, context), version)}

    @router.post("/os-server-groups")
    async def create_group(request: Request, context: Context, version: Version,
                           sandbox: SandboxDep) -> dict[str, Any]:
        body = member(await json_body(request), "server_group")
        name = check_string("name", body.get("name"), minimum=1)
        rules: dict[str, Any] = {}
        if at_least(version, "2.64"):
            policy = body.get("policy")
            rules = body.get("rules") or {}
            if not isinstance(rules, dict) or set(rules) - {"max_server_per_host"}:
                raise invalid("rules", rules, "only 'max_server_per_host' is allowed")
            if rules and policy != "anti-affinity":
                raise invalid("rules", rules, "Only anti-affinity policy supports rules.")
        else:
            policies = body.get("policies")
            if not isinstance(policies, list) or len(policies) != 1:
                raise invalid("policies", policies, "exactly one policy is required")
            policy = policies[0]
        if policy not in POLICIES:
            raise invalid("policy", policy, f"{policy!r} is not one of {list(POLICIES)}")
        await sandbox.faults.gate("compute.server_group.create")
        with sandbox.transaction() as tx:
            ensure_room(sandbox, tx, context.project_id, {QUOTA_SERVER_GROUPS: 1})
            group = tx.insert(SERVER_GROUP, {
                "id": str(uuid.uuid4()), "name": name, "policy": policy, "rules": rules,
                "members": [], "project_id": context.project_id, "user_id": context.user_id,
            }, project_id=context.project_id)
        return {"server_group": view(group, version)}

    @router.delete("/os-server-groups/{group_id}")
    async def delete_group(group_id: str, context: Context, sandbox: SandboxDep) -> Response:
        await sandbox.faults.gate("compute.server_group.delete")
        with sandbox.transaction() as tx:
            get_group(tx, group_id, context)
            tx.delete(SERVER_GROUP, group_id)
        return Response(status_code=204)
