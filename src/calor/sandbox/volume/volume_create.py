"""``POST /volumes``: checking the request, its source (snapshot, volume, image) and quota.

A volume can start empty or from a snapshot (``snapshot_id``), another
volume (``source_volid``) or a Glance image (``imageRef``, looked up in the
image service's records). Its size defaults to its source's and may not be
smaller. Backups and consistency groups do not exist in the sandbox, so
naming one is its 404.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from calor.identity.context import RequestContext
from calor.sandbox.errors import BadRequest, NotFound
from calor.sandbox.states import Body
from calor.sandbox.store import Transaction
from calor.sandbox.volume import attachment_records as records
from calor.sandbox.volume.common import (
    cinder_time,
    get_snapshot,
    get_volume,
    invalid_input,
    metadata_field,
    new_id,
    size_field,
    string_field,
)
from calor.sandbox.volume.volume_types import default_type, find_type

#: The only availability zone of the sandbox.
ZONE = "nova"
#: The kind the image service stores images under.
IMAGE = "image"
#: Where every sandbox volume lives, as Cinder names a backend pool.
HOST = "sandbox@lvmdriver-1#lvmdriver-1"
SERVICE_UUID = "3f6d1e2a-6a8f-4c55-9b1e-6b1d2c3a4e5f"

_GIB = 1024 ** 3
_KNOWN = {"size", "name", "description", "display_name", "display_description",
          "volume_type", "availability_zone", "metadata", "snapshot_id", "source_volid",
          "imageRef", "image_id", "backup_id", "consistencygroup_id", "group_id",
          "multiattach", "source_replica", "scheduler_hints"}


@dataclass(frozen=True)
class Source:
    """What a new volume starts from, and what it inherits."""

    size: int | None = None
    volume_type: str | None = None
    bootable: bool = False
    image_metadata: dict[str, str] | None = None


def _image_source(tx: Transaction, reference: Any, context: RequestContext) -> Source:
    unusable = BadRequest("Invalid image identifier or unable to access requested image.")
    if not isinstance(reference, str):
        raise unusable
    image = tx.get(IMAGE, reference)
    owner = tx.project_of(IMAGE, reference)
    if image is None or not (context.is_admin or owner == context.project_id
                             or image.get("owner") == context.project_id
                             or image.get("visibility", "public") in {"public", "community"}):
        raise unusable
    if image.get("status", "active") != "active":
        raise invalid_input(f"Image {reference} is not active.")
    size = int(image.get("size") or 0)
    minimum = max(math.ceil(size / _GIB), int(image.get("min_disk") or 0), 1)
    metadata = {"image_id": reference, "image_name": str(image.get("name") or ""),
                "checksum": str(image.get("checksum") or ""),
                "container_format": str(image.get("container_format") or "bare"),
                "disk_format": str(image.get("disk_format") or "raw"),
                "min_disk": str(image.get("min_disk") or 0),
                "min_ram": str(image.get("min_ram") or 0), "size": str(size)}
    return Source(size=minimum, bootable=True, image_metadata=metadata)


def _source(tx: Transaction, values: dict[str, Any], context: RequestContext) -> Source:
    if values.get("backup_id"):
        raise NotFound(f"Backup {values['backup_id']} could not be found.")
    if values.get("consistencygroup_id"):
        raise NotFound(f"ConsistencyGroup {values['consistencygroup_id']} could not be "
                       "found.")
    if values.get("group_id"):
        raise NotFound(f"Group {values['group_id']} could not be found.")
    if values.get("snapshot_id"):
        snapshot = get_snapshot(tx, str(values["snapshot_id"]), context)
        if snapshot["status"] != "available":
            raise BadRequest("Invalid snapshot: Originating snapshot status must be one "
                             "of 'available' values")
        origin = tx.get("volume", snapshot["volume_id"])
        return Source(size=int(snapshot["size"]),
                      volume_type=origin.get("volume_type") if origin else None,
                      bootable=bool(origin and origin.get("bootable") == "true"))
    if values.get("source_volid"):
        origin = get_volume(tx, str(values["source_volid"]), context)
        status = records.volume_status(origin["status"],
                                       records.attachments_of(tx, origin["id"]))
        if status not in {"available", "in-use"}:
            raise BadRequest(f"Invalid volume: Source volume {origin['id']} status must be "
                             f"available or in-use, but it is {status}.")
        return Source(size=int(origin["size"]), volume_type=origin.get("volume_type"),
                      bootable=origin.get("bootable") == "true",
                      image_metadata=origin.get("volume_image_metadata"))
    image = values.get("imageRef") or values.get("image_id")
    if image:
        return _image_source(tx, image, context)
    return Source()


def _size(values: dict[str, Any], source: Source) -> int:
    if values.get("size") is None:
        if source.size is None:
            raise invalid_input("Size of the volume must be specified when it is not "
                                "created from a snapshot, volume or image.")
        return source.size
    size = size_field(values["size"])
    if source.size is not None and size < source.size:
        raise invalid_input(f"Volume size '{size}'GB cannot be smaller than the size of "
                            f"its source ({source.size}GB).")
    return size


def _multiattach(values: dict[str, Any], volume_type: Body | None) -> bool:
    spec = str((volume_type or {}).get("extra_specs", {}).get("multiattach", ""))
    return values.get("multiattach") is True or spec.replace(" ", "").lower() == "<is>true"


def new_volume(tx: Transaction, values: dict[str, Any], context: RequestContext) -> Body:
    """A checked new volume body, ``creating`` (the caller schedules its end)."""
    unknown = sorted(set(values) - _KNOWN)
    if unknown:
        raise BadRequest("Invalid input for field/attribute volume. Additional properties "
                         f"are not allowed ({unknown[0]!r} was unexpected)")
    name = string_field(values, "name") or string_field(values, "display_name")
    description = (string_field(values, "description")
                   or string_field(values, "display_description"))
    metadata = metadata_field(values.get("metadata"))
    zone = values.get("availability_zone") or ZONE
    if zone != ZONE:
        raise BadRequest(f"Availability zone '{zone}' is invalid.")
    if values.get("multiattach") not in (None, True, False):
        raise BadRequest("Invalid input for field/attribute multiattach. Value: "
                         f"{values['multiattach']}. It is not of type 'boolean'")
    source = _source(tx, values, context)
    size = _size(values, source)
    type_ref = values.get("volume_type") or source.volume_type
    volume_type = find_type(tx, str(type_ref)) if type_ref else default_type(tx)
    stamp = cinder_time(tx.now)
    body: Body = {
        "id": new_id(), "name": name, "description": description, "status": "creating",
        "size": size, "availability_zone": zone, "created_at": stamp, "updated_at": stamp,
        "bootable": "true" if source.bootable else "false", "encrypted": False,
        "metadata": metadata, "multiattach": _multiattach(values, volume_type),
        "replication_status": None, "snapshot_id": values.get("snapshot_id"),
        "source_volid": values.get("source_volid"), "backup_id": None,
        "user_id": context.user_id,
        "volume_type": volume_type["name"] if volume_type else None,
        "volume_type_id": volume_type["id"] if volume_type else None,
        "consistencygroup_id": None, "group_id": None,
        "os-vol-tenant-attr:tenant_id": context.project_id,
        "os-vol-host-attr:host": HOST, "os-vol-mig-status-attr:migstat": None,
        "os-vol-mig-status-attr:name_id": None, "provider_id": None,
        "service_uuid": SERVICE_UUID, "shared_targets": False, "cluster_name": None,
        "consumes_quota": True, "encryption_key_id": None,
    }
    if source.image_metadata is not None:
        body["volume_image_metadata"] = dict(source.image_metadata)
    return body
