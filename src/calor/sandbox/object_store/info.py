"""``GET /object-store/info``: the capabilities Swift publishes (no token needed).

openstacksdk reads ``swift.max_file_size`` and ``slo.min_segment_size``
from here before an upload, to decide whether to split a file.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from calor.sandbox.object_store import metadata
from calor.sandbox.object_store.common import (
    MAX_CONTAINER_NAME,
    MAX_FILE_SIZE,
    MAX_LISTING,
    MAX_OBJECT_NAME,
    MOUNT,
)
from calor.sandbox.object_store.temp_urls import METHODS


def capabilities() -> dict[str, Any]:
    return {
        "swift": {"version": "2.34.0", "max_file_size": MAX_FILE_SIZE,
                  "max_container_name_length": MAX_CONTAINER_NAME,
                  "max_object_name_length": MAX_OBJECT_NAME,
                  "container_listing_limit": MAX_LISTING,
                  "account_listing_limit": MAX_LISTING,
                  "max_meta_count": metadata.MAX_ITEMS,
                  "max_meta_name_length": metadata.MAX_NAME,
                  "max_meta_value_length": metadata.MAX_VALUE,
                  "max_meta_overall_size": metadata.MAX_TOTAL,
                  "strict_cors_mode": True, "allow_account_management": False,
                  "account_autocreate": True,
                  "policies": [{"name": "Policy-0", "default": True}]},
        "tempurl": {"methods": list(METHODS), "allowed_digests": ["sha1", "sha256", "sha512"],
                    "incoming_remove_headers": ["x-timestamp"],
                    "outgoing_remove_headers": ["x-object-meta-*"]},
        "slo": {"max_manifest_segments": 1000, "max_manifest_size": 8388608,
                "min_segment_size": 1},
        "dlo": {"max_segments": 10000},
    }


def router() -> APIRouter:
    routes = APIRouter()

    @routes.get(MOUNT + "/info")
    async def info() -> dict[str, Any]:
        return capabilities()

    return routes
