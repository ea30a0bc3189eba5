"""The store's scenario suite runs on SQLite, PostgreSQL and MariaDB.

Each test run creates one database per server, named ``calor_test_<random>``,
migrates it once, and drops it at the end; each test empties the tables after
itself. A server that cannot be reached skips its share of the suite, with
the reason, except under ``CI=true`` where that is a failure.

Server URLs (an administrative database to connect to) can be changed with
``CALOR_TEST_POSTGRESQL_URL`` and ``CALOR_TEST_MARIADB_URL``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import delete, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import create_async_engine

from calor.store import StackRecord, Store, upgrade
from calor.store.models import Base

SERVERS = {
    "postgresql": os.environ.get(
        "CALOR_TEST_POSTGRESQL_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
    ),
    "mariadb": os.environ.get(
        "CALOR_TEST_MARIADB_URL", "mysql+aiomysql://root@127.0.0.1:3306/mysql"
    ),
}

MakeStack = Callable[..., Awaitable[StackRecord]]


def _unavailable(backend: str, url: str, exc: BaseException) -> None:
    reason = f"{backend} server at {url} not reachable: {str(exc).splitlines()[0]}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


@pytest_asyncio.fixture(
    scope="session", loop_scope="session", params=["sqlite", "postgresql", "mariadb"]
)
async def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """The URL of a freshly created and migrated database on one backend."""
    backend: str = request.param
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'calor.db'}"
        await upgrade(url)
        yield url
        return
    admin_url = SERVERS[backend]
    name = f"calor_test_{secrets.token_hex(6)}"
    admin = create_async_engine(
        admin_url, isolation_level="AUTOCOMMIT", connect_args=_quick_connect(backend)
    )
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f"CREATE DATABASE {name}"))
    except (OSError, SQLAlchemyError) as exc:
        await admin.dispose()
        _unavailable(backend, admin_url, exc)
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        await upgrade(url)
        yield url
    finally:
        drop = f"DROP DATABASE IF EXISTS {name}"
        if backend == "postgresql":
            drop += " WITH (FORCE)"
        async with admin.connect() as conn:
            await conn.execute(text(drop))
        await admin.dispose()


def _quick_connect(backend: str) -> dict[str, Any]:
    # Fail fast when nothing listens, instead of the drivers' long defaults.
    return {"timeout": 5} if backend == "postgresql" else {"connect_timeout": 5}


@pytest.fixture
def backend(database_url: str) -> str:
    """'sqlite', 'postgresql' or 'mysql' (MariaDB)."""
    return make_url(database_url).get_backend_name()


@pytest_asyncio.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    """A store on the session's database, emptied after the test."""
    async with Store.open(database_url, migrate=False) as opened:
        yield opened
        def empty(conn: Connection) -> None:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(delete(table))

        await opened.db.write(empty)


@pytest.fixture
def make_stack(store: Store) -> MakeStack:
    """Create a stack (and a template for it): ``await make_stack("name", **fields)``."""

    async def make(name: str = "mystack", project_id: str = "demo", **values: Any) -> StackRecord:
        template = await store.templates.create({"heat_template_version": "2021-04-16"})
        return await store.stacks.create(
            name=name, project_id=project_id, raw_template_id=template.id, **values
        )

    return make


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite database file of the test's own (not yet created)."""
    return f"sqlite:///{tmp_path / 'own.db'}"
