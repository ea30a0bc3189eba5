"""The domain-free graph: cycles, order, reduction, rendering."""

from __future__ import annotations

import pytest

from calor.template.dag import Graph


def test_topological_order_puts_requirements_first() -> None:
    graph = Graph.from_edges([("web", "db"), ("db", "net"), ("web", "net")])
    order = graph.topological_order()
    assert order.index("net") < order.index("db") < order.index("web")


def test_cycles_are_named_in_edge_order() -> None:
    graph = Graph.from_edges([("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")])
    assert graph.cycles() == [["a", "b", "c"]]


def test_self_loop_is_a_cycle() -> None:
    graph = Graph.from_edges([("a", "a")])
    assert graph.cycles() == [["a"]]


def test_acyclic_graph_has_no_cycles() -> None:
    graph = Graph.from_edges([("a", "b"), ("a", "c"), ("b", "c")])
    assert graph.cycles() == []


def test_long_chains_do_not_hit_the_recursion_limit() -> None:
    graph = Graph.from_edges((f"r{i}", f"r{i + 1}") for i in range(20000))
    assert graph.cycles() == []
    assert graph.topological_order()[0] == "r20000"


def test_topological_order_refuses_a_cycle() -> None:
    graph = Graph.from_edges([("a", "b"), ("b", "a")])
    with pytest.raises(ValueError, match="cycle"):
        graph.topological_order()


def test_ancestors_and_descendants_follow_edges_transitively() -> None:
    graph = Graph.from_edges([("a", "b"), ("b", "c")])
    assert graph.ancestors("a") == {"b", "c"}
    assert graph.descendants("c") == {"a", "b"}


def test_transitive_reduction_drops_implied_edges() -> None:
    graph = Graph.from_edges([("a", "b"), ("b", "c"), ("a", "c")])
    assert graph.transitive_reduction().render() == "a -> b\nb -> c\nc"
