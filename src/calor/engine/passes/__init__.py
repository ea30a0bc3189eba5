"""Graph passes: each adds one kind of node or edge to a traversal graph.

A pass has one method, ``apply(graph, plan)``. Planners list their passes in
order (see :mod:`calor.engine.planner`); each pass can be tested alone with a
small plan in and the graph's text rendering out.
"""

from __future__ import annotations

from calor.engine.passes.base import GraphPass, PlanInput, RowPlan
from calor.engine.passes.cleanup import (
    CleanupAfterUpdate,
    CleanupDependentsFirst,
    CleanupNodes,
    CleanupReplacedLast,
)
from calor.engine.passes.update import TemplateDependencyEdges, UpdateNodes

__all__ = [
    "CleanupAfterUpdate",
    "CleanupDependentsFirst",
    "CleanupNodes",
    "CleanupReplacedLast",
    "GraphPass",
    "PlanInput",
    "RowPlan",
    "TemplateDependencyEdges",
    "UpdateNodes",
]
