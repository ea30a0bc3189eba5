"""One database and how its transactions run.

A repository method hands :meth:`Database.write` (or :meth:`Database.read`)
a plain function of a SQLAlchemy :class:`Connection`; the function runs in
one transaction, which has committed when the await returns (DESIGN decision
3: a state change is committed before it is acknowledged).

How the function runs depends on the database, and nothing else does:

- PostgreSQL and MariaDB: on the asyncio drivers (asyncpg, aiomysql) through
  ``AsyncConnection.run_sync``; every statement awaits the network.
- SQLite: in a thread, on the standard ``sqlite3`` driver. A transaction is
  then one hop to that thread instead of three per statement through
  aiosqlite, which makes writes about five times faster. Writes go through a
  single writer thread (SQLite has one writer at a time anyway, and queueing
  in-process beats its busy-wait); reads run beside it in WAL mode.
  Writes that queue up while the writer is busy are committed together
  (group commit); every caller hears back only after the shared commit.
  If one of them raises, the batch is rolled back and run again with a
  savepoint for each, so the one that raised is undone alone.

A caller cancelled while its function runs in the SQLite thread does not
stop it: the transaction still commits (or fails) on its own. On the server
drivers a cancelled transaction is rolled back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import QueuePool

from calor.store.errors import DatabaseUnavailable
from calor.store.url import Backend, backend_of

T = TypeVar("T")

#: How long SQLite waits for another process's writer (milliseconds).
SQLITE_BUSY_TIMEOUT_MS = 30_000
SQLITE_READERS = 4

_WRITE = "calor_write"


class Database:
    """Where the store's transactions run: one database, reached one way."""

    backend: Backend
    url: URL

    async def write(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in a write transaction; committed on return, rolled back on error."""
        raise NotImplementedError

    async def read(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in a read-only transaction."""
        raise NotImplementedError

    async def dispose(self) -> None:
        """Close every connection (the object is unusable afterwards)."""
        raise NotImplementedError

    @staticmethod
    def connect(url: URL) -> Database:
        """The database at ``url`` (checked by :func:`parse_database_url`); no I/O yet."""
        backend = backend_of(url)
        if backend is Backend.SQLITE:
            return SqliteDatabase(url)
        if backend is Backend.MYSQL:
            # READ COMMITTED: a compare-and-swap sees the latest committed row,
            # and InnoDB takes no gap locks that deadlock concurrent claims.
            engine = create_async_engine(
                url, isolation_level="READ COMMITTED", pool_pre_ping=True, pool_recycle=3600
            )
        else:
            engine = create_async_engine(url, pool_pre_ping=True)
        return AsyncDatabase(engine)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.url.render_as_string(hide_password=True)!r})"


class AsyncDatabase(Database):
    """A database reached through an asyncio driver."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.url = engine.url
        self.backend = backend_of(engine.url)

    async def write(self, work: Callable[[Connection], T]) -> T:
        async with self.engine.connect() as conn:
            await conn.execution_options(**{_WRITE: True})
            async with conn.begin():
                return await conn.run_sync(work)

    async def read(self, work: Callable[[Connection], T]) -> T:
        async with self.engine.connect() as conn, conn.begin():
            return await conn.run_sync(work)

    async def dispose(self) -> None:
        await self.engine.dispose()


class SqliteDatabase(Database):
    """A SQLite file, driven from a writer thread and a few reader threads."""

    def __init__(self, url: URL) -> None:
        assert url.database is not None
        path = Path(url.database).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseUnavailable(
                f"Could not create the folder of the database {path}: {exc.strerror}"
            ) from exc
        self.url = url
        self.backend = Backend.SQLITE
        self.engine: Engine = create_engine(
            url.set(drivername="sqlite+pysqlite"),
            poolclass=QueuePool,
            pool_size=SQLITE_READERS + 1,
            max_overflow=0,
            # Every transaction ends in commit or rollback: no reset needed.
            pool_reset_on_return=None,
            connect_args={"check_same_thread": False},
        )
        _tune_sqlite(self.engine)
        self._writer = ThreadPoolExecutor(1, thread_name_prefix="calor-sqlite-writer")
        self._readers = ThreadPoolExecutor(SQLITE_READERS, thread_name_prefix="calor-sqlite")
        self._pending: list[tuple[Callable[[Connection], Any], asyncio.Future[Any]]] = []
        self._draining = False
        self._drainer: asyncio.Task[None] | None = None

    async def write(self, work: Callable[[Connection], T]) -> T:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[T] = loop.create_future()
        self._pending.append((work, done))
        if not self._draining:
            self._draining = True
            self._drainer = loop.create_task(self._drain())
        return await done

    async def _drain(self) -> None:
        """Commit the queued writes, a batch per transaction, until none are left."""
        loop = asyncio.get_running_loop()
        try:
            while self._pending:
                batch, self._pending = self._pending, []
                try:
                    outcomes = await loop.run_in_executor(
                        self._writer, self._run_batch, [work for work, _ in batch]
                    )
                except BaseException as exc:  # the commit itself failed: all of them did
                    outcomes = [(False, exc)] * len(batch)
                for (_, done), (ok, value) in zip(batch, outcomes, strict=True):
                    if done.done():
                        continue
                    if ok:
                        done.set_result(value)
                    else:
                        done.set_exception(value)
        finally:
            self._draining = False

    def _run_batch(
        self, works: list[Callable[[Connection], Any]]
    ) -> list[tuple[bool, Any]]:
        if len(works) == 1:
            try:
                return [(True, self._run(works[0], True))]
            except Exception as exc:
                return [(False, exc)]
        try:
            # Most batches have no failing write: run them plainly, in one go.
            with self.engine.connect() as conn:
                conn = conn.execution_options(**{_WRITE: True})
                with conn.begin():
                    return [(True, work(conn)) for work in works]
        except Exception:  # one of them raised: all again, one savepoint each
            pass
        outcomes: list[tuple[bool, Any]] = []
        with self.engine.connect() as conn:
            conn = conn.execution_options(**{_WRITE: True})
            with conn.begin():
                for work in works:
                    try:
                        with conn.begin_nested():
                            outcomes.append((True, work(conn)))
                    except Exception as exc:
                        outcomes.append((False, exc))
        return outcomes

    async def read(self, work: Callable[[Connection], T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._readers, self._run, work, False)

    def _run(self, work: Callable[[Connection], T], write: bool) -> T:
        with self.engine.connect() as conn:
            if write:
                conn = conn.execution_options(**{_WRITE: True})
            with conn.begin():
                return work(conn)

    async def dispose(self) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._writer, self.engine.dispose)
        self._writer.shutdown()
        self._readers.shutdown()


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling is switched off so that the
        # "begin" hook below decides how each transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # WAL with synchronous=NORMAL survives a process crash; only a power
        # loss can drop the last commits.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A writer takes the write lock up front: a deferred transaction that
        # upgrades from read to write fails at once when another process's
        # writer got in first, without waiting for the busy timeout.
        if conn.get_execution_options().get(_WRITE):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def failure_reason(exc: BaseException) -> str:
    """The driver's own words for why a database operation failed, on one line."""
    original = getattr(exc, "orig", None)
    words = str(original if original is not None else exc).strip()
    return words.splitlines()[0] if words else type(exc).__name__
