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
import contextlib
import queue
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import QueuePool

from calor.store.errors import DatabaseUnavailable
from calor.store.url import Backend, backend_of

T = TypeVar("T")

#: How long SQLite waits for another process's writer (milliseconds).
SQLITE_BUSY_TIMEOUT_MS = 30_000
SQLITE_READERS = 4
#: Writes one turn of the event loop runs itself before handing the rest to the writer thread.
INLINE_WRITES_PER_TURN = 1000

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
    """A SQLite file, driven from a writer thread and a few reader threads.

    Writes started in one turn of the event loop are committed together at
    the next turn: a few right there in the loop's thread, a burst in the
    writer thread. The writer thread keeps one connection for its life,
    takes requests straight off a thread-safe queue, and answers each batch
    with a single call into the event loop.
    """

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
        self._requests: queue.SimpleQueue[_WriteRequest | None] = queue.SimpleQueue()
        self._writer = threading.Thread(
            target=self._write_forever, name="calor-sqlite-writer", daemon=True
        )
        self._writer_started = False
        self._writer_lock = threading.Lock()
        self._readers = ThreadPoolExecutor(SQLITE_READERS, thread_name_prefix="calor-sqlite")
        self._reader_connections = threading.local()
        # The connection each event loop thread writes on directly.
        self._local_writer = threading.local()
        self._local_writers: list[Connection] = []
        #: Writes handed to the writer thread and not answered yet.
        self._queued = 0
        #: Writes started in the current turn of the event loop.
        self._this_turn: list[_WriteRequest] = []

    async def write(self, work: Callable[[Connection], T]) -> T:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[T] = loop.create_future()
        self._this_turn.append((work, done, loop))
        if len(self._this_turn) == 1:
            loop.call_soon(self._flush_turn)
        return await done

    def _flush_turn(self) -> None:
        """Commit the writes started in the last turn of the event loop.

        A few, with nothing waiting for the writer thread, commit right here
        in one transaction: SQLite commits a small WAL transaction in
        microseconds, far less than two thread hops. A burst goes to the
        thread, which commits it while this loop goes on. When another
        connection holds the write lock the thread waits for it, never the
        loop.
        """
        batch, self._this_turn = self._this_turn, []
        if len(batch) <= INLINE_WRITES_PER_TURN and not self._writer_busy():
            conn = self._loop_connection()
            try:
                outcomes = self._run_batch(conn, [work for work, _, _ in batch], fail_busy=True)
            except _WriterBusy:
                pass
            else:
                _settle([(done, ok, value) for (_, done, _), (ok, value) in
                         zip(batch, outcomes, strict=True)])
                return
        self._start_writer()
        with self._writer_lock:
            self._queued += len(batch)
        for request in batch:
            self._requests.put(request)

    def _writer_busy(self) -> bool:
        return self._queued > 0

    def _loop_connection(self) -> Connection:
        """The connection this thread's event loop writes on directly."""
        conn: Connection | None = getattr(self._local_writer, "conn", None)
        if conn is None:
            conn = self.engine.connect().execution_options(**{_WRITE: True})
            # Busy means "hand it to the writer thread", at once, not wait here.
            conn.exec_driver_sql("PRAGMA busy_timeout=0")
            conn.commit()
            self._local_writer.conn = conn
            self._local_writers.append(conn)
        return conn

    def _start_writer(self) -> None:
        if not self._writer_started:
            with self._writer_lock:
                if not self._writer_started:
                    self._writer.start()
                    self._writer_started = True

    def _write_forever(self) -> None:
        """The writer thread: commit what is queued, a batch per transaction."""
        conn: Connection | None = None
        stopping = False
        while not stopping:
            batch: list[_WriteRequest] = []
            request = self._requests.get()
            while True:
                if request is None:
                    stopping = True
                else:
                    batch.append(request)
                try:
                    request = self._requests.get_nowait()
                except queue.Empty:
                    break
            if not batch:
                continue
            if conn is None:
                conn = self.engine.connect().execution_options(**{_WRITE: True})
            try:
                outcomes = self._run_batch(conn, [work for work, _, _ in batch])
            except BaseException as exc:  # the commit itself failed: all of them did
                outcomes = [(False, exc)] * len(batch)
                conn.invalidate()
                conn.close()
                conn = None
            with self._writer_lock:
                self._queued -= len(batch)
            _answer(batch, outcomes)
        if conn is not None:
            conn.close()

    def _run_batch(
        self, conn: Connection, works: list[Callable[[Connection], Any]],
        *, fail_busy: bool = False,
    ) -> list[tuple[bool, Any]]:
        if len(works) == 1:
            transaction = _begin(conn, fail_busy)
            try:
                with transaction:
                    return [(True, works[0](conn))]
            except Exception as exc:
                return [(False, exc)]
        try:
            # Most batches have no failing write: run them plainly, in one go.
            with _begin(conn, fail_busy):
                return [(True, work(conn)) for work in works]
        except _WriterBusy:
            raise
        except Exception:  # one of them raised: all again, one savepoint each
            pass
        outcomes: list[tuple[bool, Any]] = []
        with _begin(conn, fail_busy):
            for work in works:
                try:
                    with conn.begin_nested():
                        outcomes.append((True, work(conn)))
                except Exception as exc:
                    outcomes.append((False, exc))
        return outcomes

    async def read(self, work: Callable[[Connection], T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._readers, self._read, work)

    def _read(self, work: Callable[[Connection], T]) -> T:
        # Each reader thread keeps its own connection (a checkout per read costs more
        # than the read).
        conn: Connection | None = getattr(self._reader_connections, "conn", None)
        if conn is None:
            conn = self.engine.connect()
            self._reader_connections.conn = conn
        try:
            with conn.begin():
                return work(conn)
        except BaseException:
            if conn.invalidated or conn.closed:
                self._reader_connections.conn = None
            raise

    async def dispose(self) -> None:
        loop = asyncio.get_running_loop()
        if self._writer_started:
            # Writes queued before this still commit: the stop request comes after them.
            self._requests.put(None)
            await loop.run_in_executor(None, self._writer.join)
        for conn in self._local_writers:
            conn.close()
        self._local_writers.clear()
        self._local_writer = threading.local()
        await loop.run_in_executor(None, self._close_readers)
        await loop.run_in_executor(None, self.engine.dispose)

    def _close_readers(self) -> None:
        # Every reader thread closes its own connection before the pool goes.
        def close() -> None:
            conn = getattr(self._reader_connections, "conn", None)
            if conn is not None:
                conn.close()
                self._reader_connections.conn = None

        barrier = threading.Barrier(SQLITE_READERS)

        def close_and_wait() -> None:
            close()
            barrier.wait(timeout=5)

        futures = [self._readers.submit(close_and_wait) for _ in range(SQLITE_READERS)]
        for future in futures:
            future.result()
        self._readers.shutdown()


#: A write: the work, the caller's future, and the loop the caller awaits on.
_WriteRequest = tuple[Callable[[Connection], Any], "asyncio.Future[Any]", asyncio.AbstractEventLoop]


class _WriterBusy(Exception):
    """Another connection holds SQLite's write lock."""


def _begin(conn: Connection, fail_busy: bool) -> Any:
    """Begin a write transaction; with ``fail_busy``, raise :class:`_WriterBusy` if locked."""
    if not fail_busy:
        return conn.begin()
    try:
        return conn.begin()
    except OperationalError as exc:
        if not _is_busy(exc):
            raise
        if conn.in_transaction():
            conn.rollback()
        raise _WriterBusy() from None


def _is_busy(exc: OperationalError) -> bool:
    return "database is locked" in str(exc.orig) or "database is busy" in str(exc.orig)


def _answer(batch: list[_WriteRequest], outcomes: list[tuple[bool, Any]]) -> None:
    """Hand each caller its outcome: one call into each event loop for the whole batch."""
    by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[Any], bool, Any]]] = {}
    for (_, done, loop), (ok, value) in zip(batch, outcomes, strict=True):
        by_loop.setdefault(loop, []).append((done, ok, value))
    for loop, answers in by_loop.items():
        with contextlib.suppress(RuntimeError):  # that loop has closed: nobody waits
            loop.call_soon_threadsafe(_settle, answers)


def _settle(answers: list[tuple[asyncio.Future[Any], bool, Any]]) -> None:
    for done, ok, value in answers:
        if done.done():
            continue  # the caller was cancelled; its write still committed (or failed)
        if ok:
            done.set_result(value)
        else:
            done.set_exception(value)


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
