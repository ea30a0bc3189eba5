"""Large objects: dynamic (``X-Object-Manifest``) and static (``multipart-manifest=put``).

A dynamic manifest names ``<container>/<prefix>``: reading it reads every
object with that prefix, in name order. A static manifest lists its
segments (``[{"path": "/c/o", "etag": ..., "size_bytes": ...}]``), checked
when it is stored. Either way the Etag is the MD5 of the segments' Etags,
quoted, as Swift computes it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import unquote

from calor.sandbox.errors import BadRequest
from calor.sandbox.object_store import records
from calor.sandbox.states import Body
from calor.sandbox.store import Transaction

DYNAMIC = "dlo"
STATIC = "slo"


def _split(path: str) -> tuple[str, str]:
    container, _, name = unquote(path).lstrip("/").partition("/")
    return container, name


def _segments(tx: Transaction, account: str, manifest: dict[str, Any]) -> list[Body]:
    if manifest["kind"] == DYNAMIC:
        container, prefix = _split(manifest["target"])
        found = records.container(tx, account, container)
        if found is None:
            return []
        return [body for body in records.objects(tx, found)
                if str(body["name"]).startswith(prefix)]
    segments: list[Body] = []
    for segment in manifest["segments"]:
        container, name = _split(segment["path"])
        found = records.container(tx, account, container)
        body = records.get_object(tx, found, name) if found is not None else None
        if body is not None:
            segments.append(body)
    return segments


def _etag_of(hashes: list[str]) -> str:
    return hashlib.md5("".join(hashes).encode(), usedforsecurity=False).hexdigest()


def content(tx: Transaction, body: Body) -> bytes:
    """What reading the object gives: its bytes, or its segments' bytes joined."""
    manifest = body.get("manifest")
    if manifest is None:
        return records.object_data(tx, body)
    return b"".join(records.object_data(tx, segment)
                    for segment in _segments(tx, body["account"], manifest))


def etag(tx: Transaction, body: Body) -> str:
    """The ``Etag`` header of an object (quoted for manifests, as Swift sends them)."""
    manifest = body.get("manifest")
    if manifest is None:
        return str(body["hash"])
    if manifest["kind"] == STATIC:
        return f'"{manifest["etag"]}"'
    return f'"{_etag_of([s["hash"] for s in _segments(tx, body["account"], manifest)])}"'


def dynamic(target: str) -> dict[str, Any]:
    if "/" not in target.lstrip("/"):
        raise BadRequest("X-Object-Manifest must be in the format container/prefix")
    return {"kind": DYNAMIC, "target": target}


def static(tx: Transaction, account: str, raw: bytes) -> tuple[dict[str, Any], int]:
    """A checked static manifest from a ``multipart-manifest=put`` body, and its size."""
    try:
        entries = json.loads(raw)
    except (UnicodeDecodeError, ValueError):
        raise BadRequest("Manifest must be valid JSON.") from None
    if not isinstance(entries, list) or not entries:
        raise BadRequest("Manifest must be a list of segments.")
    segments: list[dict[str, Any]] = []
    problems: list[str] = []
    for entry in entries:
        path = entry.get("path") if isinstance(entry, dict) else None
        if not isinstance(path, str):
            raise BadRequest("Each manifest segment needs a path.")
        container, name = _split(path)
        found = records.container(tx, account, container)
        body = records.get_object(tx, found, name) if found is not None else None
        if body is None:
            problems.append(f"{path}, 404 Not Found")
            continue
        if entry.get("etag") not in (None, body["hash"]):
            problems.append(f"{path}, Etag Mismatch")
        if entry.get("size_bytes") not in (None, body["bytes"]):
            problems.append(f"{path}, Size Mismatch")
        segments.append({"path": path, "etag": body["hash"], "bytes": body["bytes"]})
    if problems:
        raise BadRequest("Errors:\n" + "\n".join(problems))
    manifest = {"kind": STATIC, "segments": segments,
                "etag": _etag_of([s["etag"] for s in segments])}
    return manifest, sum(int(s["bytes"]) for s in segments)


def manifest_listing(body: Body) -> list[dict[str, Any]]:
    """``?multipart-manifest=get`` of a static manifest: its segments as stored."""
    return [{"name": s["path"], "hash": s["etag"], "bytes": s["bytes"]}
            for s in body["manifest"]["segments"]]


def segments_of(tx: Transaction, body: Body) -> list[Body]:
    """A static manifest's segment objects (for ``multipart-manifest=delete``)."""
    return _segments(tx, body["account"], body["manifest"])
