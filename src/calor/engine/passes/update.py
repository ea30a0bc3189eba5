"""Passes for the resources of the new template."""

from __future__ import annotations

from calor.engine.nodes import Node
from calor.engine.passes.base import PlanInput
from calor.template.dag import Graph


class UpdateNodes:
    """An update node for every row of the new template."""

    def apply(self, graph: Graph[Node], plan: PlanInput) -> None:
        for row in plan.template:
            graph.add(Node(row, True))


class TemplateDependencyEdges:
    """An update waits for the updates of the rows it needs (the template's graph)."""

    def apply(self, graph: Graph[Node], plan: PlanInput) -> None:
        for row, info in plan.template.items():
            for requirement in sorted(info.requires):
                if requirement in plan.template:
                    graph.connect(Node(row, True), Node(requirement, True))
