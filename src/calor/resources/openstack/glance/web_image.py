"""OS::Glance::WebImage: a Glance image the image service downloads from a URL."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from calor.resources.lifecycle import ResourceFailure
from calor.resources.openstack.base import OpenStackResource, present, with_show
from calor.resources.openstack.errors import ResourceInError
from calor.template.constraints import AllowedPattern, AllowedValues, Range
from calor.template.schema import PropertySchema, PropertyType, SupportStatus

#: Glance's content type for JSON-patch updates of an image.
PATCH_TYPE = "application/openstack-images-v2.1-json-patch"

UUID_PATTERN = ("^([0-9a-fA-F]){8}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}-([0-9a-fA-F]){4}"
                "-([0-9a-fA-F]){12}$")

#: The properties sent as they are in the create request.
_CREATE_FIELDS = ("name", "id", "min_disk", "min_ram", "protected", "disk_format",
                  "container_format", "tags", "architecture", "kernel_id", "os_distro",
                  "os_version", "owner", "visibility", "ramdisk_id")
#: The properties an update sets with a JSON patch.
_PATCHED = ("min_disk", "min_ram", "protected", "architecture", "kernel_id", "os_distro",
            "os_version", "owner", "visibility", "ramdisk_id")


def _text(description: str, **options: Any) -> PropertySchema:
    return PropertySchema(PropertyType.STRING, description, **options)


class GlanceWebImage(OpenStackResource):
    """A Glance image whose bits Glance fetches itself from ``location``
    (the image import's web-download method).
    """

    type_name = "OS::Glance::WebImage"
    service = "image"
    path = "/images/{id}"
    support_status = SupportStatus(version="12.0.0")

    properties_schema = {
        "name": _text("The image's name (need not be unique)."),
        "id": _text("The image's id (unset: Glance makes one)."),
        "min_disk": PropertySchema(PropertyType.INTEGER, "Disk, in GB, needed to boot the "
                                   "image (0: no minimum).", default=0,
                                   constraints=[Range(min=0)]),
        "min_ram": PropertySchema(PropertyType.INTEGER, "Memory, in MB, needed to boot the "
                                  "image (0: no minimum).", default=0,
                                  constraints=[Range(min=0)]),
        "protected": PropertySchema(PropertyType.BOOLEAN, "Whether the image is kept from "
                                    "being deleted.", default=False, update_allowed=True),
        "disk_format": _text("The image's disk format.", required=True, constraints=[
            AllowedValues(["ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi",
                           "iso", "ploop"])]),
        "container_format": _text("The image's container format.", required=True,
                                  constraints=[AllowedValues(["ami", "ari", "aki", "bare",
                                                              "ovf", "ova", "docker"])]),
        "location": _text("The URL the image's data is downloaded from.", required=True),
        "tags": PropertySchema(PropertyType.LIST, "The image's tags.", update_allowed=True),
        "architecture": _text("The operating system's architecture.", update_allowed=True),
        "kernel_id": _text("The image to boot as the kernel of an AMI-style image.",
                           update_allowed=True, constraints=[AllowedPattern(UUID_PATTERN)]),
        "os_distro": _text("The operating system distribution, in lower case.",
                           update_allowed=True),
        "os_version": _text("The distribution's version.", update_allowed=True),
        "owner": _text("The image's owner.", update_allowed=True),
        "extra_properties": PropertySchema(
            PropertyType.MAP, "More properties for the image.", default={},
            update_allowed=True, support_status=SupportStatus(version="17.0.0")),
        "visibility": _text("Who may see the image.", default="private", update_allowed=True,
                            constraints=[AllowedValues(["public", "private", "community",
                                                        "shared"])]),
        "ramdisk_id": _text("The image to use as the ramdisk of an AMI-style image.",
                            update_allowed=True, constraints=[AllowedPattern(UUID_PATTERN)]),
        "active": PropertySchema(PropertyType.BOOLEAN, "Activate or deactivate the image "
                                 "(administrators only).", default=True, update_allowed=True,
                                 support_status=SupportStatus(version="16.0.0")),
        "members": PropertySchema(
            PropertyType.LIST, "Projects (or users) the image is shared with.",
            schema=PropertySchema(PropertyType.STRING, "A member id."),
            update_allowed=True, support_status=SupportStatus(version="16.0.0")),
    }
    attributes_schema = with_show({})

    def check_properties(self) -> None:
        props = self.properties
        container = props.get("container_format")
        if container in ("ami", "ari", "aki") and props.get("disk_format") != container:
            raise ResourceFailure(
                "Invalid mix of disk and container formats. When setting a disk or container "
                "format to one of 'aki', 'ari', or 'ami', the container and disk formats "
                "must match.")
        if props.get("members") and props.get("visibility") != "shared":
            raise ResourceFailure("members property should only be specified for "
                                  "visibility with value shared.")

    async def create(self) -> None:
        self.check_properties()
        props = self.properties
        body = present({key: props.get(key) for key in _CREATE_FIELDS})
        answer = await self.create_call("POST", "/images", json=body,
                                        id_of=lambda a: str(self.body_of(a)["id"]))
        image_id = str(self.body_of(answer)["id"])
        await self.call("POST", f"/images/{image_id}/import", json={
            "method": {"name": "web-download", "uri": props["location"]}})
        for member in props.get("members") or []:
            await self.call("POST", f"/images/{image_id}/members", json={"member": member})
        extra = props.get("extra_properties") or {}
        if extra:
            await self._patch([{"op": "add", "path": f"/{k}", "value": v}
                               for k, v in extra.items()])
        await self._wait_imported(active=bool(props.get("active", True)))

    async def _wait_imported(self, *, active: bool) -> None:
        async def imported() -> bool:
            image = await self.fetch() or {}
            status = image.get("status")
            if status == "killed":
                raise ResourceInError(str(status))
            if active:
                return status == "active"
            if status == "active":
                await self.call("POST", f"{self.resource_path()}/actions/deactivate")
                return True
            return status == "deactivated"

        await self.wait_until(imported)

    async def _patch(self, operations: list[dict[str, Any]]) -> None:
        if operations:
            answer = await self.call("PATCH", self.resource_path(), json=operations,
                                     headers={"Content-Type": PATCH_TYPE})
            self.remember(self.body_of(answer))

    async def update(self, properties: Mapping[str, Any], changed: frozenset[str]) -> None:
        old = self.properties
        self.properties = properties
        path = self.resource_path()
        if "active" in changed and properties.get("active") is False:
            await self.call("POST", f"{path}/actions/deactivate")
        if "tags" in changed:
            before, after = set(old.get("tags") or []), set(properties.get("tags") or [])
            for tag in sorted(after - before):
                await self.call("PUT", f"{path}/tags/{tag}")
            for tag in sorted(before - after):
                await self.api("DELETE", f"{path}/tags/{tag}", missing_ok=True)
        operations: list[dict[str, Any]] = []
        for key in _PATCHED:
            if key in changed:
                value = properties.get(key)
                operations.append({"op": "remove", "path": f"/{key}"} if value is None
                                  else {"op": "replace", "path": f"/{key}", "value": value})
        if "extra_properties" in changed:
            before_extra = old.get("extra_properties") or {}
            after_extra = properties.get("extra_properties") or {}
            operations += [{"op": "remove", "path": f"/{k}"}
                           for k in sorted(set(before_extra) - set(after_extra))]
            operations += [{"op": "replace" if k in before_extra else "add",
                            "path": f"/{k}", "value": v} for k, v in after_extra.items()]
        await self._patch(operations)
        if "members" in changed:
            before_members = set(old.get("members") or [])
            after_members = set(properties.get("members") or [])
            for member in sorted(after_members - before_members):
                await self.call("POST", f"{path}/members", json={"member": member})
            for member in sorted(before_members - after_members):
                await self.api("DELETE", f"{path}/members/{member}", missing_ok=True)
        if "active" in changed and properties.get("active"):
            await self.call("POST", f"{path}/actions/reactivate")
        self.forget()
