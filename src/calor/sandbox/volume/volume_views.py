"""How a volume is shown: its stored body, its attachments, and the microversion's fields."""

from __future__ import annotations

from fastapi import Request

from calor.identity.context import RequestContext
from calor.sandbox.microversions import Microversion
from calor.sandbox.states import Body, public
from calor.sandbox.volume import attachment_records as records
from calor.sandbox.volume.common import at_least, links

#: Fields that appear from a microversion on (Cinder's API history).
_SINCE: dict[str, tuple[int, int]] = {
    "group_id": (3, 13), "provider_id": (3, 21), "backup_id": (3, 47),
    "service_uuid": (3, 48), "shared_targets": (3, 48), "cluster_name": (3, 61),
    "volume_type_id": (3, 63), "encryption_key_id": (3, 64), "consumes_quota": (3, 65),
}

#: Fields only admins see.
_ADMIN_ONLY = ("os-vol-host-attr:host", "os-vol-mig-status-attr:migstat",
               "os-vol-mig-status-attr:name_id", "provider_id", "cluster_name")


def project_of(volume: Body) -> str:
    return str(volume["os-vol-tenant-attr:tenant_id"])


def detail(request: Request, volume: Body, attachments: list[Body],
           version: Microversion, context: RequestContext) -> Body:
    """The full volume, as ``GET /volumes/{id}`` and ``/volumes/detail`` show it."""
    shown = public(volume)
    shown["status"] = records.volume_status(volume["status"], attachments)
    shown["attachments"] = records.shown_attachments(attachments, admin=context.is_admin)
    shown["links"] = links(request, "volumes", volume["id"], project_of(volume))
    for key, (major, minor) in _SINCE.items():
        if not at_least(version, major, minor):
            shown.pop(key, None)
    if not context.is_admin:
        for key in _ADMIN_ONLY:
            shown.pop(key, None)
    return shown


def summary(request: Request, volume: Body) -> Body:
    """A volume in ``GET /volumes``: id, name and links."""
    return {"id": volume["id"], "name": volume["name"],
            "links": links(request, "volumes", volume["id"], project_of(volume))}
