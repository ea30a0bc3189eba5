"""What the Nova resource types share: the service, microversions, name lookups."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from calor.resources.openstack.base import OpenStackResource
from calor.resources.openstack.finders import find_flavor_id, find_image_id

#: The newest compute microversion the server requests are written for
#: (tags, nic tags, ``volume_type`` in block devices, ...).
COMPUTE_MICROVERSION = "2.79"


class NovaResource(OpenStackResource):
    """A Nova resource (compute service)."""

    service = "compute"
    max_microversion = COMPUTE_MICROVERSION

    async def flavor_id(self, name_or_id: str) -> str:
        return await self.lookup(find_flavor_id, name_or_id)

    async def image_id(self, name_or_id: str) -> str:
        return await self.lookup(find_image_id, name_or_id)


#: Statuses a server passes through on its way to ACTIVE (Heat's list).
DEFERRED_STATUSES = frozenset({
    "BUILD", "HARD_REBOOT", "PASSWORD", "REBOOT", "RESCUE", "RESIZE", "REVERT_RESIZE",
    "SHUTOFF", "SUSPENDED", "VERIFY_RESIZE",
})


def status_of(server: Mapping[str, Any]) -> str:
    """A server's status (some clouds add "(detail)" to it)."""
    return str(server.get("status", "")).split("(")[0]


def fault_reason(server: Mapping[str, Any]) -> str:
    """Heat's reason for a server in ERROR: its fault's message and code."""
    fault = server.get("fault") or {}
    return f"Message: {fault.get('message', 'Unknown')}, Code: {fault.get('code', 'Unknown')}"


def metadata_for_nova(metadata: Mapping[str, Any] | None) -> dict[str, str]:
    """Nova takes strings only: other values go as JSON (as Heat sends them)."""
    return {str(k): v if isinstance(v, str) else json.dumps(v)
            for k, v in (metadata or {}).items()}
