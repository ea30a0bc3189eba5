"""Database URLs: the spellings users write, mapped to the asyncio drivers Calor ships.

Users (and Heat's own ``[database] connection``) write ``postgresql://``,
``mysql+pymysql://`` or ``sqlite:///path``; the store needs ``asyncpg`` and
``aiomysql`` (SQLite keeps the standard driver, run in a thread). Any driver
named for a supported backend is swapped for ours rather than refused, so a
URL copied from ``heat.conf`` works.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from calor.store.errors import DatabaseUrlError


class Backend(StrEnum):
    """The databases Calor stores its data in."""

    SQLITE = "sqlite"
    POSTGRESQL = "postgresql"
    MYSQL = "mysql"


_BACKENDS = {
    "sqlite": Backend.SQLITE,
    "postgresql": Backend.POSTGRESQL,
    "postgres": Backend.POSTGRESQL,
    "mysql": Backend.MYSQL,
    "mariadb": Backend.MYSQL,
}

_DRIVERS = {
    # SQLite runs on the standard driver in a thread (see calor.store.database).
    Backend.SQLITE: "sqlite",
    Backend.POSTGRESQL: "postgresql+asyncpg",
    Backend.MYSQL: "mysql+aiomysql",
}

_SUPPORTED = (
    "Calor stores its data in SQLite, PostgreSQL or MariaDB/MySQL "
    "(sqlite:///PATH, postgresql://USER@HOST/DATABASE, mysql://USER@HOST/DATABASE)"
)


def backend_of(url: URL) -> Backend:
    """Which supported database ``url`` (already checked) points at."""
    return _BACKENDS[url.get_backend_name()]


def parse_database_url(raw: str) -> URL:
    """Check ``raw`` and return it with Calor's asyncio driver for its database.

    Raises :class:`DatabaseUrlError` with the reason (the password hidden) for
    text that is not a URL, a database Calor does not support, an in-memory
    SQLite database, or a server URL without a database name.
    """
    text = raw.strip()
    if not text:
        raise DatabaseUrlError(f"The database URL is empty: {_SUPPORTED}.")
    try:
        url = make_url(text)
    except (ArgumentError, ValueError):
        raise DatabaseUrlError(
            f"Invalid database URL {_mask(text)!r}: {_SUPPORTED}."
        ) from None
    backend = _BACKENDS.get(url.get_backend_name())
    if backend is None:
        raise DatabaseUrlError(
            f"Unsupported database URL {_shown(url)!r}: {_SUPPORTED}."
        )
    url = url.set(drivername=_DRIVERS[backend])
    if backend is Backend.SQLITE:
        if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
            raise DatabaseUrlError(
                f"The SQLite URL {_shown(url)!r} names no file: "
                "Calor keeps its data in a file (sqlite:///PATH)."
            )
    elif not url.database:
        raise DatabaseUrlError(
            f"The database URL {_shown(url)!r} names no database: "
            "add it after the host, as in postgresql://USER@HOST/DATABASE."
        )
    if backend is Backend.MYSQL and "charset" not in url.query:
        # Without it the driver speaks latin1 and a non-ASCII name breaks.
        url = url.update_query_dict({"charset": "utf8mb4"})
    return url


def _shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _mask(text: str) -> str:
    # An unparseable URL may still carry user:password@: hide what follows the colon.
    head, at, tail = text.rpartition("@")
    if not at:
        return text
    scheme, sep, credentials = head.partition("://")
    user = credentials.split(":", 1)[0]
    return f"{scheme}{sep}{user}:***@{tail}" if ":" in credentials else text
