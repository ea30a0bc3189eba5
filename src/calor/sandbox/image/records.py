"""Glance images as records: visibility, lookups by id, new images and their bytes.

Compute uses these too: ``imageRef`` lookups for a server, and ``createImage``.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from calor.identity.context import RequestContext
from calor.sandbox.states import Body, iso8601
from calor.sandbox.store import Transaction

KIND = "image"

#: Fields Glance sets itself; a request may not.
READ_ONLY = {"checksum", "created_at", "file", "os_hash_algo", "os_hash_value", "schema",
             "self", "size", "status", "updated_at", "virtual_size", "direct_url",
             "locations", "os_glance_import_task"}
#: Fields of the image schema (everything else is an extra property).
BASE = {"id", "name", "visibility", "protected", "os_hidden", "disk_format",
        "container_format", "min_disk", "min_ram", "tags", "owner", *READ_ONLY}

DISK_FORMATS = ("ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi", "iso",
                "ploop")
CONTAINER_FORMATS = ("ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed")


def data_key(image_id: str) -> str:
    return f"image:{image_id}"


def visible(context: RequestContext, image: Body) -> bool:
    """Public and community images, the project's own, and shared ones it is a member of."""
    return context.is_admin or image["visibility"] in {"public", "community"} \
        or image["owner"] == context.project_id \
        or (image["visibility"] == "shared" and context.project_id in image.get("_members", {}))


def new_task_id() -> str:
    return str(uuid.uuid4())


def find(tx: Transaction, image_id: str, context: RequestContext) -> Body | None:
    """The image if it exists and the caller may see it."""
    image = tx.get(KIND, image_id)
    return image if image is not None and visible(context, image) else None


def new_image(tx: Transaction, owner: str, values: dict[str, Any]) -> Body:
    """A ``queued`` image with the given (checked) fields; returns its body."""
    image_id = str(values.pop("id", None) or uuid.uuid4())
    stamp = iso8601(tx.now)
    image: Body = {
        "id": image_id, "name": None, "status": "queued", "visibility": "shared",
        "protected": False, "os_hidden": False, "checksum": None, "os_hash_algo": None,
        "os_hash_value": None, "size": None, "virtual_size": None, "min_disk": 0,
        "min_ram": 0, "disk_format": None, "container_format": None, "owner": owner,
        "tags": [], "created_at": stamp, "updated_at": stamp,
        "self": f"/v2/images/{image_id}", "file": f"/v2/images/{image_id}/file",
        "schema": "/v2/schemas/image",
    }
    image.update(values)
    image["tags"] = sorted(set(image["tags"]))
    return tx.insert(KIND, image, project_id=owner)


def store_data(tx: Transaction, image: Body, data: bytes) -> Body:
    """Keep ``data`` as the image's bytes; the image becomes ``active``."""
    tx.put_blob(data_key(image["id"]), data)
    image.update({
        "status": "active", "size": len(data),
        "checksum": hashlib.md5(data, usedforsecurity=False).hexdigest(),
        "os_hash_algo": "sha512", "os_hash_value": hashlib.sha512(data).hexdigest(),
        "updated_at": iso8601(tx.now),
    })
    return tx.save(KIND, image)


def remove(tx: Transaction, image_id: str) -> None:
    tx.delete_blob(data_key(image_id))
    tx.delete(KIND, image_id)


def cirros_bytes() -> bytes:
    """A few KB standing in for the CirrOS disk: a qcow2 magic and a repeating pattern."""
    header = b"QFI\xfb\x00\x00\x00\x03" + b"calor sandbox cirros image\n"
    return header + bytes(range(256)) * 16
