"""Small pieces the repositories share when they build statements."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from typing import Any, Final

from sqlalchemy import ColumnElement

from calor.store.errors import InvalidParameter


class _Unset(Enum):
    UNSET = "UNSET"


#: "No condition" for a compare-and-swap argument where None is a real value.
UNSET: Final = _Unset.UNSET
Unset = _Unset

#: A filter value: one value (equality) or several (any of them).
Match = str | Sequence[str]


def matches(column: ColumnElement[Any], value: Match) -> ColumnElement[bool]:
    """``column = value``, or ``column IN (...)`` for several values (Heat's exact_filter)."""
    if isinstance(value, str):
        return column == value
    return column.in_(list(value))


def checked_changes(
    values: Mapping[str, Any], allowed: Iterable[str], what: str
) -> dict[str, Any]:
    """``values`` when every key is a column callers may set; a TypeError names the others."""
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise TypeError(f"cannot set {', '.join(unknown)} of a {what}")
    return dict(values)


def chunks(items: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    """Slices of ``items``: keeps IN lists and multi-row inserts under server limits."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def check_tags(tags: Sequence[str]) -> list[str]:
    """Tags as stored: strings of at most 80 characters (Heat's column width)."""
    for tag in tags:
        if not isinstance(tag, str) or len(tag) > 80:
            raise InvalidParameter(f"tag {tag!r} must be a string of at most 80 characters")
    return list(tags)
