"""Planning whole traversals: create, update and delete are one converge graph."""

from __future__ import annotations

import pytest

from calor.engine.nodes import Node
from calor.engine.passes import PlanInput, RowPlan
from calor.engine.planner import PlanError, build_graph


def test_create_is_updates_in_dependency_order() -> None:
    plan = PlanInput(template={1: RowPlan(frozenset({2})), 2: RowPlan()})
    graph = build_graph(plan)
    assert graph.topological_order() == [Node(2, True), Node(1, True)]


def test_delete_is_cleanups_in_reverse_order() -> None:
    plan = PlanInput(existing={1: RowPlan(frozenset({2})), 2: RowPlan()})
    graph = build_graph(plan)
    assert graph.topological_order() == [Node(1, False), Node(2, False)]


def test_update_removing_a_resource_cleans_it_up_after_its_dependents_update() -> None:
    # Before: web (1) needs db (2). After: web (1) alone; db's row must go.
    plan = PlanInput(
        template={1: RowPlan()},
        existing={1: RowPlan(frozenset({2})), 2: RowPlan()},
    )
    order = build_graph(plan).topological_order()
    assert order.index(Node(1, True)) < order.index(Node(1, False)) < order.index(Node(2, False))


def test_a_cycle_in_the_rows_is_refused() -> None:
    plan = PlanInput(template={1: RowPlan(frozenset({2})), 2: RowPlan(frozenset({1}))})
    with pytest.raises(PlanError, match="cycle"):
        build_graph(plan)
