"""What every Neutron collection shares: standard attributes, visibility, filters, lists."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode

from fastapi import Request

from calor.identity.context import RequestContext
from calor.sandbox.bodies import page, parse_bool
from calor.sandbox.errors import BadRequest, NotFound
from calor.sandbox.states import Body, iso8601, public
from calor.sandbox.store import Transaction

#: Query parameters that steer a list rather than filter it.
LIST_CONTROLS = {"fields", "limit", "marker", "sort_key", "sort_dir", "page_reverse",
                 "tags", "tags-any", "not-tags", "not-tags-any"}

#: Record kinds of the network service (one per collection).
NETWORK = "network"
SUBNET = "subnet"
PORT = "port"
ROUTER = "router"
FLOATINGIP = "floatingip"
SECURITY_GROUP = "security_group"
SECURITY_GROUP_RULE = "security_group_rule"


def new_id() -> str:
    return str(uuid.uuid4())


def standard(values: Body, project_id: str, now: float) -> Body:
    """A new resource: ``values`` plus id, project, timestamps, revision, tags."""
    stamp = iso8601(now)
    return {"id": new_id(), **values, "project_id": project_id, "tenant_id": project_id,
            "tags": [], "created_at": stamp, "updated_at": stamp, "revision_number": 1}


def touch(body: Body, now: float) -> Body:
    body["updated_at"] = iso8601(now)
    body["revision_number"] = int(body.get("revision_number", 0)) + 1
    return body


def not_found(title: str, resource_id: str, *, code: str | None = None,
              suffix: str = "could not be found.") -> NotFound:
    kind = code or title.replace(" ", "") + "NotFound"
    return NotFound(f"{title} {resource_id} {suffix}", code=kind)


def owned(context: RequestContext, body: Body) -> bool:
    return context.is_admin or body.get("project_id") == context.project_id


def get_owned(tx: Transaction, kind: str, resource_id: str, context: RequestContext,
              missing: Callable[[str], NotFound],
              also_visible: Callable[[Body], bool] | None = None) -> Body:
    """The resource if the caller may see it, else the service's 404."""
    body = tx.get(kind, resource_id)
    if body is None or not (owned(context, body) or (also_visible and also_visible(body))):
        raise missing(resource_id)
    return body


def _matches_value(actual: Any, wanted: list[str]) -> bool:
    if isinstance(actual, bool):
        return any(parse_bool(w) == actual for w in wanted)
    if isinstance(actual, list):
        return any(str(a) in wanted for a in actual)
    if actual is None:
        return any(w in {"", "None", "null"} for w in wanted)
    return str(actual) in wanted


def _matches_fixed_ips(fixed_ips: list[Body], wanted: list[str]) -> bool:
    for condition in wanted:
        key, _, value = condition.partition("=")
        if key == "ip_address_substr":
            if not any(value in ip["ip_address"] for ip in fixed_ips):
                return False
        elif not any(str(ip.get(key)) == value for ip in fixed_ips):
            return False
    return True


def matches(body: Body, filters: dict[str, list[str]]) -> bool:
    """Neutron's plain query filters: each named field equals one of the values given."""
    for key, wanted in filters.items():
        if key == "fixed_ips" and isinstance(body.get("fixed_ips"), list):
            if not _matches_fixed_ips(body["fixed_ips"], wanted):
                return False
            continue
        if key not in body:
            continue
        if not _matches_value(body[key], wanted):
            return False
    return True


def _tag_filters(body: Body, params: dict[str, list[str]]) -> bool:
    tags = set(body.get("tags", []))

    def split(key: str) -> set[str]:
        return {t for value in params.get(key, []) for t in value.split(",") if t}

    if "tags" in params and not split("tags") <= tags:
        return False
    if "tags-any" in params and not split("tags-any") & tags:
        return False
    if "not-tags" in params and split("not-tags") <= tags:
        return False
    return not ("not-tags-any" in params and split("not-tags-any") & tags)


def query_lists(request: Request) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        found.setdefault(key, []).append(value)
    return found


def select_fields(body: Body, fields: list[str]) -> Body:
    if not fields:
        return body
    return {key: body[key] for key in fields if key in body}


def listing(request: Request, key: str, bodies: Iterable[Body]) -> dict[str, Any]:
    """The answer to a list request: filtered, sorted, paged, trimmed to ``fields``."""
    params = query_lists(request)
    filters = {k: v for k, v in params.items() if k not in LIST_CONTROLS}
    found = [b for b in bodies if matches(b, filters) and _tag_filters(b, params)]
    sort_keys = params.get("sort_key", [])
    sort_dirs = params.get("sort_dir", [])
    for index in reversed(range(len(sort_keys))):
        descending = index < len(sort_dirs) and sort_dirs[index] == "desc"
        found.sort(key=_sort_key(sort_keys[index]), reverse=descending)
    limit = params["limit"][-1] if params.get("limit") else None
    marker = params["marker"][-1] if params.get("marker") else None
    shown, more = page(found, limit=limit, marker=marker,
                       refuse=lambda m: BadRequest(m, code="HTTPBadRequest"),
                       missing_marker=lambda m: NotFound(m, code="HTTPNotFound"))
    fields = params.get("fields", [])
    answer: dict[str, Any] = {key: [select_fields(public(b), fields) for b in shown]}
    if more and shown:
        query = [(k, v) for k, v in request.query_params.multi_items() if k != "marker"]
        query.append(("marker", str(shown[-1]["id"])))
        answer[f"{key}_links"] = [{"rel": "next",
                                   "href": f"{request.url.replace(query=urlencode(query))}"}]
    return answer


def _sort_key(key: str) -> Callable[[Body], tuple[bool, str]]:
    return lambda body: (body.get(key) is None, str(body.get(key, "")))


def shown(request: Request, body: Body) -> Body:
    """One resource as shown, trimmed to ``?fields=`` if asked."""
    return select_fields(public(body), query_lists(request).get("fields", []))
