"""Command-line values in the shapes ``openstack stack`` accepts."""

from __future__ import annotations

from typing import Any


class ArgumentError(Exception):
    """A malformed command-line value (reported without a traceback)."""


def format_parameters(params: list[str] | None) -> dict[str, Any]:
    """``--parameter k=v`` values as the API's ``parameters`` map.

    As in python-heatclient: a single ``--parameter`` may hold several pairs
    separated by ``;``, and a key given twice collects its values in a list.
    """
    if not params:
        return {}
    if len(params) == 1:
        params = params[0].split(";")
    parameters: dict[str, Any] = {}
    for pair in params:
        name, sep, value = pair.partition("=")
        if not sep:
            raise ArgumentError(f"Malformed parameter({pair}). Use the key=value format.")
        if name not in parameters:
            parameters[name] = value
        else:
            existing = parameters[name]
            if not isinstance(existing, list):
                existing = parameters[name] = [existing]
            existing.append(value)
    return parameters


def format_filters(filters: list[str] | None) -> dict[str, list[str]]:
    """``--filter k=v`` values, each key collecting every value it was given."""
    out: dict[str, list[str]] = {}
    for item in filters or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise ArgumentError(f"Malformed filter ({item}). Use the key=value format.")
        out.setdefault(key, []).append(value)
    return out
