"""``/os-availability-zone``: the sandbox's one availability zone, ``nova``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from calor.sandbox.auth import Context
from calor.sandbox.volume.volume_create import ZONE


def routes(router: APIRouter) -> None:
    @router.get("/os-availability-zone")
    async def availability_zones(context: Context) -> dict[str, Any]:
        return {"availabilityZoneInfo": [{"zoneName": ZONE, "zoneState": {"available": True}}]}
