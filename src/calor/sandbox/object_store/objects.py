"""``/object-store/v1/{account}/{container}/{object}``: every method on one object.

The path's rest is the object's name, slashes and all; an empty rest
(``.../c1/``) is the container itself.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from calor.sandbox.errors import NotFound
from calor.sandbox.object_store import object_reads, object_writes, records
from calor.sandbox.object_store.access import authorize
from calor.sandbox.object_store.accounts import require_write
from calor.sandbox.object_store.common import (
    API_ROOT,
    check_container_name,
    container_missing,
)
from calor.sandbox.object_store.containers import container_request
from calor.sandbox.runtime import SandboxDep

METHODS = ["GET", "HEAD", "PUT", "POST", "DELETE", "COPY"]

#: What each method costs in fault injection terms (synchronous operations).
OPERATIONS = {"GET": "download", "HEAD": "show", "PUT": "upload", "POST": "update",
              "DELETE": "delete", "COPY": "copy"}


def routes(router: APIRouter) -> None:
    @router.api_route(API_ROOT + "/{account}/{container}/{object_name:path}",
                      methods=METHODS)
    async def object_request(account: str, container: str, object_name: str,
                             request: Request, sandbox: SandboxDep) -> Response:
        if not object_name:
            return await container_request(sandbox, request, account, container)
        check_container_name(container)
        caller = await authorize(request, sandbox, account, container, object_name)
        method = request.method
        if method != "GET" and method != "HEAD":
            require_write(caller)
        await sandbox.faults.gate(f"object_store.object.{OPERATIONS[method]}")
        if method == "PUT":
            return await object_writes.put(sandbox.transaction, request, account, container,
                                           object_name)
        with sandbox.transaction() as tx:
            found = records.container(tx, account, container)
            if found is None:
                raise container_missing()
            body = records.get_object(tx, found, object_name)
            if body is None:
                raise NotFound("The resource could not be found.")
            if method in {"GET", "HEAD"}:
                return object_reads.read(tx, request, body)
            if method == "COPY":
                return object_writes.copy(tx, request, account, body)
            if method == "POST":
                return object_writes.post(tx, request, body)
            return object_writes.delete(tx, request, body)
