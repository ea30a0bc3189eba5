"""Passes for the rows that exist, which a traversal may have to delete."""

from __future__ import annotations

from calor.engine.nodes import Node
from calor.engine.passes.base import PlanInput
from calor.template.dag import Graph


class CleanupNodes:
    """A cleanup node for every existing row.

    Its worker deletes the row's resource unless the new template still has
    that exact row (then the cleanup is a no-op that only keeps the order).
    """

    def apply(self, graph: Graph[Node], plan: PlanInput) -> None:
        for row in plan.existing:
            graph.add(Node(row, False))


class CleanupDependentsFirst:
    """A row is cleaned up only after every row that needs it (reverse order)."""

    def apply(self, graph: Graph[Node], plan: PlanInput) -> None:
        for row, info in plan.existing.items():
            for requirement in sorted(info.requires):
                if requirement in plan.existing:
                    graph.connect(Node(requirement, False), Node(row, False))


class CleanupReplacedLast:
    """A replaced row is deleted after its replacement's cleanup step.

    The replacement is built first (its update node); the old row goes
    once nothing can still depend on it.
    """

    def apply(self, graph: Graph[Node], plan: PlanInput) -> None:
        for row, info in plan.existing.items():
            old = info.replaces
            if old is not None and old in plan.existing:
                graph.connect(Node(old, False), Node(row, False))


class CleanupAfterUpdate:
    """A row kept by the new template is cleaned up after it is updated."""

    def apply(self, graph: Graph[Node], plan: PlanInput) -> None:
        for row in plan.existing:
            if row in plan.template:
                graph.connect(Node(row, False), Node(row, True))
