"""Temporary URLs: ``?temp_url_sig=...&temp_url_expires=...`` grants access without a token.

The signature is an HMAC (SHA-1, SHA-256 or SHA-512; hex, or
``<digest>:<base64>``) of ``METHOD\\nEXPIRES\\nPATH`` under one of the keys
set as ``X-Account-Meta-Temp-URL-Key[-2]`` or ``X-Container-Meta-Temp-URL-Key[-2]``.
``PATH`` is the object's path as Swift sees it, ``/v1/AUTH_<project>/<c>/<o>``;
the full request path (with the sandbox's ``/object-store`` prefix) is
accepted as well. ``temp_url_prefix`` signs ``prefix:/v1/AUTH_x/c/<prefix>``
and ``temp_url_ip_range`` prepends ``ip=<range>``. Expiry is Unix seconds or
ISO 8601 (``2026-11-24T21:00:00Z``). HEAD is allowed by a GET, HEAD or PUT
signature, as in Swift.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import Request

from calor.sandbox.errors import ApiError
from calor.sandbox.object_store.common import API_ROOT, MOUNT, TEMP_URL_REFUSED

METHODS = ("GET", "HEAD", "PUT", "POST", "DELETE")
_DIGESTS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}
_HEX_LENGTHS = {40: "sha1", 64: "sha256", 128: "sha512"}


def refused(reason: str = "Temp URL invalid") -> ApiError:
    return ApiError(reason, code=TEMP_URL_REFUSED, status=401)


@dataclass(frozen=True)
class TempUrl:
    """The temp URL parameters of a request."""

    signature: str
    expires: int
    prefix: str | None
    ip_range: str | None


def requested(request: Request) -> TempUrl | None:
    """The request's temp URL, or ``None`` when it has none; a malformed one is refused."""
    params = request.query_params
    if "temp_url_sig" not in params and "temp_url_expires" not in params:
        return None
    signature, expires = params.get("temp_url_sig"), params.get("temp_url_expires")
    if not signature or not expires:
        raise refused()
    return TempUrl(signature, _expiry(expires), params.get("temp_url_prefix"),
                   params.get("temp_url_ip_range"))


def _expiry(text: str) -> int:
    if text.isdigit():
        return int(text)
    try:
        return int(datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
                   .timestamp())
    except ValueError:
        raise refused() from None


def _digest_and_mac(signature: str) -> tuple[str, bytes]:
    if ":" in signature:
        name, _, encoded = signature.partition(":")
        if name not in _DIGESTS:
            raise refused()
        padded = encoded + "=" * (-len(encoded) % 4)
        try:
            return name, base64.urlsafe_b64decode(padded.replace("+", "-").replace("/", "_"))
        except (binascii.Error, ValueError):
            raise refused() from None
    hex_digest = _HEX_LENGTHS.get(len(signature))
    if hex_digest is None:
        raise refused()
    try:
        return hex_digest, bytes.fromhex(signature)
    except ValueError:
        raise refused() from None


def _signed_paths(path: str, temp_url: TempUrl, object_name: str) -> list[str]:
    swift_path = path[len(MOUNT):] if path.startswith(API_ROOT + "/") else path
    paths = {path, swift_path}
    if temp_url.prefix is None:
        return sorted(paths)
    if not object_name.startswith(temp_url.prefix):
        raise refused()
    return sorted("prefix:" + p[:len(p) - len(object_name)] + temp_url.prefix for p in paths)


def check(request: Request, temp_url: TempUrl, object_name: str, keys: Iterable[str],
          now: float) -> None:
    """Refuse unless ``temp_url`` signs this request under one of ``keys`` and is current."""
    method = request.method.upper()
    if method not in METHODS:
        raise refused()
    digest, mac = _digest_and_mac(temp_url.signature)
    if temp_url.ip_range is not None:
        client = request.client.host if request.client else ""
        try:
            inside = ipaddress.ip_address(client) in ipaddress.ip_network(
                temp_url.ip_range, strict=False)
        except ValueError:
            inside = False
        if not inside:
            raise refused()
    methods = ("GET", "HEAD", "PUT") if method == "HEAD" else (method,)
    matched = False
    for key in keys:
        for signed_method in methods:
            for path in _signed_paths(request.scope["path"], temp_url, object_name):
                parts = [signed_method, str(temp_url.expires), path]
                if temp_url.ip_range is not None:
                    parts.insert(0, f"ip={temp_url.ip_range}")
                expected = hmac.new(key.encode(), "\n".join(parts).encode(),
                                    _DIGESTS[digest]).digest()
                matched = matched or hmac.compare_digest(expected, mac)
    if not matched:
        raise refused()
    if temp_url.expires <= now:
        raise refused("Temp URL expired")
