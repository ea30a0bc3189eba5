"""Swift accounts: ``GET`` lists containers, ``HEAD`` shows counts, ``POST`` sets metadata."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from calor.sandbox.errors import Forbidden
from calor.sandbox.object_store import listing, metadata, records
from calor.sandbox.object_store.access import FORBIDDEN, Caller, authorize
from calor.sandbox.object_store.common import (
    API_ROOT,
    http_date,
    listing_time,
    trans_id,
    x_timestamp,
)
from calor.sandbox.runtime import SandboxDep
from calor.sandbox.states import Body
from calor.sandbox.store import Transaction

POLICY = "X-Account-Storage-Policy-Policy-0"


def require_write(caller: Caller) -> None:
    """Readers (and anonymous callers) may not change anything."""
    if caller.context is not None and not caller.context.can_write:
        raise Forbidden(FORBIDDEN)


def account_headers(tx: Transaction, account: str) -> dict[str, str]:
    body = records.account(tx, account)
    containers = records.containers(tx, account)
    usage = [records.usage(tx, container) for container in containers]
    objects, used = sum(u[0] for u in usage), sum(u[1] for u in usage)
    return {"X-Account-Container-Count": str(len(containers)),
            "X-Account-Object-Count": str(objects), "X-Account-Bytes-Used": str(used),
            f"{POLICY}-Container-Count": str(len(containers)),
            f"{POLICY}-Object-Count": str(objects), f"{POLICY}-Bytes-Used": str(used),
            "X-Timestamp": x_timestamp(float(body["timestamp"])),
            "X-Put-Timestamp": x_timestamp(float(body["timestamp"])),
            "Accept-Ranges": "bytes",
            **metadata.as_headers(body["metadata"], "Account"), **trans_id()}


def routes(router: APIRouter) -> None:
    @router.api_route(API_ROOT + "/{account}", methods=["GET", "HEAD", "POST"])
    @router.api_route(API_ROOT + "/{account}/", methods=["GET", "HEAD", "POST"])
    async def account_request(account: str, request: Request,
                              sandbox: SandboxDep) -> Response:
        caller = await authorize(request, sandbox, account)
        if request.method == "POST":
            require_write(caller)
            with sandbox.transaction() as tx:
                body = records.account(tx, account)
                body["metadata"] = metadata.updated(body["metadata"], request.headers,
                                                    "Account")
                records.save_account(tx, body, caller.project_id)
            return Response(status_code=204, headers=trans_id())
        with sandbox.transaction() as tx:
            headers = account_headers(tx, account)
            if request.method == "HEAD":
                return Response(status_code=204, headers=headers)
            wanted = listing.query(request)
            containers = records.containers(tx, account)
            shown = listing.select(containers, wanted)
            sizes = {c["id"]: records.usage(tx, c) for c in shown if not isinstance(c, str)}

        def entry(container: Body) -> listing.Entry:
            count, used = sizes[container["id"]]
            return {"name": container["name"], "count": count, "bytes": used,
                    "last_modified": listing_time(float(container["timestamp"]))}

        headers["Last-Modified"] = http_date(tx.now)
        return listing.render(wanted, shown, entry, ("account", account, "container"),
                              headers)
