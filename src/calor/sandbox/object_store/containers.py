"""Swift containers: ``PUT`` creates (201) or updates (202), ``GET`` lists objects,
``HEAD`` shows counts, ``POST`` sets metadata, ``DELETE`` only when empty (else 409)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from calor.sandbox.errors import Conflict
from calor.sandbox.object_store import large_objects, listing, metadata, records
from calor.sandbox.object_store.access import authorize
from calor.sandbox.object_store.accounts import require_write
from calor.sandbox.object_store.common import (
    API_ROOT,
    CONTAINER,
    check_container_name,
    container_missing,
    http_date,
    trans_id,
    x_timestamp,
)
from calor.sandbox.runtime import Sandbox, SandboxDep
from calor.sandbox.states import Body
from calor.sandbox.store import Transaction

CONFLICT = "There was a conflict when trying to complete your request."


def container_headers(tx: Transaction, container: Body) -> dict[str, str]:
    count, used = records.usage(tx, container)
    stamp = float(container["timestamp"])
    return {"X-Container-Object-Count": str(count), "X-Container-Bytes-Used": str(used),
            "X-Timestamp": x_timestamp(stamp), "X-Put-Timestamp": x_timestamp(stamp),
            "Last-Modified": http_date(stamp), "X-Storage-Policy": container["storage_policy"],
            "Accept-Ranges": "bytes", **container["settings"],
            **metadata.as_headers(container["metadata"], "Container"), **trans_id()}


def _object_entry(tx: Transaction, body: Body) -> listing.Entry:
    manifest = body.get("manifest")
    if manifest is not None and manifest["kind"] == large_objects.STATIC:
        return {"name": body["name"], "bytes": body["bytes"], "hash": manifest["etag"],
                "content_type": body["content_type"], "last_modified": body["last_modified"],
                "slo_etag": f'"{manifest["etag"]}"'}
    return {"name": body["name"], "bytes": body["bytes"], "hash": body["hash"],
            "content_type": body["content_type"], "last_modified": body["last_modified"]}


async def container_request(sandbox: Sandbox, request: Request, account: str,
                            container: str) -> Response:
    """One request on a container, whatever its method."""
    check_container_name(container)
    caller = await authorize(request, sandbox, account, container)
    method = request.method
    if method in {"PUT", "POST", "DELETE"}:
        require_write(caller)
    with sandbox.transaction() as tx:
        found = records.container(tx, account, container)
        if method == "PUT":
            settings = metadata.container_settings({}, request.headers)
            if found is None:
                records.new_container(tx, account, container,
                                      metadata.updated({}, request.headers, "Container"),
                                      settings)
                return Response(status_code=201, headers=trans_id())
            _update(tx, found, request)
            return Response(status_code=202, headers=trans_id())
        if found is None:
            raise container_missing()
        if method == "POST":
            _update(tx, found, request)
            return Response(status_code=204, headers=trans_id())
        if method == "DELETE":
            if records.usage(tx, found)[0]:
                raise Conflict(CONFLICT)
            tx.delete(CONTAINER, found["id"])
            return Response(status_code=204, headers=trans_id())
        headers = container_headers(tx, found)
        if method == "HEAD":
            return Response(status_code=204, headers=headers)
        wanted = listing.query(request)
        shown = listing.select(records.objects(tx, found), wanted)
        entries = {item["id"]: _object_entry(tx, item) for item in shown
                   if not isinstance(item, str)}
    return listing.render(wanted, shown, lambda body: entries[body["id"]],
                          ("container", container, "object"), headers)


def _update(tx: Transaction, found: Body, request: Request) -> None:
    found["metadata"] = metadata.updated(found["metadata"], request.headers, "Container")
    found["settings"] = metadata.container_settings(found["settings"], request.headers)
    tx.save(CONTAINER, found)


def routes(router: APIRouter) -> None:
    @router.api_route(API_ROOT + "/{account}/{container}",
                      methods=["GET", "HEAD", "PUT", "POST", "DELETE"])
    async def container_route(account: str, container: str, request: Request,
                              sandbox: SandboxDep) -> Response:
        return await container_request(sandbox, request, account, container)
