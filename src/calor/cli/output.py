"""Printing command results the way ``openstack`` (cliff) does.

Two shapes, as in osc: a *show* result (one item: field names and values)
and a *list* result (columns and rows). Each prints as ``table``, ``json``,
``yaml`` or ``value``; lists also as ``csv``.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any, TextIO

import yaml
from rich import box
from rich.console import Console
from rich.table import Table


class Format(StrEnum):
    table = "table"
    json = "json"
    yaml = "yaml"
    value = "value"
    csv = "csv"


def _cell(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, indent=2, sort_keys=False, default=str)
    return str(value)


def _console(out: TextIO) -> Console:
    terminal = out.isatty()
    # Off a terminal nothing should wrap: the output is for scripts and files.
    return Console(
        file=out,
        width=None if terminal else 10_000,
        no_color=not terminal,
        highlight=False,
        soft_wrap=not terminal,
    )


def _table(columns: Sequence[str], rows: Iterable[Sequence[Any]], out: TextIO) -> None:
    table = Table(box=box.ASCII, show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(v) for v in row))
    _console(out).print(table)


def _dump_yaml(data: Any, out: TextIO) -> None:
    out.write(yaml.safe_dump(data, default_flow_style=False, sort_keys=False,
                             allow_unicode=True))


def emit_one(
    columns: Sequence[str], values: Sequence[Any], fmt: Format, out: TextIO | None = None
) -> None:
    """Print one item: ``columns[i]`` is the field name of ``values[i]``."""
    out = out or sys.stdout
    data = dict(zip(columns, values, strict=True))
    if fmt is Format.json:
        out.write(json.dumps(data, indent=2, default=str) + "\n")
    elif fmt is Format.yaml:
        _dump_yaml(data, out)
    elif fmt is Format.value:
        for value in values:
            out.write(_cell(value) + "\n")
    else:
        _table(["Field", "Value"], [[c, v] for c, v in data.items()], out)


def emit_list(
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    fmt: Format,
    out: TextIO | None = None,
) -> None:
    """Print rows of values under ``columns``."""
    out = out or sys.stdout
    rows = [list(r) for r in rows]
    if fmt is Format.json:
        items = [dict(zip(columns, r, strict=True)) for r in rows]
        out.write(json.dumps(items, indent=2, default=str) + "\n")
    elif fmt is Format.yaml:
        _dump_yaml([dict(zip(columns, r, strict=True)) for r in rows], out)
    elif fmt is Format.value:
        for r in rows:
            out.write(" ".join(_cell(v) for v in r) + "\n")
    elif fmt is Format.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC)
        writer.writerow(columns)
        for r in rows:
            writer.writerow([_cell(v) for v in r])
        out.write(buffer.getvalue())
    else:
        _table(columns, rows, out)
