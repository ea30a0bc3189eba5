"""Migrations: an empty database becomes the schema the models describe."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from calor.store import Store, current_revision, head_revision, upgrade
from calor.store.migrate import HEAD
from calor.store.models import Base


def test_the_head_the_store_expects_is_the_newest_migration() -> None:
    assert head_revision() == HEAD


async def test_migrated_database_is_at_the_head_revision(database_url: str) -> None:
    assert await current_revision(database_url) == head_revision()


async def test_migrated_schema_and_models_agree(store: Store) -> None:
    def diff(conn: Connection) -> list[object]:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    assert await store.db.read(diff) == []


async def test_migration_creates_every_table(store: Store) -> None:
    tables = await store.db.read(lambda conn: set(inspect(conn).get_table_names()))
    assert tables == {*Base.metadata.tables, "alembic_version"}


async def test_upgrading_a_current_database_changes_nothing(database_url: str) -> None:
    await upgrade(database_url)
    assert await current_revision(database_url) == head_revision()


async def test_opening_an_empty_sqlite_file_migrates_it(sqlite_url: str) -> None:
    assert await current_revision(sqlite_url) is None
    async with Store.open(sqlite_url) as store:
        assert await current_revision(store.db) == head_revision()


async def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(
    sqlite_url: str,
) -> None:
    def pragmas(conn: Connection) -> list[object]:
        return [conn.scalar(text(f"PRAGMA {name}"))
                for name in ("journal_mode", "foreign_keys", "busy_timeout")]

    async with Store.open(sqlite_url) as store:
        assert await store.db.read(pragmas) == ["wal", 1, 30000]


def test_migrate_command_upgrades_the_database_it_is_given(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    done = subprocess.run(
        [sys.executable, "-m", "calor.store", "--database-url", url],
        capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Database schema at revision {head_revision()}"


def test_migrate_command_reports_a_bad_url_without_a_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "calor.store", "--database-url", "oracle://x/y"],
        capture_output=True, text=True,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("ERROR: Unsupported database URL 'oracle://x/y'")
    assert "Traceback" not in done.stderr


def test_opening_a_current_database_does_not_load_alembic(database_url: str) -> None:
    code = (
        "import asyncio, sys\n"
        "from calor.store import Store\n"
        "async def main():\n"
        f"    async with Store.open({database_url!r}):\n"
        "        pass\n"
        "asyncio.run(main())\n"
        "print(any(m == 'alembic' or m.startswith('alembic.') for m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
