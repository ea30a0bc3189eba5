"""Query parameters read as Heat reads them: its booleans, integers, tags and multi-values.

Routes declare their parameters as plain strings (so the OpenAPI document
lists them and FastAPI never refuses one in its own words); these helpers
turn them into values, refusing bad ones with Heat's messages.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.requests import Request

from calor.api.errors import HeatFault


def bad_request(message: str) -> HeatFault:
    return HeatFault(400, message)


def extract_bool(name: str, value: str | bool | None, default: bool = False) -> bool:
    """``true`` or ``false`` in any case; anything else is Heat's 400."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if value.lower() not in ("true", "false"):
        raise bad_request(f'Unrecognized value "{value}" for "{name}", acceptable values '
                          "are: true, false.")
    return value.lower() == "true"


def extract_int(
    name: str, value: str | int | None, *, allow_zero: bool = True, allow_negative: bool = False
) -> int | None:
    """A whole number given as text, with Heat's rules for zero and negatives."""
    if value is None:
        return None
    text = str(value).strip()
    try:
        number = int(text)
    except ValueError:
        raise bad_request(f"Only integer is acceptable by '{name}'.") from None
    if number == 0 and not allow_zero:
        raise bad_request(f"Only non-zero integer is acceptable by '{name}'.")
    if number < 0 and not allow_negative:
        raise bad_request(f"Value '{value}' is invalid for '{name}' which only accepts "
                          "non-negative integer.")
    return number


#: Larger limits mean "all of them" (and would overflow a database's integers).
MAX_LIMIT = 2**31


def extract_limit(value: str | None) -> int | None:
    """A page size: a whole number of zero or more (Heat's ``limit``)."""
    limit = extract_int("limit", value)
    return None if limit is None or limit > MAX_LIMIT else limit


def extract_tags(value: str | Sequence[str] | None) -> list[str] | None:
    """Comma-separated tags (or a list of them), each at most 80 characters."""
    if value is None:
        return None
    tags = value.split(",") if isinstance(value, str) else [str(t) for t in value]
    tags = [t for t in tags if t != ""]
    for tag in tags:
        if len(tag) > 80:
            raise bad_request(f'Invalid tag, "{tag}" is longer than 80 characters')
    return tags


def mixed(request: Request, name: str) -> str | list[str] | None:
    """Heat's "mixed" parameter: one value, or a list when it is given several times."""
    values = [v for v in request.query_params.getlist(name) if v != ""]
    if not values:
        return None
    return values[0] if len(values) == 1 else values


def multi(request: Request, name: str) -> list[str]:
    """Every value of a repeatable parameter (``sort_keys=a&sort_keys=b``)."""
    return [v for v in request.query_params.getlist(name) if v != ""]
