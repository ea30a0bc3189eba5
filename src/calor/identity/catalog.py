"""The service catalog a token carries: where each service of this server answers."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

#: Keystone's default region, which clouds.yaml files usually name.
REGION = "RegionOne"
INTERFACES = ("public", "internal", "admin")


@dataclass(frozen=True)
class CatalogService:
    """A service listed in the catalog.

    ``path`` is relative to the server's root and may contain ``{project_id}``
    (e.g. ``/v1/{project_id}`` for orchestration); each token's catalog makes
    it absolute from the URL the client used to reach the server.
    """

    type: str
    name: str
    path: str

    @property
    def id(self) -> str:
        # Stable across requests and restarts: clients may compare ids.
        return uuid.uuid5(uuid.NAMESPACE_URL, f"calor:{self.type}:{self.name}").hex


#: Always in the catalog: the identity service itself.
IDENTITY = CatalogService(type="identity", name="keystone", path="/identity")


def catalog_entries(
    services: Iterable[CatalogService], base_url: str, project_id: str
) -> list[dict[str, Any]]:
    """The catalog in Keystone's v3 format, for a token scoped to ``project_id``."""
    base = base_url.rstrip("/")
    entries = []
    for service in services:
        url = base + service.path.replace("{project_id}", project_id)
        entries.append({
            "id": service.id,
            "type": service.type,
            "name": service.name,
            "endpoints": [
                {
                    "id": uuid.uuid5(uuid.NAMESPACE_URL, f"{service.id}:{interface}").hex,
                    "interface": interface,
                    "region": REGION,
                    "region_id": REGION,
                    "url": url,
                }
                for interface in INTERFACES
            ],
        })
    return entries
