"""OS::Cinder::VolumeAttachment: a volume attached to a server."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from calor.resources.openstack.base import OpenStackResource, with_show
from calor.resources.openstack.cinder.volume import VOLUME_MICROVERSION
from calor.resources.openstack.errors import Conflict, ResourceUnknownStatus
from calor.resources.openstack.nova.common import COMPUTE_MICROVERSION
from calor.template.constraints import CustomConstraint
from calor.template.schema import PropertySchema, PropertyType


class CinderVolumeAttachment(OpenStackResource):
    """Attaches a volume to a server, at a device of the server if asked.

    The device asked for may not be honoured; ``/dev/disk/by-id/virtio-<volume
    id>`` finds the volume on the server whatever its device. Any change
    detaches the volume and attaches the new one.
    """

    type_name = "OS::Cinder::VolumeAttachment"
    service = "compute"
    path = "/servers/{server}/os-volume_attachments/{id}"
    body_key = "volumeAttachment"
    max_microversion = COMPUTE_MICROVERSION

    properties_schema = {
        "instance_uuid": PropertySchema(
            PropertyType.STRING, "The id of the server to attach the volume to.",
            required=True, update_allowed=True),
        "volume_id": PropertySchema(
            PropertyType.STRING, "The id of the volume to attach.", required=True,
            update_allowed=True, constraints=[CustomConstraint("cinder.volume")]),
        "mountpoint": PropertySchema(
            PropertyType.STRING, "The device the volume should appear as on the server "
            "(/dev/vdb, say).", update_allowed=True),
    }
    attributes_schema = with_show({})

    def resource_path(self, physical_id: str | None = None,
                      server: str | None = None) -> str:
        attachment = physical_id or self.ctx.physical_resource_id
        return self.path.format(server=server or self.properties["instance_uuid"],
                                id=attachment)

    # -- create ------------------------------------------------------------------

    async def create(self) -> None:
        await self._attach(self.properties)

    async def _attach(self, props: Mapping[str, Any]) -> None:
        body: dict[str, Any] = {"volumeId": props["volume_id"]}
        if props.get("mountpoint"):
            body["device"] = props["mountpoint"]
        answer = await self.call("POST", f"/servers/{props['instance_uuid']}/"
                                 "os-volume_attachments", json={"volumeAttachment": body})
        attachment = answer.member("volumeAttachment")
        await self.ctx.set_physical_resource_id(str(attachment.get("id") or props["volume_id"]))
        self.remember(attachment)
        await self._wait_volume(str(props["volume_id"]), attached=True)

    async def _volume_status(self, volume_id: str) -> tuple[str | None, Mapping[str, Any]]:
        answer = await self.api("GET", f"/volumes/{volume_id}", service="volume",
                                max_microversion=VOLUME_MICROVERSION, missing_ok=True)
        if answer is None:
            return None, {}
        volume = answer.member("volume")
        return str(volume.get("status")), volume

    async def _wait_volume(self, volume_id: str, *, attached: bool,
                           server: str | None = None) -> None:
        async def settled() -> bool:
            status, volume = await self._volume_status(volume_id)
            if attached:
                if status in ("available", "attaching", "reserved"):
                    return False
                if status != "in-use":
                    raise ResourceUnknownStatus(str(status), "Volume attachment failed")
                return True
            # Detached once Cinder no longer lists the server, or the volume is gone.
            if status is None:
                return True
            servers = [a.get("server_id") for a in volume.get("attachments") or []]
            if server and server not in servers:
                return True
            if status in ("in-use", "detaching", "reserved"):
                return False
            if status not in ("available", "deleting"):
                raise ResourceUnknownStatus(status, "Volume detachment failed")
            return True

        await self.wait_until(settled)

    # -- delete ------------------------------------------------------------------

    async def delete(self) -> None:
        if self.ctx.physical_resource_id is None:
            return
        await self._detach(self.properties)

    async def _detach(self, props: Mapping[str, Any]) -> None:
        server = str(props["instance_uuid"])
        path = self.resource_path(server=server)

        async def detached() -> bool:
            try:
                await self.api("DELETE", path, missing_ok=True)
            except Conflict:
                return False  # the server is busy: ask again
            return True

        await self.wait_until(detached)
        await self._wait_volume(str(props["volume_id"]), attached=False, server=server)

        async def nova_agrees() -> bool:
            return await self.api("GET", path, missing_ok=True) is None

        await self.wait_until(nova_agrees)

    # -- update ------------------------------------------------------------------

    async def update(self, properties: Mapping[str, Any], changed: frozenset[str]) -> None:
        await self._detach(self.properties)
        merged = {key: properties.get(key) if key in changed else self.properties.get(key)
                  for key in self.properties_schema}
        self.properties = properties
        await self._attach(merged)

    async def resolve_attribute(self, name: str) -> Any:
        if name == "show" and self.ctx.physical_resource_id is not None:
            return await self.body()
        return None
