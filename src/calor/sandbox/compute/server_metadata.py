"""``/servers/{id}/metadata``: a server's key/value metadata."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from calor.identity.context import RequestContext
from calor.sandbox.auth import Context
from calor.sandbox.bodies import json_body, member
from calor.sandbox.compute.common import QUOTA_SERVICE, SERVER, check_metadata
from calor.sandbox.compute.servers import check_unlocked, get_server
from calor.sandbox.errors import BadRequest, Forbidden, NotFound
from calor.sandbox.runtime import Sandbox, SandboxDep
from calor.sandbox.states import Body, iso8601
from calor.sandbox.store import Transaction


def _save(sandbox: Sandbox, tx: Transaction, server: Body, metadata: dict[str, str]) -> None:
    limit = sandbox.quotas.limit(tx, QUOTA_SERVICE, server["tenant_id"], "metadata_items")
    if 0 <= limit < len(metadata):
        raise Forbidden(f"Quota exceeded for metadata_items: Requested {len(metadata)}, but "
                        f"already used 0 of {limit} metadata_items")
    server["metadata"] = metadata
    server["updated"] = iso8601(tx.now)
    tx.save(SERVER, server)


def _writable(tx: Transaction, server_id: str, context: RequestContext) -> Body:
    server = get_server(tx, server_id, context)
    check_unlocked(server, context)
    return server


def routes(router: APIRouter) -> None:
    @router.get("/servers/{server_id}/metadata")
    async def show_metadata(server_id: str, context: Context,
                            sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            return {"metadata": get_server(tx, server_id, context)["metadata"]}

    @router.post("/servers/{server_id}/metadata")
    async def merge_metadata(server_id: str, request: Request, context: Context,
                             sandbox: SandboxDep) -> dict[str, Any]:
        changes = check_metadata("metadata", member(await json_body(request), "metadata"))
        with sandbox.transaction() as tx:
            server = _writable(tx, server_id, context)
            _save(sandbox, tx, server, {**server["metadata"], **changes})
        return {"metadata": server["metadata"]}

    @router.put("/servers/{server_id}/metadata")
    async def replace_metadata(server_id: str, request: Request, context: Context,
                               sandbox: SandboxDep) -> dict[str, Any]:
        metadata = check_metadata("metadata", member(await json_body(request), "metadata"))
        with sandbox.transaction() as tx:
            server = _writable(tx, server_id, context)
            _save(sandbox, tx, server, metadata)
        return {"metadata": metadata}

    @router.get("/servers/{server_id}/metadata/{key}")
    async def show_item(server_id: str, key: str, context: Context,
                        sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            metadata = get_server(tx, server_id, context)["metadata"]
        if key not in metadata:
            raise NotFound("Metadata item was not found")
        return {"meta": {key: metadata[key]}}

    @router.put("/servers/{server_id}/metadata/{key}")
    async def set_item(server_id: str, key: str, request: Request, context: Context,
                       sandbox: SandboxDep) -> dict[str, Any]:
        meta = check_metadata("meta", member(await json_body(request), "meta"))
        if len(meta) > 1:
            raise BadRequest("Request body contains too many items")
        if key not in meta:
            raise BadRequest("Request body and URI mismatch")
        with sandbox.transaction() as tx:
            server = _writable(tx, server_id, context)
            _save(sandbox, tx, server, {**server["metadata"], **meta})
        return {"meta": meta}

    @router.delete("/servers/{server_id}/metadata/{key}")
    async def delete_item(server_id: str, key: str, context: Context,
                          sandbox: SandboxDep) -> Response:
        with sandbox.transaction() as tx:
            server = _writable(tx, server_id, context)
            if key not in server["metadata"]:
                raise NotFound("Metadata item was not found")
            _save(sandbox, tx, server,
                  {k: v for k, v in server["metadata"].items() if k != key})
        return Response(status_code=204)
