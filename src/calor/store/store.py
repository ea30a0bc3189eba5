"""The store: one database, its repositories, opened from a URL."""

from __future__ import annotations

from collections.abc import Generator
from types import TracebackType
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from calor.config import database_url
from calor.store.database import Database, failure_reason
from calor.store.engine_services import EngineServices
from calor.store.errors import DatabaseUnavailable
from calor.store.events import Events
from calor.store.identity import IdentityTables
from calor.store.migrate import upgrade
from calor.store.resource_data import ResourceData
from calor.store.resources import Resources
from calor.store.snapshots import Snapshots
from calor.store.stacks import Stacks
from calor.store.sync_points import SyncPoints
from calor.store.templates import RawTemplates
from calor.store.url import Backend, parse_database_url
from calor.store.work_units import WorkUnits


class Store:
    """Calor's persistent state, one repository per table family.

    Open it with ``store = await Store.open(url)`` (then ``await store.close()``)
    or ``async with Store.open(url) as store:``. Every method that changes
    something has committed when it returns.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.templates = RawTemplates(db)
        self.stacks = Stacks(db)
        self.resources = Resources(db)
        self.resource_data = ResourceData(db)
        self.events = Events(db)
        self.sync_points = SyncPoints(db)
        self.work_units = WorkUnits(db)
        self.snapshots = Snapshots(db)
        self.engine_services = EngineServices(db)
        self.identity = IdentityTables(db)

    @property
    def url(self) -> URL:
        return self.db.url

    @property
    def backend(self) -> Backend:
        return self.db.backend

    @staticmethod
    def open(url: str | None = None, *, migrate: bool = True) -> _Opening:
        """Open the database ``url`` (None: ``CALOR_DATABASE_URL``, else SQLite in CALOR_HOME).

        With ``migrate`` (the default) the schema is brought up to date first.
        A bad URL is :class:`DatabaseUrlError`; a database that cannot be
        reached is :class:`DatabaseUnavailable`.
        """
        return _Opening(url, migrate)

    async def close(self) -> None:
        await self.db.dispose()

    def __repr__(self) -> str:
        return f"Store({self.url.render_as_string(hide_password=True)!r})"


class _Opening:
    """``Store.open(...)``: awaitable for a store, or an async context manager closing it."""

    def __init__(self, url: str | None, migrate: bool) -> None:
        self._url = url
        self._migrate = migrate
        self._store: Store | None = None

    async def _open(self) -> Store:
        db = Database.connect(parse_database_url(database_url(self._url)))
        try:
            if self._migrate:
                await upgrade(db)
            else:
                await _ping(db)
        except BaseException:
            await db.dispose()
            raise
        return Store(db)

    def __await__(self) -> Generator[Any, None, Store]:
        return self._open().__await__()

    async def __aenter__(self) -> Store:
        self._store = await self._open()
        return self._store

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._store is not None:
            await self._store.close()


async def _ping(db: Database) -> None:
    try:
        await db.read(lambda conn: conn.execute(text("SELECT 1")))
    except (SQLAlchemyError, OSError) as exc:
        shown = db.url.render_as_string(hide_password=True)
        raise DatabaseUnavailable(
            f"Could not open the database {shown}: {failure_reason(exc)}"
        ) from exc
