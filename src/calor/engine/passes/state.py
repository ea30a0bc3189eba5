"""The graphs of CHECK, SUSPEND and RESUME: every resource once, in the right order.

Heat runs these actions over the same convergence graph as an update and
lets only one kind of node act: update nodes check and resume (dependency
order: what a resource needs is checked or resumed first), cleanup nodes
suspend (reverse order: a resource is suspended before what it needs, and
every stored row takes part, as each has a cleanup node). Here each graph
has just the nodes that act.
"""

from __future__ import annotations

from collections.abc import Sequence

from calor.engine.passes.base import GraphPass
from calor.engine.passes.cleanup import CleanupDependentsFirst, CleanupNodes
from calor.engine.passes.update import TemplateDependencyEdges, UpdateNodes

#: CHECK and RESUME: the template's resources, each after the ones it needs.
FORWARD: Sequence[GraphPass] = (
    UpdateNodes(),
    TemplateDependencyEdges(),
)

#: SUSPEND: every stored row, each after the rows that need it.
REVERSE: Sequence[GraphPass] = (
    CleanupNodes(),
    CleanupDependentsFirst(),
)
