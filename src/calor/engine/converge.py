"""Starting a traversal: plan the graph, persist it, queue the units that can start.

Everything a worker needs is persisted before the first unit is queued:
the resource rows, one sync point per node (holding the node's place in the
graph and, as they arrive, the data of the nodes it waits for), one for the
stack, and one work unit per node. A crash at any point leaves a traversal
that the next start can see and finish or fail (DESIGN decision 3).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from calor.engine.nodes import Node
from calor.engine.passes import GraphPass
from calor.engine.planner import CONVERGE, build_graph
from calor.engine.states import Action
from calor.engine.traversal_inputs import StoredRow, plan_input
from calor.messaging.queue import WorkQueue
from calor.store import Store
from calor.store.records import NewResource, NewWorkUnit, ResourceRecord, StackRecord
from calor.template.stack_definition import StackDefinition


def node_key(node: Node) -> str:
    return f"{node.resource_id}:{'u' if node.is_update else 'c'}"


def parse_node_key(key: str) -> Node:
    resource_id, kind = key.split(":")
    return Node(int(resource_id), kind == "u")


@dataclass(frozen=True)
class TraversalStarted:
    traversal_id: str
    units: int


async def start_traversal(
    store: Store,
    queue: WorkQueue,
    stack: StackRecord,
    definition: StackDefinition | None,
    action: Action,
    *,
    passes: Sequence[GraphPass] = CONVERGE,
    engine_id: str | None = None,
) -> TraversalStarted:
    """Converge ``stack``'s rows to ``definition`` (None: delete everything).

    ``passes`` builds the graph (convergence by default; CHECK, SUSPEND and
    RESUME walk the rows in their own orders). ``engine_id`` names the engine
    that started the traversal, so that one finding it orphaned can tell.
    """
    rows = await store.resources.list(stack.id)
    new_rows = await _allocate_rows(store, stack, definition, rows)
    all_rows = [*rows, *new_rows.values()]
    plan = plan_input(
        definition,
        [_stored(r) for r in rows],
        {name: r.id for name, r in new_rows.items()},
    )
    graph = build_graph(plan, passes)
    traversal = str(uuid.uuid4())
    await store.stacks.switch_traversal(
        stack.id, expected_traversal=stack.current_traversal, new_traversal=traversal,
        engine_id=engine_id,
    )
    nodes = list(graph)
    sinks = [n for n in nodes if not graph.required_by(n)]
    sink_set = set(sinks)
    # One sync point per node (its place in the graph), and one for the stack.
    points: list[tuple[str, bool, dict[str, Any]]] = [
        (
            node_key(node),
            node.is_update,
            {
                "requires": [node_key(r) for r in graph.requires(node)],
                # The stack's own sync point is named by the stack id.
                "required_by": [node_key(s) for s in graph.required_by(node)]
                + ([stack.id] if node in sink_set else []),
            },
        )
        for node in nodes
    ]
    points.append(
        (stack.id, True, {"requires": [node_key(n) for n in sinks], "action": str(action)})
    )
    await store.sync_points.create_with_data(
        stack_id=stack.id, traversal_id=traversal, points=points
    )
    by_id = {r.id: r for r in all_rows}
    units = await store.work_units.create_many(
        stack_id=stack.id, traversal_id=traversal,
        units=[
            NewWorkUnit(resource_id=n.resource_id, is_update=n.is_update, action=str(action))
            for n in nodes
            if n.resource_id in by_id
        ],
    )
    ready = {n for n in nodes if not graph.requires(n)}
    to_queue = [u for u in units if Node(u.resource_id, u.is_update) in ready]
    await store.work_units.queue_many([u.id for u in to_queue])
    for unit in to_queue:
        await queue.put({"unit": unit.id})
    if not nodes:
        # Nothing to do (an empty template): the stack's own sync point is done.
        await queue.put({"stack_done": stack.id, "traversal": traversal})
    return TraversalStarted(traversal, len(units))


async def _allocate_rows(
    store: Store, stack: StackRecord, definition: StackDefinition | None,
    rows: Sequence[ResourceRecord],
) -> Mapping[str, ResourceRecord]:
    """New INIT rows for the template's resources that have none yet."""
    if definition is None:
        return {}
    have = {r.name for r in rows if r.replaced_by is None}
    missing = [
        NewResource(stack_id=stack.id, name=name, type=rdef.type)
        for name, rdef in definition.resources.items()
        if name not in have
    ]
    created = await store.resources.create_many(missing) if missing else []
    return {r.name: r for r in created}


def _stored(row: ResourceRecord) -> StoredRow:
    return StoredRow(
        id=row.id, name=row.name, requires=frozenset(row.requires), replaces=row.replaces,
        current=row.replaced_by is None,
    )
