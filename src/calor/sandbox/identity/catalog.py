"""The service catalog a token carries: every sandbox service, with absolute URLs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from calor.sandbox.identity.directory import stable_id
from calor.sandbox.types import ServicePlug

INTERFACES = ("public", "internal", "admin")


def endpoint_url(base_url: str, path: str, project_id: str) -> str:
    return base_url.rstrip("/") + path.replace("{project_id}", project_id)


def catalog(base_url: str, project_id: str, services: Iterable[ServicePlug],
            region: str) -> list[dict[str, Any]]:
    """Keystone v3 catalog entries, one endpoint per interface, all in ``region``."""
    entries: list[dict[str, Any]] = []
    for plug in services:
        for entry in plug.catalog:
            service_id = stable_id("service", entry.type)
            url = endpoint_url(base_url, entry.path, project_id)
            entries.append({
                "id": service_id, "type": entry.type, "name": entry.name,
                "endpoints": [
                    {"id": stable_id("endpoint", entry.type, interface),
                     "interface": interface, "region_id": region, "region": region,
                     "url": url}
                    for interface in INTERFACES
                ],
            })
    return entries
