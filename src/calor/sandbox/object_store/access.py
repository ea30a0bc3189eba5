"""Who may touch an account: its project's token, a temporary URL, or a public read ACL.

As with Swift's keystoneauth, a token scoped to the account's project may do
anything there; a token of another project is refused with 403 (admins are
let in, as the sandbox's stand-in for Swift's reseller admin). Without a
token, a valid temporary URL opens one object, and a container whose
``X-Container-Read`` holds ``.r:*`` may be read by anyone (listed too with
``.rlistings``); anything else is a 401.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from calor.identity.context import RequestContext
from calor.sandbox.auth import authenticated
from calor.sandbox.errors import Forbidden, Unauthorized
from calor.sandbox.object_store import records, temp_urls
from calor.sandbox.object_store.common import project_of_account
from calor.sandbox.runtime import Sandbox

FORBIDDEN = "Access was denied to this resource."
_KEYS = ("Temp-Url-Key", "Temp-Url-Key-2")


@dataclass(frozen=True)
class Caller:
    """Who a request acts as: the account's project, and the token's context if any."""

    project_id: str
    context: RequestContext | None

    @property
    def anonymous(self) -> bool:
        return self.context is None


def _public_read(sandbox: Sandbox, request: Request, account: str, container: str | None,
                 object_name: str | None) -> bool:
    if request.method not in {"GET", "HEAD"} or not container:
        return False
    with sandbox.transaction() as tx:
        found = records.container(tx, account, container)
    if found is None:
        return False
    acl = {part.strip() for part in found["settings"].get("X-Container-Read", "").split(",")}
    if not any(part.startswith(".r:") and not part.startswith(".r:-") for part in acl):
        return False
    return bool(object_name) or ".rlistings" in acl


async def authorize(request: Request, sandbox: Sandbox, account: str,
                    container: str | None = None, object_name: str | None = None) -> Caller:
    """The caller of a request on ``account`` (and container/object), or the refusal."""
    project = project_of_account(account)
    temp_url = temp_urls.requested(request)
    if temp_url is not None:
        if project is None or not container or not object_name:
            raise temp_urls.refused()
        with sandbox.transaction() as tx:
            found = records.container(tx, account, container)
            meta = dict(records.account(tx, account)["metadata"])
            now = tx.now
        keys = [meta[k] for k in _KEYS if k in meta]
        if found is not None:
            keys += [found["metadata"][k] for k in _KEYS if k in found["metadata"]]
        temp_urls.check(request, temp_url, object_name, keys, now)
        return Caller(project, None)
    if not request.headers.get("X-Auth-Token"):
        if project is not None and _public_read(sandbox, request, account, container,
                                                object_name):
            return Caller(project, None)
        raise Unauthorized("The request you have made requires authentication.")
    context = await authenticated(request)
    if project is None or (project != context.project_id and not context.is_admin):
        raise Forbidden(FORBIDDEN)
    return Caller(project, context)
