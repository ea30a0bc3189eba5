"""Accounts, containers and objects in the sandbox store (see :mod:`.common` for the keys).

Objects past their ``X-Delete-At`` are gone: the next read removes them.
"""

from __future__ import annotations

import hashlib
from typing import Any

from calor.sandbox.object_store.common import (
    ACCOUNT,
    CONTAINER,
    OBJECT,
    blob_key,
    container_id,
    listing_time,
    object_id,
)
from calor.sandbox.states import Body
from calor.sandbox.store import Transaction

STORAGE_POLICY = "Policy-0"


def _by_name(bodies: list[Body]) -> list[Body]:
    # Swift lists in byte order of the UTF-8 names.
    return sorted(bodies, key=lambda body: str(body["name"]).encode())


def account(tx: Transaction, name: str) -> Body:
    """The account's record (its metadata); every account exists, as with autocreate."""
    found = tx.get(ACCOUNT, name)
    return found if found is not None else {"id": name, "metadata": {}, "timestamp": tx.now}


def save_account(tx: Transaction, body: Body, project_id: str) -> None:
    if tx.get(ACCOUNT, body["id"]) is None:
        tx.insert(ACCOUNT, body, project_id=project_id)
    else:
        tx.save(ACCOUNT, body)


def containers(tx: Transaction, account_name: str) -> list[Body]:
    return _by_name(tx.list(CONTAINER, project_id=account_name))


def container(tx: Transaction, account_name: str, name: str) -> Body | None:
    return tx.get(CONTAINER, container_id(account_name, name))


def new_container(tx: Transaction, account_name: str, name: str, metadata: dict[str, str],
                  settings: dict[str, str]) -> Body:
    body: Body = {"id": container_id(account_name, name), "name": name,
                  "account": account_name, "metadata": metadata, "settings": settings,
                  "timestamp": tx.now, "storage_policy": STORAGE_POLICY}
    return tx.insert(CONTAINER, body, project_id=account_name)


def _live(tx: Transaction, body: Body) -> bool:
    delete_at = body.get("delete_at")
    if delete_at is not None and float(delete_at) <= tx.now:
        remove_object(tx, body)
        return False
    return True


def objects(tx: Transaction, container_body: Body) -> list[Body]:
    """The container's objects by name (the expired ones dropped)."""
    return _by_name([body for body in tx.list(OBJECT, project_id=container_body["id"])
                     if _live(tx, body)])


def usage(tx: Transaction, container_body: Body) -> tuple[int, int]:
    """``(object count, bytes used)`` of a container."""
    found = objects(tx, container_body)
    return len(found), sum(int(body["bytes"]) for body in found)


def get_object(tx: Transaction, container_body: Body, name: str) -> Body | None:
    body = tx.get(OBJECT, object_id(container_body["account"], container_body["name"], name))
    return body if body is not None and _live(tx, body) else None


def object_data(tx: Transaction, body: Body) -> bytes:
    return tx.get_blob(blob_key(body["id"])) or b""


def put_object(tx: Transaction, container_body: Body, name: str, data: bytes,
               attributes: dict[str, Any]) -> Body:
    """Store (or replace) an object; ``attributes`` holds content_type, metadata, ..."""
    record_id = object_id(container_body["account"], container_body["name"], name)
    body: Body = {"id": record_id, "name": name, "container": container_body["name"],
                  "account": container_body["account"], "bytes": len(data),
                  "hash": hashlib.md5(data, usedforsecurity=False).hexdigest(),
                  "timestamp": tx.now, "last_modified": listing_time(tx.now),
                  "content_type": "application/octet-stream", "metadata": {},
                  "headers": {}, "delete_at": None, "manifest": None}
    body.update(attributes)
    if tx.get(OBJECT, record_id) is None:
        tx.insert(OBJECT, body, project_id=container_body["id"])
    else:
        tx.save(OBJECT, body)
    tx.put_blob(blob_key(record_id), data)
    return body


def remove_object(tx: Transaction, body: Body) -> None:
    tx.delete(OBJECT, body["id"])
    tx.delete_blob(blob_key(body["id"]))
