"""Account and container listings: prefix, delimiter, markers, limit, reverse; three formats.

``?format=json`` (or ``Accept: application/json``) answers a JSON list,
``format=xml`` Swift's XML, and otherwise plain text, one name a line. An
empty plain-text listing is a 204, as in Swift. With a ``delimiter``, names
that go on past it collapse into ``{"subdir": "<prefix>"}`` entries.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from fastapi import Request
from fastapi.responses import Response

from calor.sandbox.errors import ApiError
from calor.sandbox.object_store.common import MAX_LISTING
from calor.sandbox.states import Body

Entry = dict[str, Any]


@dataclass(frozen=True)
class Query:
    """What a listing request asks for."""

    prefix: str
    delimiter: str
    marker: str
    end_marker: str
    limit: int
    reverse: bool
    format: str


def _format(request: Request) -> str:
    wanted = request.query_params.get("format", "").lower()
    if wanted in {"json", "xml", "plain"}:
        return wanted
    accept = request.headers.get("Accept", "")
    if "application/json" in accept:
        return "json"
    if "application/xml" in accept or "text/xml" in accept:
        return "xml"
    return "plain"


def query(request: Request) -> Query:
    params = request.query_params
    raw_limit = params.get("limit", str(MAX_LISTING))
    if not raw_limit.isdigit():
        raise ApiError("Value of limit must be a positive integer", status=412)
    limit = int(raw_limit)
    if limit > MAX_LISTING:
        raise ApiError(f"Maximum limit is {MAX_LISTING}", status=412)
    delimiter = params.get("delimiter", "")
    if len(delimiter) > 1:
        raise ApiError("Bad delimiter", status=412)
    reverse = params.get("reverse", "").lower() in {"true", "1", "yes", "on", "t", "y"}
    return Query(params.get("prefix", ""), delimiter, params.get("marker", ""),
                 params.get("end_marker", ""), limit, reverse, _format(request))


def select(bodies: Sequence[Body], wanted: Query) -> list[Body | str]:
    """The bodies (by name) and subdir names a listing shows, in order."""
    ordered = list(reversed(bodies)) if wanted.reverse else list(bodies)
    found: list[Body | str] = []
    seen: set[str] = set()

    def after_marker(name: str) -> bool:
        if not wanted.marker:
            return True
        return name < wanted.marker if wanted.reverse else name > wanted.marker

    def before_end(name: str) -> bool:
        if not wanted.end_marker:
            return True
        return name > wanted.end_marker if wanted.reverse else name < wanted.end_marker

    for body in ordered:
        name = str(body["name"])
        if not name.startswith(wanted.prefix):
            continue
        rest = name[len(wanted.prefix):]
        if wanted.delimiter and wanted.delimiter in rest:
            subdir = wanted.prefix + rest[:rest.index(wanted.delimiter) + 1]
            if subdir in seen or not after_marker(subdir) or not before_end(subdir):
                continue
            seen.add(subdir)
            found.append(subdir)
        elif after_marker(name) and before_end(name):
            found.append(body)
        if len(found) >= wanted.limit:
            break
    return found


def render(wanted: Query, items: list[Body | str], entry: Callable[[Body], Entry],
           root: tuple[str, str, str], headers: Mapping[str, str]) -> Response:
    """The listing answer; ``root`` is the XML ``(element, name, item element)``."""
    if wanted.format == "json":
        shown = [{"subdir": item} if isinstance(item, str) else entry(item) for item in items]
        return Response(json.dumps(shown), headers=dict(headers),
                        media_type="application/json; charset=utf-8")
    if wanted.format == "xml":
        top = ElementTree.Element(root[0], name=root[1])
        for item in items:
            if isinstance(item, str):
                ElementTree.SubElement(ElementTree.SubElement(top, "subdir", name=item),
                                       "name").text = item
                continue
            element = ElementTree.SubElement(top, root[2])
            for key, value in entry(item).items():
                ElementTree.SubElement(element, key).text = str(value)
        text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(
            top, encoding="unicode")
        return Response(text, headers=dict(headers),
                        media_type="application/xml; charset=utf-8")
    if not items:
        return Response(status_code=204, headers=dict(headers))
    lines = "".join((item if isinstance(item, str) else str(item["name"])) + "\n"
                    for item in items)
    return Response(lines, headers=dict(headers), media_type="text/plain; charset=utf-8")
