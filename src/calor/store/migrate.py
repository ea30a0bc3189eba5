"""Schema migrations, run from code (on first start) or as ``python -m calor.store``.

Several engines may start at once against one server, so an upgrade holds a
database-wide lock: an advisory lock on PostgreSQL, a named lock on MariaDB,
the write lock on SQLite. The second one then finds the schema current.

Every :meth:`Store.open` asks for an upgrade, so the common case (the schema
is at :data:`HEAD`) is one query and never imports Alembic, which would add
a quarter of a second to each CLI command.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from calor.config import database_url
from calor.store.database import AsyncDatabase, Database, failure_reason
from calor.store.errors import DatabaseUnavailable, StoreError
from calor.store.url import Backend, parse_database_url

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"

#: The newest revision in migrations/versions (a test checks they agree).
HEAD = "0004"

#: Arbitrary but fixed: the key of the advisory lock upgrades hold on PostgreSQL.
_PG_LOCK_KEY = 0x63616C6F72  # "calor"
_MYSQL_LOCK_NAME = "calor.store.migrate"
_MYSQL_LOCK_WAIT_S = 300

Target = Database | AsyncEngine | str | None


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the store's migrations (no ini file needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision among the migration scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


async def upgrade(target: Target = None, revision: str = "head") -> None:
    """Bring the database's schema up to ``revision`` (a no-op when it is there).

    ``target`` is a :class:`Database`, an engine, or a URL (None: the one
    :func:`calor.config.database_url` picks).
    """
    async with _database(target) as db:
        if revision == "head" and await db.read(_revision) == HEAD:
            return
        await db.write(lambda conn: _locked_upgrade(conn, db.backend, revision))


async def current_revision(target: Target = None) -> str | None:
    """The revision the database is at (None: never migrated)."""
    async with _database(target) as db:
        return await db.read(_revision)


def _revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    found = conn.scalar(text("SELECT version_num FROM alembic_version"))
    return None if found is None else str(found)


def _locked_upgrade(conn: Connection, backend: Backend, revision: str) -> None:
    from alembic import command

    if backend is Backend.POSTGRESQL:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
    elif backend is Backend.MYSQL:
        # MariaDB commits around every DDL statement; a named lock outlives that.
        got = conn.scalar(
            text("SELECT GET_LOCK(:name, :wait)"),
            {"name": _MYSQL_LOCK_NAME, "wait": _MYSQL_LOCK_WAIT_S},
        )
        if got != 1:
            raise StoreError("Another process holds the migration lock; try again later")
    try:
        command.upgrade(alembic_config(conn), revision)
    finally:
        if backend is Backend.MYSQL:
            conn.scalar(text("SELECT RELEASE_LOCK(:name)"), {"name": _MYSQL_LOCK_NAME})


@asynccontextmanager
async def _database(target: Target) -> AsyncIterator[Database]:
    """The database of ``target``; one made here is disposed afterwards.

    Failing to reach it is :class:`DatabaseUnavailable`, with the driver's reason.
    """
    made: Database | None = None
    if isinstance(target, Database):
        db = target
    elif isinstance(target, AsyncEngine):
        db = AsyncDatabase(target)
    else:
        db = made = Database.connect(parse_database_url(database_url(target)))
    try:
        yield db
    except (SQLAlchemyError, OSError) as exc:
        shown = db.url.render_as_string(hide_password=True)
        raise DatabaseUnavailable(
            f"Could not open the database {shown}: {failure_reason(exc)}"
        ) from exc
    finally:
        if made is not None:
            await made.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m calor.store",
        description="Upgrade Calor's database schema (or show its revision).",
    )
    parser.add_argument("--database-url", help="default: $CALOR_DATABASE_URL, else SQLite")
    parser.add_argument("action", nargs="?", choices=["upgrade", "current"], default="upgrade")
    args = parser.parse_args(argv)
    try:
        if args.action == "current":
            print(asyncio.run(current_revision(args.database_url)) or "(empty)")
        else:
            asyncio.run(upgrade(args.database_url))
            print(f"Database schema at revision {HEAD}")
    except StoreError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    return 0
