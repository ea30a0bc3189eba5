"""The engine's scenarios run on SQLite, PostgreSQL and MariaDB, like the store's."""

from __future__ import annotations

from tests.store.conftest import database_url

__all__ = ["database_url"]
