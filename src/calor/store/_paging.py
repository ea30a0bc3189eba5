"""Sorting and marker pagination that give the same order on every database.

The marker is the last row of the previous page; the next page starts after
it in the sort order (keyset pagination, as oslo.db's ``paginate_query``).
NULLs sort first in ascending order on all three databases: each nullable key
is preceded by an is-null flag, because PostgreSQL would put them last.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, case, false, or_
from sqlalchemy.sql.elements import UnaryExpression

from calor.store.errors import InvalidParameter


def is_ascending(sort_dir: str | None, *, default: str) -> bool:
    direction = (sort_dir or default).lower()
    if direction not in ("asc", "desc"):
        raise InvalidParameter(f"Unknown sort direction, must be 'desc' or 'asc': {sort_dir!r}")
    return direction == "asc"


def check_limit(limit: int | None) -> int | None:
    if limit is not None and limit < 0:
        raise InvalidParameter(f"limit must be zero or more, not {limit}")
    return limit


def _expanded(
    keys: Sequence[ColumnElement[Any]], marker: Sequence[Any] | None
) -> list[tuple[ColumnElement[Any], Any, bool]]:
    """(expression, marker value, compare) per key, with is-null flags inserted."""
    out: list[tuple[ColumnElement[Any], Any, bool]] = []
    for index, key in enumerate(keys):
        value = None if marker is None else marker[index]
        nullable = getattr(key, "nullable", False)
        if nullable:
            flag = case((key.is_(None), 0), else_=1)
            out.append((flag, 0 if value is None else 1, True))
            # Rows whose key is NULL tie on the flag; the key itself says no more.
            out.append((key, value, value is not None or marker is None))
        else:
            out.append((key, value, True))
    return out


def order_by(
    keys: Sequence[ColumnElement[Any]], ascending: bool
) -> list[UnaryExpression[Any]]:
    return [e.asc() if ascending else e.desc() for e, _v, _c in _expanded(keys, None)]


def after_marker(
    keys: Sequence[ColumnElement[Any]], marker: Sequence[Any], ascending: bool
) -> ColumnElement[bool]:
    """Rows that come after the row whose key values are ``marker``."""
    terms = [(e, v) for e, v, compare in _expanded(keys, marker) if compare]
    alternatives: list[ColumnElement[bool]] = []
    for index, (expression, value) in enumerate(terms):
        ties = [e == v for e, v in terms[:index]]
        beyond = expression > value if ascending else expression < value
        alternatives.append(and_(*ties, beyond))
    return or_(false(), *alternatives)
