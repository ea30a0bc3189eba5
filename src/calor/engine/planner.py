"""Planners: for each kind of traversal, the passes that build its graph, in order.

Convergence (Heat's design, DESIGN decision 1): a create, update or delete
is one traversal that brings the stored rows to the new template. Update
nodes bring the template's rows up to date in dependency order; cleanup
nodes delete rows the template no longer has, in reverse order. Every
traversal is the same graph, so one worker code path runs them all.
"""

from __future__ import annotations

from collections.abc import Sequence

from calor.engine.nodes import Node
from calor.engine.passes import (
    CleanupAfterUpdate,
    CleanupDependentsFirst,
    CleanupNodes,
    CleanupReplacedLast,
    GraphPass,
    PlanInput,
    TemplateDependencyEdges,
    UpdateNodes,
)
from calor.template.dag import Graph

#: Every create, update, rollback and delete: converge to a template.
CONVERGE: Sequence[GraphPass] = (
    UpdateNodes(),  # the new template's rows, each brought up to date
    TemplateDependencyEdges(),  # ... after the rows it needs
    CleanupNodes(),  # every stored row may have to go
    CleanupDependentsFirst(),  # ... but only after the rows that need it
    CleanupReplacedLast(),  # an old row goes after its replacement's turn
    CleanupAfterUpdate(),  # a kept row's cleanup waits for its update
)


class PlanError(Exception):
    """The inputs make a graph that cannot be traversed (a cycle)."""


def build_graph(plan: PlanInput, passes: Sequence[GraphPass] = CONVERGE) -> Graph[Node]:
    """Apply ``passes`` in order to an empty graph; refuse a graph with a cycle."""
    graph: Graph[Node] = Graph()
    for step in passes:
        step.apply(graph, plan)
    cycles = graph.cycles()
    if cycles:
        rendered = "; ".join(" -> ".join(str(n) for n in c) for c in cycles)
        raise PlanError(f"traversal graph has a cycle: {rendered}")
    return graph
