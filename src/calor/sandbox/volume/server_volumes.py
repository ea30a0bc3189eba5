"""Volumes on servers: attaching one as Nova does, and Nova's server create/delete hook.

The compute service keeps servers as ``server`` records and lists a
server's volumes in its ``os-extended-volumes:volumes_attached``; this
module writes that list whenever it attaches or detaches. Through
:mod:`calor.sandbox.compute.hooks` it also takes part in server create
(``block_device_mapping_v2`` entries with ``destination_type: volume``:
an existing volume, or a new one made from an image, a snapshot or blank)
and server delete (the volumes are detached, and those marked
``delete_on_termination`` deleted).
"""

from __future__ import annotations

import uuid
from contextlib import suppress
from typing import Any

from calor.identity.context import RequestContext
from calor.sandbox.bodies import parse_bool
from calor.sandbox.errors import ApiError, BadRequest, Conflict
from calor.sandbox.faults import Decision
from calor.sandbox.runtime import Sandbox
from calor.sandbox.states import Body
from calor.sandbox.store import Transaction
from calor.sandbox.volume import attachment_records as records
from calor.sandbox.volume.common import ATTACHMENT, VOLUME, owned
from calor.sandbox.volume.quota_routes import ensure_volume
from calor.sandbox.volume.volume_create import new_volume
from calor.sandbox.volume.volumes import delete_volume_now

VOLUMES_ATTACHED = "os-extended-volumes:volumes_attached"
ROOT_DEVICE = "/dev/vda"
_LETTERS = "bcdefghijklmnopqrstuvwxyz"


def devices_in_use(tx: Transaction, server: Body) -> set[str]:
    used = {str(server.get("OS-EXT-SRV-ATTR:root_device_name") or ROOT_DEVICE)}
    return used | {str(a["device"]) for a in records.of_server(tx, server["id"])
                   if a.get("device")}


def next_device(tx: Transaction, server: Body) -> str:
    used = devices_in_use(tx, server)
    for letter in _LETTERS:
        if f"/dev/vd{letter}" not in used:
            return f"/dev/vd{letter}"
    raise BadRequest("No free disk device names for prefix 'vd'")


def attach(tx: Transaction, server: Body, volume: Body, *, device: str | None,
           tag: str | None, delete_on_termination: bool, decision: Decision | None,
           boot: bool = False) -> Body:
    """Attach ``volume`` to ``server`` (at once when ``decision`` is ``None``).

    ``boot`` is the root disk of a server booted from a volume, at ``/dev/vda``.
    """
    try:
        records.ensure_reservable(volume, records.attachments_of(tx, volume["id"]))
    except ApiError as error:
        raise BadRequest(f"Invalid input received: {error.message} (HTTP 400)") from None
    if device is not None and device in devices_in_use(tx, server) and not boot:
        raise Conflict(f"The supplied device path ({device}) is in use.")
    device = device or next_device(tx, server)
    attachment = records.reserve(tx, volume, str(tx.project_of(VOLUME, volume["id"])),
                                 instance=server["id"], via=records.VIA_COMPUTE)
    records.connect(attachment, volume, {"host": records.HOST, "mountpoint": device})
    attachment.update({"tag": tag, "delete_on_termination": delete_on_termination,
                       "bdm_uuid": str(uuid.uuid4())})
    if decision is None:
        records.complete(tx, attachment)
    else:
        tx.save(ATTACHMENT, attachment)
        records.finish_later(tx, attachment, decision)
    server.setdefault(VOLUMES_ATTACHED, []).append(
        {"id": volume["id"], "delete_on_termination": delete_on_termination})
    return attachment


def forget(server: Body, volume_id: str) -> None:
    """Drop ``volume_id`` from the server's list of attached volumes."""
    server[VOLUMES_ATTACHED] = [v for v in server.get(VOLUMES_ATTACHED, [])
                                if v["id"] != volume_id]


def _volume_for(tx: Transaction, sandbox: Sandbox, mapping: dict[str, Any],
                context: RequestContext) -> Body:
    source = mapping.get("source_type")
    reference = mapping.get("uuid")
    if source == "volume":
        volume = tx.get(VOLUME, str(reference))
        if volume is None or not owned(context, tx.project_of(VOLUME, str(reference))):
            raise BadRequest(f"Block Device Mapping is Invalid: failed to get volume "
                             f"{reference}.")
        return volume
    values: dict[str, Any] = {"size": mapping.get("volume_size"),
                              "volume_type": mapping.get("volume_type")}
    if source == "image":
        values["imageRef"] = reference
    elif source == "snapshot":
        values["snapshot_id"] = reference
    elif source != "blank":
        raise BadRequest(f"Block Device Mapping is Invalid: unknown source_type {source!r}.")
    if source in {"image", "blank"} and not mapping.get("volume_size"):
        raise BadRequest(f"Block Device Mapping is Invalid: {source} mappings with "
                         "destination_type 'volume' need a non-zero volume_size.")
    volume = new_volume(tx, {k: v for k, v in values.items() if v is not None}, context)
    ensure_volume(sandbox, tx, context.project_id, int(volume["size"]))
    volume["status"] = "available"
    return tx.insert(VOLUME, volume, project_id=context.project_id)


class ServerVolumes:
    """The volume service's part in Nova's server create and delete."""

    def on_create(self, sandbox: Sandbox, tx: Transaction, server: Body,
                  block_devices: list[dict[str, Any]], context: RequestContext) -> None:
        for mapping in block_devices:
            source = mapping.get("source_type")
            destination = mapping.get("destination_type") or (
                "volume" if source in {"volume", "snapshot"} else "local")
            if destination != "volume":
                continue
            volume = _volume_for(tx, sandbox, mapping, context)
            root = str(mapping.get("boot_index")) == "0"
            device = mapping.get("device_name") or (ROOT_DEVICE if root else None)
            attach(tx, server, volume, device=device, tag=mapping.get("tag"),
                   delete_on_termination=parse_bool(
                       mapping.get("delete_on_termination", False)) is True,
                   decision=None, boot=root)

    def on_delete(self, sandbox: Sandbox, tx: Transaction, server: Body) -> None:
        for attachment in records.of_server(tx, server["id"]):
            tx.delete(ATTACHMENT, attachment["id"])
            volume = tx.get(VOLUME, attachment["volume_id"])
            if volume is None or not attachment.get("delete_on_termination"):
                continue
            # Nova leaves a volume it cannot delete (one with snapshots) behind.
            with suppress(ApiError):
                delete_volume_now(tx, volume, cascade=False, force=False, decide=lambda: (
                    sandbox.faults.decide("volume.volume.delete", asynchronous=True)))
        server[VOLUMES_ATTACHED] = []


HOOK = ServerVolumes()
