"""From a stack definition and the stored resource rows to a planner's input.

Rows are keyed by id because one resource name can have two rows during an
update (the old one and its replacement). The template's rows are the
current row of each name the new definition has; names it has no row for
get new rows, whose ids the caller allocates first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from calor.engine.passes import PlanInput, RowPlan
from calor.template.stack_definition import StackDefinition


@dataclass(frozen=True)
class StoredRow:
    """A resource row as the planner needs it."""

    id: int
    name: str
    #: Ids of the rows this one needed when it was last created or updated.
    requires: frozenset[int] = frozenset()
    replaces: int | None = None
    #: Replaced rows stay until cleaned up; only a current row stands for its name.
    current: bool = True


class MissingRow(Exception):
    """A template resource has neither a stored row nor a newly allocated one."""


def current_rows(rows: Sequence[StoredRow]) -> dict[str, StoredRow]:
    """The row that stands for each name (the newest current one)."""
    chosen: dict[str, StoredRow] = {}
    for row in sorted(rows, key=lambda r: r.id):
        if row.current:
            chosen[row.name] = row
    return chosen


def plan_input(
    definition: StackDefinition | None,
    rows: Sequence[StoredRow],
    new_rows: Mapping[str, int] | None = None,
) -> PlanInput:
    """The planner's input for converging ``rows`` to ``definition`` (None: delete all)."""
    by_name = {name: row.id for name, row in current_rows(rows).items()}
    by_name.update(new_rows or {})
    template: dict[int, RowPlan] = {}
    if definition is not None:
        for name, resource in definition.resources.items():
            if name not in by_name:
                raise MissingRow(f"no row for resource {name}")
            requires = frozenset(
                by_name[req] for req in resource.required_resources() if req in by_name
                and req in definition.resources
            )
            template[by_name[name]] = RowPlan(requires)
    existing = {row.id: RowPlan(row.requires, row.replaces) for row in rows}
    return PlanInput(template=template, existing=existing)
