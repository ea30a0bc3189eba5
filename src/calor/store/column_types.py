"""Column types that behave the same on SQLite, PostgreSQL and MariaDB/MySQL.

Migrations import these too, so the migrated schema and the models agree.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Integer, Text
from sqlalchemy.dialects import mysql
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine


class Json(TypeDecorator[Any]):
    """A JSON document kept as text.

    Text rather than each database's JSON type: MariaDB's JSON is LONGTEXT
    under another name, the store never queries inside documents, and one
    representation keeps the three schemas identical. LONGTEXT on MySQL because
    TEXT stops at 64 KiB and a template may be 512 KiB.
    """

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.LONGTEXT())
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        return json.loads(value)


class UtcDateTime(TypeDecorator[datetime]):
    """A UTC timestamp with microseconds, handed out timezone-aware.

    Stored naive (in UTC) because MySQL has no zone-aware type; DATETIME(6)
    there, since MySQL's plain DATETIME drops the fraction that orders events.
    """

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name in ("mysql", "mariadb"):
            return dialect.type_descriptor(mysql.DATETIME(fsp=6))
        return dialect.type_descriptor(DateTime())

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: the store keeps times in UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


#: An autoincrementing 64-bit key; SQLite only autoincrements INTEGER PRIMARY KEY.
BigAutoIncrement = BigInteger().with_variant(Integer(), "sqlite")


def utc_now() -> datetime:
    """The current time, as every row's timestamps are written."""
    return datetime.now(UTC)
