"""A server's block devices: the checks Heat makes, and the request bodies Nova takes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from calor.resources.lifecycle import ResourceFailure
from calor.resources.openstack.base import OpenStackResource
from calor.resources.openstack.errors import ResourcePropertyConflict
from calor.resources.openstack.finders import find_image_id

#: The keys of a v2 mapping copied as they are when set.
_PASSED_ON = ("device_type", "disk_bus", "boot_index", "volume_size",
              "delete_on_termination", "volume_type")


def check_block_devices(props: Mapping[str, Any], server: str) -> None:
    """Heat's ``_validate_block_device_mapping``, with its messages."""
    legacy = list(props.get("block_device_mapping") or [])
    devices = list(props.get("block_device_mapping_v2") or [])
    image = props.get("image")
    if legacy and devices:
        raise ResourcePropertyConflict("block_device_mapping", "block_device_mapping_v2")
    bootable = image is not None
    for mapping in legacy:
        if mapping.get("device_name") == "vda":
            bootable = True
        volume_id, snapshot_id = mapping.get("volume_id"), mapping.get("snapshot_id")
        if volume_id is not None and snapshot_id is not None:
            raise ResourcePropertyConflict("volume_id", "snapshot_id")
        if volume_id is None and snapshot_id is None:
            raise ResourceFailure("Either volume_id or snapshot_id must be specified for "
                                  f"device mapping {mapping.get('device_name')}")
    sources: list[Any] = [image]
    for mapping in devices:
        image_ref = mapping.get("image") or mapping.get("image_id")
        ephemeral = mapping.get("ephemeral_size") or mapping.get("ephemeral_format")
        given = (mapping.get("volume_id"), mapping.get("snapshot_id"), image_ref,
                 mapping.get("swap_size"), ephemeral)
        if given.count(None) < 4:
            raise ResourcePropertyConflict("volume_id", "snapshot_id", "image", "swap_size",
                                           "ephemeral_size", "ephemeral_format")
        if given.count(None) == 5:
            raise ResourceFailure("Either volume_id, snapshot_id, image_id, swap_size, "
                                  "ephemeral_size or ephemeral_format must be specified.")
        boot_index = mapping.get("boot_index")
        if any(v is not None for v in given[:3]) and boot_index in (None, 0):
            bootable = True
            sources.extend(given[:3])
    if not bootable:
        raise ResourceFailure(
            f"Neither image nor bootable volume is specified for instance {server}")
    if devices and len([s for s in sources if s is not None]) != 1:
        raise ResourceFailure(f"Multiple bootable sources for instance {server}.")


def block_device_mapping(legacy: Sequence[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    """The first version of block device mappings, as the compute API takes them."""
    found = []
    for mapping in legacy or []:
        device: dict[str, Any] = {"device_name": mapping["device_name"]}
        if mapping.get("snapshot_id"):
            device["snapshot_id"] = mapping["snapshot_id"]
        else:
            device["volume_id"] = mapping.get("volume_id")
        if mapping.get("volume_size"):
            device["volume_size"] = mapping["volume_size"]
        if mapping.get("delete_on_termination"):
            device["delete_on_termination"] = True
        found.append(device)
    return found


async def block_device_mapping_v2(resource: OpenStackResource,
                                  devices: Sequence[Mapping[str, Any]] | None,
                                  ) -> list[dict[str, Any]]:
    """Heat's ``_build_block_device_mapping_v2``: each mapping's source, destination, size."""
    found = []
    for mapping in devices or []:
        device: dict[str, Any] = {}
        image = mapping.get("image") or mapping.get("image_id")
        if mapping.get("volume_id"):
            device = _from("volume", mapping["volume_id"])
        elif mapping.get("snapshot_id"):
            device = _from("snapshot", mapping["snapshot_id"])
        elif image:
            device = _from("image", await resource.lookup(find_image_id, image))
        elif mapping.get("swap_size"):
            device = {"source_type": "blank", "destination_type": "local", "boot_index": -1,
                      "delete_on_termination": True, "guest_format": "swap",
                      "volume_size": mapping["swap_size"]}
        elif mapping.get("ephemeral_size") or mapping.get("ephemeral_format"):
            device = {"source_type": "blank", "destination_type": "local", "boot_index": -1,
                      "delete_on_termination": True}
            if mapping.get("ephemeral_size"):
                device["volume_size"] = mapping["ephemeral_size"]
            if mapping.get("ephemeral_format"):
                device["guest_format"] = mapping["ephemeral_format"]
        if mapping.get("device_name"):
            device["device_name"] = mapping["device_name"]
        for key in _PASSED_ON:
            if mapping.get(key) is not None:
                device[key] = mapping[key]
        if device:
            found.append(device)
    return found


def _from(source: str, uuid: str) -> dict[str, Any]:
    return {"uuid": uuid, "source_type": source, "destination_type": "volume",
            "boot_index": 0, "delete_on_termination": False}
