"""``/{volumes|snapshots}/{id}/metadata[/{key}]``: a resource's metadata, as Cinder serves it.

``POST`` merges keys in, ``PUT`` replaces the whole set; one key can be
shown, set (``{"meta": {"k": "v"}}``) or deleted on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request

from calor.identity.context import RequestContext
from calor.sandbox.auth import Context
from calor.sandbox.bodies import json_body
from calor.sandbox.errors import BadRequest, NotFound
from calor.sandbox.runtime import SandboxDep
from calor.sandbox.states import Body
from calor.sandbox.store import Transaction
from calor.sandbox.volume.common import metadata_field

Getter = Callable[[Transaction, str, RequestContext], Body]


def _body_member(body: Any, key: str) -> dict[str, str]:
    if not isinstance(body, dict) or key not in body:
        raise BadRequest("Malformed request body")
    return metadata_field(body[key], key)


def metadata_routes(router: APIRouter, collection: str, kind: str, title: str,
                    get: Getter) -> None:
    """Add the metadata routes of ``collection`` (records of ``kind``) to ``router``."""
    base = f"/{collection}/{{resource_id}}/metadata"

    def missing_key(resource_id: str, key: str) -> NotFound:
        return NotFound(f"{title} {resource_id} has no metadata with key {key}.")

    @router.get(base)
    async def show_all(resource_id: str, context: Context,
                       sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            return {"metadata": get(tx, resource_id, context).get("metadata", {})}

    async def _write(resource_id: str, request: Request, context: RequestContext,
                     sandbox: SandboxDep, *, replace: bool) -> dict[str, Any]:
        changes = _body_member(await json_body(request), "metadata")
        with sandbox.transaction() as tx:
            body = get(tx, resource_id, context)
            body["metadata"] = changes if replace else {**body.get("metadata", {}),
                                                        **changes}
            tx.save(kind, body)
            return {"metadata": body["metadata"]}

    @router.post(base)
    async def merge(resource_id: str, request: Request, context: Context,
                    sandbox: SandboxDep) -> dict[str, Any]:
        return await _write(resource_id, request, context, sandbox, replace=False)

    @router.put(base)
    async def replace(resource_id: str, request: Request, context: Context,
                      sandbox: SandboxDep) -> dict[str, Any]:
        return await _write(resource_id, request, context, sandbox, replace=True)

    @router.get(base + "/{key}")
    async def show_one(resource_id: str, key: str, context: Context,
                       sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            metadata = get(tx, resource_id, context).get("metadata", {})
        if key not in metadata:
            raise missing_key(resource_id, key)
        return {"meta": {key: metadata[key]}}

    @router.put(base + "/{key}")
    async def set_one(resource_id: str, key: str, request: Request, context: Context,
                      sandbox: SandboxDep) -> dict[str, Any]:
        meta = _body_member(await json_body(request), "meta")
        if len(meta) > 1:
            raise BadRequest("Request body contains too many items.")
        if key not in meta:
            raise BadRequest("Request body and URI mismatch")
        with sandbox.transaction() as tx:
            body = get(tx, resource_id, context)
            body.setdefault("metadata", {})[key] = meta[key]
            tx.save(kind, body)
        return {"meta": meta}

    @router.delete(base + "/{key}")
    async def delete_one(resource_id: str, key: str, context: Context,
                         sandbox: SandboxDep) -> dict[str, Any]:
        with sandbox.transaction() as tx:
            body = get(tx, resource_id, context)
            if key not in body.get("metadata", {}):
                raise missing_key(resource_id, key)
            del body["metadata"][key]
            tx.save(kind, body)
        return {}
