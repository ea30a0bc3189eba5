"""The engine's scenarios run on SQLite, PostgreSQL and MariaDB, like the store's."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
from sqlalchemy import delete
from sqlalchemy.engine import Connection
from tests.store.conftest import database_url

from calor.service.embedded import Embedded
from calor.service.stacks import StackService
from calor.store.models import Base

__all__ = ["database_url", "service"]


@pytest_asyncio.fixture
async def service(database_url: str) -> AsyncIterator[StackService]:
    """An embedded engine (store, queue, worker) on each database, emptied afterwards."""
    async with Embedded(database_url) as stacks:
        yield stacks

        def empty(conn: Connection) -> None:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(delete(table))

        await stacks.store.db.write(empty)
