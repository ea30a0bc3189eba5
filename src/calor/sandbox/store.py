"""The sandbox cloud's own state: one SQLite file of JSON documents, plus blobs.

Every resource of every service is a *record*: a kind (``server``,
``network``, ...), a UUID, the owning project, a name and the JSON body the
service shows (with ``_``-prefixed bookkeeping keys it does not show). Bytes
(image data, objects) are *blobs* under a string key. Small settings (the
token secret, the seed marker) are *meta* entries.

Transactions are synchronous and short: each request does its reads and
writes in one :meth:`SandboxStore.transaction` without awaiting in between,
so on the event loop two requests never interleave (an IP is never handed
out twice) and SQLite's single writer is never contended. Every read settles
the record first (:mod:`calor.sandbox.states`), so callers always see the
current state of a resource.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Engine

from calor.sandbox.states import Body, Settled, settle

SCHEMA_VERSION = "1"

metadata = MetaData()

records = Table(
    "records", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(64), nullable=False),
    Column("id", String(255), nullable=False),
    Column("project_id", String(64), nullable=False, default=""),
    Column("name", String(255), nullable=True),
    Column("created", Float, nullable=False),
    Column("body", JSON, nullable=False),
    UniqueConstraint("kind", "id"),
)

blobs = Table(
    "blobs", metadata,
    Column("key", String(1024), primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

meta = Table(
    "meta", metadata,
    Column("key", String(255), primary_key=True),
    Column("value", JSON, nullable=False),
)


class Transaction:
    """Reads and writes of one request; committed when the ``with`` block ends cleanly."""

    def __init__(self, connection: Connection, now: float) -> None:
        self._connection = connection
        #: The moment this transaction sees (seconds since the epoch).
        self.now = now

    # -- records ---------------------------------------------------------

    def _settled(self, kind: str, row_id: str, body: Body) -> Body | None:
        outcome = settle(body, self.now)
        if outcome is Settled.GONE:
            self.delete(kind, row_id)
            return None
        if outcome is Settled.CHANGED:
            self.save(kind, body)
        return body

    def get(self, kind: str, record_id: str) -> Body | None:
        """The record's body (settled), or ``None``."""
        row = self._connection.execute(
            select(records.c.body).where(records.c.kind == kind, records.c.id == record_id)
        ).first()
        if row is None:
            return None
        return self._settled(kind, record_id, copy.deepcopy(row.body))

    def list(self, kind: str, *, project_id: str | None = None,
             name: str | None = None) -> list[Body]:
        """Bodies of ``kind`` in creation order, optionally of one project or name."""
        query = select(records.c.id, records.c.body).where(records.c.kind == kind)
        if project_id is not None:
            query = query.where(records.c.project_id == project_id)
        if name is not None:
            query = query.where(records.c.name == name)
        found: list[Body] = []
        for row in self._connection.execute(query.order_by(records.c.seq)):
            body = self._settled(kind, row.id, copy.deepcopy(row.body))
            if body is not None:
                found.append(body)
        return found

    def count(self, kind: str, *, project_id: str | None = None) -> int:
        query = select(func.count()).select_from(records).where(records.c.kind == kind)
        if project_id is not None:
            query = query.where(records.c.project_id == project_id)
        return int(self._connection.execute(query).scalar_one())

    def project_of(self, kind: str, record_id: str) -> str | None:
        row = self._connection.execute(
            select(records.c.project_id).where(records.c.kind == kind,
                                               records.c.id == record_id)
        ).first()
        return None if row is None else str(row.project_id)

    def insert(self, kind: str, body: Body, *, project_id: str = "") -> Body:
        """Store a new record; ``body["id"]`` is its id. Returns the body."""
        self._connection.execute(insert(records).values(
            kind=kind, id=str(body["id"]), project_id=project_id,
            name=_name_of(body), created=self.now, body=body,
        ))
        return body

    def save(self, kind: str, body: Body) -> Body:
        """Write back a changed body (its id never changes)."""
        self._connection.execute(
            update(records).where(records.c.kind == kind, records.c.id == str(body["id"]))
            .values(body=body, name=_name_of(body))
        )
        return body

    def delete(self, kind: str, record_id: str) -> None:
        self._connection.execute(
            delete(records).where(records.c.kind == kind, records.c.id == record_id)
        )

    # -- blobs -----------------------------------------------------------

    def put_blob(self, key: str, data: bytes) -> None:
        self.delete_blob(key)
        self._connection.execute(insert(blobs).values(key=key, data=data))

    def get_blob(self, key: str) -> bytes | None:
        row = self._connection.execute(select(blobs.c.data).where(blobs.c.key == key)).first()
        return None if row is None else bytes(row.data)

    def delete_blob(self, key: str) -> None:
        self._connection.execute(delete(blobs).where(blobs.c.key == key))

    # -- meta ------------------------------------------------------------

    def get_meta(self, key: str) -> Any:
        row = self._connection.execute(select(meta.c.value).where(meta.c.key == key)).first()
        return None if row is None else row.value

    def set_meta(self, key: str, value: Any) -> None:
        self._connection.execute(delete(meta).where(meta.c.key == key))
        self._connection.execute(insert(meta).values(key=key, value=value))


def _name_of(body: Body) -> str | None:
    name = body.get("name")
    return name[:255] if isinstance(name, str) else None


class SandboxStore:
    """The SQLite file behind one sandbox cloud; created (with its folder) on first use."""

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self._clock = clock
        path.parent.mkdir(parents=True, exist_ok=True)
        self._engine: Engine = create_engine(f"sqlite:///{path}")
        event.listen(self._engine, "connect", _sqlite_pragmas)
        metadata.create_all(self._engine)
        with self.transaction() as tx:
            if tx.get_meta("schema_version") is None:
                tx.set_meta("schema_version", SCHEMA_VERSION)

    def now(self) -> float:
        return self._clock()

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One transaction: committed on a clean exit, rolled back if the block raises."""
        with self._engine.begin() as connection:
            yield Transaction(connection, self._clock())

    def close(self) -> None:
        self._engine.dispose()


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    # WAL with NORMAL sync: commits are cheap and a crash loses at most the
    # last moments, which is fine for a test cloud.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
