"""Nova servers: ``/servers`` (+ ``/detail``), show, create, update, delete."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from calor.identity.context import RequestContext
from calor.sandbox.auth import Context
from calor.sandbox.bodies import json_body, member, page, parse_bool
from calor.sandbox.compute import hooks, server_ports
from calor.sandbox.compute.common import SERVER, Version, at_least, check_string, links
from calor.sandbox.compute.server_create import create, parse
from calor.sandbox.compute.server_groups import remove_member
from calor.sandbox.compute.server_states import remove_later
from calor.sandbox.compute.server_views import Addresses, detail, summary
from calor.sandbox.errors import BadRequest, Conflict, NotFound
from calor.sandbox.microversions import Microversion
from calor.sandbox.runtime import Sandbox, SandboxDep
from calor.sandbox.states import Body, iso8601
from calor.sandbox.store import Transaction

_ADMIN_FILTERS = {"host", "node", "project_id", "tenant_id", "user_id"}


def server_missing(server_id: str) -> NotFound:
    return NotFound(f"Instance {server_id} could not be found.")


def get_server(tx: Transaction, server_id: str, context: RequestContext) -> Body:
    server = tx.get(SERVER, server_id)
    if server is None or not (context.is_admin or server["tenant_id"] == context.project_id):
        raise server_missing(server_id)
    return server


def check_unlocked(server: Body, context: RequestContext) -> None:
    if server.get("locked") and not context.is_admin:
        raise Conflict(f"Instance {server['id']} is locked")


def _regex(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error:
        return re.compile(re.escape(pattern))


def _tags_match(kind: str, wanted: set[str], tags: set[str]) -> bool:
    if kind == "tags":
        return wanted <= tags
    if kind == "tags-any":
        return bool(wanted & tags)
    if kind == "not-tags":
        return not wanted <= tags
    return not wanted & tags


def _filtered(request: Request, context: RequestContext, servers: list[Body],
              addresses: Addresses) -> list[Body]:
    params = request.query_params
    everyone = context.is_admin and parse_bool(params.get("all_tenants",
                                                          params.get("all_projects", "0")))
    if parse_bool(params.get("deleted", "false")):
        return []
    found = servers if everyone else [s for s in servers
                                      if s["tenant_id"] == context.project_id]
    for key, value in params.multi_items():
        if key in _ADMIN_FILTERS and not context.is_admin:
            continue
        if key == "name":
            pattern = _regex(value)
            found = [s for s in found if pattern.search(s["name"])]
        elif key == "status":
            found = [s for s in found if s["status"] == value.upper()]
        elif key == "image":
            found = [s for s in found if s["image"] == value.rstrip("/").rsplit("/", 1)[-1]]
        elif key == "flavor":
            found = [s for s in found if s["flavor"]["id"] == value]
        elif key in {"ip", "ip6"}:
            pattern = _regex(value)
            found = [s for s in found if any(
                pattern.search(a["addr"]) and a["version"] == (4 if key == "ip" else 6)
                for entries in addresses.of(s["id"]).values() for a in entries)]
        elif key == "changes-since":
            found = [s for s in found if s["updated"] >= value]
        elif key == "changes-before":
            found = [s for s in found if s["updated"] <= value]
        elif key in {"project_id", "tenant_id"}:
            found = [s for s in found if s["tenant_id"] == value]
        elif key in {"user_id", "key_name", "reservation_id"}:
            field = "OS-EXT-SRV-ATTR:reservation_id" if key == "reservation_id" else key
            found = [s for s in found if s.get(field) == value]
        elif key == "host":
            found = [s for s in found if s.get("OS-EXT-SRV-ATTR:host") == value]
        elif key == "availability_zone":
            found = [s for s in found if s.get("OS-EXT-AZ:availability_zone") == value]
        elif key == "locked":
            found = [s for s in found if s.get("locked") == parse_bool(value)]
        elif key in {"tags", "tags-any", "not-tags", "not-tags-any"}:
            found = [s for s in found if _tags_match(key, set(value.split(",")),
                                                     set(s.get("tags", [])))]
    sort_key = {"created_at": "created", "updated_at": "updated", "display_name": "name",
                "uuid": "id"}.get(params.get("sort_key", "created_at"),
                                  params.get("sort_key", "created"))
    descending = params.get("sort_dir", "desc") != "asc"
    if sort_key == "created":
        # Creation to the microsecond, so servers made in one second keep their order.
        return sorted(found, key=lambda s: float(s.get("_created_at", 0.0)),
                      reverse=descending)
    return sorted(found, key=lambda s: str(s.get(sort_key, "")), reverse=descending)


def _listing(request: Request, context: RequestContext, version: Microversion,
             tx: Transaction, *, full: bool) -> dict[str, Any]:
    servers = tx.list(SERVER)
    addresses = Addresses(tx, [s["id"] for s in servers])
    found = _filtered(request, context, servers, addresses)
    shown, more = page(found, limit=request.query_params.get("limit"),
                       marker=request.query_params.get("marker"))
    key = "servers"
    answer: dict[str, Any] = {key: [
        detail(s, addresses, version, request, context) if full else summary(s, request)
        for s in shown]}
    if more and shown:
        answer["servers_links"] = [{"rel": "next", "href": str(
            request.url.include_query_params(marker=shown[-1]["id"]))}]
    return answer


def show(tx: Transaction, server: Body, version: Microversion, request: Request,
         context: RequestContext) -> Body:
    return detail(server, Addresses(tx, [server["id"]]), version, request, context)


def routes(router: APIRouter) -> None:
    @router.get("/servers")
    async def list_servers(request: Request, context: Context, version: Version,
                           sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            return _listing(request, context, version, tx, full=False)

    @router.get("/servers/detail")
    async def list_servers_detail(request: Request, context: Context, version: Version,
                                  sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            return _listing(request, context, version, tx, full=True)

    @router.get("/servers/{server_id}")
    async def show_server(server_id: str, request: Request, context: Context,
                          version: Version, sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            server = get_server(tx, server_id, context)
            return {"server": show(tx, server, version, request, context)}

    @router.post("/servers")
    async def create_server(request: Request, context: Context, version: Version,
                            sandbox: SandboxDep) -> Response:
        wanted = parse(await json_body(request), version)
        with sandbox.transaction() as tx:
            servers, reservation = create(sandbox, tx, wanted, context)
        first = servers[0]
        if wanted.return_reservation_id:
            return JSONResponse({"reservation_id": reservation}, status_code=202)
        answer = {"id": first["id"], "links": links(request, "servers", first["id"]),
                  "OS-DCF:diskConfig": first["OS-DCF:diskConfig"],
                  "security_groups": first["security_groups"],
                  "adminPass": first["_admin_pass"]}
        return JSONResponse({"server": answer}, status_code=202,
                            headers={"Location": answer["links"][0]["href"]})

    @router.put("/servers/{server_id}")
    async def update_server(server_id: str, request: Request, context: Context,
                            version: Version, sandbox: SandboxDep) -> dict[str, Any]:
        changes = member(await json_body(request), "server")
        allowed = {"name", "accessIPv4", "accessIPv6", "OS-DCF:diskConfig"}
        if at_least(version, "2.19"):
            allowed.add("description")
        if at_least(version, "2.90"):
            allowed.add("hostname")
        unknown = sorted(set(changes) - allowed)
        if unknown:
            raise BadRequest(f"Invalid input for field/attribute server. Value: {changes}. "
                             f"Additional properties are not allowed ('{unknown[0]}' was "
                             "unexpected)")
        if "name" in changes:
            check_string("name", changes["name"], minimum=1)
        await sandbox.faults.gate("compute.server.update")
        with sandbox.transaction() as tx:
            server = get_server(tx, server_id, context)
            check_unlocked(server, context)
            server.update(changes)
            server["updated"] = iso8601(tx.now)
            tx.save(SERVER, server)
            return {"server": show(tx, server, version, request, context)}

    @router.delete("/servers/{server_id}")
    async def delete_server(server_id: str, context: Context,
                            sandbox: SandboxDep) -> Response:
        with sandbox.transaction() as tx:
            server = get_server(tx, server_id, context)
            check_unlocked(server, context)
            delete(sandbox, tx, server)
        return Response(status_code=204)


def delete(sandbox: Sandbox, tx: Transaction, server: Body) -> None:
    """Everything a server delete does: volumes, group, ports, then the server itself."""
    for hook in hooks.hooks():
        hook.on_delete(sandbox, tx, server)
    remove_member(tx, server["id"])
    server_ports.detach_all(tx, server)
    server["_created_ports"] = []
    remove_later(sandbox, tx, server)
