"""What every pass gets: the rows to bring up to date and the rows that exist."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from calor.engine.nodes import Node
from calor.template.dag import Graph


@dataclass(frozen=True)
class RowPlan:
    """One resource row as a planner sees it."""

    #: Ids of the rows this one needs first (for template rows: from the
    #: new template's dependencies; for existing rows: as stored).
    requires: frozenset[int] = frozenset()
    #: The row this one replaces, if it is a replacement.
    replaces: int | None = None


@dataclass(frozen=True)
class PlanInput:
    """A traversal's inputs: the rows of the new template and the rows that exist."""

    #: Rows that the new template defines, by id (empty when deleting the stack).
    template: Mapping[int, RowPlan] = field(default_factory=dict)
    #: Rows stored for the stack now, by id (empty when creating it).
    existing: Mapping[int, RowPlan] = field(default_factory=dict)


class GraphPass(Protocol):
    """One step of building a traversal graph."""

    def apply(self, graph: Graph[Node], plan: PlanInput) -> None: ...
