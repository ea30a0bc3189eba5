"""A small directed acyclic graph, knowing nothing of templates or stacks.

Edges point from a node to the nodes it *requires* (``connect(a, b)``: ``a``
needs ``b`` first). The template layer uses it to find dependency cycles;
the engine uses it to order traversals.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Iterator
from typing import Generic, TypeVar

N = TypeVar("N", bound=Hashable)


class Graph(Generic[N]):
    """Nodes and "requires" edges; insertion order is kept for stable output."""

    def __init__(self) -> None:
        self._requires: dict[N, dict[N, None]] = {}
        self._required_by: dict[N, dict[N, None]] = {}

    def add(self, node: N) -> None:
        if node not in self._requires:
            self._requires[node] = {}
            self._required_by[node] = {}

    def connect(self, node: N, requirement: N) -> None:
        """``node`` requires ``requirement``."""
        self.add(node)
        self.add(requirement)
        self._requires[node][requirement] = None
        self._required_by[requirement][node] = None

    def __contains__(self, node: object) -> bool:
        return node in self._requires

    def __iter__(self) -> Iterator[N]:
        return iter(self._requires)

    def __len__(self) -> int:
        return len(self._requires)

    def requires(self, node: N) -> list[N]:
        return list(self._requires[node])

    def required_by(self, node: N) -> list[N]:
        return list(self._required_by[node])

    def edges(self) -> Iterator[tuple[N, N]]:
        for node, reqs in self._requires.items():
            for req in reqs:
                yield node, req

    def ancestors(self, node: N) -> set[N]:
        """Every node that ``node`` requires, directly or not."""
        return self._reach(node, self._requires)

    def descendants(self, node: N) -> set[N]:
        """Every node that requires ``node``, directly or not."""
        return self._reach(node, self._required_by)

    @staticmethod
    def _reach(start: N, edges: dict[N, dict[N, None]]) -> set[N]:
        seen: set[N] = set()
        stack = list(edges[start])
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(edges[node])
        return seen

    def cycles(self) -> list[list[N]]:
        """Strongly connected components of more than one node, and self-loops.

        Tarjan's algorithm, iterative so that long chains do not hit the
        recursion limit. Each cycle is listed in an order that follows its
        edges, starting from its earliest-inserted node.
        """
        order = {n: i for i, n in enumerate(self._requires)}
        index: dict[N, int] = {}
        low: dict[N, int] = {}
        on_stack: set[N] = set()
        stack: list[N] = []
        found: list[list[N]] = []
        counter = 0
        for root in self._requires:
            if root in index:
                continue
            work: list[tuple[N, Iterator[N]]] = [(root, iter(self._requires[root]))]
            index[root] = low[root] = counter
            counter += 1
            stack.append(root)
            on_stack.add(root)
            while work:
                node, children = work[-1]
                advanced = False
                for child in children:
                    if child not in index:
                        index[child] = low[child] = counter
                        counter += 1
                        stack.append(child)
                        on_stack.add(child)
                        work.append((child, iter(self._requires[child])))
                        advanced = True
                        break
                    if child in on_stack:
                        low[node] = min(low[node], index[child])
                if advanced:
                    continue
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component: list[N] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in self._requires[node]:
                        found.append(self._cycle_order(component, order))
        found.sort(key=lambda c: order[c[0]])
        return found

    def _cycle_order(self, component: list[N], order: dict[N, int]) -> list[N]:
        members = set(component)
        start = min(component, key=lambda n: order[n])
        path = [start]
        seen = {start}
        node = start
        # Follow edges inside the component until we come back round.
        while True:
            nxt = next((r for r in self._requires[node] if r in members and r not in seen), None)
            if nxt is None:
                break
            path.append(nxt)
            seen.add(nxt)
            node = nxt
        return path

    def topological_order(self) -> list[N]:
        """Nodes with every requirement before the nodes that need it (Kahn)."""
        remaining = {n: len(r) for n, r in self._requires.items()}
        ready = deque(n for n, count in remaining.items() if count == 0)
        out: list[N] = []
        while ready:
            node = ready.popleft()
            out.append(node)
            for dependent in self._required_by[node]:
                remaining[dependent] -= 1
                if remaining[dependent] == 0:
                    ready.append(dependent)
        if len(out) != len(self._requires):
            raise ValueError("graph has a cycle")
        return out

    def transitive_reduction(self) -> Graph[N]:
        """The smallest graph with the same reachability (acyclic graphs only)."""
        reduced: Graph[N] = Graph()
        for node in self._requires:
            reduced.add(node)
            direct = set(self._requires[node])
            implied: set[N] = set()
            for req in direct:
                implied |= self.ancestors(req)
            for req in self._requires[node]:
                if req not in implied:
                    reduced.connect(node, req)
        return reduced

    def render(self) -> str:
        """One line per node, ``node -> req, req``, in insertion order."""
        lines = []
        for node, reqs in self._requires.items():
            if reqs:
                lines.append(f"{node} -> {', '.join(str(r) for r in reqs)}")
            else:
                lines.append(str(node))
        return "\n".join(lines)

    @classmethod
    def from_edges(cls, edges: Iterable[tuple[N, N]]) -> Graph[N]:
        graph: Graph[N] = cls()
        for node, req in edges:
            graph.connect(node, req)
        return graph
