"""OS::Cinder::Volume: a block storage volume."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from calor.resources.lifecycle import NotSupported, ResourceFailure
from calor.resources.openstack.base import OpenStackResource, with_show
from calor.resources.openstack.errors import (
    Error,
    ResourceInError,
    ResourcePropertyConflict,
    ResourceUnknownStatus,
)
from calor.resources.openstack.finders import find_image_id
from calor.template.constraints import CustomConstraint, Range
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    CacheMode,
    PropertySchema,
    PropertyType,
    Support,
    SupportStatus,
)

#: The newest block storage microversion the requests are written for (3.42: an
#: attached volume can be extended).
VOLUME_MICROVERSION = "3.60"

#: Statuses of a volume on its way to "available".
_CREATING = ("creating", "restoring-backup", "downloading")

#: Attributes Heat gives as text (``str`` of the value, "None" included).
_AS_TEXT = ("availability_zone", "size", "snapshot_id", "volume_type", "source_volid",
            "status", "created_at", "bootable", "encrypted", "attachments", "multiattach")


def _text_attr(description: str, **options: Any) -> AttributeSchema:
    return AttributeSchema(description, type=AttributeType.STRING, **options)


class CinderVolume(OpenStackResource):
    """A Cinder volume: block storage for servers, empty or made from an image, a
    snapshot, another volume or a backup.

    An update renames it, sets its metadata, retypes it, restores a backup
    into it, changes its read-only flag, and extends it (never shrinks it).
    """

    type_name = "OS::Cinder::Volume"
    service = "volume"
    path = "/volumes/{id}"
    body_key = "volume"
    max_microversion = VOLUME_MICROVERSION

    properties_schema = {
        "availability_zone": PropertySchema(PropertyType.STRING,
                                            "The availability zone to make the volume in."),
        "size": PropertySchema(
            PropertyType.INTEGER, "The volume's size in GB; an update may only grow it. "
            "Needed unless backup_id, source_volid or snapshot_id is given.",
            update_allowed=True, constraints=[Range(min=1)]),
        "snapshot_id": PropertySchema(PropertyType.STRING, "A snapshot to make the volume "
                                      "from.", constraints=[CustomConstraint("cinder.snapshot")]),
        "backup_id": PropertySchema(PropertyType.STRING, "A backup to make the volume from.",
                                    update_allowed=True,
                                    constraints=[CustomConstraint("cinder.backup")]),
        "name": PropertySchema(PropertyType.STRING, "The volume's name.",
                               update_allowed=True),
        "description": PropertySchema(PropertyType.STRING, "The volume's description.",
                                      update_allowed=True),
        "volume_type": PropertySchema(
            PropertyType.STRING, "The volume type (the back end it lives in).",
            constraints=[CustomConstraint("cinder.vtype")], update_allowed=True),
        "metadata": PropertySchema(PropertyType.MAP, "Key/value metadata for the volume.",
                                   update_allowed=True, default={}),
        "imageRef": PropertySchema(
            PropertyType.STRING, "The id of an image to make the volume from.",
            support_status=SupportStatus(
                Support.HIDDEN, version="5.0.0", message="Use property image.",
                previous_status=SupportStatus(Support.DEPRECATED, version="2014.1"))),
        "image": PropertySchema(PropertyType.STRING, "The name or id of an image to make the "
                                "volume from.", constraints=[CustomConstraint("glance.image")]),
        "source_volid": PropertySchema(PropertyType.STRING, "A volume to copy.",
                                       constraints=[CustomConstraint("cinder.volume")]),
        "scheduler_hints": PropertySchema(
            PropertyType.MAP, "Key/value hints for the volume scheduler.",
            support_status=SupportStatus(version="2015.1")),
        "read_only": PropertySchema(PropertyType.BOOLEAN, "Make the volume read-only.",
                                    update_allowed=True,
                                    support_status=SupportStatus(version="5.0.0")),
        "multiattach": PropertySchema(
            PropertyType.BOOLEAN, "Let the volume be attached more than once.", default=False,
            support_status=SupportStatus(Support.HIDDEN, version="13.0.0",
                                         previous_status=SupportStatus(version="6.0.0"))),
    }
    attributes_schema = with_show({
        "availability_zone": _text_attr("The volume's availability zone."),
        "size": _text_attr("The volume's size in GB."),
        "snapshot_id": _text_attr("The snapshot the volume was made from."),
        "display_name": _text_attr("The volume's name."),
        "display_description": _text_attr("The volume's description."),
        "volume_type": _text_attr("The volume's type."),
        "metadata": _text_attr("The volume's metadata, as JSON."),
        "source_volid": _text_attr("The volume this one was copied from."),
        "status": _text_attr("The volume's status.", cache_mode=CacheMode.NONE),
        "created_at": _text_attr("When the volume was made."),
        "bootable": _text_attr("Whether the volume can be booted from."),
        "metadata_values": AttributeSchema("The volume's metadata.", type=AttributeType.MAP),
        "encrypted": _text_attr("Whether the volume is encrypted."),
        "attachments": _text_attr(
            "The volume's attachments, as text.", cache_mode=CacheMode.NONE,
            support_status=SupportStatus(Support.DEPRECATED, version="9.0.0",
                                         message="Use attribute attachments_list.",
                                         previous_status=SupportStatus(version="2015.1"))),
        "attachments_list": AttributeSchema(
            "The volume's attachments.", type=AttributeType.LIST, cache_mode=CacheMode.NONE,
            support_status=SupportStatus(version="9.0.0")),
        "multiattach": AttributeSchema(
            "Whether the volume may be attached more than once.", type=AttributeType.BOOLEAN,
            support_status=SupportStatus(version="6.0.0")),
    })

    # -- create ------------------------------------------------------------------

    def check_properties(self) -> None:
        """Heat's checks of the volume's sources."""
        props = self.properties
        if props.get("image") and props.get("imageRef"):
            raise ResourcePropertyConflict("image", "imageRef")
        if props.get("backup_id"):
            return
        exclusive = [k for k in ("snapshot_id", "source_volid", "image", "imageRef")
                     if props.get(k)]
        no_size = [k for k in ("snapshot_id", "source_volid") if props.get(k)]
        if props.get("size") is None and (len(no_size) != 1 or len(exclusive) != 1):
            raise ResourceFailure(
                'If neither "backup_id" nor "size" is provided, one and only one of '
                '"source_volid", "snapshot_id" must be specified, but currently specified '
                f"options: {exclusive}.")
        if props.get("size") and len(exclusive) > 1:
            raise ResourceFailure(
                'If "size" is provided, only one of "image", "imageRef", "source_volid", '
                '"snapshot_id" can be specified, but currently specified options: '
                f"{exclusive}.")

    async def create(self) -> None:
        self.check_properties()
        props = self.properties
        name = props.get("name") or self.ctx.physical_resource_name
        if props.get("backup_id"):
            answer = await self.call("POST", f"/backups/{props['backup_id']}/restore",
                                     json={"restore": {"name": name}})
            volume_id = str((answer.body or {}).get("restore", {}).get("volume_id"))
            await self.ctx.set_physical_resource_id(volume_id)
            await self.call("PUT", self.resource_path(), json={"volume": {
                "name": name, "description": props.get("description")}})
        else:
            body: dict[str, Any] = {"size": props.get("size"), "name": name,
                                    "description": props.get("description"),
                                    "availability_zone": props.get("availability_zone")}
            if props.get("image"):
                body["imageRef"] = await self.lookup(find_image_id, props["image"])
            elif props.get("imageRef"):
                body["imageRef"] = props["imageRef"]
            for key in ("snapshot_id", "volume_type", "source_volid", "metadata"):
                if props.get(key) is not None:
                    body[key] = props[key]
            if props.get("multiattach"):
                body["multiattach"] = True
            request: dict[str, Any] = {"volume": body}
            if props.get("scheduler_hints"):
                request["OS-SCH-HNT:scheduler_hints"] = dict(props["scheduler_hints"])
            await self.create_call("POST", "/volumes", json=request,
                                   id_of=lambda a: str(self.body_of(a)["id"]))
        await self.wait_available()
        if props.get("read_only") is not None:
            await self._set_read_only(props["read_only"])

    async def wait_available(self, *, also: tuple[str, ...] = ()) -> None:
        async def available() -> bool:
            volume = await self.fetch()
            status = str((volume or {}).get("status"))
            if status == "available" or status in also:
                return True
            if status in _CREATING:
                return False
            if status == "error":
                raise ResourceInError(status)
            raise ResourceUnknownStatus(status, "Volume create failed")

        await self.wait_until(available)

    async def _set_read_only(self, read_only: bool) -> None:
        await self.call("POST", f"{self.resource_path()}/action",
                        json={"os-update_readonly_flag": {"readonly": read_only}})
        self.forget()

    # -- update ------------------------------------------------------------------

    async def update(self, properties: Mapping[str, Any], changed: frozenset[str]) -> None:
        old = self.properties
        self.properties = properties
        path = self.resource_path()
        if "name" in changed or "description" in changed:
            await self.call("PUT", path, json={"volume": {
                "name": properties.get("name") or old.get("name")
                or self.ctx.physical_resource_name,
                "description": properties.get("description") or old.get("description")}})
        if "metadata" in changed:
            await self.call("PUT", f"{path}/metadata",
                            json={"metadata": dict(properties.get("metadata") or {})})
        if "volume_type" in changed and properties.get("volume_type"):
            await self.call("POST", f"{path}/action", json={"os-retype": {
                "new_type": properties["volume_type"], "migration_policy": "never"}})
        if "backup_id" in changed and properties.get("backup_id"):
            await self.call("POST", f"/backups/{properties['backup_id']}/restore",
                            json={"restore": {"volume_id": self.ctx.physical_resource_id}})
            await self.wait_available(also=("in-use",))
        if "size" in changed and properties.get("size") is not None:
            await self._extend(int(properties["size"]))
        if "read_only" in changed and properties.get("read_only") is not None:
            await self._set_read_only(properties["read_only"])
        self.forget()

    async def _extend(self, size: int) -> None:
        volume = await self.fetch() or {}
        if size < int(volume.get("size") or 0):
            raise NotSupported("Shrinking volume is not supported.")
        if size == int(volume.get("size") or 0):
            return
        ready = ("available", "in-use")

        async def settled() -> bool:
            found = await self.fetch()
            return str((found or {}).get("status")) in ready

        await self.wait_until(settled)
        try:
            await self.call("POST", f"{self.resource_path()}/action",
                            json={"os-extend": {"new_size": size}})
        except ResourceFailure as exc:
            raise Error(f"Failed to extend volume {self.ctx.physical_resource_id} - "
                        f"{exc}") from None

        async def extended() -> bool:
            found = await self.fetch()
            status = str((found or {}).get("status"))
            if status == "extending":
                return False
            if status not in ready:
                raise ResourceUnknownStatus(status, "Volume resize failed")
            return True

        await self.wait_until(extended)

    # -- delete ------------------------------------------------------------------

    async def delete(self) -> None:
        if self.ctx.physical_resource_id is None:
            return
        volume = await self.fetch()
        if volume is None:
            return
        if volume.get("status") == "in-use":
            raise Error("Volume in use")
        if volume.get("status") != "deleting" and \
                await self.api("DELETE", self.resource_path(), missing_ok=True) is None:
            return

        async def gone() -> bool:
            found = await self.fetch()
            if found is None:
                return True
            if str(found.get("status")).lower() == "error_deleting":
                raise ResourceInError(str(found.get("status")), "delete")
            return False

        await self.wait_until(gone)

    async def snapshot_delete(self) -> None:
        """Back the volume up (``deletion_policy: Snapshot``), then delete it."""
        if self.ctx.physical_resource_id is not None and await self.fetch() is not None:
            answer = await self.call("POST", "/backups", json={"backup": {
                "volume_id": self.ctx.physical_resource_id, "force": True}})
            backup_id = str((answer.body or {}).get("backup", {}).get("id"))
            await self.ctx.set_data("backup_id", backup_id)

            async def backed_up() -> bool:
                found = await self.call("GET", f"/backups/{backup_id}")
                status = str((found.body or {}).get("backup", {}).get("status"))
                if status == "creating":
                    return False
                if status == "available":
                    return True
                raise ResourceUnknownStatus(status, "Volume backup failed")

            await self.wait_until(backed_up)
        await self.delete()

    # -- attributes ----------------------------------------------------------------

    async def attribute(self, name: str, body: Mapping[str, Any]) -> Any:
        if name == "metadata":
            return json.dumps(body.get("metadata") or {})
        if name == "metadata_values":
            return body.get("metadata")
        if name == "display_name":
            return body.get("name")
        if name == "display_description":
            return body.get("description")
        if name == "attachments_list":
            return body.get("attachments")
        if name in _AS_TEXT:
            return _heat_text(body.get(name))
        return body.get(name)


def _heat_text(value: Any) -> str:
    """``str()`` as Python spells values (Heat's attributes are ``str(getattr(...))``)."""
    return str(value)
