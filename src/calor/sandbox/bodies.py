"""Reading request bodies and query strings the way the services do, with their errors."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import Request

from calor.sandbox.errors import ApiError, BadRequest

Refusal = Callable[[str], ApiError]


async def json_body(request: Request, *, refuse: Refusal = BadRequest) -> Any:
    """The request's JSON, or the service's 400 for an empty or malformed body."""
    raw = await request.body()
    if not raw.strip():
        raise refuse("Malformed request body")
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        raise refuse("Malformed request body") from None


def member(body: Any, key: str, *, refuse: Refusal = BadRequest) -> dict[str, Any]:
    """``body[key]`` as an object (``{"server": {...}}``), or a 400."""
    if not isinstance(body, dict) or not isinstance(body.get(key), dict):
        raise refuse(f"Invalid request body: expected an object named '{key}'.")
    return dict(body[key])


def parse_bool(value: Any) -> bool | None:
    """OpenStack's lenient booleans: true/false/1/0/yes/no/on/off, any case."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "1", "yes", "on", "t", "y"}:
        return True
    if text in {"false", "0", "no", "off", "f", "n"}:
        return False
    return None


def page(items: Sequence[dict[str, Any]], *, limit: str | None, marker: str | None,
         refuse: Refusal = BadRequest,
         missing_marker: Refusal | None = None) -> tuple[list[dict[str, Any]], bool]:
    """Items after ``marker`` (by id), at most ``limit``; and whether more remain."""
    start = 0
    if marker:
        for index, item in enumerate(items):
            if item.get("id") == marker:
                start = index + 1
                break
        else:
            raise (missing_marker or refuse)(f"marker [{marker}] not found")
    rest = list(items[start:])
    if limit is None or limit == "":
        return rest, False
    try:
        count = int(limit)
    except ValueError:
        raise refuse(f"Invalid input for limit: {limit!r} is not an integer") from None
    if count < 0:
        raise refuse("limit must be >= 0")
    return rest[:count], len(rest) > count
