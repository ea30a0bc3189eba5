"""Reading an object: headers, conditional requests, and byte ranges (206, multipart, 416)."""

from __future__ import annotations

import secrets
from email.utils import parsedate_to_datetime
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response

from calor.sandbox.errors import ApiError
from calor.sandbox.object_store import large_objects, metadata
from calor.sandbox.object_store.common import http_date, trans_id, x_timestamp
from calor.sandbox.states import Body
from calor.sandbox.store import Transaction

ByteRange = tuple[int, int]


def object_headers(tx: Transaction, body: Body) -> dict[str, str]:
    stamp = float(body["timestamp"])
    headers = {"Content-Type": str(body["content_type"]), "Etag": large_objects.etag(tx, body),
               "Last-Modified": http_date(stamp), "X-Timestamp": x_timestamp(stamp),
               "Accept-Ranges": "bytes", **body["headers"],
               **metadata.as_headers(body["metadata"], "Object"), **trans_id()}
    if body.get("delete_at") is not None:
        headers["X-Delete-At"] = str(int(body["delete_at"]))
    manifest = body.get("manifest")
    if manifest is not None and manifest["kind"] == large_objects.STATIC:
        headers["X-Static-Large-Object"] = "True"
    return headers


def _etags(header: str) -> set[str]:
    return {part.strip().strip('"') for part in header.split(",") if part.strip()}


def _since(header: str) -> float | None:
    try:
        return parsedate_to_datetime(header).timestamp()
    except (TypeError, ValueError, IndexError):
        return None


def precondition(request: Request, etag: str, modified: float) -> int | None:
    """304 or 412 when a conditional header says so, else ``None``."""
    plain = etag.strip('"')
    if_match = request.headers.get("If-Match")
    if if_match is not None and "*" not in _etags(if_match) and plain not in _etags(if_match):
        return 412
    if_none = request.headers.get("If-None-Match")
    if if_none is not None and ("*" in _etags(if_none) or plain in _etags(if_none)):
        return 304 if request.method in {"GET", "HEAD"} else 412
    unmodified = _since(request.headers.get("If-Unmodified-Since", ""))
    if unmodified is not None and int(modified) > unmodified:
        return 412
    since = _since(request.headers.get("If-Modified-Since", ""))
    if since is not None and int(modified) <= since and if_none is None:
        return 304
    return None


def ranges(header: str | None, size: int) -> list[ByteRange] | None:
    """The satisfiable ranges of a ``Range`` header; ``None`` to ignore it, ``[]`` for 416."""
    if not header or not header.strip().lower().startswith("bytes="):
        return None
    found: list[ByteRange] = []
    for part in header.strip()[6:].split(","):
        first, dash, last = part.strip().partition("-")
        if not dash or not (first.isdigit() or last.isdigit()) or \
                (first and not first.isdigit()) or (last and not last.isdigit()):
            return None
        if not first:
            length = int(last)
            if length > 0 and size > 0:
                found.append((max(size - length, 0), size - 1))
            continue
        start = int(first)
        if last and int(last) < start:
            return None
        end = int(last) if last else size - 1
        if start < size:
            found.append((start, min(end, size - 1)))
    return found


def read(tx: Transaction, request: Request, body: Body) -> Response:
    """The answer to ``GET``/``HEAD`` of an object."""
    headers = object_headers(tx, body)
    status = precondition(request, headers["Etag"], float(body["timestamp"]))
    if status is not None:
        return Response(status_code=status, headers={"Etag": headers["Etag"], **trans_id()})
    data = large_objects.content(tx, body)
    _disposition(request, body, headers)
    wanted = ranges(request.headers.get("Range"), len(data))
    if wanted == []:
        raise ApiError("The Range requested is not available.", status=416,
                       headers={"Content-Range": f"bytes */{len(data)}"})
    status, content = 200, data
    if wanted and len(wanted) == 1:
        (start, end), = wanted
        status, content = 206, data[start:end + 1]
        headers["Content-Range"] = f"bytes {start}-{end}/{len(data)}"
    elif wanted:
        boundary = secrets.token_hex(16)
        parts = [f"--{boundary}\r\nContent-Type: {headers['Content-Type']}\r\n"
                 f"Content-Range: bytes {s}-{e}/{len(data)}\r\n\r\n".encode()
                 + data[s:e + 1] + b"\r\n" for s, e in wanted]
        status, content = 206, b"".join(parts) + f"--{boundary}--".encode()
        headers["Content-Type"] = f"multipart/byteranges;boundary={boundary}"
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(content))
        return Response(status_code=status, headers=headers)
    return Response(content=content, status_code=status, headers=headers)


def _disposition(request: Request, body: Body, headers: dict[str, str]) -> None:
    # tempurl's download names: ?filename=x (an attachment) or ?inline.
    params = request.query_params
    if "temp_url_sig" not in params:
        return
    if "inline" in params:
        headers["Content-Disposition"] = "inline"
    elif "filename" in params or request.method == "GET":
        name = params.get("filename") or str(body["name"]).rsplit("/", 1)[-1]
        headers["Content-Disposition"] = (f'attachment; filename="{name}"; '
                                          f"filename*=UTF-8''{quote(name)}")
