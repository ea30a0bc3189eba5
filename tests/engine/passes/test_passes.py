"""Each graph pass alone: a small plan in, the graph's text rendering out."""

from __future__ import annotations

from calor.engine.nodes import Node
from calor.engine.passes import (
    CleanupAfterUpdate,
    CleanupDependentsFirst,
    CleanupNodes,
    CleanupReplacedLast,
    PlanInput,
    RowPlan,
    TemplateDependencyEdges,
    UpdateNodes,
)
from calor.template.dag import Graph

# web (1) needs db (2), which needs net (3).
TEMPLATE = {1: RowPlan(frozenset({2})), 2: RowPlan(frozenset({3})), 3: RowPlan()}


def graph_after(*passes: object, plan: PlanInput) -> str:
    graph: Graph[Node] = Graph()
    for step in passes:
        step.apply(graph, plan)  # type: ignore[attr-defined]
    return graph.render()


def test_update_nodes_are_one_per_template_row() -> None:
    assert graph_after(UpdateNodes(), plan=PlanInput(template=TEMPLATE)) == (
        "1:update\n2:update\n3:update"
    )


def test_updates_wait_for_the_rows_they_need() -> None:
    rendered = graph_after(UpdateNodes(), TemplateDependencyEdges(),
                           plan=PlanInput(template=TEMPLATE))
    assert rendered == "1:update -> 2:update\n2:update -> 3:update\n3:update"


def test_requirements_outside_the_template_add_no_edge() -> None:
    plan = PlanInput(template={1: RowPlan(frozenset({9}))})
    assert graph_after(UpdateNodes(), TemplateDependencyEdges(), plan=plan) == "1:update"


def test_cleanup_goes_in_reverse_dependency_order() -> None:
    rendered = graph_after(CleanupNodes(), CleanupDependentsFirst(),
                           plan=PlanInput(existing=TEMPLATE))
    # net (3) is cleaned up after db (2), which waits for web (1).
    assert rendered == "1:cleanup\n2:cleanup -> 1:cleanup\n3:cleanup -> 2:cleanup"


def test_a_replaced_row_is_cleaned_up_after_its_replacement() -> None:
    plan = PlanInput(existing={1: RowPlan(), 4: RowPlan(replaces=1)})
    assert graph_after(CleanupNodes(), CleanupReplacedLast(), plan=plan) == (
        "1:cleanup -> 4:cleanup\n4:cleanup"
    )


def test_a_kept_row_is_cleaned_up_after_its_update() -> None:
    plan = PlanInput(template={1: RowPlan()}, existing={1: RowPlan(), 2: RowPlan()})
    rendered = graph_after(UpdateNodes(), CleanupNodes(), CleanupAfterUpdate(), plan=plan)
    assert rendered == "1:update\n1:cleanup -> 1:update\n2:cleanup"
