"""The nodes of a traversal graph."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Node:
    """One resource row in one traversal, either brought up to date or cleaned up.

    ``is_update`` nodes create or update the resource of the new template;
    cleanup nodes (``is_update=False``) delete a resource row that the new
    template no longer has, or that was replaced (Heat's ConvergenceNode).
    """

    resource_id: int
    is_update: bool

    def __str__(self) -> str:
        return f"{self.resource_id}:{'update' if self.is_update else 'cleanup'}"
