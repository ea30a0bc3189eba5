"""Turning a definition and stored rows into a traversal plan."""

from __future__ import annotations

import textwrap

import pytest

from calor.engine.nodes import Node
from calor.engine.planner import build_graph
from calor.engine.traversal_inputs import MissingRow, StoredRow, current_rows, plan_input
from calor.template.stack_definition import StackDefinition
from calor.template.template import Template


def definition(text: str) -> StackDefinition:
    return StackDefinition(Template.from_text(textwrap.dedent(text)))


TWO = definition(
    """\
    heat_template_version: 2016-10-14
    resources:
      db: {type: OS::Heat::None}
      web: {type: OS::Heat::None, depends_on: db}
    """
)


def test_create_allocates_rows_and_orders_them_by_the_template() -> None:
    plan = plan_input(TWO, [], {"db": 1, "web": 2})
    graph = build_graph(plan)
    assert graph.topological_order() == [Node(1, True), Node(2, True)]


def test_a_resource_without_a_row_is_an_error() -> None:
    with pytest.raises(MissingRow, match="web"):
        plan_input(TWO, [], {"db": 1})


def test_delete_uses_the_stored_requirements() -> None:
    rows = [StoredRow(1, "db"), StoredRow(2, "web", frozenset({1}))]
    graph = build_graph(plan_input(None, rows))
    assert graph.topological_order() == [Node(2, False), Node(1, False)]


def test_the_newest_current_row_stands_for_a_name() -> None:
    rows = [StoredRow(1, "db", current=False), StoredRow(3, "db", replaces=1)]
    assert current_rows(rows)["db"].id == 3


def test_update_keeps_rows_and_adds_new_ones() -> None:
    rows = [StoredRow(1, "db")]
    plan = plan_input(TWO, rows, {"web": 5})
    assert set(plan.template) == {1, 5}
    assert plan.template[5].requires == frozenset({1})
    assert set(plan.existing) == {1}
