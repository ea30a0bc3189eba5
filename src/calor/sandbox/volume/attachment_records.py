"""Volume attachments as Cinder keeps them, shared by ``/attachments`` and Nova's API.

An attachment is its own record (kind ``volume_attachment``) naming its
volume and, usually, a server (``instance``). It moves ``reserved`` ->
``attaching`` -> ``attached``, then ``detaching`` -> gone. A volume's status
follows its attachments (``in-use`` while one is attached) and its
``attachments`` list shows the attached ones; both are worked out when the
volume is shown, so the volume record never goes stale.

Attachments made through Nova's ``os-volume_attachments`` end with their
server: once the compute service has no ``server`` record of that id any
more, the attachment is dropped the next time it is read.
"""

from __future__ import annotations

from collections.abc import Iterable

from calor.sandbox.faults import Decision
from calor.sandbox.states import Body, Step, schedule
from calor.sandbox.store import Transaction
from calor.sandbox.volume.common import ATTACHMENT, cinder_time, invalid_volume, new_id

RESERVED = "reserved"
ATTACHING = "attaching"
ATTACHED = "attached"
DETACHING = "detaching"

#: Who made an attachment: Nova (through a server) or a client of ``/attachments``.
VIA_COMPUTE = "compute"
VIA_VOLUME = "volume"

#: The kind the compute service stores servers under.
SERVER = "server"

#: Statuses a volume must be in to take a new attachment.
RESERVABLE = ("available", "downloading")

#: The host every sandbox attachment is on.
HOST = "sandbox"


def alive(tx: Transaction, attachment: Body) -> bool:
    """False (and the attachment dropped) once the server Nova attached it to is gone."""
    if attachment.get("_via") != VIA_COMPUTE or not attachment.get("instance"):
        return True
    if tx.get(SERVER, attachment["instance"]) is not None:
        return True
    tx.delete(ATTACHMENT, attachment["id"])
    return False


def all_attachments(tx: Transaction) -> dict[str, list[Body]]:
    """Every live attachment, by volume id (one read for a whole volume list)."""
    found: dict[str, list[Body]] = {}
    for attachment in tx.list(ATTACHMENT):
        if alive(tx, attachment):
            found.setdefault(attachment["volume_id"], []).append(attachment)
    return found


def attachments_of(tx: Transaction, volume_id: str) -> list[Body]:
    return [a for a in tx.list(ATTACHMENT)
            if a["volume_id"] == volume_id and alive(tx, a)]


def of_server(tx: Transaction, server_id: str) -> list[Body]:
    """The attachments Nova made for ``server_id``, oldest first."""
    return [a for a in tx.list(ATTACHMENT)
            if a.get("instance") == server_id and a.get("_via") == VIA_COMPUTE]


def volume_status(stored: str, attachments: Iterable[Body]) -> str:
    """The status a volume shows: its own, or what its attachments make of ``available``."""
    if stored not in {"available", "in-use"}:
        return stored
    states = {a["status"] for a in attachments}
    for status, shown in ((DETACHING, "detaching"), (ATTACHED, "in-use"),
                          (ATTACHING, "attaching"), (RESERVED, "reserved")):
        if status in states:
            return shown
    return "available"


def shown_attachments(attachments: Iterable[Body], *, admin: bool) -> list[Body]:
    """The volume's ``attachments`` list: one entry per attached server."""
    return [{"id": a["volume_id"], "attachment_id": a["id"], "volume_id": a["volume_id"],
             "server_id": a.get("instance"), "host_name": a.get("attached_host") if admin
             else None, "device": a.get("device"), "attached_at": a.get("attach_time")}
            for a in attachments if a["status"] == ATTACHED]


def ensure_reservable(volume: Body, attachments: list[Body]) -> None:
    """Refuse, as Cinder does, to attach a volume that is busy or taken."""
    status = volume_status(volume["status"], attachments)
    allowed = RESERVABLE + (("in-use", "reserved") if volume.get("multiattach") else ())
    if status not in allowed:
        states = " or ".join(("available", "in-use", "downloading")
                             if volume.get("multiattach") else RESERVABLE)
        raise invalid_volume(f"Volume {volume['id']} status must be {states} to reserve, "
                             f"but the current status is {status}.")


def connection_info(volume: Body) -> Body:
    """What a host would use to reach the volume (an iSCSI target that does not exist)."""
    return {"driver_volume_type": "iscsi", "data": {
        "target_discovered": False, "target_portal": "127.0.0.1:3260",
        "target_iqn": f"iqn.2010-10.org.openstack:volume-{volume['id']}",
        "target_lun": 1, "volume_id": volume["id"], "access_mode": "rw",
        "encrypted": False}}


def reserve(tx: Transaction, volume: Body, project_id: str, *, instance: str | None,
            mode: str = "rw", via: str = VIA_VOLUME) -> Body:
    """A new ``reserved`` attachment of ``volume`` (already checked reservable)."""
    attachment: Body = {
        "id": new_id(), "volume_id": volume["id"], "instance": instance,
        "status": RESERVED, "attach_mode": mode, "connector": None,
        "connection_info": {}, "device": None, "attached_host": None,
        "attach_time": None, "detach_time": None, "_via": via,
    }
    return tx.insert(ATTACHMENT, attachment, project_id=project_id)


def connect(attachment: Body, volume: Body, connector: Body | None) -> None:
    """A host's connector arrived: the attachment is ``attaching``."""
    attachment["connector"] = connector
    attachment["connection_info"] = connection_info(volume)
    attachment["attached_host"] = (connector or {}).get("host") or HOST
    if connector and connector.get("mountpoint"):
        attachment["device"] = connector["mountpoint"]
    attachment["status"] = ATTACHING


def complete(tx: Transaction, attachment: Body) -> None:
    attachment["status"] = ATTACHED
    attachment["attach_time"] = cinder_time(tx.now)
    tx.save(ATTACHMENT, attachment)


def finish_later(tx: Transaction, attachment: Body, decision: Decision) -> None:
    """An ``attaching`` attachment completes after the latency (or vanishes on a fault)."""
    if decision.latency <= 0 and not decision.fails:
        complete(tx, attachment)
        return
    if decision.latency <= 0:
        tx.delete(ATTACHMENT, attachment["id"])
        return
    done = None if decision.fails else {
        "status": ATTACHED, "attach_time": cinder_time(tx.now + decision.latency)}
    schedule(attachment, tx.now, [Step(decision.latency, done)])
    tx.save(ATTACHMENT, attachment)


def remove(tx: Transaction, attachment: Body, latency: float) -> None:
    """Detach: ``detaching`` for the latency, then gone."""
    if latency <= 0:
        tx.delete(ATTACHMENT, attachment["id"])
        return
    attachment["status"] = DETACHING
    schedule(attachment, tx.now, [Step(latency, None)])
    tx.save(ATTACHMENT, attachment)
