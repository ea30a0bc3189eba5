"""Choosing the database: URLs users write, the embedded default, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from calor.config import calor_home, database_url
from calor.store import DatabaseUnavailable, DatabaseUrlError, Store, StoreError
from calor.store.url import parse_database_url


@pytest.mark.parametrize(
    ("written", "used"),
    [
        ("postgresql://calor@db.example/heat", "postgresql+asyncpg://calor@db.example/heat"),
        ("postgres://calor@db.example/heat", "postgresql+asyncpg://calor@db.example/heat"),
        ("postgresql+asyncpg://calor@db/heat", "postgresql+asyncpg://calor@db/heat"),
        ("mysql://root@db:3306/heat", "mysql+aiomysql://root@db:3306/heat?charset=utf8mb4"),
        ("mysql+pymysql://root@db/heat?charset=utf8", "mysql+aiomysql://root@db/heat?charset=utf8"),
        ("mariadb://root@db/heat", "mysql+aiomysql://root@db/heat?charset=utf8mb4"),
        ("sqlite:////var/lib/calor/calor.db", "sqlite:////var/lib/calor/calor.db"),
        ("sqlite+aiosqlite:///relative.db", "sqlite:///relative.db"),
    ],
)
def test_every_spelling_maps_to_the_driver_the_store_uses(written: str, used: str) -> None:
    assert parse_database_url(written).render_as_string(hide_password=False) == used


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("", "The database URL is empty"),
        ("not a url", "Invalid database URL 'not a url'"),
        ("oracle://scott@db/orcl", "Unsupported database URL 'oracle://scott@db/orcl'"),
        ("sqlite://", "The SQLite URL 'sqlite://' names no file"),
        ("sqlite:///:memory:", "names no file"),
        ("postgresql://calor@db", "URL 'postgresql+asyncpg://calor@db' names no database"),
    ],
)
def test_a_bad_url_is_a_store_error_saying_why(written: str, message: str) -> None:
    with pytest.raises(DatabaseUrlError) as info:
        parse_database_url(written)
    assert message in str(info.value)
    assert isinstance(info.value, StoreError)


def test_a_bad_url_error_hides_the_password() -> None:
    with pytest.raises(DatabaseUrlError) as info:
        parse_database_url("oracle://scott:tiger@db/orcl")
    assert "tiger" not in str(info.value)
    assert "scott:***@db" in str(info.value)


def test_explicit_url_wins_over_the_environment() -> None:
    env = {"CALOR_DATABASE_URL": "postgresql://env/db", "HOME": "/home/u"}
    assert database_url("mysql://cli/db", env) == "mysql://cli/db"
    assert database_url(None, env) == "postgresql://env/db"


def test_default_is_sqlite_in_calor_home() -> None:
    assert database_url(None, {"CALOR_HOME": "/srv/calor"}) == "sqlite:////srv/calor/calor.db"


def test_calor_home_defaults_to_local_share() -> None:
    assert calor_home({"HOME": "/home/u"}) == Path("/home/u/.local/share/calor")


async def test_default_store_creates_calor_home_and_its_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("CALOR_HOME", raising=False)
    monkeypatch.delenv("CALOR_DATABASE_URL", raising=False)
    async with Store.open() as store:
        assert store.url.database == str(tmp_path / ".local/share/calor/calor.db")
    assert (tmp_path / ".local/share/calor/calor.db").is_file()


async def test_unreachable_server_is_a_clear_error() -> None:
    with pytest.raises(DatabaseUnavailable) as info:
        await Store.open("postgresql://calor:secret@127.0.0.1:9/calor")
    assert str(info.value).startswith(
        "Could not open the database postgresql+asyncpg://calor:***@127.0.0.1:9/calor: "
    )
