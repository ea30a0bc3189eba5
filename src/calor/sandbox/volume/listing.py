"""Cinder's list requests: filters, ``sort``, ``marker``/``limit``/``offset`` and next links.

Cinder lists newest first unless asked otherwise (``sort=name:asc`` or
``sort_key``/``sort_dir``). A non-admin may only filter on the keys the
resource allows; anything else is refused, as Cinder's resource filters do.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import urlencode

from fastapi import Request

from calor.identity.context import RequestContext
from calor.sandbox.bodies import page, parse_bool
from calor.sandbox.errors import BadRequest, NotFound
from calor.sandbox.microversions import Microversion
from calor.sandbox.states import Body
from calor.sandbox.volume.common import at_least, invalid_input

#: Query parameters that steer a list rather than filter it.
CONTROLS = {"limit", "marker", "offset", "sort", "sort_key", "sort_dir", "with_count",
            "all_tenants", "all_projects", "is_public"}


def filters(request: Request, allowed: set[str], context: RequestContext,
            version: Microversion) -> dict[str, str]:
    """The filters of a list request; ``name~`` style (3.34+) stays as written."""
    found: dict[str, str] = {}
    for key, value in request.query_params.items():
        if key in CONTROLS:
            continue
        base = key[:-1] if key.endswith("~") and at_least(version, 3, 34) else key
        if base not in allowed and not context.is_admin:
            raise invalid_input(f"Invalid filters {key} are found in query options.")
        found[key] = value
    return found


def _metadata(text: str) -> dict[str, Any]:
    for parse in (json.loads, ast.literal_eval):
        try:
            value = parse(text)
        except (ValueError, SyntaxError):
            continue
        if isinstance(value, dict):
            return value
    raise invalid_input(f"Invalid metadata filter: {text}")


def _matches(body: Body, key: str, wanted: str) -> bool:
    if key.endswith("~"):
        actual = body.get(key[:-1])
        return isinstance(actual, str) and wanted.lower() in actual.lower()
    if key == "metadata":
        meta = body.get("metadata") or {}
        return all(str(meta.get(k)) == str(v) for k, v in _metadata(wanted).items())
    if key not in body:
        return True
    actual = body[key]
    if isinstance(actual, bool) or key == "bootable":
        return parse_bool(actual) == parse_bool(wanted)
    if actual is None:
        return wanted in {"", "None", "null"}
    return str(actual) == wanted


def matching(bodies: Iterable[Body], wanted: dict[str, str]) -> list[Body]:
    return [body for body in bodies
            if all(_matches(body, key, value) for key, value in wanted.items())]


def _sort_keys(request: Request) -> list[tuple[str, bool]]:
    params = request.query_params
    keys: list[tuple[str, bool]] = []
    if params.get("sort"):
        for part in params["sort"].split(","):
            name, _, direction = part.strip().partition(":")
            if direction and direction not in {"asc", "desc"}:
                raise invalid_input("Unknown sort direction, must be 'desc' or 'asc'")
            keys.append((name, direction != "asc"))
    elif params.get("sort_key"):
        direction = params.get("sort_dir", "desc")
        if direction not in {"asc", "desc"}:
            raise invalid_input("Unknown sort direction, must be 'desc' or 'asc'")
        keys.append((params["sort_key"], direction == "desc"))
    return keys or [("created_at", True)]


def _sort_key(name: str) -> Callable[[Body], tuple[bool, str]]:
    def key(body: Body) -> tuple[bool, str]:
        return body.get(name) is None, str(body.get(name, ""))
    return key


def sorted_bodies(request: Request, bodies: Sequence[Body]) -> list[Body]:
    # Store order is creation order; reversing first keeps ties newest first.
    found = list(reversed(bodies))
    for name, descending in reversed(_sort_keys(request)):
        found.sort(key=_sort_key(name), reverse=descending)
    return found


def listing(request: Request, key: str, bodies: Sequence[Body],
            view: Callable[[Body], Body], version: Microversion) -> dict[str, Any]:
    """The answer to a list request: sorted, paged, shown with ``view``, with next links."""
    found = sorted_bodies(request, bodies)
    params = request.query_params
    offset = params.get("offset")
    if offset:
        if not offset.isdigit():
            raise BadRequest(f"Invalid input received: offset must be a non-negative "
                             f"integer, not {offset!r}")
        found = found[int(offset):]
    shown, more = page(found, limit=params.get("limit"), marker=params.get("marker"),
                       refuse=invalid_input,
                       missing_marker=lambda _m: NotFound(
                           f"Marker {params.get('marker')} could not be found."))
    answer: dict[str, Any] = {key: [view(body) for body in shown]}
    if more and shown:
        query = [(k, v) for k, v in params.multi_items() if k != "marker"]
        query.append(("marker", str(shown[-1]["id"])))
        answer[f"{key}_links"] = [{"rel": "next",
                                   "href": str(request.url.replace(query=urlencode(query)))}]
    if at_least(version, 3, 45) and parse_bool(params.get("with_count", "false")):
        answer["count"] = len(found)
    return answer
